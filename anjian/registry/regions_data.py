"""Reference data: administrative divisions of Jiangsu Province (GB/T 2260 / 民政部 codes).

Pure Python (no Django import) so it can be used from migrations, management commands,
seed scripts and plain unit tests alike. See ``data/REGIONS-SOURCE.md`` for provenance.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LEVEL_CITY",
    "LEVEL_COUNTY",
    "LEVEL_PROVINCE",
    "LEVELS",
    "REGIONS_CSV",
    "RegionRow",
    "load_jiangsu_regions",
    "validate_regions",
]

REGIONS_CSV: Path = Path(__file__).resolve().parent / "data" / "regions_jiangsu.csv"

LEVEL_PROVINCE = "province"
LEVEL_CITY = "city"
LEVEL_COUNTY = "county"
LEVELS: tuple[str, ...] = (LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY)

_EXPECTED_HEADER = ["code", "name", "level", "parent_code"]


@dataclass(frozen=True, slots=True)
class RegionRow:
    """One administrative division: a 6-digit code, its name, level and parent code."""

    code: str
    name: str
    level: str
    parent_code: str | None


def _is_six_digits(value: str) -> bool:
    return len(value) == 6 and value.isascii() and value.isdigit()


def _parse(path: Path) -> list[RegionRow]:
    rows: list[RegionRow] = []
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
            rows.append(RegionRow(code=code, name=name, level=level, parent_code=parent or None))
    return rows


def validate_regions(rows: list[RegionRow]) -> None:
    """Check structural invariants; raise ``ValueError`` describing the first problem found."""
    by_code: dict[str, RegionRow] = {}
    for row in rows:
        if not _is_six_digits(row.code):
            raise ValueError(f"region {row.name!r}: code {row.code!r} is not 6 digits")
        if not row.name:
            raise ValueError(f"region {row.code}: name is empty")
        if row.level not in LEVELS:
            raise ValueError(f"region {row.code} {row.name}: unknown level {row.level!r}")
        if row.code in by_code:
            raise ValueError(
                f"duplicate region code {row.code} ({by_code[row.code].name}, {row.name})"
            )
        by_code[row.code] = row

    names_seen: set[tuple[str | None, str]] = set()
    for row in rows:
        label = f"region {row.code} {row.name}"
        if row.level == LEVEL_PROVINCE:
            if row.parent_code is not None:
                raise ValueError(f"{label}: a province must not have a parent_code")
            if not row.code.endswith("0000"):
                raise ValueError(f"{label}: a province code must end in '0000'")
        else:
            if row.parent_code is None:
                raise ValueError(f"{label}: level {row.level!r} requires a parent_code")
            parent = by_code.get(row.parent_code)
            if parent is None:
                raise ValueError(f"{label}: parent_code {row.parent_code} does not exist")
            if row.level == LEVEL_CITY:
                if not row.code.endswith("00") or row.code.endswith("0000"):
                    raise ValueError(f"{label}: a city code must end in '00' (but not '0000')")
                if parent.level != LEVEL_PROVINCE:
                    raise ValueError(f"{label}: parent {parent.code} of a city must be a province")
                if row.code[:2] != parent.code[:2]:
                    raise ValueError(f"{label}: first 2 digits differ from province {parent.code}")
            else:  # county
                if row.code.endswith("00"):
                    raise ValueError(f"{label}: a county code must not end in '00'")
                if parent.level != LEVEL_CITY:
                    raise ValueError(f"{label}: parent {parent.code} of a county must be a city")
                if row.code[:4] != parent.code[:4]:
                    raise ValueError(f"{label}: first 4 digits differ from city {parent.code}")
        key = (row.parent_code, row.name)
        if key in names_seen:
            raise ValueError(
                f"{label}: name {row.name!r} is not unique under parent {row.parent_code}"
            )
        names_seen.add(key)


def load_jiangsu_regions(path: Path | None = None) -> list[RegionRow]:
    """Load and validate Jiangsu's province / city / county rows, in file order.

    ``path`` defaults to the bundled ``data/regions_jiangsu.csv``; it is a parameter
    mainly so tests can feed in deliberately broken files.
    """
    rows = _parse(path or REGIONS_CSV)
    validate_regions(rows)
    return rows
