"""Rows to .xlsx: one helper for every list export and generated workbook (core layer, no app imports).

Written with openpyxl's write-only mode into an anonymous temporary file, then streamed back with
``FileResponse``: memory stays flat whatever the row count (openpyxl cannot write a zip to a socket,
so the file is the buffer; it is unlinked as soon as the response closes it).

Cell values are made safe on the way out: text that starts with ``=`` is written as text, never as
a formula (a user-typed name must not become a formula in an officer's Excel), and control
characters that the xlsx format cannot hold are dropped.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anjian.core.errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BOLD = Font(bold=True)
# The largest list export served within one request. Measured (docs/howto/import-enterprises.md,
# "Exports"): 100,000 enterprise rows (14 columns) take 20 s to the first byte on the shared 2-core
# machine under load 2.8, 15 MB of file and 46 MB of extra resident memory (write-only mode: memory
# is flat, time is linear). 100,000 keeps an export inside a 30 s proxy or gunicorn timeout; more
# asks the user to narrow the filter (settings: ANJIAN_MAX_EXPORT_ROWS).
DEFAULT_MAX_EXPORT_ROWS = 100_000
# Excel's rows per worksheet (1,048,576) less the header row: a longer export continues on a new
# sheet (``生产经营单位``, ``生产经营单位2``, ...), each with the header row.
ROWS_PER_SHEET = 1_048_575


def cell_value(value: Any) -> Any:
    """A value openpyxl writes as-is: numbers and dates stay typed, everything else becomes text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # Excel has no time zones: write the wall-clock time of the configured TIME_ZONE.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text


class XlsxWriter:
    """A write-only workbook with one sheet: a bold, frozen header row, then ``append`` rows."""

    def __init__(
        self,
        target: IO[bytes],
        *,
        headers: Sequence[str],
        sheet_title: str = "Sheet1",
        column_widths: Sequence[float] | None = None,
        rows_per_sheet: int = ROWS_PER_SHEET,
    ) -> None:
        self.target = target
        self.workbook = Workbook(write_only=True)
        self.headers = list(headers)
        self.title = sheet_title[:28] or "Sheet1"
        self.widths = column_widths or [max(10, min(40, 2 * len(h) + 4)) for h in headers]
        self.rows_per_sheet = rows_per_sheet
        self.sheets = 0
        self.rows = 0
        self._sheet_rows = 0
        self._new_sheet()

    def _new_sheet(self) -> None:
        self.sheets += 1
        title = self.title if self.sheets == 1 else f"{self.title}{self.sheets}"
        self.sheet = self.workbook.create_sheet(title=title)
        for index, width in enumerate(self.widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        header_cells = []
        for header in self.headers:
            cell = WriteOnlyCell(self.sheet, value=cell_value(header))
            cell.font = _BOLD
            header_cells.append(cell)
        self.sheet.append(header_cells)
        self._sheet_rows = 0

    def append(self, row: Iterable[Any]) -> None:
        if self._sheet_rows >= self.rows_per_sheet:
            self._new_sheet()
        values: list[Any] = []
        for raw in row:
            value = cell_value(raw)
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"
                values.append(cell)
            else:
                values.append(value)
        self.sheet.append(values)
        self.rows += 1
        self._sheet_rows += 1

    def close(self) -> None:
        self.workbook.save(self.target)


def write_xlsx(
    target: IO[bytes],
    *,
    headers: Sequence[str],
    rows: Iterable[Iterable[Any]],
    sheet_title: str = "Sheet1",
    column_widths: Sequence[float] | None = None,
) -> int:
    """Write ``headers`` and ``rows`` to ``target`` as an .xlsx workbook; return the row count."""
    writer = XlsxWriter(
        target, headers=headers, sheet_title=sheet_title, column_widths=column_widths
    )
    for row in rows:
        writer.append(row)
    writer.close()
    return writer.rows


def xlsx_response(
    *,
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Iterable[Any]],
    sheet_title: str = "Sheet1",
    column_widths: Sequence[float] | None = None,
) -> FileResponse:
    """Rows to a downloadable .xlsx response (``filename`` may be Chinese; RFC 6266 encoding)."""
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes (and so deletes) it
    try:
        write_xlsx(
            buffer,
            headers=headers,
            rows=rows,
            sheet_title=sheet_title,
            column_widths=column_widths,
        )
        buffer.seek(0)
    except BaseException:
        buffer.close()
        raise
    return file_response(buffer, filename=filename)


def file_response(file: IO[bytes], *, filename: str) -> FileResponse:
    response = FileResponse(
        file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def max_export_rows() -> int:
    return int(getattr(settings, "ANJIAN_MAX_EXPORT_ROWS", DEFAULT_MAX_EXPORT_ROWS))


def check_export_size(queryset: QuerySet[Any]) -> None:
    """Refuse an export over the cap before writing anything (a bounded COUNT: LIMIT cap+1)."""
    limit = max_export_rows()
    if queryset[: limit + 1].count() > limit:
        raise DomainError(
            "export_too_large",
            f"符合条件的记录超过{limit:,}条，无法一次导出。请增加筛选条件（如区划、行业、状态、风险等级）"
            "缩小范围后再导出，或使用后台导出（列表页的“导出Excel”，接口 POST /api/v1/registry/exports）。",
            f"More than {limit:,} rows match; narrow the filter, or use a background export"
            " (POST /api/v1/registry/exports).",
            details={"limit": limit},
        )


def wants_xlsx(request: HttpRequest) -> bool:
    """A list page answers ``?format=xlsx`` with its rows (same scope, same filters) as a workbook."""
    return request.GET.get("format") == "xlsx"


def list_export(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    rows: Iterable[Iterable[Any]],
    filename: str,
    headers: Sequence[str],
    sheet_title: str = "Sheet1",
    column_widths: Sequence[float] | None = None,
) -> HttpResponseBase:
    """A list page's export: ``queryset`` is the page's scoped, filtered query and ``rows`` a lazy
    iterable over it. Over the cap: back to the list with its filters and the reason, nothing written.
    """
    try:
        check_export_size(queryset)
    except DomainError as error:
        messages.error(request, error.localized_message)
        query = request.GET.copy()
        query.pop("format", None)
        encoded = query.urlencode()
        return HttpResponseRedirect(request.path + (f"?{encoded}" if encoded else ""))
    stamped = f"{filename}_{timezone.localdate():%Y%m%d}.xlsx"
    # Data is Chinese whatever the page language: choice labels in ``rows`` render in Chinese.
    with translation.override("zh-hans"):
        return xlsx_response(
            filename=stamped,
            headers=headers,
            rows=rows,
            sheet_title=sheet_title,
            column_widths=column_widths,
        )
