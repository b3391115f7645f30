"""Keyset-free, bounded pagination shared by pages and API lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

MAX_PAGE_SIZE = 200
# Deeper pages are not offered (a page number beyond it is read as this one, empty): an OFFSET of
# 10**20 rows is a database error, not an empty page, on both databases.
MAX_PAGE_NUMBER = 100_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def body(self, items: list[Any]) -> dict[str, Any]:
        """The API's page object: ``items`` (this page's rows, shaped), ``page``, ``page_size``,
        ``has_next``."""
        return {
            "items": items,
            "page": self.number,
            "page_size": self.size,
            "has_next": self.has_next,
        }


def paginate(queryset: QuerySet[Any], page: int | str | None, size: int | str | None = 50) -> Page:
    """Return one page without a COUNT(*) (which is slow at a million rows): fetch size+1 rows."""
    try:
        number = min(MAX_PAGE_NUMBER, max(1, int(page or 1)))
    except (TypeError, ValueError):
        number = 1
    try:
        per_page = min(MAX_PAGE_SIZE, max(1, int(size or 50)))
    except (TypeError, ValueError):
        per_page = 50
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(items=rows[:per_page], number=number, size=per_page, has_next=len(rows) > per_page)
