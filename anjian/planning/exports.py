"""The planning lists as exportable lists (``anjian.core.exports``): the page and background jobs.

Annual plans (``/planning/?year=``), tasks (``/planning/tasks/`` and its filters), draws and
operations. Each builder goes through the planning selectors (``visible_to``: the user's
jurisdiction; operations also those held in it or taken part in, covert ones only for those who run
them), so a page's file and a background job hold the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from anjian.core.exports import ExportList
from anjian.core.i18n import chinese
from anjian.planning import clock, selectors
from anjian.planning.models import TaskKind, TaskStatus

# ---------------------------------------------------------------------------------------------
# Annual plans


def plan_year(filters: Mapping[str, str]) -> int:
    """The plan list's year: the ``year`` filter, else the year being planned (next year from
    October)."""
    text = str(filters.get("year", ""))
    if text.isdecimal() and 2000 <= int(text) <= 2100:
        return int(text)
    today = clock.today()
    return today.year + (1 if today.month >= 10 else 0)


def plan_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.plans(user, plan_year(filters))


PLAN_HEADERS = [
    "年度",
    "名称",
    "执法机构",
    "状态",
    "版本",
    "最优性差距",
    "批准文号",
    "批准机关",
    "批准日期",
    "备案文号/回执",
    "备案日期",
    "下达日期",
]


def plan_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for p in queryset.iterator(chunk_size=2000):
        yield [
            p.year,
            p.title,
            p.agency.name,
            chinese(p.get_status_display()),
            p.version,
            (p.solution or {}).get("gap"),
            p.approval_document,
            p.approved_by,
            p.approved_on,
            p.filing_document,
            p.filed_on,
            p.in_force_on,
        ]


# ---------------------------------------------------------------------------------------------
# Tasks

TASK_FILTER_KEYS = ("plan", "agency", "month", "status", "kind", "draw", "operation")
TASK_HEADERS = [
    "月份",
    "单位",
    "类型",
    "执法机构",
    "检查组",
    "执法人员",
    "状态",
    "完成日期",
    "检查记录",
    "来源",
]


def task_filters(filters: Mapping[str, str]) -> selectors.TaskFilters:
    """The task list's filters from its query string (or an export job's saved filters); a value
    that does not parse is ignored, as on the page."""

    def number(name: str) -> int | None:
        text = str(filters.get(name, ""))
        return int(text) if text.isdecimal() else None

    month = None
    text = str(filters.get("month", ""))
    if text:
        try:
            month = dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")
        except ValueError:
            month = None
    status = str(filters.get("status", ""))
    kind = str(filters.get("kind", ""))
    return selectors.TaskFilters(
        plan_id=number("plan"),
        agency_id=number("agency"),
        month=month,
        status=status if status in TaskStatus.values else "",
        kind=kind if kind in TaskKind.values else "",
        draw_id=number("draw"),
        operation_id=number("operation"),
    )


def task_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.tasks(user, task_filters(filters))


def task_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for t in queryset.iterator(chunk_size=2000):
        yield [
            t.month.strftime("%Y-%m"),
            t.enterprise.name,
            chinese(t.get_kind_display()),
            t.agency.name,
            t.team.name if t.team else "",
            "、".join(o.name for o in t.officers.all()),
            chinese(t.get_status_display()),
            t.completed_on,
            t.completed_by_reference,
            t.source_reference,
        ]


# ---------------------------------------------------------------------------------------------
# Draws and operations (no filters on their pages)


def draw_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.draws(user)


DRAW_HEADERS = [
    "编号",
    "名称",
    "执法机构",
    "检查月份",
    "最迟完成日期",
    "状态",
    "冻结公示哈希",
    "种子公开日期",
    "种子数值",
    "结果公示时间",
]


def draw_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for d in queryset.iterator(chunk_size=2000):
        yield [
            d.number,
            d.title,
            d.agency.name,
            d.month.strftime("%Y-%m"),
            d.due_date,
            chinese(d.get_status_display()),
            d.commit_sha256,
            d.seed_value_date,
            d.seed_value,
            d.published_at,
        ]


def operation_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.operations(user)


OPERATION_HEADERS = [
    "编号",
    "名称",
    "类型",
    "牵头机构",
    "区划",
    "开始日期",
    "结束日期",
    "依据文件",
    "暗查暗访",
    "状态",
]


def operation_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for o in queryset.iterator(chunk_size=2000):
        yield [
            o.number,
            o.title,
            chinese(o.get_kind_display()),
            o.lead_agency.name,
            o.region.name,
            o.starts_on,
            o.ends_on,
            o.basis_document,
            "是" if o.is_covert else "",
            chinese(o.get_status_display()),
        ]


EXPORT_LISTS = [
    ExportList(
        name="planning.plans",
        title="年度监督检查计划",
        permission="planning.export",
        filter_keys=("year",),
        queryset=plan_queryset,
        rows=plan_rows,
        headers=PLAN_HEADERS,
        list_url_name="planning:plan_list",
    ),
    ExportList(
        name="planning.tasks",
        title="检查任务",
        permission="planning.export",
        filter_keys=TASK_FILTER_KEYS,
        queryset=task_queryset,
        rows=task_rows,
        headers=TASK_HEADERS,
        list_url_name="planning:task_list",
    ),
    ExportList(
        name="planning.draws",
        title="随机抽查",
        permission="planning.export",
        filter_keys=(),
        queryset=draw_queryset,
        rows=draw_rows,
        headers=DRAW_HEADERS,
        list_url_name="planning:draw_list",
    ),
    ExportList(
        name="planning.operations",
        title="执法行动",
        permission="planning.export",
        filter_keys=(),
        queryset=operation_queryset,
        rows=operation_rows,
        headers=OPERATION_HEADERS,
        list_url_name="planning:operation_list",
    ),
]
