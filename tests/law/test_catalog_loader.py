from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from anjian.law.core.catalog import CatalogError, load_catalog


def _law(version: str = "2021", valid_to: str | None = None) -> dict[str, Any]:
    return {
        "code": "WSL",
        "title_zh": "中华人民共和国安全生产法",
        "title_en": "Work Safety Law",
        "version": version,
        "valid_from": "2021-09-01",
        "valid_to": valid_to,
        "source": "安全生产法(2021-06-10).md",
        "confidence": "confirmed",
        "article_count": 119,
    }


def _violation(code: str = "WSL2021-097-03", **changes: Any) -> dict[str, Any]:
    violation: dict[str, Any] = {
        "code": code,
        "title_zh": "未按照规定进行安全生产教育和培训",
        "description_zh": "未按照规定对从业人员进行安全生产教育和培训",
        "violated_provisions": ["WSL:2021:28:1"],
        "penalty_provision": "WSL:2021:97:-:3",
        "sanctions": [
            {
                "party": "unit",
                "kinds": ["fine"],
                "fine": {"kind": "range", "max_yuan": 100_000},
                "stage": "first_order",
            }
        ],
    }
    violation.update(changes)
    return violation


def _write(directory: Path, name: str, document: dict[str, Any]) -> None:
    (directory / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


def _problems(directory: Path) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        load_catalog(directory)
    return raised.value.problems


def test_valid_minimal_file_loads_with_defaults_from_the_law(tmp_path: Path) -> None:
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [_violation()]})
    catalog = load_catalog(tmp_path)
    violation = catalog.violation("WSL2021-097-03")
    assert violation.law_version == "2021"
    assert str(violation.valid_from) == "2021-09-01"
    assert violation.sanctions[0].citation.short() == "WSL:2021:97:-:3"


def test_min_above_max_is_reported_with_file_and_code(tmp_path: Path) -> None:
    broken = _violation(
        sanctions=[
            {
                "party": "unit",
                "kinds": ["fine"],
                "fine": {"kind": "range", "min_yuan": 200_000, "max_yuan": 100_000},
            }
        ]
    )
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    problems = _problems(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("wsl-2021.yaml: violation type WSL2021-097-03:")
    assert "min_yuan 200000 > max_yuan 100000" in problems[0]


def test_duplicate_code_is_reported_with_both_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", {"law": _law(), "violation_types": [_violation()]})
    other_law = _law(version="2014", valid_to="2021-09-02")
    other = _violation(
        penalty_provision="WSL:2014:94",
        violated_provisions=[],
        law_version="2014",
    )
    _write(tmp_path, "b.yaml", {"law": other_law, "violation_types": [other]})
    problems = _problems(tmp_path)
    assert problems == [
        "b.yaml: violation type WSL2021-097-03: duplicate code (first defined in a.yaml)"
    ]


def test_citation_of_unknown_law_is_reported(tmp_path: Path) -> None:
    broken = _violation(violated_provisions=["XYZ:2021:5"])
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    problems = _problems(tmp_path)
    assert problems == [
        "wsl-2021.yaml: violation type WSL2021-097-03: violated_provisions[0]: "
        "citation XYZ:2021:5 names unknown law XYZ 2021"
    ]


def test_article_beyond_the_last_article_is_reported(tmp_path: Path) -> None:
    broken = _violation(penalty_provision="WSL:2021:150")
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    problems = _problems(tmp_path)
    assert any("article 150 is beyond the last article (119)" in p for p in problems)
    assert all(p.startswith("wsl-2021.yaml: violation type WSL2021-097-03") for p in problems)


def test_valid_to_not_after_valid_from_is_reported(tmp_path: Path) -> None:
    broken = _violation(valid_to="2021-09-01")
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    assert _problems(tmp_path) == [
        "wsl-2021.yaml: violation type WSL2021-097-03: "
        "valid_from 2021-09-01 is not before valid_to 2021-09-01"
    ]


def test_every_problem_is_listed_not_only_the_first(tmp_path: Path) -> None:
    first = _violation(
        "WSL2021-097-01a",
        sanctions=[
            {
                "party": "unit",
                "kinds": ["fine"],
                "fine": {"kind": "range", "min_yuan": 9, "max_yuan": 1},
            }
        ],
    )
    second = _violation("WSL2021-097-02", violated_provisions=["NOPE:2021:1"])
    third = _violation("WSL2021-097-02")
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [first, second, third]})
    problems = _problems(tmp_path)
    assert len(problems) == 3
    assert any("WSL2021-097-01a" in p and "min_yuan 9 > max_yuan 1" in p for p in problems)
    assert any("WSL2021-097-02" in p and "unknown law NOPE 2021" in p for p in problems)
    assert any("WSL2021-097-02: duplicate code" in p for p in problems)


def test_unknown_successor_is_reported(tmp_path: Path) -> None:
    broken = _violation(successor="WSL2024-001")
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    assert _problems(tmp_path) == [
        "wsl-2021.yaml: violation type WSL2021-097-03: successor WSL2024-001 is not a known code"
    ]


def test_confirmed_figure_citing_an_unverified_law_is_reported(tmp_path: Path) -> None:
    law = _law() | {"confidence": "unverified", "source": None}
    broken = _violation(confidence="confirmed")
    _write(tmp_path, "wsl-2021.yaml", {"law": law, "violation_types": [broken]})
    problems = _problems(tmp_path)
    assert problems == [
        "wsl-2021.yaml: violation type WSL2021-097-03: sanctions[0] is confirmed but cites "
        "unverified WSL 2021"
    ]


def test_fine_kind_without_fine_rule_is_rejected(tmp_path: Path) -> None:
    broken = _violation(sanctions=[{"party": "unit", "kinds": ["fine"]}])
    _write(tmp_path, "wsl-2021.yaml", {"law": _law(), "violation_types": [broken]})
    problems = _problems(tmp_path)
    assert "kinds has 'fine' but no fine rule is given" in problems[0]


def test_invalid_yaml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("law: [unclosed", encoding="utf-8")
    problems = _problems(tmp_path)
    assert problems[0].startswith("broken.yaml: invalid YAML")


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    assert "no catalog YAML files found" in _problems(tmp_path)[0]
