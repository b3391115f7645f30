"""Shared steps for planning tests: bring a plan to a state, make a published draw."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.test import Client

from anjian.planning import clock, services
from anjian.planning.models import AnnualPlan, Draw
from tests.planning.conftest import World, at

APPROVAL = {
    "document_number": "玄政复〔2026〕12号",
    "approved_by": "南京市玄武区人民政府",
}


def built_plan(world: World, **parameters: Any) -> AnnualPlan:
    cast = world.cast
    plan = services.create_plan(
        actor=cast.xuanwu, agency=cast.agencies["xuanwu"], year=world.year, parameters=parameters
    )
    return services.build_plan(actor=cast.xuanwu, plan=plan)


def plan_in(world: World, state: str, **parameters: Any) -> AnnualPlan:
    """A built plan of 玄武区 moved to ``state`` through the real pipeline."""
    actor = world.cast.xuanwu
    plan = built_plan(world, **parameters)
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "approved": ["submit", "approve"],
        "filed": ["submit", "approve", "file"],
        "in_force": ["submit", "approve", "file", "enact"],
    }[state]
    decided = dt.date(world.year - 1, 12, 20)
    for action in steps:
        plan = services.transition_plan(
            actor=actor,
            plan=plan,
            action=action,
            document_number=APPROVAL["document_number"]
            if action != "file"
            else "宁应急备〔2026〕7号",
            approved_by=APPROVAL["approved_by"],
            decided_on=decided,
        )
    return plan


def draw_month(plan: AnnualPlan) -> int:
    totals = [sum(c["quotas"][i] for c in plan.solution["classes"]) for i in range(12)]
    return next(i + 1 for i, total in enumerate(totals) if total)


def published_draw(world: World, plan: AnnualPlan | None = None, **kwargs: Any) -> Draw:
    """A draw of 玄武区 committed ten days before its month, drawn and published after the seed date."""
    cast = world.cast
    plan = plan or plan_in(world, "in_force")
    month = dt.date(world.year, draw_month(plan), 1)
    draw = services.create_draw(
        actor=cast.xuanwu,
        agency=cast.agencies["xuanwu"],
        title="",
        month=month,
        plan=plan,
        **kwargs,
    )
    commit_day = month - dt.timedelta(days=10)
    with clock.at(at(commit_day)):
        draw = services.commit_draw(
            actor=cast.xuanwu,
            draw=draw,
            seed_description="上证综合指数收盘价（保留两位小数）",
            seed_value_date=commit_day + dt.timedelta(days=3),
        )
    with clock.at(at(commit_day + dt.timedelta(days=4))):
        draw = services.perform_draw(actor=cast.xuanwu, draw=draw, seed_value="3312.45")
        draw = services.publish_draw(actor=cast.xuanwu, draw=draw)
    return draw


def page_client(user: Any) -> Client:
    """A signed-in browser that, like a real one, must send the CSRF token with every POST."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def post_page(client: Client, page: str, action: str, data: dict[str, Any]) -> Any:
    """Open ``page`` (which holds the form and sets the CSRF cookie), then POST ``data`` with the
    token to ``action``, following the redirect back to the page that shows the outcome."""
    opened = client.get(page)
    assert opened.status_code == 200, page
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(action, {**data, "csrfmiddlewaretoken": token}, follow=True)
