"""Inspection records and rectification orders as exportable lists (``anjian.core.exports``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from anjian.core.exports import ExportList
from anjian.inspections import selectors

RECORD_FILTER_KEYS = ("status", "kind", "date_from", "date_to", "q", "mine")
ORDER_FILTER_KEYS = ("status", "overdue", "date_from", "date_to", "q", "mine")


def record_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.records(user, selectors.record_filters(filters))


def order_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.orders(user, selectors.order_filters(filters))


def record_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for raw in queryset.iterator(chunk_size=2000):
        row = selectors.record_row(raw)
        yield [
            row["number"],
            row["enterprise_name"],
            row["enterprise_uscc"],
            row["kind_label"],
            row["status_label"],
            timezone.localtime(row["started_at"]).strftime("%Y-%m-%d %H:%M"),
            row["agency"],
            row["finding_count"],
            row["order_number"] or "",
        ]


def order_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    today = timezone.localdate()
    for raw in queryset.iterator(chunk_size=2000):
        row = selectors.order_row(raw, today)
        yield [
            row["number"],
            row["enterprise_name"],
            row["inspection_number"],
            row["status_label"],
            "是" if row["is_overdue"] else "",
            row["issued_on"],
            row["deadline"],
            row["closed_on"],
            row["agency"],
        ]


EXPORT_LISTS = [
    ExportList(
        name="inspections.records",
        title="现场检查记录",
        permission="inspections.view",
        filter_keys=RECORD_FILTER_KEYS,
        queryset=record_queryset,
        rows=record_rows,
        headers=[
            "文书编号",
            "被检查单位",
            "统一社会信用代码",
            "检查方式",
            "状态",
            "检查时间",
            "执法机构",
            "问题数",
            "整改指令书",
        ],
        column_widths=[24, 30, 22, 12, 8, 18, 24, 8, 24],
        list_url_name="inspections:record_list",
    ),
    ExportList(
        name="inspections.orders",
        title="责令限期整改指令书",
        permission="inspections.view",
        filter_keys=ORDER_FILTER_KEYS,
        queryset=order_queryset,
        rows=order_rows,
        headers=[
            "文书编号",
            "被检查单位",
            "检查记录",
            "状态",
            "已逾期",
            "下达日期",
            "整改期限",
            "复查结论日期",
            "执法机构",
        ],
        column_widths=[24, 30, 24, 12, 8, 12, 12, 12, 24],
        list_url_name="inspections:order_list",
    ),
]
