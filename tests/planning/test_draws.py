"""Random draws through the services: freeze, commit, draw, publish, verify, void and redraw."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anjian.core.errors import DomainError
from anjian.core.permissions import Role
from anjian.planning import clock, selectors, services
from anjian.planning import draw as drawing
from anjian.planning.models import (
    Draw,
    DrawEvent,
    InspectionTask,
    NoticeKind,
    PublicNotice,
    TaskKind,
    TaskStatus,
)
from anjian.registry.models import Officer
from tests.conftest import make_officer
from tests.planning.conftest import at
from tests.planning.helpers import draw_month, plan_in, published_draw

pytestmark = pytest.mark.django_db


def free_draw(world, count=6, **kwargs):
    """A draw over 玄武区's own directory (no plan): ``count`` enterprises, uniformly."""
    month = dt.date(world.year, 3, 1)
    return services.create_draw(
        actor=world.cast.xuanwu,
        agency=world.cast.agencies["xuanwu"],
        title="",
        month=month,
        strata=[{"name": "all", "select": "*", "count": count, "weighting": "uniform"}],
        **kwargs,
    )


def commit(world, draw, day=None):
    day = day or draw.month - dt.timedelta(days=10)
    with clock.at(at(day)):
        return services.commit_draw(
            actor=world.cast.xuanwu,
            draw=draw,
            seed_description="福利彩票双色球开奖号码",
            seed_value_date=day + dt.timedelta(days=2),
        )


def draw_now(world, draw, value="03 11 17 22 28 31 + 09"):
    with clock.at(at(draw.seed_value_date + dt.timedelta(days=1))):
        return services.perform_draw(actor=world.cast.xuanwu, draw=draw, seed_value=value)


def test_a_published_draw_is_verified_from_its_own_file(world):
    draw = published_draw(world)
    assert draw.status == "published"
    verdict = selectors.verify_draw_file(services.draw_file(draw))
    assert verdict.confirmed, verdict.message
    result = json.loads(draw.result_json)["draws"]
    tasks = InspectionTask.objects.filter(draw=draw)
    assert tasks.count() == len(result)
    assert set(tasks.values_list("kind", flat=True)) == {TaskKind.RANDOM_DRAW}
    assert all(t.officers.count() == 2 for t in tasks)
    assert [e.action for e in DrawEvent.objects.filter(draw=draw)] == [
        "create",
        "commit",
        "draw",
        "publish",
    ]
    kinds = set(PublicNotice.objects.filter(draw=draw).values_list("kind", flat=True))
    assert kinds == {NoticeKind.TASK, NoticeKind.RESULT}


def test_the_draw_follows_the_plans_quota_for_the_month(world):
    plan = plan_in(world, "in_force")
    draw = published_draw(world, plan=plan)
    month = draw_month(plan)
    quotas = {c["code"]: c["quotas"][month - 1] for c in plan.solution["classes"]}
    strata = {s["name"]: s["count"] for s in draw.strata}
    assert {k: v for k, v in strata.items() if k != "control"} == {
        k: v for k, v in quotas.items() if v
    }
    assert strata["control"] == max(1, round(sum(quotas.values()) * 0.1))


def test_drawing_without_a_committed_seed_is_refused(world):
    draw = free_draw(world)
    with pytest.raises(DomainError) as error:
        services.perform_draw(actor=world.cast.xuanwu, draw=draw, seed_value="123")
    assert error.value.code == "draw_without_commitment"
    assert "种子承诺" in error.value.message
    assert Draw.objects.get(pk=draw.pk).status == "draft"


def test_a_seed_already_public_cannot_be_committed(world):
    draw = free_draw(world)
    with clock.at(at(dt.date(world.year, 2, 1))), pytest.raises(DomainError) as error:
        services.commit_draw(
            actor=world.cast.xuanwu,
            draw=draw,
            seed_description="昨日收盘价",
            seed_value_date=dt.date(world.year, 1, 31),
        )
    assert error.value.code == "seed_already_known"
    assert Draw.objects.get(pk=draw.pk).commit_sha256 == ""


def test_drawing_before_the_seed_is_public_is_refused(world):
    draw = commit(world, free_draw(world))
    with (
        clock.at(at(draw.seed_value_date - dt.timedelta(days=1))),
        pytest.raises(DomainError) as error,
    ):
        services.perform_draw(actor=world.cast.xuanwu, draw=draw, seed_value="1")
    assert error.value.code == "seed_not_yet_public"


def test_commit_publishes_the_hashes_of_what_was_frozen(world):
    draw = commit(world, free_draw(world))
    notice = PublicNotice.objects.get(kind=NoticeKind.TASK, draw=draw)
    assert notice.body["commit_sha256"] == draw.commit_sha256
    assert drawing.sha256_hex(json.loads(draw.directory_json)) == draw.directory_sha256
    assert drawing.sha256_hex(json.loads(draw.commit_json)) == draw.commit_sha256
    assert notice.body["directory_size"] == 31


def test_officers_with_expired_certificates_are_left_out_of_the_pool(world):
    draw = commit(world, free_draw(world))
    pool = json.loads(draw.pool_json)
    expired = Officer.objects.get(user=world.cast.uncertified)
    assert expired.pk not in pool["columns"]["id"]
    assert expired.pk in pool["excluded"]["id"]
    draw = draw_now(world, draw)
    teams = [team for _, _, _, team in json.loads(draw.result_json)["draws"]]
    assert all(expired.pk not in team for team in teams)


def test_declared_conflicts_of_interest_are_excluded(world):
    officers = list(Officer.objects.filter(agency=world.cast.agencies["xuanwu"]))
    enterprise = world.enterprises[0]
    # Every certified officer but two declares a relation with enterprise 0.
    keep = {world.inspectors[0].pk, world.inspectors[1].pk}
    for officer in officers:
        if officer.pk not in keep:
            services.declare_conflict(
                actor=world.cast.xuanwu, officer=officer, enterprise=enterprise, kind="relation"
            )
    services.declare_conflict(
        actor=world.cast.xuanwu,
        officer=world.inspectors[2],
        enterprise=world.enterprises[1],
        kind="former_employer",
    )
    draw = draw_now(world, commit(world, free_draw(world, count=31)))
    teams = {e: set(t) for _, e, _, t in json.loads(draw.result_json)["draws"]}
    assert teams[enterprise.pk] == keep
    assert world.inspectors[2].pk not in teams[world.enterprises[1].pk]
    pool = json.loads(draw.pool_json)
    assert [world.inspectors[2].pk, world.enterprises[1].pk] in [
        list(p)
        for p in zip(pool["conflicts"]["officer"], pool["conflicts"]["enterprise"], strict=True)
    ]


def test_recently_inspected_enterprises_can_be_excluded(world):
    task = services.create_task(
        actor=world.cast.xuanwu,
        agency=world.cast.agencies["xuanwu"],
        enterprise=world.enterprises[3],
        month=dt.date(world.year, 1, 1),
    )
    services.complete_task(
        actor=world.cast.xuanwu,
        task=task,
        completed_on=dt.date(world.year, 1, 20),
        record_reference="R-1",
    )
    draw = commit(world, free_draw(world, filters={"exclude_inspected_within_days": 90}))
    directory = json.loads(draw.directory_json)
    assert world.enterprises[3].pk not in directory["columns"]["id"]
    assert directory["excluded"] == {"id": [world.enterprises[3].pk], "reason": ["近90日内已检查"]}


def test_a_second_draw_for_the_month_needs_an_approved_void(world):
    cast = world.cast
    first = draw_now(world, commit(world, free_draw(world)))
    with pytest.raises(DomainError) as error:
        free_draw(world)
    assert error.value.code == "draw_exists"
    first = services.request_void(actor=cast.xuanwu, draw=first, reason="名录库遗漏新登记单位")
    with pytest.raises(DomainError) as error:
        services.approve_void(actor=cast.xuanwu, draw=first, document_number="玄应急〔2027〕3号")
    assert (error.value.code, error.value.status) == ("void_own_request", 403)
    bureau_head = make_officer("xuanwu_bureau_head", cast.agencies["xuanwu"], [Role.BUREAU_HEAD])
    first = services.approve_void(
        actor=bureau_head, draw=first, document_number="玄应急〔2027〕3号"
    )
    assert first.status == "voided"
    assert PublicNotice.objects.filter(kind=NoticeKind.VOID, draw=first).exists()
    again = free_draw(world, replaces=first)
    assert again.replaces == first
    with pytest.raises(DomainError) as error:
        free_draw(world, replaces=first)
    assert error.value.code in {"redraw_exists", "draw_exists"}


def test_voiding_a_published_draw_cancels_its_open_tasks(world):
    draw = published_draw(world)
    services.request_void(actor=world.cast.xuanwu, draw=draw, reason="抽取参数错误")
    bureau_head = make_officer(
        "xuanwu_bureau_head", world.cast.agencies["xuanwu"], [Role.BUREAU_HEAD]
    )
    services.approve_void(actor=bureau_head, draw=draw, document_number="玄应急〔2027〕9号")
    statuses = set(InspectionTask.objects.filter(draw=draw).values_list("status", flat=True))
    assert statuses == {TaskStatus.CANCELLED}


def test_a_rejected_void_returns_the_draw_to_its_state(world):
    draw = draw_now(world, commit(world, free_draw(world)))
    draw = services.request_void(actor=world.cast.xuanwu, draw=draw, reason="误操作")
    bureau_head = make_officer(
        "xuanwu_bureau_head", world.cast.agencies["xuanwu"], [Role.BUREAU_HEAD]
    )
    draw = services.reject_void(actor=bureau_head, draw=draw, reason="理由不成立")
    assert draw.status == "drawn"


def test_draw_steps_out_of_order_are_refused_with_the_next_step(world):
    draw = free_draw(world)
    with pytest.raises(DomainError) as error:
        services.publish_draw(actor=world.cast.xuanwu, draw=draw)
    assert error.value.code == "transition_not_allowed"
    assert error.value.details["allowed"] == ["commit"]


def verify_command(path, *extra):
    try:
        call_command("draw", "verify", str(path), *extra)
    except CommandError as error:
        return error.returncode, str(error)
    return 0, ""


def test_the_verify_command_confirms_refutes_and_rejects(world, tmp_path):
    draw = published_draw(world)
    data = services.draw_file(draw)
    good = tmp_path / "draw.json"
    good.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert verify_command(good) == (0, "")

    tampered = json.loads(json.dumps(data))
    tampered["result"]["draws"][0][1] = world.enterprises[-1].pk + 999
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    code, message = verify_command(bad)
    assert code == 1
    assert "第 1 条抽取结果不符" in message

    snapshot = json.loads(json.dumps(data))
    snapshot["directory"]["columns"]["weight"][0] += 5
    bad.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    code, message = verify_command(bad)
    assert code == 1
    assert "名录库快照与抽取前公示的哈希不符" in message

    seed = json.loads(json.dumps(data))
    seed["seed_value"] = "9999.99"
    bad.write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")
    code, message = verify_command(bad)
    assert code == 1
    assert "种子数值与公开来源不符" in message
    code, message = verify_command(bad, "--offline")
    assert code == 1
    assert "抽取结果不符" in message

    unreadable = tmp_path / "broken.json"
    unreadable.write_text("{not json", encoding="utf-8")
    assert verify_command(unreadable)[0] == 2
    assert verify_command(tmp_path / "missing.json")[0] == 2


def test_the_draw_file_command_writes_what_verify_confirms(world, tmp_path):
    draw = published_draw(world)
    target = tmp_path / "out.json"
    call_command("draw", "file", draw.number, "-o", str(target))
    assert verify_command(target) == (0, "")


def test_control_stratum_tasks_do_not_count_for_the_plan(world):
    draw = published_draw(world)
    rows = json.loads(draw.result_json)["draws"]
    control = {row[1] for row in rows if row[2] == "control"}
    assert control
    tasks = InspectionTask.objects.filter(draw=draw)
    assert {t.enterprise_id for t in tasks if t.plan_id is None} == control
    assert all(t.plan_id == draw.plan_id for t in tasks if t.enterprise_id not in control)


def test_the_control_stratum_takes_only_what_the_risk_strata_leave(world):
    draw = services.create_draw(
        actor=world.cast.xuanwu,
        agency=world.cast.agencies["xuanwu"],
        title="",
        month=dt.date(world.year, 3, 1),
        strata=[
            {"name": "all", "select": "*", "count": 29, "weighting": "uniform"},
            {"name": "control", "select": "*", "count": 5, "weighting": "uniform"},
        ],
    )
    draw = commit(world, draw)
    assert [(s["name"], s["count"]) for s in draw.strata] == [("all", 29), ("control", 2)]
    assert json.loads(draw.parameters_json)["strata"][1]["count"] == 2
