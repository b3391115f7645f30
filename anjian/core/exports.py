"""Exportable lists: each app registers its lists here, so exports run by name (core layer).

An app declares, in its ``AppConfig.ready()``, each list page that exports to .xlsx as an
``ExportList``: a name (``"registry.enterprises"``), the filters it takes (the page's GET keys), a
queryset builder ``(user, filters) -> QuerySet`` that goes through the app's scoped selector (so
through ``visible_to(user)``, the one scoping point) and a row function over that queryset. The list
page exports with ``export_response(request, name)``, and a background export job runs the same
builder for the same user and filters: the file holds the rows the page shows.

Small exports are written within the request. Above ``background_threshold()`` rows (setting
``ANJIAN_EXPORT_BACKGROUND_ROWS``, default 10,000: about 2 s of writing) the page sends the user to
the background export page registered with ``register_background_page`` (the registry app's export
jobs: ``anjian/registry/export_jobs.py``), so no request waits for a large file. Core imports no app:
the registry hands the page down at start-up, as apps hand down their navigation entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation

from anjian.core.errors import DomainError, PermissionDenied
from anjian.core.permissions import user_can
from anjian.core.xlsx import check_export_size, max_export_rows, xlsx_response

# Writing runs at about 5,000 rows a second (docs/howto/import-enterprises.md, "Exports"): 10,000
# rows keep a synchronous export around 2 s; more goes to the task queue.
DEFAULT_BACKGROUND_ROWS = 10_000
# A background export's ceiling: two sheets of Excel's 1,048,576 rows (a sheet fills, the next
# begins). Setting ANJIAN_MAX_BACKGROUND_EXPORT_ROWS.
DEFAULT_MAX_BACKGROUND_ROWS = 2_000_000
MAX_FILTER_LENGTH = 200

QuerysetBuilder = Callable[[Any, Mapping[str, str]], QuerySet[Any]]
RowFunction = Callable[[QuerySet[Any]], Iterable[Sequence[Any]]]


@dataclass(frozen=True)
class ExportList:
    """One exportable list. ``queryset`` must be scoped for the user (the app's selector)."""

    name: str
    title: str  # Chinese: the file name's stem and the sheet's title
    permission: str  # the named action an export of this list needs (checked again when it runs)
    filter_keys: tuple[str, ...]
    queryset: QuerysetBuilder
    rows: RowFunction
    headers: Sequence[str]
    column_widths: Sequence[float] | None = None
    list_url_name: str = ""  # the list page (a link back from the export job)


_LISTS: dict[str, ExportList] = {}
_BACKGROUND_PAGE: list[Callable[[str, Mapping[str, str]], str]] = []


def register_export(export_list: ExportList) -> None:
    _LISTS[export_list.name] = export_list


def registered_exports() -> list[ExportList]:
    return sorted(_LISTS.values(), key=lambda item: item.name)


def register_background_page(url_for: Callable[[str, Mapping[str, str]], str]) -> None:
    """``url_for(name, filters)``: the page that offers a background export of that list."""
    _BACKGROUND_PAGE[:] = [url_for]


def export_list(name: Any) -> ExportList:
    found = _LISTS.get(name) if isinstance(name, str) else None
    if found is None:
        raise DomainError(
            "export_unknown_list",
            f"没有名为“{str(name)[:50]}”的可导出列表。可导出的列表："
            + "、".join(item.name for item in registered_exports())
            + "。",
            f"There is no exportable list named {str(name)[:50]!r}.",
            details={"lists": [item.name for item in registered_exports()]},
            status=422,
        )
    return found


def clean_filters(spec: ExportList, raw: Mapping[str, Any], *, strict: bool) -> dict[str, str]:
    """The list's filters as text. ``strict`` (an API call): an unknown key or a value that is not
    text is refused; otherwise (a page's query string) other keys, such as ``page``, are ignored."""
    cleaned: dict[str, str] = {}
    unknown = sorted(str(key) for key in raw if key not in spec.filter_keys)
    if strict and unknown:
        raise DomainError(
            "export_unknown_filter",
            f"列表“{spec.title}”没有筛选条件“{'、'.join(unknown)[:100]}”。可用的筛选条件："
            + ("、".join(spec.filter_keys) or "无")
            + "。",
            f"Unknown filters for {spec.name}: {', '.join(unknown)[:100]}.",
            details={"unknown": unknown, "allowed": list(spec.filter_keys)},
            status=422,
        )
    for key in spec.filter_keys:
        value = raw.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise DomainError(
                "export_bad_filter",
                f"筛选条件“{key}”的值应为文字或数字。",
                f"The filter {key!r} must be text or a number.",
                details={"filter": key},
                status=422,
            )
        text = str(value).strip()
        if len(text) > MAX_FILTER_LENGTH:
            raise DomainError(
                "export_bad_filter",
                f"筛选条件“{key}”过长（最多{MAX_FILTER_LENGTH}个字符）。",
                f"The filter {key!r} is too long (at most {MAX_FILTER_LENGTH} characters).",
                details={"filter": key},
                status=422,
            )
        if text:
            cleaned[key] = text
    return cleaned


def require_export(user: Any, spec: ExportList) -> None:
    if not user_can(user, spec.permission):
        raise PermissionDenied(spec.permission)


def background_threshold() -> int:
    return int(getattr(settings, "ANJIAN_EXPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def max_background_rows() -> int:
    return int(getattr(settings, "ANJIAN_MAX_BACKGROUND_EXPORT_ROWS", DEFAULT_MAX_BACKGROUND_ROWS))


def file_name(spec: ExportList) -> str:
    return f"{spec.title}_{timezone.localdate():%Y%m%d}.xlsx"


def export_response(request: HttpRequest, name: str) -> HttpResponseBase:
    """A list page's ``?format=xlsx``: the file at once when small, else the background export
    page (with the same filters). Without a background page, over the cap: back with the reason."""
    spec = export_list(name)
    require_export(request.user, spec)
    filters = clean_filters(spec, request.GET, strict=False)
    queryset = spec.queryset(request.user, filters)
    threshold = min(background_threshold(), max_export_rows())
    if _BACKGROUND_PAGE and queryset[: threshold + 1].count() > threshold:
        return HttpResponseRedirect(_BACKGROUND_PAGE[0](name, filters))
    try:
        check_export_size(queryset)
    except DomainError as error:
        messages.error(request, error.localized_message)
        query = request.GET.copy()
        query.pop("format", None)
        encoded = query.urlencode()
        back = reverse(spec.list_url_name) if spec.list_url_name else request.path
        return HttpResponseRedirect(back + (f"?{encoded}" if encoded else ""))
    # Data is Chinese whatever the page language: choice labels in the rows render in Chinese.
    with translation.override("zh-hans"):
        return xlsx_response(
            filename=file_name(spec),
            headers=spec.headers,
            rows=spec.rows(queryset),
            sheet_title=spec.title,
            column_widths=spec.column_widths,
        )
