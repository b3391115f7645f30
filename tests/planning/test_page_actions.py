"""Planning actions through their pages, as a browser posts them (with the CSRF token): the lawful
path saves and says so; a refusal shows its reason on the page and saves nothing."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

import anjian.planning.views
from anjian.audit.models import AuditEntry
from anjian.planning.models import InspectionTask, Operation
from tests.planning.helpers import page_client, post_page

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
