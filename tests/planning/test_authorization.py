"""Every planning URL and API operation, answered for each actor of the cast.

Pages: anonymous → login (public pages: 200); another county's record → 404; a viewer without the
right → 403 on writes; the right holder → 200 / 302. API: anonymous → 401 (public operations 200).
A refused write changes nothing (the audit trail stays as it was). Ready to merge into
tests/test_authorization_matrix.py (``PLANNING_MATRIX``); until then it runs here on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from anjian.api import api
from anjian.audit.models import AuditEntry
from tests.conftest import PASSWORD

ANON, OTHER, VIEWER, HOLDER, TOWNSHIP = "anonymous", "other_county", "viewer", "holder", "township"
ACTORS = (ANON, OTHER, VIEWER, HOLDER, TOWNSHIP)
TODAY = timezone.localdate()
YEAR = TODAY.year + 1

LOGIN, OK, REDIRECT, FORBIDDEN, NOT_FOUND = 302, 200, 302, 403, 404


def row(anonymous: int, other: int, viewer: int, holder: int, township: int) -> dict[str, int]:
    return dict(zip(ACTORS, (anonymous, other, viewer, holder, township), strict=True))


PAGE = row(LOGIN, OK, OK, OK, OK)
PAGE_RECORD = row(LOGIN, NOT_FOUND, OK, OK, NOT_FOUND)
PAGE_WRITE_RECORD = row(LOGIN, NOT_FOUND, FORBIDDEN, REDIRECT, NOT_FOUND)
PAGE_HEADS_FORM = row(LOGIN, OK, FORBIDDEN, OK, FORBIDDEN)
PUBLIC = row(OK, OK, OK, OK, OK)
API = row(401, 200, 200, 200, 200)
API_RECORD = row(401, 404, 200, 200, 404)
API_WRITE_RECORD = row(401, 404, 403, 200, 404)
API_CREATE = row(401, 201, 403, 201, 403)
API_CREATE_HOLDER_ONLY = row(401, 403, 403, 201, 403)

# endpoint → (expectations, target, body, json?, clock)
MATRIX: dict[str, tuple[dict[str, int], str | None, str | None, bool, str | None]] = {
    "GET /planning/": (PAGE, None, None, False, None),
    "POST /planning/": (
        row(LOGIN, REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN),
        None,
        "plan_form",
        False,
        None,
    ),
    "GET /planning/plans/{pk}/": (PAGE_RECORD, "plan", None, False, None),
    "POST /planning/plans/{pk}/parameters/": (
        PAGE_WRITE_RECORD,
        "plan",
        "parameters_form",
        False,
        None,
    ),
    "POST /planning/plans/{pk}/build/": (PAGE_WRITE_RECORD, "plan", None, False, None),
    "POST /planning/plans/{pk}/transition/": (
        PAGE_WRITE_RECORD,
        "plan",
        "submit_form",
        False,
        None,
    ),
    "POST /planning/plans/{pk}/adjust/": (PAGE_WRITE_RECORD, "plan", "adjust_form", False, None),
    "GET /planning/plans/{pk}/enterprises/": (PAGE_RECORD, "plan", None, False, None),
    "GET /planning/plans/{pk}/completion/": (PAGE_RECORD, "plan", None, False, None),
    "GET /planning/completion/": (PAGE, None, None, False, None),
    "GET /planning/overlap/": (PAGE, None, None, False, None),
    "GET /planning/tasks/": (PAGE, None, None, False, None),
    "GET /planning/tasks/{pk}/": (PAGE_RECORD, "task", None, False, None),
    "GET /planning/draws/": (PAGE, None, None, False, None),
    "GET /planning/draws/new/": (PAGE_HEADS_FORM, None, None, False, None),
    "POST /planning/draws/new/": (
        row(LOGIN, REDIRECT, FORBIDDEN, REDIRECT, FORBIDDEN),
        None,
        "draw_form",
        False,
        None,
    ),
    "GET /planning/draws/{pk}/": (PAGE_RECORD, "draft_draw", None, False, None),
    "GET /planning/draws/{pk}/file.json": (PAGE_RECORD, "published_draw", None, False, None),
    "POST /planning/draws/{pk}/{action}/": (
        PAGE_WRITE_RECORD,
        "commit_action",
        "commit_form",
        False,
        None,
    ),
    "GET /planning/operations/": (PAGE, None, None, False, None),
    "GET /planning/operations/new/": (PAGE_HEADS_FORM, None, None, False, None),
    "POST /planning/operations/new/": (
        row(LOGIN, OK, FORBIDDEN, REDIRECT, FORBIDDEN),
        None,
        "operation_form",
        False,
        None,
    ),
    "GET /planning/operations/{pk}/": (PAGE_RECORD, "operation", None, False, None),
    "POST /planning/operations/{pk}/close/": (
        PAGE_WRITE_RECORD,
        "operation",
        "reason_form",
        False,
        None,
    ),
    "GET /planning/conflicts/": (PAGE, None, None, False, None),
    "POST /planning/conflicts/": (
        row(LOGIN, NOT_FOUND, REDIRECT, REDIRECT, NOT_FOUND),
        None,
        "conflict_form",
        False,
        None,
    ),
    "GET /planning/teams/": (PAGE, None, None, False, None),
    "POST /planning/teams/": (
        row(LOGIN, NOT_FOUND, FORBIDDEN, REDIRECT, FORBIDDEN),
        None,
        "team_form",
        False,
        None,
    ),
    "GET /planning/public/": (PUBLIC, None, None, False, None),
    "GET /planning/public/items/": (PUBLIC, None, None, False, None),
    "GET /planning/public/notices/{pk}/": (PUBLIC, "notice", None, False, None),
    "GET /planning/public/draws/{pk}/file.json": (PUBLIC, "published_draw", None, False, None),
    "GET /planning/public/verify/": (PUBLIC, None, None, False, None),
    "POST /planning/public/verify/": (PUBLIC, None, "verify_upload", False, None),
    # API
    "GET /api/v1/planning/plans": (API, None, None, True, None),
    "POST /api/v1/planning/plans": (API_CREATE, None, "plan_json", True, None),
    "GET /api/v1/planning/plans/{plan_id}": (API_RECORD, "plan", None, True, None),
    "PUT /api/v1/planning/plans/{plan_id}/parameters": (
        API_WRITE_RECORD,
        "plan",
        "parameters_json",
        True,
        None,
    ),
    "POST /api/v1/planning/plans/{plan_id}/build": (API_WRITE_RECORD, "plan", None, True, None),
    "POST /api/v1/planning/plans/{plan_id}/adjust": (
        API_WRITE_RECORD,
        "plan",
        "adjust_json",
        True,
        None,
    ),
    "POST /api/v1/planning/plans/{plan_id}/transitions": (
        API_WRITE_RECORD,
        "plan",
        "submit_json",
        True,
        None,
    ),
    "GET /api/v1/planning/plans/{plan_id}/enterprises": (API_RECORD, "plan", None, True, None),
    "GET /api/v1/planning/plans/{plan_id}/completion": (API_RECORD, "plan", None, True, None),
    "GET /api/v1/planning/completion": (API, "year_query", None, True, None),
    "GET /api/v1/planning/overlap": (API, "year_query", None, True, None),
    "GET /api/v1/planning/tasks": (API, None, None, True, None),
    "GET /api/v1/planning/tasks/{task_id}": (API_RECORD, "task", None, True, None),
    "POST /api/v1/planning/tasks/{task_id}/cancel": (
        API_WRITE_RECORD,
        "task",
        "reason_json",
        True,
        None,
    ),
    "GET /api/v1/planning/draws": (API, None, None, True, None),
    "POST /api/v1/planning/draws": (API_CREATE, None, "draw_json", True, None),
    "GET /api/v1/planning/draws/{draw_id}": (API_RECORD, "draft_draw", None, True, None),
    "POST /api/v1/planning/draws/{draw_id}/commit": (
        API_WRITE_RECORD,
        "draft_draw",
        "commit_json",
        True,
        None,
    ),
    "POST /api/v1/planning/draws/{draw_id}/draw": (
        API_WRITE_RECORD,
        "committed_draw",
        "seed_json",
        True,
        "after_seed",
    ),
    "POST /api/v1/planning/draws/{draw_id}/publish": (
        API_WRITE_RECORD,
        "drawn_draw",
        None,
        True,
        None,
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-request": (
        API_WRITE_RECORD,
        "drawn_draw",
        "reason_json",
        True,
        None,
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-approval": (
        row(401, 404, 403, 200, 404),
        "void_requested_draw",
        "void_json",
        True,
        None,
    ),
    "POST /api/v1/planning/draws/{draw_id}/void-rejection": (
        row(401, 404, 403, 200, 404),
        "void_requested_draw",
        "reason_json",
        True,
        None,
    ),
    "GET /api/v1/planning/draws/{draw_id}/file": (API_RECORD, "published_draw", None, True, None),
    "POST /api/v1/planning/public/verify": (PUBLIC, None, "draw_file_json", True, None),
    "GET /api/v1/planning/operations": (API, None, None, True, None),
    "POST /api/v1/planning/operations": (
        API_CREATE_HOLDER_ONLY,
        None,
        "operation_json",
        True,
        None,
    ),
    "GET /api/v1/planning/operations/{operation_id}": (API_RECORD, "operation", None, True, None),
    "POST /api/v1/planning/operations/{operation_id}/close": (
        API_WRITE_RECORD,
        "operation",
        "reason_json",
        True,
        None,
    ),
    "GET /api/v1/planning/conflicts": (API, None, None, True, None),
    "POST /api/v1/planning/conflicts": (
        row(401, 404, 201, 201, 404),
        None,
        "conflict_json",
        True,
        None,
    ),
    "GET /api/v1/planning/teams": (API, None, None, True, None),
    "POST /api/v1/planning/teams": (row(401, 404, 403, 201, 403), None, "team_json", True, None),
    "GET /api/v1/planning/public/notices": (PUBLIC, None, None, True, None),
    "GET /api/v1/planning/public/notices/{notice_id}": (PUBLIC, "notice", None, True, None),
    "GET /api/v1/planning/public/items": (PUBLIC, None, None, True, None),
    "GET /api/v1/planning/public/draws/{draw_id}/file": (
        PUBLIC,
        "published_draw",
        None,
        True,
        None,
    ),
}


# ---------------------------------------------------------------------------------------------
# Every planning endpoint is classified.

PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_planning_endpoint_is_classified():
    pages = {
        "/" + PARAMETER.sub(r"{\1}", r)
        for r in _walk(get_resolver().url_patterns)
        if r.startswith("planning/")
    }
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = {
        f"{method.upper()} {path}"
        for path, ops in schema["paths"].items()
        if path.startswith("/api/v1/planning")
        for method in ops
    }
    classified_paths = {key.split(" ", 1)[1] for key in MATRIX}
    assert sorted(p for p in pages if p not in classified_paths) == []
    assert sorted(op for op in operations if op not in MATRIX) == []


# ---------------------------------------------------------------------------------------------
# The shared world, built once per module, each case in its own savepoint.


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))


@pytest.fixture(scope="module")
def shared(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    from anjian.core.permissions import Role
    from anjian.planning import clock, services
    from anjian.registry.models import Officer
    from tests import conftest
    from tests.conftest import make_officer
    from tests.planning.conftest import GRADES, add_enterprise

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            cast = conftest.cast._get_wrapped_function()(None)  # type: ignore[attr-defined]
            enterprises = [
                add_enterprise(cast, f"矩阵测试{i:02d}有限公司", 300 + i, grade)
                for i, grade in enumerate(GRADES[::3])
            ]
            inspectors = [
                Officer.objects.get(
                    user=make_officer(
                        f"matrix_inspector{i}", cast.agencies["xuanwu"], [Role.INSPECTOR]
                    )
                )
                for i in range(4)
            ]
            services.create_team(
                actor=None, agency=cast.agencies["xuanwu"], name="一中队", officers=inspectors[:2]
            )
            bureau_head = make_officer(
                "matrix_bureau_head", cast.agencies["xuanwu"], [Role.BUREAU_HEAD]
            )
            plan = services.create_plan(actor=None, agency=cast.agencies["xuanwu"], year=YEAR)
            plan = services.build_plan(actor=None, plan=plan)
            task = services.create_task(
                actor=None,
                agency=cast.agencies["xuanwu"],
                enterprise=enterprises[0],
                month=dt.date(YEAR, 2, 1),
            )
            strata = [{"name": "all", "select": "*", "count": 2, "weighting": "uniform"}]

            def new_draw(month: int) -> Any:
                return services.create_draw(
                    actor=None,
                    agency=cast.agencies["xuanwu"],
                    title="",
                    month=dt.date(YEAR, month, 1),
                    strata=strata,
                )

            def committed(month: int) -> Any:
                draw = new_draw(month)
                with clock.at(_at(TODAY - dt.timedelta(days=20))):
                    return services.commit_draw(
                        actor=None,
                        draw=draw,
                        seed_description="上证综指收盘价",
                        seed_value_date=TODAY - dt.timedelta(days=15),
                    )

            draft = new_draw(1)
            committed_draw = committed(2)
            drawn = services.perform_draw(actor=None, draw=committed(3), seed_value="3000.01")
            published = services.publish_draw(
                actor=None,
                draw=services.perform_draw(actor=None, draw=committed(4), seed_value="3000.02"),
            )
            void_requested = services.request_void(
                actor=cast.xuanwu,
                draw=services.perform_draw(actor=None, draw=committed(5), seed_value="3000.03"),
                reason="测试作废",
            )
            commit_action = new_draw(6)
            operation = services.create_operation(
                actor=None,
                kind="special",
                title="矩阵专项",
                lead_agency=cast.agencies["xuanwu"],
                region=cast.regions["320102"],
                starts_on=TODAY,
                ends_on=TODAY + dt.timedelta(days=30),
                enterprises=enterprises[:2],
                officers=inspectors[:2],
            )
            notice = published.notices.get(kind="result")
            actors = {
                ANON: None,
                OTHER: cast.gulou,
                VIEWER: cast.xuanwu_viewer,
                HOLDER: cast.xuanwu,
                TOWNSHIP: cast.township,
            }
            yield {
                "cast": cast,
                "actors": actors,
                "bureau_head": bureau_head,
                "enterprises": enterprises,
                "inspectors": inspectors,
                "targets": {
                    "plan": plan,
                    "task": task,
                    "draft_draw": draft,
                    "committed_draw": committed_draw,
                    "drawn_draw": drawn,
                    "published_draw": published,
                    "void_requested_draw": void_requested,
                    "commit_action": (commit_action, "commit"),
                    "operation": operation,
                    "notice": notice,
                    "year_query": None,
                },
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def bodies(world: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    from anjian.planning import services

    cast = world["cast"]
    enterprises = world["enterprises"]
    inspectors = world["inspectors"]
    published = world["targets"]["published_draw"]
    return {
        "plan_form": lambda: {"year": YEAR + 1},
        "plan_json": lambda: {"year": YEAR + 1},
        "parameters_form": lambda: {"officers": "8"},
        "parameters_json": lambda: {"parameters": {"officers": 8}},
        "submit_form": lambda: {"action": "submit"},
        "submit_json": lambda: {"action": "submit"},
        "adjust_form": lambda: {
            "enterprise": enterprises[0].pk,
            "months": "2,8",
            "reason": "群众反映",
        },
        "adjust_json": lambda: {
            "enterprise_id": enterprises[0].pk,
            "months": [2, 8],
            "reason": "群众反映",
        },
        "draw_form": lambda: {
            "month": f"{YEAR}-09-01",
            "team_size": 2,
            "strata": json.dumps([{"name": "all", "select": "*", "count": 1}]),
        },
        "draw_json": lambda: {
            "month": f"{YEAR}-09-01",
            "strata": [{"name": "all", "select": "*", "count": 1}],
        },
        "commit_form": lambda: {
            "seed_description": "上证综指收盘价",
            "seed_value_date": (TODAY + dt.timedelta(days=3)).isoformat(),
        },
        "commit_json": lambda: {
            "seed_description": "上证综指收盘价",
            "seed_value_date": (TODAY + dt.timedelta(days=3)).isoformat(),
        },
        "seed_json": lambda: {"seed_value": "3100.55"},
        "reason_form": lambda: {"reason": "行动结束"},
        "reason_json": lambda: {"reason": "测试理由"},
        "void_json": lambda: {"document_number": "玄应急〔2027〕1号"},
        "operation_form": lambda: {
            "kind": "special",
            "title": "表单专项",
            "region_code": "320102",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=5)).isoformat(),
            "enterprise_ids": str(enterprises[1].pk),
            "officer_ids": f"{inspectors[2].pk},{inspectors[3].pk}",
        },
        "operation_json": lambda: {
            "kind": "special",
            "title": "接口专项",
            "region_code": "320102",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + dt.timedelta(days=5)).isoformat(),
            "enterprise_ids": [enterprises[1].pk],
            "officer_ids": [inspectors[2].pk, inspectors[3].pk],
        },
        "conflict_form": lambda: {
            "officer": cast.xuanwu_viewer.officer.pk,
            "enterprise": enterprises[0].pk,
            "kind": "relation",
        },
        "conflict_json": lambda: {
            "officer_id": cast.xuanwu_viewer.officer.pk,
            "enterprise_id": enterprises[0].pk,
            "kind": "relation",
        },
        "team_form": lambda: {
            "name": "三中队",
            "officer_ids": f"{inspectors[2].pk},{inspectors[3].pk}",
        },
        "team_json": lambda: {
            "name": "三中队",
            "officer_ids": [inspectors[2].pk, inspectors[3].pk],
        },
        "verify_upload": lambda: {"file": _upload(services.draw_file(published))},
        "draw_file_json": lambda: services.draw_file(published),
    }


def _upload(data: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "draw.json", json.dumps(data, ensure_ascii=False).encode(), "application/json"
    )


def _url(key: str, target: Any) -> str:
    path = key.split(" ", 1)[1]
    if isinstance(target, tuple):
        record, action = target
        return path.replace("{pk}", str(record.pk)).replace("{action}", action)
    if target is not None:
        path = re.sub(r"\{\w+\}", str(target.pk), path, count=1)
    return path


CASES = [(key, actor) for key in MATRIX for actor in ACTORS]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "actor"), CASES, ids=[f"{k} | {a}" for k, a in CASES])
def test_endpoint_answers_each_actor(endpoint, actor, shared):
    from anjian.planning import clock

    expect, target_key, body_key, is_json, clock_key = MATRIX[endpoint]
    method = endpoint.split(" ", 1)[0]
    user = shared["actors"][actor]
    if endpoint.endswith("void-approval") and actor == HOLDER:
        user = shared["bureau_head"]  # the requester may not approve their own void
    target = shared["targets"][target_key] if target_key else None
    url = _url(endpoint, target if target_key != "year_query" else None)
    client = Client()
    if user is not None:
        client.force_login(user)
    params: dict[str, Any] = {}
    if target_key == "year_query":
        url += f"?year={YEAR}"
    if body_key:
        body = bodies(shared)[body_key]()
        if is_json:
            params = {
                "data": json.dumps(body, ensure_ascii=False),
                "content_type": "application/json",
            }
        else:
            params = {"data": body}
    audit_before = AuditEntry.objects.count()
    moment = _at(TODAY) if clock_key == "after_seed" else None
    with clock.at(moment) if moment else _nothing():
        if method == "GET":
            response = client.get(url)
        elif method == "POST":
            response = client.post(url, **params)
        else:
            response = client.generic(
                method, url, params.get("data", ""), params.get("content_type", "")
            )
    assert response.status_code == expect[actor], response.content.decode()[:1500]
    if expect[actor] == LOGIN and actor == ANON:
        assert response.headers["Location"].startswith("/accounts/login/")
    if method != "GET" and expect[actor] in {401, 403, 404}:
        assert AuditEntry.objects.count() == audit_before
    if is_json and expect[actor] >= 400:
        body = response.json()
        assert re.search(r"[\u4e00-\u9fff]", body["message"]), body


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: Any) -> None:
        return None


def test_the_password_is_the_casts(shared):
    assert PASSWORD  # the cast logs in with force_login; the shared password stays available
