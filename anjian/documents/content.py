"""The structured content of a document: what both renderers (Typst → PDF, python-docx → DOCX) draw.

A layout turns a context (plain JSON-like data from the record) into a ``Content``: the heading
(agency and title), the number line, then blocks (paragraphs of runs, tables, signature lines, the
seal block, notes). Text from users only ever travels as strings inside this structure; no renderer
parses it as markup, so template syntax or markup in a name prints as typed.

A layout reads the context through ``Ctx``: a missing value it needs is recorded (with the
catalogue's label) and a visible marker 【未填写：…】 stands in its place, so a draft shows what is
missing and an issue is refused with the list (``layouts.missing_fields_error``); nothing is ever
printed blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from anjian.documents.chinese import (
    amount_in_capitals,
    amount_in_figures,
    chinese_date,
    numeric_date,
    numeric_datetime,
    parse_amount,
)

Run = dict[str, str]  # {"t": text, "s": "" | "v" (filled value, underlined) | "b" (bold)}
Block = dict[str, Any]

MISSING_MARK = "【未填写：{label}】"


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0
    return False


def lookup(data: Mapping[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return node


class Ctx:
    """Read access to a context that records what is missing."""

    def __init__(
        self,
        data: Mapping[str, Any],
        labels: Mapping[str, str] | None = None,
        *,
        time_zone: str = "Asia/Shanghai",
        prefix: str = "",
    ) -> None:
        self.data = data
        self.labels = dict(labels or {})
        self.missing: list[tuple[str, str]] = []
        #: The figures printed from the law data, with their source (see ``remedies.note_figure``).
        self.figures: list[dict[str, str]] = []
        self.zone = ZoneInfo(time_zone)
        self.prefix = prefix

    # -- raw access
    def has(self, path: str) -> bool:
        return not _is_empty(lookup(self.data, path))

    def _miss(self, path: str) -> str:
        full = self.prefix + path
        label = self.labels.get(full, full)
        if (full, label) not in self.missing:
            self.missing.append((full, label))
        return MISSING_MARK.format(label=label)

    def sub(self, path: str) -> Ctx:
        """A view on a nested mapping that reports missing fields under the full path."""
        value = lookup(self.data, path)
        child = Ctx(value if isinstance(value, Mapping) else {}, self.labels, prefix=self.prefix)
        child.zone = self.zone
        child.prefix = f"{self.prefix}{path}."
        child.missing = self.missing
        child.figures = self.figures
        return child

    # -- required values (missing → recorded + marker)
    def text(self, path: str) -> str:
        value = lookup(self.data, path)
        if _is_empty(value):
            return self._miss(path)
        return str(value).strip()

    def date(self, path: str) -> dt.date | None:
        value = lookup(self.data, path)
        if _is_empty(value):
            self._miss(path)
            return None
        return to_date(value)

    def datetime(self, path: str) -> dt.datetime | None:
        value = lookup(self.data, path)
        if _is_empty(value):
            self._miss(path)
            return None
        moment = to_datetime(value)
        return moment.astimezone(self.zone) if moment.tzinfo else moment

    def date_text(self, path: str) -> str:
        day = self.date(path)
        return numeric_date(day) if day else MISSING_MARK.format(label=self._label(path))

    def datetime_text(self, path: str) -> str:
        moment = self.datetime(path)
        return numeric_datetime(moment) if moment else MISSING_MARK.format(label=self._label(path))

    def seal_date(self, path: str) -> str:
        day = self.date(path)
        return chinese_date(day) if day else MISSING_MARK.format(label=self._label(path))

    def amount(self, path: str) -> Decimal | None:
        value = lookup(self.data, path)
        if _is_empty(value):
            self._miss(path)
            return None
        return parse_amount(value)

    def items(self, path: str) -> list[Any]:
        value = lookup(self.data, path)
        if _is_empty(value) or not isinstance(value, list | tuple):
            self._miss(path)
            return []
        return list(value)

    def names(self, path: str) -> str:
        """A list of people ([{name, certificate}] or [str]) as 张三、李四; a single one as is."""
        value = lookup(self.data, path)
        if isinstance(value, Mapping):
            value = [value]
        if isinstance(value, str) and value.strip():
            return value.strip()
        if _is_empty(value) or not isinstance(value, list | tuple):
            return self._miss(path)
        names = [person_name(p) for p in value]
        if any(not n for n in names):
            return self._miss(path)
        return "、".join(names)

    def officers_with_certificates(self, path: str) -> str:
        """[{name, certificate}] → 张三（执法证号：JS-001）、李四（执法证号：JS-002）."""
        value = lookup(self.data, path)
        if _is_empty(value) or not isinstance(value, list | tuple):
            return self._miss(path)
        parts = []
        for person in value:
            name = person_name(person)
            if not name:
                return self._miss(path)
            certificate = person.get("certificate") if isinstance(person, Mapping) else None
            parts.append(f"{name}（执法证号：{certificate}）" if certificate else name)
        return "、".join(parts)

    def each(self, path: str) -> list[Ctx]:
        """A required list of mappings, one ``Ctx`` per element (missing fields named path.N.x)."""
        children = []
        for index, item in enumerate(self.items(path), 1):
            child = Ctx(item if isinstance(item, Mapping) else {"text": item}, self.labels)
            child.zone = self.zone
            child.prefix = f"{self.prefix}{path}.{index}."
            child.missing = self.missing
            child.figures = self.figures
            children.append(child)
        return children

    def opt_each(self, path: str) -> list[Ctx]:
        """An optional list (may be absent or empty)."""
        return self.each(path) if self.has(path) else []

    # -- optional values ("" when absent; layouts leave the element out rather than print a blank)
    def opt(self, path: str) -> str:
        value = lookup(self.data, path)
        return "" if _is_empty(value) else str(value).strip()

    def opt_date_text(self, path: str) -> str:
        value = lookup(self.data, path)
        return "" if _is_empty(value) else numeric_date(to_date(value))

    def _label(self, path: str) -> str:
        full = self.prefix + path
        return self.labels.get(full, full)


def person_name(person: Any) -> str:
    if isinstance(person, Mapping):
        return str(person.get("name") or "").strip()
    return str(person or "").strip()


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if "T" in text or " " in text.strip():
        return dt.datetime.fromisoformat(text).date()
    return dt.date.fromisoformat(text)


def to_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


# ------------------------------------------------------------------------------------ blocks


def run(text: str, style: str = "") -> Run:
    return {"t": str(text), "s": style}


def value(text: str) -> Run:
    """A filled-in value: printed underlined, as on the national forms' blanks."""
    return run(text, "v")


def bold(text: str) -> Run:
    return run(text, "b")


RunLike = str | Run


def _runs(parts: Iterable[RunLike]) -> list[Run]:
    return [run(p) if isinstance(p, str) else p for p in parts]


def para(
    *parts: RunLike, indent: bool = True, align: str = "justify", size: str = "normal"
) -> Block:
    return {"kind": "para", "runs": _runs(parts), "indent": indent, "align": align, "size": size}


def paras(text: str, *, indent: bool = True) -> list[Block]:
    """Free text (facts, statements) as paragraphs, one per line the user typed."""
    lines = [line.strip() for line in str(text).replace("\r\n", "\n").split("\n")]
    return [para(line, indent=indent) for line in lines if line]


def field_line(*pairs: tuple[str, str]) -> Block:
    """被检查单位：XX  地址：YY — labels plain, values underlined, on one line."""
    parts: list[RunLike] = []
    for index, (label, text) in enumerate(pairs):
        if index:
            parts.append("　　")
        parts.append(f"{label}：")
        parts.append(value(text))
    return para(*parts, indent=False, align="left")


def heading_line(text: str) -> Block:
    return para(bold(text), indent=False, align="left")


def cell(*parts: RunLike, colspan: int = 1, align: str = "left", bold_text: bool = False) -> Block:
    runs = _runs(parts)
    if bold_text:
        runs = [{"t": r["t"], "s": "b"} for r in runs]
    return {"runs": runs, "colspan": colspan, "align": align}


def label_cell(text: str, colspan: int = 1) -> Block:
    return cell(text, colspan=colspan, align="center")


def table(
    columns: Sequence[float], rows: Sequence[Sequence[Block]], *, min_row: float = 0
) -> Block:
    return {
        "kind": "table",
        "columns": list(columns),
        "rows": [list(r) for r in rows],
        "min_row": min_row,
    }


def signature(label: str, filled: str = "", *, date: bool = True) -> Block:
    """A line for a hand signature: the label, a space to sign (or a name already known), a date.

    The space is part of the national format (a wet signature), not missing data.
    """
    return {"kind": "signature", "label": label, "value": filled, "date": date}


def seal(agency: str, date_text: str, *, label: str = "（印章）") -> Block:
    return {"kind": "seal", "agency": agency, "label": label, "date": date_text}


def spacer(lines: float = 1) -> Block:
    return {"kind": "spacer", "lines": lines}


def note(text: str) -> Block:
    return {"kind": "note", "text": text}


def numbered(items: Sequence[str]) -> list[Block]:
    return [para(f"{index}. ", value(text), indent=True) for index, text in enumerate(items, 1)]


def amount_phrase(amount: Decimal) -> str:
    """罚款人民币壹万贰仟元整（¥12,000.00）."""
    return f"人民币{amount_in_capitals(amount)}（¥{amount_in_figures(amount)}）"


@dataclass
class Content:
    """A laid-out document, JSON-ready (``as_dict``)."""

    type_id: str
    agency: str
    title: str
    number: str | None
    blocks: list[Block] = field(default_factory=list)
    subtitle: str = ""
    draft: bool = False
    footer_note: str = ""
    #: Where the printed legal figures came from (rule, version, article, figure, confidence).
    #: Not drawn, so not part of ``as_dict`` (what the renderers get); kept with the frozen content.
    figures: list[dict[str, str]] = field(default_factory=list)

    @property
    def unverified_figures(self) -> list[dict[str, str]]:
        """The printed figures taken from a time-limit version whose confidence is unverified."""
        return [f for f in self.figures if f.get("confidence") != "confirmed"]

    def as_record(self) -> dict[str, Any]:
        """What an issued document stores: the drawn content and the figures' sources."""
        return {**self.as_dict(), "figures": [dict(f) for f in self.figures]}

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": self.type_id,
            "agency": self.agency,
            "title": self.title,
            "subtitle": self.subtitle,
            "number": self.number,
            "blocks": self.blocks,
            "draft": self.draft,
            "footer_note": self.footer_note,
        }

    def plain_text(self) -> str:
        """Every string of the document, in order (for tests and search)."""
        parts = [self.agency, self.title, self.subtitle, self.number or ""]
        for block in self.blocks:
            parts.extend(_block_texts(block))
        return "\n".join(p for p in parts if p)


def _block_texts(block: Block) -> list[str]:
    kind = block["kind"]
    if kind == "para":
        return ["".join(r["t"] for r in block["runs"])]
    if kind == "table":
        return ["".join(r["t"] for r in c["runs"]) for row in block["rows"] for c in row]
    if kind == "signature":
        return [block["label"], block["value"]]
    if kind == "seal":
        return [block["agency"], block["date"]]
    if kind == "note":
        return [block["text"]]
    return []
