"""Procedure figures: from the law catalog where it has them (行政处罚法 Art 42, 51), otherwise from
``anjian/cases/data/procedure.yaml`` (each with its basis and confidence)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from anjian.law.core.catalog import default_catalog


@lru_cache(maxsize=1)
def procedure_data() -> dict[str, Any]:
    text = resources.files("anjian.cases").joinpath("data/procedure.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _figure(key: str, on: dt.date) -> tuple[Any, str] | None:
    """A named figure of the 行政处罚法 version in force on ``on``, with its article label."""
    catalog = default_catalog()
    law = catalog.law_in_force("APL", on)
    if law is None:
        return None
    for provision in catalog.provisions:
        if (
            provision.citation.law == "APL"
            and provision.citation.law_version == law.version
            and key in provision.figures
        ):
            return provision.figures[key], provision.citation.label_zh()
    return None


@dataclass(frozen=True)
class SimplifiedLimits:
    citizen_yuan: Decimal
    organisation_yuan: Decimal
    basis: str
    confidence: str


def simplified_limits(on: dt.date) -> SimplifiedLimits | None:
    """当场处罚 limits (2021: 200 / 3000 yuan, Art 51; 1996 text: 50 / 1000, Art 33, unverified)."""
    citizen = _figure("simple_procedure_max_fine_citizen_yuan", on)
    organisation = _figure("simple_procedure_max_fine_organisation_yuan", on)
    if citizen is None or organisation is None:
        return None
    law = default_catalog().law_in_force("APL", on)
    return SimplifiedLimits(
        citizen_yuan=Decimal(str(citizen[0])),
        organisation_yuan=Decimal(str(organisation[0])),
        basis=organisation[1],
        confidence=str(law.confidence) if law else "unverified",
    )


def min_officers(on: dt.date) -> int:
    """行政处罚法 Art 42: not fewer than two officers (the catalog's figure; 2 when absent)."""
    figure = _figure("min_officers", on)
    return int(figure[0]) if figure else 2


def statement_period() -> dict[str, Any]:
    return dict(procedure_data()["statement_period"])


def collective_min_participants() -> int:
    return int(procedure_data()["collective_discussion"]["min_participants"])
