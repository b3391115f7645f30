"""Shared bits of the planning benchmarks: the machine description and the merged JSON output."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks" / "planning.json"


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    import numpy

    from benchmarks._common import machine as common_machine

    return {**common_machine(), "numpy": numpy.__version__, "highspy": version("highspy")}


def write(section: str, data: dict[str, Any]) -> None:
    existing: dict[str, Any] = {}
    if OUTPUT.exists():
        existing = json.loads(OUTPUT.read_text(encoding="utf-8"))
    existing[section] = data
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(existing, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
