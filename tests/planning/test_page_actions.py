"""Planning actions through their pages, as a browser posts them (with the CSRF token): the lawful
path saves and says so; a refusal shows its reason on the page and saves nothing."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone

import anjian.planning.views
from anjian.audit.models import AuditEntry
from anjian.core.permissions import Role
from anjian.planning import clock, services
from anjian.planning.models import Draw, InspectionTask, Operation, PlanEnterprise, PublicNotice
from anjian.registry.models import Officer, ScopeGrant
from tests.conftest import client_for, make_officer
from tests.planning.conftest import YEAR, at
from tests.planning.helpers import built_plan, page_client, plan_in, post_page

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def saved() -> int:
    return AuditEntry.objects.count()


# ---------------------------------------------------------------------------------------------
# Operations


def operation_form(world, **changes):
    values = {
        "kind": "special",
        "title": "有限空间专项检查",
        "region_code": "320102",
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=20)).isoformat(),
        "enterprise_ids": f"{world.enterprises[8].pk}，{world.enterprises[9].pk}",
        "officer_ids": " ".join(str(o.pk) for o in world.inspectors[:2]),
        "participant_ids": "",
        "basis_document": "玄应急〔2027〕3号",
        "scope_text": "有限空间作业",
        "method": "现场检查",
    }
    values.update(changes)
    return values


def test_an_operation_created_on_its_page_gets_its_scheme_and_tasks(world):
    client = page_client(world.cast.xuanwu)

    response = post_page(
        client, "/planning/operations/new/", "/planning/operations/new/", operation_form(world)
    )

    operation = Operation.objects.get()
    assert response.redirect_chain == [(f"/planning/operations/{operation.pk}/", 302)]
    assert f"已创建行动 {operation.number}，检查方案和任务已生成。" in response.content.decode()
    assert operation.title == "有限空间专项检查"
    assert operation.scheme.scope == "有限空间作业"
    assert sorted(
        InspectionTask.objects.filter(operation=operation).values_list("enterprise_id", flat=True)
    ) == sorted([world.enterprises[8].pk, world.enterprises[9].pk])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"participant_ids": "999999"}, "部分参加机构不存在。"),
        ({"acting_agency_id": "999999"}, "派出执法人员的机构不存在。"),
        ({"enterprise_ids": "12a"}, "请填写编号，多个编号用逗号分隔。"),
        ({"officer_ids": "²"}, "请填写编号，多个编号用逗号分隔。"),
        ({"enterprise_ids": "999999"}, "部分检查对象不存在或不在您的管辖范围内。"),
    ],
)
def test_an_operation_naming_what_does_not_exist_is_refused_on_its_page(world, changes, message):
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client,
        "/planning/operations/new/",
        "/planning/operations/new/",
        operation_form(world, **changes),
    )

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert message in response.content.decode()
    assert not Operation.objects.exists()
    assert saved() == before


def test_the_planning_pages_do_not_import_the_api():
    tree = ast.parse(Path(anjian.planning.views.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith("anjian.planning.api")}


# ---------------------------------------------------------------------------------------------
# Plans: parameters, adjustment, transitions


def test_plan_parameters_are_saved_on_the_plan_page(world):
    plan = built_plan(world)
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client,
        f"/planning/plans/{plan.pk}/",
        f"/planning/plans/{plan.pk}/parameters/",
        {"officers": "6", "inspection_share": "0.5", "training_months": "3，9"},
    )

    assert response.redirect_chain == [(f"/planning/plans/{plan.pk}/", 302)]
    assert "参数已保存；请重新编制。" in response.content.decode()
    plan.refresh_from_db()
    assert (plan.parameters["officers"], plan.parameters["inspection_share"]) == (6, 0.5)
    assert plan.parameters["training_months"] == [3, 9]
    assert plan.is_stale is True
    assert saved() == before + 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"inspection_share": "2"}, "计划参数有误：inspection_share 应在 0.01 至 1 之间。"),
        ({"officers": "nan"}, "计划参数有误：officers 应在 0 至 100000 之间。"),
        ({"yearly_cap": "三"}, "计划参数有误：yearly_cap 应为数字。"),
        ({"training_months": "3,x"}, "计划参数有误：培训月份应为1至12的整数。"),
    ],
)
def test_bad_plan_parameters_are_refused_on_the_plan_page(world, data, message):
    plan = built_plan(world)
    parameters = plan.parameters
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client, f"/planning/plans/{plan.pk}/", f"/planning/plans/{plan.pk}/parameters/", data
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert plan.parameters == parameters
    assert plan.is_stale is False
    assert saved() == before


def test_an_enterprises_months_are_adjusted_on_the_plan_enterprise_page(world):
    plan = built_plan(world)
    enterprise = world.enterprises[-1]
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client,
        f"/planning/plans/{plan.pk}/enterprises/",
        f"/planning/plans/{plan.pk}/adjust/",
        {"enterprise": str(enterprise.pk), "months": "9，3", "reason": "群众反映"},
    )

    assert response.redirect_chain == [(f"/planning/plans/{plan.pk}/enterprises/", 302)]
    assert f"已调整“{enterprise.name}”的检查月份。" in response.content.decode()
    entry = PlanEnterprise.objects.get(plan=plan, enterprise=enterprise)
    assert (entry.months, entry.named_visits, entry.is_manual) == ([3, 9], 2, True)
    assert saved() == before + 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"months": "13"}, "月份应为1至12的整数。"),
        ({"months": "1,²"}, "月份应为1至12的整数，用逗号分隔。"),
        ({"reason": " "}, "请说明调整理由。"),
        ({"months": "1,2,3,4,5,6,7"}, "每家单位每年计划检查不超过 4 次"),
        ({"enterprise": ""}, "请填写本计划内单位的编号。"),
        ({"enterprise": "12a"}, "请填写本计划内单位的编号。"),
        ({"enterprise": "999999"}, "请填写本计划内单位的编号。"),
    ],
)
def test_a_bad_adjustment_is_refused_on_the_plan_enterprise_page(world, data, message):
    plan = built_plan(world)
    enterprise = world.enterprises[-1]
    entry = PlanEnterprise.objects.get(plan=plan, enterprise=enterprise)
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client,
        f"/planning/plans/{plan.pk}/enterprises/",
        f"/planning/plans/{plan.pk}/adjust/",
        {"enterprise": str(enterprise.pk), "months": "3,9", "reason": "群众反映", **data},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    unchanged = PlanEnterprise.objects.get(pk=entry.pk)
    assert (unchanged.months, unchanged.is_manual) == (entry.months, False)
    assert saved() == before


def test_an_adjustment_over_capacity_is_refused_and_rolled_back_on_the_page(world):
    plan = built_plan(world, officers=1, inspection_share=0.15)
    enterprise = world.enterprises[-1]
    entry = PlanEnterprise.objects.get(plan=plan, enterprise=enterprise)
    client = page_client(world.cast.xuanwu)
    before = saved()

    response = post_page(
        client,
        f"/planning/plans/{plan.pk}/enterprises/",
        f"/planning/plans/{plan.pk}/adjust/",
        {"enterprise": str(enterprise.pk), "months": "1,4,7,10", "reason": "加密检查"},
    )

    assert "超过可计划能力" in response.content.decode()
    unchanged = PlanEnterprise.objects.get(pk=entry.pk)
    assert (unchanged.months, unchanged.named_visits) == (entry.months, entry.named_visits)
    assert saved() == before


def test_a_plan_is_submitted_on_its_page(world):
    plan = built_plan(world)
    client = page_client(world.cast.xuanwu)

    response = post_page(
        client,
        f"/planning/plans/{plan.pk}/",
        f"/planning/plans/{plan.pk}/transition/",
        {"action": "submit"},
    )

    assert "已办理。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "submitted"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "“登记政府批准”须填写：文号、批准机关、日期。"),
        ({"decided_on": "2026-02-30"}, "日期格式应为 YYYY-MM-DD。"),
        ({"document_number": "玄" * 101}, "文号不得超过100字。"),
        ({"approved_by": "玄" * 101}, "批准机关不得超过100字。"),
    ],
)
def test_a_bad_approval_is_refused_on_the_plan_page(world, data, message):
    plan = plan_in(world, "submitted")
    client = page_client(world.cast.xuanwu)
    before = saved()
    complete = {
        "document_number": "玄政复〔2026〕12号",
        "approved_by": "南京市玄武区人民政府",
        "decided_on": f"{world.year - 1}-12-20",
    }
    body = {"action": "approve", **(complete if data else {}), **data}

    response = post_page(
        client, f"/planning/plans/{plan.pk}/", f"/planning/plans/{plan.pk}/transition/", body
    )

    assert message in response.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.approval_document) == ("submitted", "")
    assert saved() == before


# ---------------------------------------------------------------------------------------------
# Draws: commit, draw, publish, void


def page_draw(world):
    return services.create_draw(
        actor=world.cast.xuanwu,
        agency=world.cast.agencies["xuanwu"],
        title="",
        month=dt.date(world.year, 3, 1),
        strata=[{"name": "all", "select": "*", "count": 4, "weighting": "uniform"}],
    )


def draw_step(client, draw, action, data=None):
    return post_page(
        client, f"/planning/draws/{draw.pk}/", f"/planning/draws/{draw.pk}/{action}/", data or {}
    )


COMMIT_DAY = dt.date(YEAR, 2, 10)
SEED_DAY = dt.date(YEAR, 2, 13)
SEED = {"seed_description": "上证综合指数收盘价", "seed_value_date": SEED_DAY.isoformat()}


def test_a_draw_is_committed_drawn_published_and_voided_on_its_page(world):
    draw = page_draw(world)
    head = page_client(world.cast.xuanwu)
    bureau = page_client(
        make_officer("xuanwu_bureau_head", world.cast.agencies["xuanwu"], [Role.BUREAU_HEAD])
    )
    with clock.at(at(COMMIT_DAY)):
        response = draw_step(head, draw, "commit", SEED)
    assert response.redirect_chain == [(f"/planning/draws/{draw.pk}/", 302)]
    assert "已办理。" in response.content.decode()
    draw.refresh_from_db()
    assert (draw.status, draw.seed_value_date) == ("committed", SEED_DAY)
    assert len(draw.commit_sha256) == 64

    with clock.at(at(SEED_DAY)):
        draw_step(head, draw, "draw", {"seed_value": "3312.45"})
        draw.refresh_from_db()
        assert (draw.status, draw.seed_value) == ("drawn", "3312.45")
        draw_step(head, draw, "publish")
    draw.refresh_from_db()
    assert draw.status == "published"
    assert InspectionTask.objects.filter(draw=draw, status="open").count() == 4

    draw_step(head, draw, "request_void", {"reason": "名录库遗漏新登记单位"})
    draw_step(bureau, draw, "reject_void", {"reason": "理由不成立"})
    draw.refresh_from_db()
    assert draw.status == "published"
    draw_step(head, draw, "request_void", {"reason": "名录库遗漏新登记单位"})
    response = draw_step(bureau, draw, "approve_void", {"document_number": "玄应急〔2027〕3号"})
    assert "已办理。" in response.content.decode()
    draw.refresh_from_db()
    assert (draw.status, draw.void_document) == ("voided", "玄应急〔2027〕3号")
    assert InspectionTask.objects.filter(draw=draw, status="cancelled").count() == 4
    assert [e.action for e in draw.events.order_by("id")] == [
        "create",
        "commit",
        "draw",
        "publish",
        "request_void",
        "reject_void",
        "request_void",
        "approve_void",
    ]


def committed(world):
    with clock.at(at(COMMIT_DAY)):
        return services.commit_draw(
            actor=world.cast.xuanwu,
            draw=page_draw(world),
            seed_description=SEED["seed_description"],
            seed_value_date=SEED_DAY,
        )


def void_requested(world):
    draw = committed(world)
    return services.request_void(actor=world.cast.xuanwu, draw=draw, reason="误操作")


@pytest.mark.parametrize(
    ("state", "action", "data", "day", "message"),
    [
        (
            "draft",
            "commit",
            {**SEED, "seed_value_date": COMMIT_DAY.isoformat()},
            COMMIT_DAY,
            "种子数值须在承诺之后才公开",
        ),
        (
            "draft",
            "commit",
            {**SEED, "seed_value_date": f"{YEAR}-02-30"},
            COMMIT_DAY,
            "日期格式应为 YYYY-MM-DD。",
        ),
        (
            "draft",
            "commit",
            {**SEED, "seed_description": "指" * 301},
            COMMIT_DAY,
            "种子来源不得超过300字。",
        ),
        (
            "draft",
            "draw",
            {"seed_value": "1"},
            COMMIT_DAY,
            "尚未冻结名录库、人员库并公示种子承诺，不能抽取",
        ),
        ("committed", "draw", {"seed_value": " "}, SEED_DAY, "“抽取”须填写：种子数值。"),
        (
            "committed",
            "draw",
            {"seed_value": "3312.45"},
            COMMIT_DAY,
            f"种子数值将于 {SEED_DAY} 公开",
        ),
        ("committed", "draw", {"seed_value": "9" * 101}, SEED_DAY, "种子数值不得超过100字。"),
        ("committed", "publish", {}, SEED_DAY, "不能执行“公示结果并下达任务”"),
        ("committed", "request_void", {"reason": ""}, SEED_DAY, "“申请作废”须填写：理由。"),
        ("committed", "explode", {}, SEED_DAY, "未知操作。"),
        (
            "void_requested",
            "approve_void",
            {"document_number": ""},
            SEED_DAY,
            "“批准作废”须填写：批准文号。",
        ),
        (
            "void_requested",
            "approve_void",
            {"document_number": "玄" * 101},
            SEED_DAY,
            "作废批准文号不得超过100字。",
        ),
        ("void_requested", "reject_void", {"reason": ""}, SEED_DAY, "“驳回作废申请”须填写：理由。"),
    ],
)
def test_a_bad_draw_step_is_refused_on_the_draw_page(world, state, action, data, day, message):
    draw = {"draft": page_draw, "committed": committed, "void_requested": void_requested}[state](
        world
    )
    bureau = make_officer("xuanwu_bureau_head", world.cast.agencies["xuanwu"], [Role.BUREAU_HEAD])
    client = page_client(
        bureau if action.endswith("_void") and state == "void_requested" else world.cast.xuanwu
    )
    before = (saved(), PublicNotice.objects.count(), InspectionTask.objects.count())

    with clock.at(at(day)):
        response = draw_step(client, draw, action, data)

    body = response.content.decode()
    assert message in body
    if action == "explode":  # no such step: back to the page with the message
        assert response.status_code == 200
    elif (state, action) in {("draft", "draw"), ("committed", "publish")}:
        # not offered in this state: the page with the message on top, no form to refill
        assert response.status_code == 422
        assert 'id="refused"' not in body
    else:  # the step's form again, with the message and what was typed
        assert response.status_code == 422
        assert 'id="refused"' in body
        for value in data.values():
            if value.strip():
                assert f'value="{value}"' in body
    fresh = Draw.objects.get(pk=draw.pk)
    assert (fresh.status, fresh.commit_sha256, fresh.seed_value, fresh.void_document) == (
        draw.status,
        draw.commit_sha256,
        draw.seed_value,
        draw.void_document,
    )
    assert (saved(), PublicNotice.objects.count(), InspectionTask.objects.count()) == before


OWN_VOID_ZH = "申请人不能批准自己的作废申请：须由本机构另一位有批准权限的负责人批准或驳回。"


def test_the_requester_approving_their_own_void_is_told_why_on_the_draw_page(world):
    draw = void_requested(world)  # requested by 玄武区's section head, who may approve voids
    client = page_client(world.cast.xuanwu)
    before = (saved(), PublicNotice.objects.count(), InspectionTask.objects.count())

    response = draw_step(client, draw, "approve_void", {"document_number": "玄应急〔2027〕3号"})

    assert response.status_code == 422
    assert response.redirect_chain == []
    assert OWN_VOID_ZH in response.content.decode()
    assert 'value="玄应急〔2027〕3号"' in response.content.decode()
    fresh = Draw.objects.get(pk=draw.pk)
    assert (fresh.status, fresh.void_document, fresh.void_approved_by) == (
        "void_requested",
        "",
        None,
    )
    assert (saved(), PublicNotice.objects.count(), InspectionTask.objects.count()) == before


def test_the_requester_approving_their_own_void_gets_a_403_with_the_reason_in_the_api(world):
    draw = void_requested(world)
    client = client_for(world.cast.xuanwu)
    before = saved()

    response = client.post(
        f"/api/v1/planning/draws/{draw.pk}/void-approval",
        json.dumps({"document_number": "玄应急〔2027〕3号"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "code": "void_own_request",
        "message": OWN_VOID_ZH,
        "message_en": "The requester may not approve their own void request: another head of"
        " the agency with the right to approve must approve or reject it.",
    }
    assert Draw.objects.get(pk=draw.pk).status == "void_requested"
    assert saved() == before


# ---------------------------------------------------------------------------------------------
# Operations: close


def cross_region(world):
    cast = world.cast
    gulou = [
        Officer.objects.get(user=cast.gulou),
        Officer.objects.get(
            user=make_officer("gulou_inspector", cast.agencies["gulou"], [Role.INSPECTOR])
        ),
    ]
    return services.create_operation(
        actor=cast.nanjing,
        kind="cross_region",
        title="鼓楼区执法人员赴玄武区交叉执法",
        lead_agency=cast.agencies["nanjing"],
        region=cast.regions["320102"],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=30),
        enterprises=world.enterprises[:2],
        officers=gulou,
        acting_agency=cast.agencies["gulou"],
    )


def test_an_operation_is_closed_on_its_page_and_its_grants_revoked(world):
    operation = cross_region(world)
    assert (
        ScopeGrant.objects.filter(operation_reference=operation.number, revoked_at=None).count()
        == 2
    )
    client = page_client(world.cast.nanjing)

    response = post_page(
        client,
        f"/planning/operations/{operation.pk}/",
        f"/planning/operations/{operation.pk}/close/",
        {"reason": "行动结束"},
    )

    assert response.redirect_chain == [(f"/planning/operations/{operation.pk}/", 302)]
    assert "行动已结束，临时授权已撤销。" in response.content.decode()
    operation.refresh_from_db()
    assert operation.status == "closed"
    assert not ScopeGrant.objects.filter(
        operation_reference=operation.number, revoked_at=None
    ).exists()


def test_closing_a_closed_operation_is_refused_on_its_page(world):
    operation = cross_region(world)
    services.close_operation(actor=world.cast.nanjing, operation=operation, reason="行动结束")
    client = page_client(world.cast.nanjing)
    before = saved()

    response = post_page(
        client,
        f"/planning/operations/{operation.pk}/",
        f"/planning/operations/{operation.pk}/close/",
        {"reason": "再次结束"},
    )

    assert response.status_code == 200
    assert "行动已结束。" in response.content.decode()
    assert saved() == before
