"""Reference data: national economic industry classification GB/T 4754-2017 (国民经济行业分类).

Pure Python (no Django import) so it can be used from migrations, management commands,
seed scripts and plain unit tests alike. See ``data/INDUSTRIES-SOURCE.md`` for provenance
and for what could not be confirmed.

Four levels, coded as in the standard:

* ``section``  (门类): one upper-case letter ``A``..``T``; no parent.
* ``division`` (大类): two digits ``01``..``97``; parent is a section letter.
* ``group``    (中类): three digits; parent is the division (its first two digits).
* ``class``    (小类): four digits; parent is the group (its first three digits).

Division, group and class codes carry no section letter (``0610``, not ``B0610``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "INDUSTRIES_CSV",
    "LEVEL_CLASS",
    "LEVEL_DIVISION",
    "LEVEL_GROUP",
    "LEVEL_SECTION",
    "LEVELS",
    "IndustryRow",
    "load_industries",
    "validate_industries",
]

INDUSTRIES_CSV: Path = Path(__file__).resolve().parent / "data" / "industries_gbt4754_2017.csv"

LEVEL_SECTION = "section"
LEVEL_DIVISION = "division"
LEVEL_GROUP = "group"
LEVEL_CLASS = "class"
LEVELS: tuple[str, ...] = (LEVEL_SECTION, LEVEL_DIVISION, LEVEL_GROUP, LEVEL_CLASS)

# Number of digits in the code of each numeric level.
_DIGITS: dict[str, int] = {LEVEL_DIVISION: 2, LEVEL_GROUP: 3, LEVEL_CLASS: 4}
# Level that the parent of each non-section level must have.
_PARENT_LEVEL: dict[str, str] = {
    LEVEL_DIVISION: LEVEL_SECTION,
    LEVEL_GROUP: LEVEL_DIVISION,
    LEVEL_CLASS: LEVEL_GROUP,
}
_SECTION_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRST")

_EXPECTED_HEADER = ["code", "name", "level", "parent_code"]


@dataclass(frozen=True, slots=True)
class IndustryRow:
    """One category of GB/T 4754-2017: its code, name, level and parent code."""

    code: str
    name: str
    level: str
    parent_code: str | None


def _is_digits(value: str, count: int) -> bool:
    return len(value) == count and value.isascii() and value.isdigit()


def _parse(path: Path) -> list[IndustryRow]:
    rows: list[IndustryRow] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{path.name}: file is empty")
        if [h.strip().lstrip("\ufeff") for h in header] != _EXPECTED_HEADER:
            raise ValueError(
                f"{path.name}: unexpected header {header!r}, expected {_EXPECTED_HEADER!r}"
            )
        for lineno, record in enumerate(reader, start=2):
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(record) != 4:
                raise ValueError(
                    f"{path.name} line {lineno}: expected 4 columns, got {len(record)}: {record!r}"
                )
            code, name, level, parent = (cell.strip() for cell in record)
            rows.append(IndustryRow(code=code, name=name, level=level, parent_code=parent or None))
    return rows


def _check_code_shape(row: IndustryRow) -> None:
    label = f"industry {row.code!r} {row.name}"
    if row.level == LEVEL_SECTION:
        if row.code not in _SECTION_LETTERS:
            raise ValueError(f"{label}: a section code must be one letter A-T")
    elif not _is_digits(row.code, _DIGITS[row.level]):
        raise ValueError(f"{label}: a {row.level} code must be {_DIGITS[row.level]} digits")


def validate_industries(rows: list[IndustryRow]) -> None:
    """Check structural invariants; raise ``ValueError`` describing the first problem found."""
    by_code: dict[str, IndustryRow] = {}
    for row in rows:
        if row.level not in LEVELS:
            raise ValueError(f"industry {row.code!r} {row.name}: unknown level {row.level!r}")
        if not row.name:
            raise ValueError(f"industry {row.code!r}: name is empty")
        _check_code_shape(row)
        if row.code in by_code:
            raise ValueError(
                f"duplicate industry code {row.code} ({by_code[row.code].name}, {row.name})"
            )
        by_code[row.code] = row

    for row in rows:
        label = f"industry {row.code} {row.name}"
        if row.level == LEVEL_SECTION:
            if row.parent_code is not None:
                raise ValueError(f"{label}: a section must not have a parent_code")
            continue
        if row.parent_code is None:
            raise ValueError(f"{label}: level {row.level!r} requires a parent_code")
        parent = by_code.get(row.parent_code)
        if parent is None:
            raise ValueError(f"{label}: parent_code {row.parent_code} does not exist")
        expected = _PARENT_LEVEL[row.level]
        if parent.level != expected:
            raise ValueError(
                f"{label}: parent {parent.code} of a {row.level} must be a {expected}, "
                f"not a {parent.level}"
            )
        if row.level != LEVEL_DIVISION and not row.code.startswith(parent.code):
            raise ValueError(f"{label}: code does not start with parent code {parent.code}")

    children: set[str] = {row.parent_code for row in rows if row.parent_code is not None}
    for row in rows:
        if row.level != LEVEL_CLASS and row.code not in children:
            raise ValueError(f"industry {row.code} {row.name}: {row.level} has no children")


def load_industries(path: Path | None = None) -> list[IndustryRow]:
    """Load and validate all GB/T 4754-2017 rows (sections, divisions, groups, classes).

    Rows come back in file order, which is the order of the standard. ``path`` defaults
    to the bundled ``data/industries_gbt4754_2017.csv``; it is a parameter mainly so
    tests can feed in deliberately broken files.
    """
    rows = _parse(path or INDUSTRIES_CSV)
    validate_industries(rows)
    return rows
