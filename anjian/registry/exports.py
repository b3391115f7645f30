"""List exports to .xlsx (issue 2 §8): the scoped, filtered querysets of the selectors, as rows.

Pages and API endpoints authorize (``registry.export`` and the selector's own check), call
``check_size`` and hand the rows to ``anjian.core.xlsx.xlsx_response``. The enterprise columns are
the import columns (plus region and industry names, which the import ignores), so an export can be
edited and fed back in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from anjian.core.errors import DomainError
from anjian.core.exports import ExportList
from anjian.core.i18n import chinese_labels
from anjian.core.xlsx import check_export_size
from anjian.registry import selectors
from anjian.registry.models import (
    AgencyKind,
    AgencyLevel,
    EnterpriseStatus,
    EnterpriseTag,
    KeyTag,
    RiskGrade,
)
from anjian.registry.selectors import EnterpriseFilters

PERMISSION = "registry.export"
CHUNK = 2000


check_size = check_export_size


# ---------------------------------------------------------------------------------------------
# Enterprises

ENTERPRISE_HEADERS = [
    "统一社会信用代码",
    "名称",
    "法定代表人",
    "地址",
    "区划代码",
    "区划名称",
    "行业代码",
    "行业名称",
    "从业人员数",
    "营业收入（万元）",
    "状态",
    "风险等级",
    "监管机构",
    "重点监管类别",
]
ENTERPRISE_WIDTHS = [22, 30, 12, 36, 12, 14, 10, 24, 10, 14, 10, 14, 24, 36]


def tag_text(tag: Any, grade: Any, valid_from: Any, valid_to: Any, reason: Any) -> str:
    """A tag in the import's syntax: ``重大危险源(2级)``, ``安全生产失信（黑名单）(起至止:原因)``."""
    label = chinese_labels(KeyTag).get(tag, tag)
    if tag == KeyTag.MAJOR_HAZARD_SOURCE and grade:
        return f"{label}({grade}级)"
    if tag == KeyTag.BLACKLIST and valid_from:
        period = f"{valid_from:%Y-%m-%d}" + (f"至{valid_to:%Y-%m-%d}" if valid_to else "")
        return f"{label}({period}:{reason})"
    return str(label)


def enterprise_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    """Rows in the queryset's order, read in chunks of 2,000 with one tag query per chunk."""
    fields = (
        "pk",
        "uscc",
        "name",
        "legal_representative",
        "address",
        "region__code",
        "region__name",
        "industry__code",
        "industry__name",
        "employees",
        "revenue",
        "status",
        "risk_grade",
        "supervising_agency__name",
    )
    chunk: list[tuple[Any, ...]] = []
    for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from _with_tags(chunk)
            chunk = []
    yield from _with_tags(chunk)


def _with_tags(chunk: list[tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    if not chunk:
        return
    tags: dict[int, list[str]] = {}
    for enterprise_id, *tag in (
        EnterpriseTag.objects.filter(enterprise_id__in=[row[0] for row in chunk])
        .order_by("enterprise_id", "tag")
        .values_list("enterprise_id", "tag", "grade", "valid_from", "valid_to", "reason")
    ):
        tags.setdefault(enterprise_id, []).append(tag_text(*tag))
    for pk, *values in chunk:
        values[10] = chinese_labels(EnterpriseStatus).get(values[10], values[10])
        values[11] = chinese_labels(RiskGrade).get(values[11], values[11])
        values[12] = values[12] or ""
        yield [*values, ";".join(tags.get(pk, []))]


# ---------------------------------------------------------------------------------------------
# Agencies and officers

AGENCY_HEADERS = ["名称", "文号简称", "层级", "类型", "区划代码", "区划名称", "上级机构", "在用"]
AGENCY_WIDTHS = [30, 12, 12, 24, 12, 14, 30, 8]


def agency_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for agency in queryset.iterator(chunk_size=CHUNK):
        yield [
            agency.name,
            agency.short_name,
            chinese_labels(AgencyLevel).get(agency.level, agency.level),
            chinese_labels(AgencyKind).get(agency.kind, agency.kind),
            agency.region.code,
            agency.region.name,
            agency.parent.name if agency.parent else "",
            "是" if agency.is_active else "否",
        ]


OFFICER_HEADERS = ["姓名", "所属机构", "岗位", "在岗", "有效执法证号", "执法证有效期至"]
OFFICER_WIDTHS = [12, 30, 20, 8, 20, 16]


def officer_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    """Officers with today's valid certificate (the queryset prefetches certificates per chunk)."""
    today = timezone.localdate()
    for officer in queryset.iterator(chunk_size=CHUNK):
        certificate = officer.valid_certificate(today)
        yield [
            officer.name,
            officer.agency.name,
            officer.post,
            "是" if officer.is_active else "否",
            certificate.number if certificate else "",
            certificate.valid_to if certificate else "",
        ]


# ---------------------------------------------------------------------------------------------
# The registry's lists, registered with ``anjian.core.exports`` (``RegistryConfig.ready``)

ENTERPRISE_FILTERS = (
    "q",
    "region_code",
    "industry_code",
    "status",
    "risk_grade",
    "tag",
    "supervising_agency_id",
)


def enterprise_filters(filters: Mapping[str, str]) -> EnterpriseFilters:
    """The list page's filters from text (its query string, or an export job's saved filters)."""
    from anjian.registry.forms import EnterpriseSearchForm

    form = EnterpriseSearchForm({k: v for k, v in filters.items() if k in ENTERPRISE_FILTERS})
    agency_text = filters.get("supervising_agency_id", "")
    if not form.is_valid() or (agency_text and not agency_text.isdecimal()):
        problems = (
            "；".join(
                f"{form.fields[name].label if name in form.fields else name}：{' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            )
            or "监管机构：应为机构编号（数字）"
        )
        raise DomainError(
            "export_bad_filter",
            f"筛选条件有误（{problems}）。请在列表页重新选择筛选条件。",
            "A filter is not valid; choose the filters again on the list page.",
            details={"filters": dict(form.errors) or {"supervising_agency_id": "a number"}},
            status=422,
        )
    data = form.cleaned_data
    return EnterpriseFilters(
        q=data.get("q", ""),
        region_code=data.get("region_code", ""),
        industry_code=data.get("industry_code", ""),
        status=data.get("status", ""),
        risk_grade=data.get("risk_grade", ""),
        tag=data.get("tag", ""),
        supervising_agency_id=int(agency_text) if agency_text else None,
    )


def _enterprise_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.enterprises(user, enterprise_filters(filters))


EXPORT_LISTS = (
    ExportList(
        name="registry.enterprises",
        title="生产经营单位",
        permission=PERMISSION,
        filter_keys=ENTERPRISE_FILTERS,
        queryset=_enterprise_queryset,
        rows=enterprise_rows,
        headers=ENTERPRISE_HEADERS,
        column_widths=ENTERPRISE_WIDTHS,
        list_url_name="registry:enterprise_list",
    ),
    ExportList(
        name="registry.agencies",
        title="执法机构",
        permission=PERMISSION,
        filter_keys=(),
        queryset=lambda user, filters: selectors.agencies(user),
        rows=agency_rows,
        headers=AGENCY_HEADERS,
        column_widths=AGENCY_WIDTHS,
        list_url_name="registry:agency_list",
    ),
    ExportList(
        name="registry.officers",
        title="执法人员",
        permission=PERMISSION,
        filter_keys=(),
        queryset=lambda user, filters: selectors.officers(user),
        rows=officer_rows,
        headers=OFFICER_HEADERS,
        column_widths=OFFICER_WIDTHS,
        list_url_name="registry:officer_list",
    ),
)
