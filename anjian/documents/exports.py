"""The document list as an exportable list (``anjian.core.exports``): the page and background jobs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from anjian.core.exports import ExportList
from anjian.documents import selectors
from anjian.documents.catalogue import catalogue
from anjian.documents.models import DocumentStatus


def document_queryset(user: Any, filters: Mapping[str, str]) -> QuerySet[Any]:
    return selectors.documents(
        user,
        status=filters.get("status", ""),
        type_id=filters.get("type", ""),
        q=filters.get("q", ""),
    )


def document_rows(queryset: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    names = {t.id: t.name_zh for t in catalogue().types}
    status_labels = dict(DocumentStatus.choices)
    for d in queryset.iterator(chunk_size=2000):
        yield [
            names.get(d.type_id, d.type_id),
            d.number,
            d.title,
            d.agency.name,
            str(status_labels.get(d.status, d.status)),
            d.issued_at,
        ]


EXPORT_LIST = ExportList(
    name="documents.documents",
    title="执法文书",
    permission="documents.view",
    filter_keys=("status", "type", "q"),
    queryset=document_queryset,
    rows=document_rows,
    headers=["文书", "文号", "摘要", "制作机关", "状态", "签发时间"],
    column_widths=[24, 28, 40, 24, 10, 18],
    list_url_name="documents:list",
)
