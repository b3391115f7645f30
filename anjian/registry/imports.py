"""Excel (.xlsx) and UTF-8 CSV import of an enterprise directory (issue 2 §5).

The file format
---------------
* The FIRST worksheet is read (CSV: the whole file, comma-separated, UTF-8 with or without BOM).
* Row 1 holds the column headers of :data:`COLUMNS`, in any order. Headers are compared after
  removing spaces and a leading/trailing ``*``, with half-width parentheses read as full-width
  (``营业收入(万元)`` = ``营业收入（万元）``). Other columns are ignored. The six required columns
  must be present; optional ones may be left out.
* Every following row is one enterprise; entirely empty rows are skipped. Row numbers in the error
  report are the row numbers Excel shows.
* Codes are text: format the credit-code, region-code and industry-code columns as text so that Excel
  keeps leading zeros (the downloadable template does this).
* 状态 / 风险等级 / 重点监管类别 take the Chinese labels of the system (``在营``, ``一般风险（黄）``, or
  without the colour, ``一般风险``) or their codes (``operating``, ``moderate``). 重点监管类别 holds
  several entries separated by ``;`` ``；`` ``、`` or line breaks; a major hazard source carries its
  grade (``重大危险源(2级)``), a blacklisting its period and reason
  (``黑名单(2024-01-01至2026-12-31:原因)``).
* 监管机构 is an agency's full name; it must lie in the importer's jurisdiction and its region must
  contain the enterprise's region. Empty: no supervising agency yet (it shows in the jurisdiction
  report).

How a file is imported
----------------------
``start_import`` (in the request) checks size, type and encoding cheaply, stores the file under
MEDIA_ROOT with its SHA-256 and queues ``tasks.run_import_task``. The task (any worker process):

1. claims the job with a conditional ``update()`` (queued → validating);
2. streams the rows (openpyxl ``read_only``/``values_only``; constant memory), validates every row
   with ``services.validate_enterprise_input`` and a ``ReferenceCache`` (the same function the form
   and the API use), plus jurisdiction, supervising agency and duplicates (in the file and in the
   database, checked per batch of 1,000). EVERY problem goes to the error report; valid rows are
   spooled to a temporary file. Progress is written every 1,000 rows with a conditional update;
3. if any row has a problem: nothing is saved, the job fails and its error report (row, column,
   value, problem) can be downloaded;
4. otherwise, in ONE transaction: ``bulk_create`` in batches of 1,000 (enterprises and tags), one
   summary audit entry and one entry per enterprise appended with ``audit.record_many`` (the chain
   head is locked only for that last step), and the job marked succeeded.

All state is in the database and under MEDIA_ROOT (which web and worker hosts must share).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from anjian.audit import services as audit
from anjian.core.errors import DomainError
from anjian.core.i18n import chinese_labels
from anjian.core.permissions import user_can
from anjian.core.xlsx import XlsxWriter
from anjian.registry.models import (
    Agency,
    Enterprise,
    EnterpriseStatus,
    EnterpriseTag,
    ImportJob,
    ImportStatus,
    KeyTag,
    RiskGrade,
)
from anjian.registry.scope import scope_for
from anjian.registry.selectors import require
from anjian.registry.services import (
    EnterpriseInput,
    ReferenceCache,
    validate_enterprise_input,
)

logger = logging.getLogger(__name__)

PERMISSION = "registry.import_enterprises"
BATCH_SIZE = 1000  # rows per bulk insert and per duplicate query
PROGRESS_EVERY = 1000  # rows between progress writes
PREVIEW_LIMIT = 100  # problems kept on the job for the page and the API
DEFAULT_MAX_ROWS = 200_000
SNIFF_BYTES = 64 * 1024
ALLOWED_SUFFIXES = {".xlsx", ".csv"}
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


def max_rows() -> int:
    return int(getattr(settings, "ANJIAN_MAX_IMPORT_ROWS", DEFAULT_MAX_ROWS))


def max_bytes() -> int:
    return int(settings.ANJIAN_MAX_UPLOAD_BYTES)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    width: float = 16


COLUMNS: list[Column] = [
    Column(
        "uscc",
        "统一社会信用代码",
        True,
        "18位，按GB 32100-2015校验（含校验位）；本列须为文本格式。",
        22,
    ),
    Column("name", "名称", True, "单位全称，不超过200字。", 30),
    Column("legal_representative", "法定代表人", True, "不超过50字。", 12),
    Column("address", "地址", True, "生产经营地址，不超过300字。", 36),
    Column(
        "region_code",
        "区划代码",
        True,
        "所在县（市、区）的6位代码或乡镇（街道）、开发区的9位代码，须在您的管辖范围内。",
        12,
    ),
    Column(
        "industry_code",
        "行业代码",
        True,
        "GB/T 4754-2017大类（2位）、中类（3位）或小类（4位）代码，如 26、2614；"
        "本列须为文本格式，以保留开头的0（如 06）。",
        10,
    ),
    Column("employees", "从业人员数", False, "非负整数；空白按0。", 10),
    Column("revenue", "营业收入（万元）", False, "非负数，最多两位小数；空白按0。", 14),
    Column("status", "状态", False, "在营、停产停业、关闭、注销（或代码）；空白按“在营”。", 10),
    Column(
        "risk_grade",
        "风险等级",
        False,
        "重大风险、较大风险、一般风险、低风险（可带颜色，如“一般风险（黄）”，或代码）；空白按“低风险”。",
        14,
    ),
    Column(
        "supervising_agency",
        "监管机构",
        False,
        "执法机构全称，须在您的管辖范围内，且其辖区包含该单位所在区划；空白表示暂未落实监管机构"
        "（将列入管辖核查）。",
        24,
    ),
    Column(
        "tags",
        "重点监管类别",
        False,
        "可填多个，用分号分隔，如“危险化学品储存;重大危险源(2级)”。重大危险源须注明等级（1至4级）；"
        "列入黑名单写作“黑名单(2024-01-01至2026-12-31:原因)”。",
        36,
    ),
]
HEADER_OF = {c.key: c.header for c in COLUMNS}
REQUIRED_KEYS = [c.key for c in COLUMNS if c.required]
REPORT_HEADERS = ["行号", "列", "值", "问题"]


# ---------------------------------------------------------------------------------------------
# Errors


class ImportRejected(DomainError):
    """The file as a whole cannot be imported (type, size, encoding, headers, row count)."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


GBK_MESSAGE = (
    "文件看起来是GBK编码（Excel“CSV（逗号分隔）”格式在中文Windows上的默认编码），而导入要求UTF-8编码。"
    "请在Excel中选择“另存为”，文件类型选“CSV UTF-8（逗号分隔）(*.csv)”；或在WPS、记事本中另存时把编码选为"
    "“UTF-8”；也可以直接上传.xlsx文件。"
)
GBK_MESSAGE_EN = (
    "The file looks GBK-encoded; the import expects UTF-8. In Excel use Save As, "
    "'CSV UTF-8 (Comma delimited)', or upload the .xlsx file."
)


def _encoding_error(data: bytes, *, final: bool, where: str = "") -> ImportRejected | None:
    """None if ``data`` is UTF-8; else the error to show (GBK recognised by a successful decode)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
        return None
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gbk")().decode(data, final=final)
    except UnicodeDecodeError:
        return ImportRejected(
            "csv_not_utf8",
            f"文件{where}不是UTF-8编码的文本。请在Excel中另存为“CSV UTF-8（逗号分隔）”，或直接上传.xlsx文件。",
            "The file is not UTF-8 text. Save it as 'CSV UTF-8' or upload the .xlsx file.",
        )
    return ImportRejected("csv_gbk_encoded", GBK_MESSAGE, GBK_MESSAGE_EN)


# ---------------------------------------------------------------------------------------------
# The upload (in the request): cheap checks, store, queue


def inspect_upload(upload: UploadedFile) -> str:
    """Check size, type (extension AND content) and encoding; return ``"xlsx"`` or ``"csv"``."""
    name = upload.name or ""
    size = int(upload.size or 0)
    suffix = PurePath(name).suffix.lower()
    if size <= 0:
        raise ImportRejected(
            "upload_empty", "上传的文件是空的（0字节）。", "The uploaded file is empty."
        )
    if size > max_bytes():
        raise ImportRejected(
            "upload_too_large",
            f"文件大小为{_mb(size)}，超过单次导入上限{_mb(max_bytes())}。请拆分为多个文件后分批导入。",
            f"The file ({_mb(size)}) exceeds the limit of {_mb(max_bytes())}. Split it.",
            status=413,
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if suffix == ".xls" or head.startswith(OLE2_SIGNATURE):
        raise ImportRejected(
            "upload_old_excel",
            "这是旧版Excel（.xls）文件或设置了打开密码的Excel文件，无法读取。"
            "请在Excel中取消密码，并“另存为”Excel工作簿（*.xlsx）后再上传。",
            "An old .xls or password-protected workbook: save it as an unprotected .xlsx.",
            status=415,
        )
    if suffix not in ALLOWED_SUFFIXES:
        raise ImportRejected(
            "upload_type",
            f"不支持“{suffix or '无扩展名'}”文件。请上传Excel工作簿（.xlsx）或UTF-8编码的CSV文件（.csv）。",
            "Upload an Excel workbook (.xlsx) or a UTF-8 CSV file (.csv).",
            status=415,
        )
    if suffix == ".xlsx":
        if not head.startswith(b"PK\x03\x04") or not _is_workbook(upload):
            raise ImportRejected(
                "upload_not_xlsx",
                "文件扩展名是.xlsx，但内容不是Excel工作簿（可能是改了扩展名的其他文件，或文件已损坏）。"
                "请在Excel中打开原文件，“另存为”Excel工作簿（*.xlsx）后再上传。",
                "The file is named .xlsx but is not an Excel workbook.",
                status=415,
            )
        return "xlsx"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRejected(
            "csv_utf16",
            "文件是UTF-16编码（Excel“Unicode文本”格式），而导入要求UTF-8编码。请在Excel中“另存为”，"
            "文件类型选“CSV UTF-8（逗号分隔）(*.csv)”，或直接上传.xlsx文件。",
            "The file is UTF-16; save it as 'CSV UTF-8' or upload the .xlsx file.",
        )
    if b"\x00" in head:
        raise ImportRejected(
            "upload_not_csv",
            "文件扩展名是.csv，但内容不是文本（可能是改了扩展名的其他文件）。"
            "请上传Excel工作簿（.xlsx）或UTF-8编码的CSV文件。",
            "The file is named .csv but is not text.",
            status=415,
        )
    problem = _encoding_error(head, final=size <= SNIFF_BYTES)
    if problem is not None:
        raise problem
    return "csv"


def _is_workbook(upload: UploadedFile) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def start_import(*, actor: Any, upload: UploadedFile) -> ImportJob:
    """Store the uploaded directory and queue its import. Raises ImportRejected for a bad file."""
    require(actor, PERMISSION)
    inspect_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    scope = scope_for(actor)
    original_name = PurePath(upload.name or "upload").name[-255:]
    job = ImportJob(
        created_by=actor,
        agency_id=scope.agency_id,
        original_name=original_name,
        file_sha256=digest.hexdigest(),
        file_size=int(upload.size or 0),
    )
    job.file.save(original_name, upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            audit.record(
                actor=actor,
                action="registry.queue_enterprise_import",
                obj=job,
                after={
                    "file_name": job.original_name,
                    "sha256": job.file_sha256,
                    "size": job.file_size,
                    "agency_id": job.agency_id,
                },
            )
            # Queued in the same transaction as the job (the database backend's task row commits
            # with it, so a worker never sees a task without its job, nor a job without its task).
            from anjian.registry.tasks import run_import_task

            run_import_task.enqueue(job.pk)
    except BaseException:
        job.file.delete(save=False)
        raise
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------------
# Reads (scoped through the importer's agency)


def import_jobs(user: Any) -> QuerySet[ImportJob]:
    require(user, PERMISSION)
    return ImportJob.objects.visible_to(user).select_related("created_by", "agency").order_by("-id")


def import_job_for(user: Any, pk: Any) -> ImportJob:
    try:
        job: ImportJob = import_jobs(user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return job


# ---------------------------------------------------------------------------------------------
# Reading rows


def cell_text(value: Any) -> str:
    """A cell as text: whole-number floats lose their ``.0`` (Excel stores 320102 as 320102.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | int | Decimal):
        return str(value)
    return str(value).strip()


def normalise_header(value: Any) -> str:
    text = re.sub(r"\s+", "", cell_text(value)).strip("*＊")
    return text.replace("(", "（").replace(")", "）")


_KEY_FOR_HEADER = {normalise_header(c.header): c.key for c in COLUMNS}


def map_headers(header_row: tuple[Any, ...]) -> dict[str, int]:
    """Column key → index in the row; reject a missing required column or a repeated one."""
    positions: dict[str, int] = {}
    repeated: list[str] = []
    for index, value in enumerate(header_row):
        key = _KEY_FOR_HEADER.get(normalise_header(value))
        if key is None:
            continue
        if key in positions:
            repeated.append(HEADER_OF[key])
        positions[key] = index
    if not any(cell_text(v) for v in header_row):
        raise ImportRejected(
            "import_no_header",
            "文件第1行没有列标题。请使用导入模板：第1行为列标题，从第2行起每行一个单位。",
            "Row 1 has no column headers.",
        )
    missing = [HEADER_OF[k] for k in REQUIRED_KEYS if k not in positions]
    if missing:
        raise ImportRejected(
            "import_missing_columns",
            f"缺少必填列：{'、'.join(missing)}。第1行应为列标题（请使用导入模板）。",
            f"Missing required columns: {', '.join(missing)}.",
            details={"missing": missing},
        )
    if repeated:
        raise ImportRejected(
            "import_repeated_columns",
            f"列“{'、'.join(repeated)}”出现了不止一次，请删除多余的列。",
            f"Repeated columns: {', '.join(repeated)}.",
        )
    return positions


@dataclass
class Table:
    rows: Iterator[tuple[int, tuple[Any, ...]]]  # (Excel row number, values)
    estimated_rows: int  # data rows (0 when the file does not say)


@contextmanager
def open_table(handle: IO[bytes], kind: str) -> Iterator[Table]:
    if kind == "csv":
        yield _csv_table(handle)
        return
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as error:
        logger.info("unreadable workbook: %r", error)
        raise ImportRejected(
            "import_unreadable",
            "无法读取该Excel文件（文件可能已损坏）。请在Excel中打开后“另存为”Excel工作簿（*.xlsx）再上传。",
            "The workbook cannot be read.",
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportRejected("import_empty", "工作簿中没有工作表。", "No worksheet.")
        sheet = workbook.worksheets[0]
        estimated = max(0, (sheet.max_row or 1) - 1)

        def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
            number = 0
            try:
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):  # noqa: B007
                    yield number, values
            except ImportRejected:
                raise
            except Exception as error:
                logger.info("workbook broke after row %s: %r", number, error)
                raise ImportRejected(
                    "import_unreadable",
                    f"读到第{number + 1}行时文件内容损坏，无法继续读取。请在Excel中打开后另存为.xlsx再上传。",
                    f"The workbook is damaged after row {number}.",
                ) from None

        yield Table(rows=rows(), estimated_rows=estimated)
    finally:
        workbook.close()


def _csv_table(handle: IO[bytes]) -> Table:
    lines = 0
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        lines += chunk.count(b"\n")
    handle.seek(0)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # type: ignore[type-var]

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        number = 0
        try:
            for number, values in enumerate(csv.reader(text), start=1):  # noqa: B007
                yield number, tuple(values)
        except UnicodeDecodeError as error:
            # Look at the bytes from where UTF-8 failed: is what follows GBK?
            tail = bytes(error.object[error.start : error.start + 4096])
            problem = _encoding_error(tail, final=False, where=f"第{number + 1}行附近")
            raise (problem or ImportRejected("csv_not_utf8", GBK_MESSAGE, GBK_MESSAGE_EN)) from None
        except csv.Error as error:
            raise ImportRejected(
                "csv_malformed",
                f"CSV文件第{number + 1}行格式错误（{error}）。请在Excel中打开后另存为“CSV UTF-8（逗号分隔）”或.xlsx。",
                f"Malformed CSV at row {number + 1}: {error}",
            ) from None

    return Table(rows=rows(), estimated_rows=max(0, lines - 1))


# ---------------------------------------------------------------------------------------------
# One row: labels to codes, then the shared validation


def _lookup_key(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）").lower()


def _labels(choices: Any, *, short: bool = False) -> dict[str, str]:
    """Lookup key of a code or its Chinese label → code, whatever the page language: a file
    holds the Chinese labels of the template even when its uploader works in English."""
    table: dict[str, str] = {}
    for value, label in chinese_labels(choices).items():
        table[_lookup_key(value)] = value
        table[_lookup_key(label)] = value
        if short and "（" in label:
            table[_lookup_key(label.split("（")[0])] = value
    return table


@cache
def status_by_text() -> dict[str, str]:
    return _labels(EnterpriseStatus)


@cache
def risk_by_text() -> dict[str, str]:
    return _labels(RiskGrade, short=True)


@cache
def tag_by_text() -> dict[str, str]:
    return {
        **_labels(KeyTag, short=True),
        _lookup_key("黑名单"): KeyTag.BLACKLIST.value,
        _lookup_key("失信黑名单"): KeyTag.BLACKLIST.value,
    }


_TAG_WITH_ARGUMENT = re.compile(r"^(?P<name>.+?)\s*[（(](?P<argument>[^（）()]*)[）)]\s*$")
_GRADE = re.compile(r"^\s*([1-4一二三四])\s*级?\s*$")
_GRADE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_BLACKLIST = re.compile(
    rf"^\s*(?P<start>{_DATE})\s*(?:(?:至|~|～|—)\s*(?P<end>{_DATE}))?\s*[:：，,；;]\s*(?P<reason>\S.*)$"
)


def split_tags(text: str) -> list[str]:
    """Split on ``; ； 、`` and line breaks, but not inside parentheses (a blacklisting's reason)."""
    tokens: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        if depth == 0 and char in ";；、\n\r":
            tokens.append("".join(current))
            current = []
        else:
            current.append(char)
    tokens.append("".join(current))
    return [t.strip() for t in tokens if t.strip()]


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    year, month, day = (int(part) for part in text.split("-"))
    return dt.date(year, month, day)


def parse_tags(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Tags as ``services.EnterpriseInput.tags`` wants them, plus syntax problems of the cell.

    Unknown names are passed through unchanged so that the shared validation reports them.
    """
    tags: list[dict[str, Any]] = []
    problems: list[str] = []
    for token in split_tags(text):
        code = tag_by_text().get(_lookup_key(token))
        if code is not None:
            tags.append({"tag": code})
            continue
        match = _TAG_WITH_ARGUMENT.match(token)
        code = tag_by_text().get(_lookup_key(match["name"])) if match else None
        if match is None or code is None:
            tags.append({"tag": token})
            continue
        argument = match["argument"].strip()
        if code == KeyTag.MAJOR_HAZARD_SOURCE:
            grade = _GRADE.match(argument)
            if grade is None:
                problems.append(f"“{token}”：重大危险源等级应写作1级至4级，如“重大危险源(2级)”。")
                continue
            number = grade[1]
            tags.append({"tag": code, "grade": _GRADE_DIGITS.get(number) or int(number)})
        elif code == KeyTag.BLACKLIST:
            parsed = _BLACKLIST.match(argument)
            try:
                start = _date(parsed["start"]) if parsed else None
                end = _date(parsed["end"]) if parsed else None
            except ValueError:
                parsed = None
            if parsed is None:
                problems.append(
                    f"“{token}”：黑名单应写作“黑名单(起始日期至截止日期:原因)”，"
                    "如“黑名单(2024-01-01至2026-12-31:重大事故隐患拒不整改)”。"
                )
                continue
            if end is not None and start is not None and end < start:
                problems.append(f"“{token}”：黑名单截止日期早于起始日期。")
                continue
            tags.append(
                {
                    "tag": code,
                    "valid_from": start,
                    "valid_to": end,
                    "reason": parsed["reason"].strip()[:300],
                }
            )
        else:
            problems.append(
                f"“{token}”：只有重大危险源（等级）和黑名单（期限、原因）可以在括号内注明信息。"
            )
    seen: set[str] = set()
    for tag in tags:
        if tag["tag"] in seen:
            label = chinese_labels(KeyTag).get(tag["tag"], tag["tag"])
            problems.append(f"重点监管类别“{label}”重复。")
        seen.add(tag["tag"])
    return tags, problems


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "problem": self.message,
        }


class RowValidator:
    """Validates rows for one importer: the shared field validation plus jurisdiction and duplicates."""

    def __init__(self, user: Any) -> None:
        self.cache = ReferenceCache()
        self.cache.load()
        self.scope = scope_for(user)
        self.agencies = {
            a.name: a for a in Agency.objects.visible_to(user).select_related("region")
        }
        self.first_row_of: dict[str, int] = {}

    def validate(self, number: int, values: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
        problems: list[Problem] = []

        def add(key: str, message: str) -> None:
            problems.append(Problem(number, HEADER_OF[key], values.get(key, ""), message))

        status_text = values.get("status", "")
        risk_text = values.get("risk_grade", "")
        tags, tag_problems = parse_tags(values.get("tags", ""))
        for message in tag_problems:
            add("tags", message)
        data = EnterpriseInput(
            uscc=values.get("uscc", ""),
            name=values.get("name", ""),
            legal_representative=values.get("legal_representative", ""),
            address=values.get("address", ""),
            region_code=values.get("region_code", ""),
            industry_code=values.get("industry_code", ""),
            employees=values.get("employees", ""),
            revenue=values.get("revenue", ""),
            status=status_by_text().get(_lookup_key(status_text), status_text)
            if status_text
            else EnterpriseStatus.OPERATING,
            risk_grade=risk_by_text().get(_lookup_key(risk_text), risk_text)
            if risk_text
            else RiskGrade.LOW,
            tags=tags,
        )
        cleaned, field_problems = validate_enterprise_input(data, self.cache)
        for problem in field_problems:
            key = problem.field if problem.field in HEADER_OF else "name"
            message = problem.message
            if key == "industry_code" and values.get(key, "").isdecimal():
                message += "如代码以0开头，请将该列设为文本格式后重新填写。"
            add(key, message)
        region = cleaned.get("region")
        region_ok = not any(p.column == HEADER_OF["region_code"] for p in problems)
        if (
            region is not None
            and region_ok
            and not self.scope.contains_codes(
                province_code=region.province_code,
                city_code=region.city_code,
                county_code=region.county_code,
                region_id=region.pk,
            )
        ):
            add("region_code", f"区划“{region.name}（{region.code}）”不在您的管辖范围内。")
        agency_name = values.get("supervising_agency", "")
        cleaned["supervising_agency"] = None
        if agency_name:
            agency = self.agencies.get(agency_name)
            if agency is None or not agency.is_active:
                add(
                    "supervising_agency",
                    f"监管机构“{agency_name}”不存在、已停用或不在您的管辖范围内（请填写机构全称）。",
                )
            elif region is not None and not agency.region.contains(region):
                add(
                    "supervising_agency",
                    f"{agency.name}的辖区不包含该单位所在区划（属地管辖，行政处罚法第二十二条）。",
                )
            else:
                cleaned["supervising_agency"] = agency
        uscc = cleaned.get("uscc")
        if uscc:
            first = self.first_row_of.setdefault(uscc, number)
            if first != number:
                add("uscc", f"与第{first}行的统一社会信用代码重复。")
        cleaned["tags"] = tags
        return cleaned, problems


# ---------------------------------------------------------------------------------------------
# The job (runs in a worker through tasks.run_import_task)


def run_import(job_id: int) -> None:
    """Validate and import one queued job. Idempotent: a job already claimed is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by", "agency").get(pk=job_id)
    try:
        _run(job)
    except ImportRejected as error:
        _fail(job, error.message, error.message_en)
    except Exception:
        logger.exception("import job %s failed", job_id)
        _fail(
            job,
            "导入过程中发生内部错误，未导入任何数据。错误已记录，请联系系统管理员。",
            "Internal error during the import; nothing was saved. It was logged.",
        )
        raise


def _fail(job: ImportJob, message: str, message_en: str, **fields: Any) -> None:
    """The job ends as failed, with one audit entry (the system's: no one acted)."""
    with transaction.atomic():
        failed = (
            ImportJob.objects.filter(pk=job.pk)
            .exclude(status=ImportStatus.SUCCEEDED)
            .update(
                status=ImportStatus.FAILED,
                message=message[:500],
                message_en=message_en[:500],
                finished_at=timezone.now(),
                **fields,
            )
        )
        if failed:
            audit.record(
                actor=None,
                action="registry.import_failed",
                obj=job,
                after={"file": job.original_name, "message": message[:500]},
            )


def _run(job: ImportJob) -> None:
    actor = job.created_by
    if not actor.is_active or not user_can(actor, PERMISSION):
        raise ImportRejected(
            "import_not_permitted",
            "上传人已无导入权限（账号停用或角色变更），未导入任何数据。",
            "The uploader may no longer import.",
        )
    kind = "csv" if job.original_name.lower().endswith(".csv") else "xlsx"
    validator = RowValidator(actor)
    if not job.file.storage.exists(job.file.name):
        raise ImportRejected(
            "import_file_missing",
            "后台任务读不到上传的文件（上传目录MEDIA_ROOT须由网站服务器和后台任务共享），未导入任何数据。"
            "请联系系统管理员。",
            "The worker cannot read the uploaded file (MEDIA_ROOT must be shared).",
        )
    with (
        job.file.open("rb") as stored,
        tempfile.TemporaryFile(mode="w+", encoding="utf-8") as spool,
    ):
        handle: Any = stored
        while hasattr(handle, "file"):  # FieldFile → File → the file object itself
            handle = handle.file
        with open_table(handle, kind) as table:
            outcome = _validate(job, table, validator, spool)
        if outcome.problems:
            _fail(
                job,
                f"发现{outcome.problems}处问题（涉及{outcome.bad_rows}行），未导入任何数据。"
                "请下载问题清单，修改后重新上传整个文件。",
                f"{outcome.problems} problems in {outcome.bad_rows} rows; nothing was imported.",
                total_rows=outcome.rows,
                processed_rows=outcome.rows,
                error_count=outcome.problems,
                errors_preview=outcome.preview,
                error_report=outcome.report_name,
            )
            return
        moved = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATING).update(
            status=ImportStatus.IMPORTING, total_rows=outcome.rows, processed_rows=outcome.rows
        )
        if not moved:
            return
        spool.seek(0)
        try:
            _insert(job, spool, validator, outcome.rows)
        except OperationalError as error:
            logger.warning("import job %s could not write: %s", job.pk, error)
            raise ImportRejected(
                "import_database_busy",
                "数据库正忙（可能有其他大批量写入正在进行），未导入任何数据。请稍后重新上传该文件。",
                "The database was busy; nothing was imported. Upload the file again later.",
            ) from None
        except IntegrityError:
            raise ImportRejected(
                "import_conflict",
                "写入时发现有单位在导入期间以相同统一社会信用代码登记，未导入任何数据。请重新上传该文件。",
                "A credit code was registered meanwhile; nothing was imported. Upload again.",
            ) from None


@dataclass
class Outcome:
    rows: int = 0
    problems: int = 0
    bad_rows: int = 0
    preview: list[dict[str, Any]] = field(default_factory=list)
    report_name: str = ""


def _validate(job: ImportJob, table: Table, validator: RowValidator, spool: IO[str]) -> Outcome:
    outcome = Outcome()
    limit = max_rows()
    rows = table.rows
    header_number, header = next(rows, (0, ()))
    if header_number == 0:
        raise ImportRejected(
            "import_empty", "文件中没有内容（连列标题都没有）。", "The file has no content."
        )
    positions = map_headers(header)
    estimate = table.estimated_rows
    if estimate:
        _progress(job, total_rows=min(estimate, limit))
    report: XlsxWriter | None = None
    report_file: IO[bytes] | None = None
    pending: list[tuple[int, dict[str, str], dict[str, Any], list[Problem]]] = []

    def flush() -> None:
        nonlocal report, report_file
        codes = [cleaned["uscc"] for _, _, cleaned, _ in pending if cleaned.get("uscc")]
        registered = (
            set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True))
            if codes
            else set()
        )
        for number, values, cleaned, problems in pending:
            if cleaned.get("uscc") in registered:
                problems.append(
                    Problem(
                        number,
                        HEADER_OF["uscc"],
                        values.get("uscc", ""),
                        f"统一社会信用代码“{cleaned['uscc']}”已登记（系统中已有该单位）。",
                    )
                )
            if problems:
                if report is None:
                    report_file = tempfile.TemporaryFile()  # noqa: SIM115 -- closed below
                    report = XlsxWriter(
                        report_file,
                        headers=REPORT_HEADERS,
                        sheet_title="问题清单",
                        column_widths=[8, 18, 30, 80],
                    )
                outcome.bad_rows += 1
                for problem in problems:
                    outcome.problems += 1
                    report.append([problem.row, problem.column, problem.value, problem.message])
                    if len(outcome.preview) < PREVIEW_LIMIT:
                        outcome.preview.append(problem.as_dict())
            elif not outcome.problems:
                spool.write(json.dumps(_spooled(number, cleaned), ensure_ascii=False) + "\n")
        pending.clear()
        _progress(
            job, processed_rows=outcome.rows, total_rows=max(min(estimate, limit), outcome.rows)
        )

    try:
        for number, raw in rows:
            values = {
                key: cell_text(raw[index]) if index < len(raw) else ""
                for key, index in positions.items()
            }
            if not any(values.values()):
                continue  # an empty row (or only notes in columns that are not read)
            outcome.rows += 1
            if outcome.rows > limit:
                raise ImportRejected(
                    "import_too_many_rows",
                    f"文件的数据行超过单次导入上限{limit:,}行。请拆分为多个文件后分批导入。",
                    f"More than {limit:,} data rows; split the file.",
                )
            cleaned, problems = validator.validate(number, values)
            pending.append((number, values, cleaned, problems))
            if len(pending) >= PROGRESS_EVERY:
                flush()
        flush()
        if outcome.rows == 0:
            raise ImportRejected(
                "import_no_rows",
                "文件中只有列标题，没有数据行。",
                "The file has headers but no data rows.",
            )
        if report is not None and report_file is not None:
            report.close()
            report_file.seek(0)
            job.error_report.save(f"import-{job.pk}-problems.xlsx", File(report_file), save=False)
            outcome.report_name = job.error_report.name or ""
    finally:
        if report_file is not None:
            report_file.close()
    return outcome


def _progress(job: ImportJob, **fields: Any) -> None:
    """Best effort: a conditional update (only while validating); a busy database skips one beat."""
    try:
        ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATING).update(**fields)
    except OperationalError as error:  # SQLite: another process holds the write lock
        logger.info("progress of import job %s not written: %s", job.pk, error)


def _spooled(number: int, cleaned: dict[str, Any]) -> dict[str, Any]:
    agency = cleaned.get("supervising_agency")
    return {
        "row": number,
        "uscc": cleaned["uscc"],
        "name": cleaned["name"],
        "legal_representative": cleaned["legal_representative"],
        "address": cleaned["address"],
        "region": cleaned["region"].code,
        "industry": cleaned["industry"].code,
        "employees": cleaned["employees"],
        "revenue": str(cleaned["revenue"]),
        "status": cleaned["status"],
        "risk_grade": cleaned["risk_grade"],
        "agency_id": agency.pk if agency is not None else None,
        "tags": [
            {
                "tag": t["tag"],
                "grade": t.get("grade"),
                "valid_from": t["valid_from"].isoformat() if t.get("valid_from") else None,
                "valid_to": t["valid_to"].isoformat() if t.get("valid_to") else None,
                "reason": t.get("reason", ""),
            }
            for t in cleaned["tags"]
        ],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _batches(lines: IO[str]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for line in lines:
        batch.append(json.loads(line))
        if len(batch) >= BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(job: ImportJob, spool: IO[str], validator: RowValidator, rows: int) -> None:
    regions = validator.cache.regions
    industries = validator.cache.industries
    actor = job.created_by
    # What audit.snapshot(enterprise) records, without its JSON round trip per row.
    attnames = [f.attname for f in Enterprise._meta.concrete_fields]
    created = 0
    with (
        transaction.atomic(),
        tempfile.TemporaryFile(mode="w+", encoding="utf-8") as entries,
    ):
        for batch in _batches(spool):
            enterprises = []
            for row in batch:
                region = regions[row["region"]]
                enterprises.append(
                    Enterprise(
                        uscc=row["uscc"],
                        name=row["name"],
                        legal_representative=row["legal_representative"],
                        address=row["address"],
                        region_id=region.pk,
                        industry_id=industries[row["industry"]].pk,
                        employees=row["employees"],
                        revenue=Decimal(row["revenue"]),
                        status=row["status"],
                        risk_grade=row["risk_grade"],
                        supervising_agency_id=row["agency_id"],
                        province_code=region.province_code,
                        city_code=region.city_code,
                        county_code=region.county_code,
                    )
                )
            Enterprise.objects.bulk_create(enterprises, batch_size=BATCH_SIZE)
            tags = [
                EnterpriseTag(
                    enterprise_id=enterprise.pk,
                    tag=tag["tag"],
                    grade=tag["grade"],
                    valid_from=_date(tag["valid_from"]),
                    valid_to=_date(tag["valid_to"]),
                    reason=tag["reason"],
                )
                for enterprise, row in zip(enterprises, batch, strict=True)
                for tag in row["tags"]
            ]
            if tags:
                EnterpriseTag.objects.bulk_create(tags, batch_size=BATCH_SIZE)
            for enterprise, row in zip(enterprises, batch, strict=True):
                if enterprise.pk is None:  # a backend that cannot return ids from a bulk insert
                    enterprise.pk = Enterprise.objects.only("pk").get(uscc=enterprise.uscc).pk
                after = {
                    **{name: _plain(getattr(enterprise, name)) for name in attnames},
                    "tags": row["tags"],
                    "import_job_id": job.pk,
                    "import_row": row["row"],
                }
                entries.write(json.dumps([enterprise.pk, after], ensure_ascii=False) + "\n")
            created += len(batch)
        # The chain head is locked from here to the commit: every other write waits, so keep it last.
        audit.record(
            actor=actor,
            action="registry.import_enterprises",
            obj=job,
            after={
                "file_name": job.original_name,
                "sha256": job.file_sha256,
                "rows": rows,
                "created": created,
            },
        )
        entries.seek(0)
        audit.record_many(
            actor=actor,
            entries=(
                audit.EntryInput(
                    action="registry.import_enterprise",
                    object_type="registry.enterprise",
                    object_id=pk,
                    after=after,
                )
                for pk, after in map(json.loads, entries)
            ),
        )
        finished = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.SUCCEEDED,
            created_rows=created,
            processed_rows=rows,
            total_rows=rows,
            message=f"已导入{created}个单位。",
            message_en=f"Imported {created} enterprises.",
            finished_at=timezone.now(),
        )
        if not finished:
            raise ImportRejected(
                "import_state_changed",
                "导入任务的状态已被改变，未导入任何数据。",
                "The job changed state; nothing imported.",
            )


# ---------------------------------------------------------------------------------------------
# The template (generated, so it always matches COLUMNS)


def build_template(target: IO[bytes]) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "单位名录"
    red = Font(bold=True, color="B3261E")
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF1F4")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = red if column.required else bold
        cell.fill = fill
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.key in {"uscc", "region_code", "industry_code", "name", "address"}:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    last = max_rows() + 1
    for key, choices in (
        ("status", chinese_labels(EnterpriseStatus).values()),
        ("risk_grade", chinese_labels(RiskGrade).values()),
    ):
        letter = get_column_letter([c.key for c in COLUMNS].index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(str(label) for label in choices) + '"',
            allow_blank=True,
            showErrorMessage=False,
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("填写说明")
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 100
    notes.append(["列", "是否必填", "填写要求"])
    for cell in notes[1]:
        cell.font = bold
    for column in COLUMNS:
        notes.append([column.header, "必填" if column.required else "选填", column.help])
    notes.append([])
    notes.append(["状态可填", "", "、".join(chinese_labels(EnterpriseStatus).values())])
    notes.append(["风险等级可填", "", "、".join(chinese_labels(RiskGrade).values())])
    notes.append(["重点监管类别可填", "", "、".join(chinese_labels(KeyTag).values())])
    notes.append([])
    for rule in (
        "只读取第一个工作表（“单位名录”）；第1行为列标题（列的顺序可以调整，多余的列不读取），从第2行起每行一个单位。",
        f"单次最多{max_rows():,}行、{_mb(max_bytes())}；也可上传UTF-8编码的CSV文件（同样的列标题）。",
        "全部行都校验通过才会导入；只要有一行有问题，就一行也不导入，并可下载问题清单（行号、列、值、问题）。",
        "统一社会信用代码不能与文件中的其他行或系统中已登记的单位重复。",
    ):
        notes.append(["说明", "", rule])
    workbook.save(target)
