"""Planning data: enterprise classes and frequencies, the inspection item list, the status pipelines.

Plain Python (no Django): the YAML files in ``anjian/planning/data/`` are validated into frozen
pydantic models once per process. Every figure is ours unless marked ``confirmed`` (see the files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Basis(_Frozen):
    law: str
    version: str | None = None
    article: int | None = None
    confidence: Literal["confirmed", "unverified"]
    quote: str | None = None
    note: str | None = None


class EnterpriseClass(_Frozen):
    code: str
    title_zh: str
    title_en: str
    risk_grades: tuple[str, ...] = ()
    tags_any: tuple[str, ...] = ()
    default: bool = False
    min_visits_per_year: float = Field(ge=0)
    max_visits_per_year: int = Field(ge=0, le=12)
    weight: float = Field(gt=0)
    officer_days: float = Field(gt=0)
    random_draw: bool

    @field_validator("min_visits_per_year")
    @classmethod
    def _whole_when_at_least_one(cls, value: float) -> float:
        if value >= 1 and value != int(value):
            raise ValueError("a frequency of 1 or more must be a whole number of inspections")
        return value

    @model_validator(mode="after")
    def _min_within_max(self) -> EnterpriseClass:
        if self.min_visits_per_year > self.max_visits_per_year:
            raise ValueError(f"class {self.code}: min_visits_per_year above max_visits_per_year")
        return self

    @property
    def min_visits(self) -> int:
        """Inspections each enterprise must have (0 when the frequency is a share below one)."""
        return int(self.min_visits_per_year) if self.min_visits_per_year >= 1 else 0

    @property
    def min_share(self) -> float:
        """Share of the class to inspect at least once (1.0 when every enterprise must be)."""
        return 1.0 if self.min_visits_per_year >= 1 else self.min_visits_per_year

    def matches(self, risk_grade: str, tags: Iterable[str]) -> bool:
        if self.default:
            return True
        if risk_grade in self.risk_grades:
            return True
        return bool(set(self.tags_any) & set(tags))


class Figure(_Frozen):
    value: float
    confidence: Literal["confirmed", "unverified"]
    source: str


class CapacityDefaults(_Frozen):
    confidence: Literal["confirmed", "unverified"]
    training_days_per_officer: float = Field(ge=0)
    training_months: tuple[int, ...]
    leave_days_per_officer: float = Field(ge=0)
    inspection_share: float = Field(gt=0, le=1)
    reserve_share: float = Field(ge=0, lt=1)
    visit_decay: float = Field(gt=0, le=1)


class FrequencyTable(_Frozen):
    schema_version: int
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    basis: tuple[Basis, ...]
    classes: tuple[EnterpriseClass, ...]
    yearly_cap: Figure
    random_share: Figure
    capacity: CapacityDefaults

    @model_validator(mode="after")
    def _one_default_last(self) -> FrequencyTable:
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes):
            raise ValueError("class codes must be unique")
        if not self.classes or not self.classes[-1].default:
            raise ValueError("the last class must be the default class (default: true)")
        return self

    def classify(self, risk_grade: str, tags: Iterable[str]) -> EnterpriseClass:
        tag_set = set(tags)
        for enterprise_class in self.classes:
            if enterprise_class.matches(risk_grade, tag_set):
                return enterprise_class
        return self.classes[-1]

    def by_code(self) -> dict[str, EnterpriseClass]:
        return {c.code: c for c in self.classes}


class InspectionItem(_Frozen):
    code: str
    name: str
    sub_items: tuple[str, ...]
    basis: str
    subject: str
    objects: str
    ratio: str
    frequency: str
    method: str
    officer_requirement: str


class ItemList(_Frozen):
    schema_version: int
    version: str
    confidence: Literal["confirmed", "unverified"]
    items: tuple[InspectionItem, ...]


class StateInfo(_Frozen):
    title_zh: str
    title_en: str


class Transition(_Frozen):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    action: str
    title_zh: str
    title_en: str
    from_states: tuple[str, ...] = Field(alias="from")
    to: str
    permission: str
    requires: tuple[str, ...] = ()
    basis: str = ""


class Pipeline(_Frozen):
    states: dict[str, StateInfo]
    transitions: tuple[Transition, ...]

    @model_validator(mode="after")
    def _known_states(self) -> Pipeline:
        for transition in self.transitions:
            unknown = set(transition.from_states) - set(self.states)
            if transition.to != "(previous)":
                unknown |= {transition.to} - set(self.states)
            if unknown:
                raise ValueError(f"{transition.action}: unknown states {sorted(unknown)}")
        return self

    def actions(self) -> list[str]:
        return [t.action for t in self.transitions]

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def allowed_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.from_states]


class Workflows(_Frozen):
    schema_version: int
    plan: Pipeline
    draw: Pipeline


def _load(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def frequency_table() -> FrequencyTable:
    return FrequencyTable.model_validate(_load("frequencies.yaml"))


@lru_cache(maxsize=1)
def item_list() -> ItemList:
    return ItemList.model_validate(_load("inspection_items.yaml"))


@lru_cache(maxsize=1)
def workflows() -> Workflows:
    return Workflows.model_validate(_load("workflow.yaml"))
