"""The case list as an exportable list (``anjian.core.exports``): the page and background jobs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from anjian.cases import selectors
from anjian.cases.models import CaseStatus, Procedure
from anjian.cases.selectors import CaseFilters
from anjian.core.exports import ExportList

FILTER_KEYS = ("status", "all", "mine", "overdue", "q")
HEADERS = [
    "案件编号",
    "案由",
    "当事人",
    "状态",
    "程序",
    "事故案件",
    "立案日期",
    "办案机构",
    "下一期限",
    "期限日期",
]
FIELDS = (
    "reference",
    "title",
    "party_name",
    "status",
    "procedure",
    "is_accident_case",
    "filed_on",
    "agency__name",
    "next_deadline_label",
    "next_deadline_on",
)


def case_filters(filters: Mapping[str, str]) -> CaseFilters:
    """The list page's filters from its query string (or an export job's saved filters)."""
    return CaseFilters(
        status=filters.get("status", "")[:24],
        open_only=filters.get("all") != "1",
        mine=filters.get("mine") == "1",
        overdue=filters.get("overdue") == "1",
        q=filters.get("q", "")[:50],
    )


def case_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.cases(user, case_filters(filters))


def case_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    status = dict(CaseStatus.choices)
    procedure = dict(Procedure.choices)
    for ref, title, party, st, proc, accident, filed, agency, label, due in queryset.values_list(
        *FIELDS
    ).iterator(chunk_size=2000):
        yield [
            ref,
            title,
            party,
            str(status.get(st, st)),
            str(procedure.get(proc, proc)),
            "是" if accident else "",
            filed,
            agency,
            label,
            due,
        ]


EXPORT_LIST = ExportList(
    name="cases.cases",
    title="行政处罚案件",
    permission="cases.view",
    filter_keys=FILTER_KEYS,
    queryset=case_queryset,
    rows=case_rows,
    headers=HEADERS,
    column_widths=[22, 30, 24, 14, 16, 8, 12, 24, 20, 12],
    list_url_name="cases:list",
)
