"""The discretion engine (裁量): from a fact sheet to a recommended penalty with its reasons.

Plain Python (pydantic v2, PyYAML); no Django. It builds on the legal catalog
(:mod:`anjian.law.core.catalog`) for the statutory ranges and on the discretion standards under
``anjian/law/data/discretion/`` for the tier bands, the procedure thresholds and the circumstance
catalogue. Format and status of every figure: ``docs/law/discretion.md``.

What the statute decides (confirmed from /work/shared/law/):

- 行政处罚法 Art 33: 不予处罚 (must: 违法行为轻微并及时改正，没有造成危害后果; no 主观过错) and
  首违可不罚 (may: 初次违法且危害后果轻微并及时改正).
- Art 32: 应当从轻或者减轻 for five circumstances; only these allow going below the legal minimum.
- Art 37: the law in force on the day of the act applies, unless the law changed before the
  decision and the new rule is lighter (从旧兼从轻).
- Art 29: one act that breaks several provisions gets one fine, under the rule with the higher fine.
- Art 57 ¶2, 58, 63: collective discussion, legal review, the right to a hearing.

What we decided ourselves (``source: anjian-default``, ``confidence: unverified``): how a tier
maps into the legal range, how circumstances combine into a tier, and which amounts count as
较大数额 where the province has set none (77号令 fallback, unverified). Every decision lists those
figures under ``unverified``.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from anjian.core.errors import DomainError
from anjian.core.yamlio import load_yaml
from anjian.law.core.accidents import AccidentGrade
from anjian.law.core.catalog import (
    LAW_TITLES_ZH,
    AccidentGradeFine,
    Authority,
    Catalog,
    Citation,
    Confidence,
    DailyFine,
    FineRule,
    IncomePercentageFine,
    MultipleOfGainsFine,
    Party,
    PenaltyKind,
    RangeFine,
    Sanction,
    Stage,
    ViolationType,
    default_catalog,
    zh_number,
)

__all__ = [
    "DEFAULT_DISCRETION_DIR",
    "ENGINE_VERSION",
    "NATIONAL_DEFAULT",
    "AmountThreshold",
    "Art37Comparison",
    "Band",
    "BandSet",
    "Circumstance",
    "CircumstanceCatalogue",
    "CircumstanceEffect",
    "CircumstanceKind",
    "CircumstanceUse",
    "CollectiveDiscussionRule",
    "Decision",
    "DiscretionBook",
    "DiscretionDataError",
    "DiscretionStandard",
    "FactSheet",
    "FactSheetError",
    "HearingRule",
    "KindTrigger",
    "LegalReviewRule",
    "MoneyRange",
    "PenaltyItem",
    "ProcedureCheck",
    "SourceNote",
    "StandardRef",
    "Thresholds",
    "Tier",
    "TierBands",
    "TierRules",
    "Trigger",
    "ViolationDecision",
    "Waiver",
    "WaiverStatus",
    "default_discretion",
    "evaluate",
    "load_discretion",
    "today_in_china",
]

ENGINE_VERSION = "anjian-discretion/1"
NATIONAL_DEFAULT = "national-default"
DEFAULT_DISCRETION_DIR = Path(__file__).resolve().parent.parent / "data" / "discretion"
CIRCUMSTANCES_FILE = "circumstances.yaml"
_CHINA = ZoneInfo("Asia/Shanghai")
_FEN = Decimal("0.01")


def today_in_china() -> date:
    """Today's date in China (aware, no Django needed)."""
    return datetime.now(_CHINA).date()


# =========================================================================== enums


class Tier(StrEnum):
    """裁量阶次. Order matters: a later tier never yields a lower amount."""

    NONE = "none"  # 不予处罚
    REDUCED = "reduced"  # 减轻处罚
    LIGHTER = "lighter"  # 从轻处罚
    ORDINARY = "ordinary"  # 一般处罚
    HEAVIER = "heavier"  # 从重处罚

    @property
    def label_zh(self) -> str:
        return _TIER_LABELS_ZH[self]

    @property
    def rank(self) -> int:
        return list(Tier).index(self)


_TIER_LABELS_ZH = {
    Tier.NONE: "不予处罚",
    Tier.REDUCED: "减轻处罚",
    Tier.LIGHTER: "从轻处罚",
    Tier.ORDINARY: "一般处罚",
    Tier.HEAVIER: "从重处罚",
}


class CircumstanceKind(StrEnum):
    MITIGATING = "mitigating"
    AGGRAVATING = "aggravating"


class CircumstanceEffect(StrEnum):
    STATUTORY_LIGHTER_OR_REDUCED = "statutory_lighter_or_reduced"  # 行政处罚法 Art 32
    LIGHTER = "lighter"
    HEAVIER = "heavier"
    AGGRAVATED_RANGE = "aggravated_range"  # WSL 2021 Art 114 ¶2
    NONE = "none"  # a waiver element only


class WaiverStatus(StrEnum):
    NONE = "none"  # a penalty is given
    MAY = "may"  # 可以不予行政处罚
    MUST = "must"  # 不予行政处罚


EffectSource = Literal["statute", "anjian-default"]


# =========================================================================== standard models


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Band(_Frozen):
    """A share of a legal range: ``from_``..``to`` between 0 and 1."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    from_: Decimal = Field(alias="from", ge=0, le=1)
    to: Decimal = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> Band:
        if self.from_ > self.to:
            raise ValueError(f"band from {self.from_} > to {self.to}")
        return self


class TierBands(_Frozen):
    """How 从轻 / 一般 / 从重 divide one kind of legal range. Contiguous and increasing, so a
    heavier tier never gives a lower amount."""

    lighter: Band
    ordinary: Band
    heavier: Band

    @model_validator(mode="after")
    def _check(self) -> TierBands:
        if self.lighter.to != self.ordinary.from_ or self.ordinary.to != self.heavier.from_:
            raise ValueError("tier bands must be contiguous: lighter.to = ordinary.from, ...")
        return self

    def band(self, tier: Tier) -> Band:
        return {
            Tier.LIGHTER: self.lighter,
            Tier.ORDINARY: self.ordinary,
            Tier.HEAVIER: self.heavier,
        }[tier]


class BandSet(_Frozen):
    source: str
    confidence: Confidence
    notes: str | None = None
    min_max: TierBands
    max_only: TierBands
    multiple_of_gains: TierBands
    income_percentage: TierBands
    #: 减轻: a share of the legal minimum; ``to`` = 1 means "up to, not including, the minimum".
    reduced: Band


class TierRules(_Frozen):
    """How counted circumstances combine into a tier (see :func:`_choose_tier`)."""

    reduced_requires_mitigating_count: int = Field(default=2, ge=1)
    statutory_mitigation_caps_tier: bool = True
    source: str
    confidence: Confidence
    notes: str | None = None


class AmountThreshold(_Frozen):
    """An amount at or above which something is triggered ("以上" includes the figure)."""

    natural_person_yuan: int = Field(ge=0)
    organisation_yuan: int = Field(ge=0)
    source: str
    citation: Citation | None = None
    confidence: Confidence
    notes: str | None = None

    def for_party(self, party: Party) -> int:
        return self.organisation_yuan if party is Party.UNIT else self.natural_person_yuan


class KindTrigger(_Frozen):
    kind: PenaltyKind
    citation: Citation
    source: str
    confidence: Confidence
    notes: str | None = None


class HearingRule(_Frozen):
    citation: Citation
    large_fine: AmountThreshold
    large_confiscation: AmountThreshold
    penalty_kinds: tuple[KindTrigger, ...] = ()


class LegalReviewRule(_Frozen):
    fine_at_least: AmountThreshold | None = None
    when_hearing_right: bool = True
    when_several_violations: bool = True
    accident_grades: tuple[AccidentGrade, ...] = ()
    source: str
    confidence: Confidence
    notes: str | None = None


class CollectiveDiscussionRule(_Frozen):
    fine_at_least: AmountThreshold | None = None
    penalty_kinds: tuple[PenaltyKind, ...] = ()
    accident_grades: tuple[AccidentGrade, ...] = ()
    when_reduced: bool = True
    source: str
    confidence: Confidence
    notes: str | None = None


class Thresholds(_Frozen):
    hearing: HearingRule
    legal_review: LegalReviewRule
    collective_discussion: CollectiveDiscussionRule


class Circumstance(_Frozen):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label_zh: str
    label_en: str
    kind: CircumstanceKind
    effect: CircumstanceEffect
    effect_source: EffectSource
    confidence: Confidence
    citation: Citation | None = None
    excludes: tuple[str, ...] = ()
    excluded_in_stages: tuple[Stage, ...] = ()
    absorbed_in_stages: tuple[Stage, ...] = ()
    notes: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Circumstance:
        if self.effect_source == "anjian-default" and self.confidence is Confidence.CONFIRMED:
            raise ValueError("an anjian-default effect cannot be confirmed")
        if self.effect is CircumstanceEffect.STATUTORY_LIGHTER_OR_REDUCED and (
            self.kind is not CircumstanceKind.MITIGATING or self.citation is None
        ):
            raise ValueError(
                "a statutory mitigating circumstance needs kind mitigating and a citation"
            )
        if self.effect in (CircumstanceEffect.HEAVIER, CircumstanceEffect.AGGRAVATED_RANGE) and (
            self.kind is not CircumstanceKind.AGGRAVATING
        ):
            raise ValueError(f"effect {self.effect} needs kind aggravating")
        if (
            self.effect is CircumstanceEffect.LIGHTER
            and self.kind is not CircumstanceKind.MITIGATING
        ):
            raise ValueError("effect lighter needs kind mitigating")
        return self


class Waiver(_Frozen):
    """A statutory 不予处罚 rule: all ``requires`` circumstances present → must / may waive."""

    code: str
    kind: Literal["must", "may"]
    requires: tuple[str, ...] = Field(min_length=1)
    citation: Citation
    text_zh: str
    confidence: Confidence
    applies_from: date | None = None  # first decision date on which the rule exists
    notes: str | None = None


class CircumstanceCatalogue(_Frozen):
    circumstances: tuple[Circumstance, ...]
    waivers: tuple[Waiver, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> CircumstanceCatalogue:
        codes = [c.code for c in self.circumstances]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"duplicate circumstance codes {duplicates}")
        known = set(codes)
        for c in self.circumstances:
            unknown = set(c.excludes) - known
            if unknown:
                raise ValueError(f"circumstance {c.code} excludes unknown {sorted(unknown)}")
        for w in self.waivers:
            unknown = set(w.requires) - known
            if unknown:
                raise ValueError(f"waiver {w.code} requires unknown {sorted(unknown)}")
        return self

    def get(self, code: str) -> Circumstance:
        for c in self.circumstances:
            if c.code == code:
                return c
        raise KeyError(code)

    def codes(self, kind: CircumstanceKind | None = None) -> tuple[str, ...]:
        return tuple(c.code for c in self.circumstances if kind is None or c.kind is kind)

    def conflicts(self, codes: Iterable[str], stage: Stage) -> list[tuple[str, str]]:
        """Contradictions among ``codes`` and with ``stage``, as (message_zh, message_en)."""
        present = set(codes)
        by_code = {c.code: c for c in self.circumstances}
        found: list[tuple[str, str]] = []
        seen: set[frozenset[str]] = set()
        for code in sorted(present):
            c = by_code.get(code)
            if c is None:
                continue
            for other in c.excludes:
                pair = frozenset((code, other))
                if other in present and pair not in seen:
                    seen.add(pair)
                    found.append(
                        (
                            f"情节“{c.label_zh}”与“{by_code[other].label_zh}”不能同时成立",
                            f"circumstances {code} and {other} cannot both be true",
                        )
                    )
            if stage in c.excluded_in_stages:
                found.append(
                    (
                        f"情节“{c.label_zh}”与处罚阶段“{_STAGE_LABELS_ZH[stage]}”矛盾",
                        f"circumstance {code} contradicts stage {stage.value}",
                    )
                )
        return found


class DiscretionStandard(_Frozen):
    """One version of one jurisdiction's discretion standard, with the circumstance catalogue."""

    jurisdiction: str = Field(pattern=r"^(national-default|[0-9]{6})$")
    name_zh: str
    name_en: str
    version: str
    valid_from: date
    valid_to: date | None = None  # exclusive
    source: str
    confidence: Confidence
    notes: str | None = None
    version_notes: str | None = None
    reused_from: str | None = None
    rounding_step_yuan: int = Field(default=100, ge=1)
    tier_rules: TierRules
    bands: BandSet
    thresholds: Thresholds
    circumstances: CircumstanceCatalogue

    @model_validator(mode="after")
    def _check(self) -> DiscretionStandard:
        if self.valid_to is not None and not self.valid_from < self.valid_to:
            raise ValueError(f"valid_from {self.valid_from} is not before valid_to {self.valid_to}")
        for label, source, confidence in (
            ("standard", self.source, self.confidence),
            ("bands", self.bands.source, self.bands.confidence),
            ("tier_rules", self.tier_rules.source, self.tier_rules.confidence),
        ):
            if source.startswith("anjian-default") and confidence is Confidence.CONFIRMED:
                raise ValueError(f"{label}: an anjian-default figure cannot be confirmed")
        return self

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class DiscretionDataError(Exception):
    """Raised by :func:`load_discretion` with every problem found (one line each)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the discretion data:\n"
            + "\n".join(f"- {p}" for p in self.problems)
        )


@dataclass(frozen=True)
class DiscretionBook:
    """Every jurisdiction's standard versions, and the lookup by jurisdiction and date."""

    standards: tuple[DiscretionStandard, ...]
    circumstances: CircumstanceCatalogue

    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({s.jurisdiction for s in self.standards}))

    def versions(self, jurisdiction: str) -> tuple[DiscretionStandard, ...]:
        return tuple(
            sorted(
                (s for s in self.standards if s.jurisdiction == jurisdiction),
                key=lambda s: s.valid_from,
            )
        )

    def resolve_jurisdiction(self, jurisdiction: str) -> str:
        """The jurisdiction whose standard applies: the code itself, else (for a 6-digit region
        code) its city, its province, then ``national-default``. LookupError if unknown."""
        known = set(self.jurisdictions())
        if jurisdiction in known:
            return jurisdiction
        if re.fullmatch(r"[0-9]{6}", jurisdiction):
            for candidate in (jurisdiction[:4] + "00", jurisdiction[:2] + "0000", NATIONAL_DEFAULT):
                if candidate in known:
                    return candidate
        raise LookupError(jurisdiction)

    def standard_for(self, jurisdiction: str, on: date) -> DiscretionStandard:
        """The version in force on ``on`` (LookupError when none is)."""
        resolved = self.resolve_jurisdiction(jurisdiction)
        for standard in self.versions(resolved):
            if standard.is_in_force(on):
                return standard
        raise LookupError(f"{resolved}@{on}")


# =========================================================================== loader


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _format_validation_error(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in error.errors()
    )


_FILE_KEYS = {"jurisdiction", "name_zh", "name_en", "source", "confidence", "notes", "reuses"}
_VERSION_KEYS = {
    "version",
    "extends",
    "valid_from",
    "valid_to",
    "notes",
    "rounding_step_yuan",
    "tier_rules",
    "bands",
    "thresholds",
}


def load_discretion(path: Path | None = None) -> DiscretionBook:
    """Load and validate ``circumstances.yaml`` and every standard file under ``path`` (default:
    the packaged data). Raises :class:`DiscretionDataError` listing every problem."""
    directory = Path(path) if path is not None else DEFAULT_DISCRETION_DIR
    problems: list[str] = []
    circumstances_file = directory / CIRCUMSTANCES_FILE
    if not circumstances_file.is_file():
        raise DiscretionDataError([f"{directory}: {CIRCUMSTANCES_FILE} not found"])

    def read(file: Path) -> Any:
        try:
            return load_yaml(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{file.name}: invalid YAML: {exc}")
            return None

    raw_catalogue = read(circumstances_file)
    try:
        catalogue = CircumstanceCatalogue.model_validate(raw_catalogue)
    except ValidationError as exc:
        raise DiscretionDataError(
            [f"{CIRCUMSTANCES_FILE}: {_format_validation_error(exc)}", *problems]
        ) from None

    documents: dict[str, tuple[str, dict[str, Any]]] = {}
    for file in sorted(directory.glob("*.yaml")):
        if file.name == CIRCUMSTANCES_FILE:
            continue
        document = read(file)
        if document is None:
            continue
        if not isinstance(document, dict) or "jurisdiction" not in document:
            problems.append(f"{file.name}: top level must be a mapping with 'jurisdiction'")
            continue
        unknown = set(document) - _FILE_KEYS - {"versions"}
        if unknown:
            problems.append(f"{file.name}: unknown top-level keys {sorted(unknown)}")
        jurisdiction = str(document["jurisdiction"])
        if jurisdiction in documents:
            problems.append(
                f"{file.name}: jurisdiction {jurisdiction} already defined in "
                f"{documents[jurisdiction][0]}"
            )
            continue
        documents[jurisdiction] = (file.name, document)

    resolved_cache: dict[str, dict[str, dict[str, Any]]] = {}

    def versions_of(jurisdiction: str, trail: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
        """The versions of one jurisdiction by version name, with ``reuses`` and ``extends``
        resolved (``extends: "2015-05-01"`` in the same file, or ``"national-default:2015-05-01"``)."""
        if jurisdiction in resolved_cache:
            return resolved_cache[jurisdiction]
        name, document = documents[jurisdiction]
        if jurisdiction in trail:
            problems.append(f"{name}: circular reuses/extends through {' → '.join(trail)}")
            return {}
        trail = (*trail, jurisdiction)
        resolved: dict[str, dict[str, Any]] = {}
        if "reuses" in document:
            source = str(document["reuses"])
            if source not in documents:
                problems.append(f"{name}: reuses unknown jurisdiction {source!r}")
            else:
                if document.get("versions"):
                    problems.append(f"{name}: give either 'reuses' or 'versions', not both")
                for key, body in versions_of(source, trail).items():
                    resolved[key] = {**body, "reused_from": source}
            resolved_cache[jurisdiction] = resolved
            return resolved
        for index, raw in enumerate(document.get("versions") or []):
            if not isinstance(raw, dict) or "version" not in raw:
                problems.append(f"{name}: versions[{index}] must be a mapping with 'version'")
                continue
            unknown_keys = set(raw) - _VERSION_KEYS
            if unknown_keys:
                problems.append(
                    f"{name}: version {raw['version']}: unknown keys {sorted(unknown_keys)}"
                )
            body = {k: v for k, v in raw.items() if k != "extends"}
            if "extends" in raw:
                target = str(raw["extends"])
                other, _, version = target.rpartition(":")
                if other and other not in documents:
                    parent = None
                else:
                    pool = versions_of(other, trail) if other else resolved
                    parent = pool.get(version)
                if parent is None:
                    problems.append(
                        f"{name}: version {raw['version']} extends unknown or later version "
                        f"{target!r}"
                    )
                    continue
                inherited = {
                    k: v
                    for k, v in parent.items()
                    if k not in {"valid_from", "valid_to", "notes", "reused_from"}
                }
                body = _deep_merge(inherited, body)
            resolved[str(raw["version"])] = body
        if not resolved:
            problems.append(f"{name}: no versions")
        resolved_cache[jurisdiction] = resolved
        return resolved

    standards: list[DiscretionStandard] = []
    for jurisdiction, (name, document) in documents.items():
        file_level = {k: document[k] for k in _FILE_KEYS - {"reuses"} if k in document}
        file_level["jurisdiction"] = jurisdiction
        for version in versions_of(jurisdiction).values():
            data = dict(file_level)
            data.update({k: v for k, v in version.items() if k not in {"notes"}})
            data["version_notes"] = version.get("notes")
            data["circumstances"] = catalogue
            try:
                standards.append(DiscretionStandard.model_validate(data))
            except ValidationError as exc:
                problems.append(
                    f"{name}: version {version.get('version')}: {_format_validation_error(exc)}"
                )
    for jurisdiction in documents:
        versions = sorted(
            (s for s in standards if s.jurisdiction == jurisdiction), key=lambda s: s.valid_from
        )
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to > later.valid_from:
                problems.append(
                    f"{jurisdiction}: version {earlier.version} overlaps version {later.version}"
                )
    if NATIONAL_DEFAULT not in documents:
        problems.append(f"no standard for jurisdiction {NATIONAL_DEFAULT!r}")
    if problems:
        raise DiscretionDataError(problems)
    return DiscretionBook(standards=tuple(standards), circumstances=catalogue)


@functools.lru_cache(maxsize=1)
def default_discretion() -> DiscretionBook:
    """The packaged discretion data, loaded once per process."""
    return load_discretion()


# =========================================================================== fact sheet

_FIELD_LABELS_ZH = {
    "violation_codes": "违法行为代码",
    "act_date": "违法行为发生日期",
    "act_end_date": "违法行为终了日期",
    "party": "当事人类别",
    "stage": "处罚阶段",
    "accident_grade": "事故等级",
    "illegal_gains_yuan": "违法所得",
    "last_year_income_yuan": "上一年年收入",
    "circumstances": "情节",
    "jurisdiction": "裁量标准适用地区",
    "decision_date": "作出决定日期",
    "same_act": "是否同一违法行为",
}


_FIELD_ALIASES = {
    "illegal_gains": "illegal_gains_yuan",
    "last_year_income": "last_year_income_yuan",
}


class FactSheetError(DomainError):
    """Bad input to the engine. ``field`` names the fact-sheet field; the message is in Chinese
    (``message``) and English (``message_en``); ``details`` = {"field", "problems"}."""

    status = 400

    def __init__(
        self,
        field_name: str,
        message_zh: str,
        message_en: str,
        *,
        problems: list[dict[str, str]] | None = None,
    ) -> None:
        self.field = field_name
        self.message_zh = message_zh
        self.problems = problems or [
            {"field": field_name, "message": message_zh, "message_en": message_en}
        ]
        super().__init__(
            "invalid_fact_sheet",
            message_zh,
            message_en,
            details={"field": field_name, "problems": self.problems},
        )

    def __str__(self) -> str:
        return f"{self.field}: {self.message_zh} / {self.message_en}"

    @classmethod
    def from_validation(cls, error: ValidationError) -> FactSheetError:
        problems = []
        for e in error.errors():
            loc = [str(p) for p in e["loc"]]
            name = loc[0] if loc else "<root>"
            name = _FIELD_ALIASES.get(name, name)
            label = _FIELD_LABELS_ZH.get(name, name)
            kind = e["type"]
            if kind == "missing":
                zh, en = f"{label}（{name}）必须填写", f"{name} is required"
            elif kind in {"greater_than_equal", "greater_than"}:
                zh, en = f"{label}（{name}）不得为负数", f"{name} must not be negative"
            elif kind == "too_short":
                zh, en = f"{label}（{name}）至少需要一项", f"{name} needs at least one item"
            elif kind == "extra_forbidden":
                zh, en = f"未知字段 {name}", f"unknown field {name}"
            else:
                zh, en = f"{label}（{name}）无效：{e['msg']}", f"invalid {name}: {e['msg']}"
            problems.append({"field": name, "message": zh, "message_en": en})
        first = (
            problems[0]
            if problems
            else {"field": "<root>", "message": "无效", "message_en": "invalid"}
        )
        return cls(first["field"], first["message"], first["message_en"], problems=problems)


class FactSheet(_Frozen):
    """The facts the engine decides on. Build it with keyword arguments or
    ``FactSheet.model_validate(dict)``; any invalid input raises :class:`FactSheetError`."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    violation_codes: tuple[str, ...] = Field(min_length=1)
    act_date: date
    act_end_date: date | None = None  # continuing acts (连续或者继续状态): the day it ended
    party: Party
    stage: Stage
    accident_grade: AccidentGrade | None = None
    illegal_gains_yuan: Decimal | None = Field(
        default=None, ge=0, validation_alias=AliasChoices("illegal_gains_yuan", "illegal_gains")
    )
    last_year_income_yuan: Decimal | None = Field(
        default=None,
        ge=0,
        validation_alias=AliasChoices("last_year_income_yuan", "last_year_income"),
    )
    circumstances: tuple[str, ...] = ()
    jurisdiction: str = NATIONAL_DEFAULT
    decision_date: date | None = None  # None: today (China)
    same_act: bool = False  # 行政处罚法 Art 29: the codes describe one act

    @model_validator(mode="wrap")
    @classmethod
    def _raise_fact_sheet_error(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise FactSheetError.from_validation(exc) from None

    @field_validator("violation_codes", mode="before")
    @classmethod
    def _one_code_as_tuple(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("circumstances", mode="before")
    @classmethod
    def _circumstances_as_tuple(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("circumstances")
    @classmethod
    def _sorted_unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _check(self) -> FactSheet:
        if self.stage is Stage.ANY:
            raise FactSheetError(
                "stage",
                "处罚阶段（stage）须为 first_order、overdue_not_corrected、refused 或 accident",
                "stage must be first_order, overdue_not_corrected, refused or accident",
            )
        if len(set(self.violation_codes)) != len(self.violation_codes):
            raise FactSheetError(
                "violation_codes",
                "违法行为代码（violation_codes）重复",
                "violation_codes repeats a code",
            )
        if self.act_end_date is not None and self.act_end_date < self.act_date:
            raise FactSheetError(
                "act_end_date",
                "违法行为终了日期（act_end_date）早于发生日期",
                "act_end_date is before act_date",
            )
        return self

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False)


# =========================================================================== result models


class MoneyRange(_Frozen):
    """An amount range in yuan. ``min_yuan`` None: the law sets no minimum (……以下)."""

    min_yuan: Decimal | None = None
    max_yuan: Decimal | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def contains(self, amount: Decimal | int) -> bool:
        if self.min_yuan is not None and (
            amount < self.min_yuan or (not self.min_inclusive and amount == self.min_yuan)
        ):
            return False
        return self.max_yuan is None or not (
            amount > self.max_yuan or (not self.max_inclusive and amount == self.max_yuan)
        )

    @property
    def lower(self) -> Decimal:
        return self.min_yuan if self.min_yuan is not None else Decimal(0)


class SourceNote(_Frozen):
    """A figure used by the result that is not confirmed from a legal text."""

    subject: str  # e.g. "bands.min_max.lighter", "thresholds.hearing.large_fine"
    description_zh: str
    value: str
    source: str
    confidence: Confidence


class Trigger(_Frozen):
    code: str
    reason_zh: str
    reason_en: str
    citation: Citation
    source: str
    confidence: Confidence
    is_conditional: bool = False  # e.g. legal review only "if a hearing is held"


class ProcedureCheck(_Frozen):
    required: bool
    triggers: tuple[Trigger, ...] = ()


class PenaltyItem(_Frozen):
    kinds: tuple[PenaltyKind, ...]
    citation: Citation
    label_zh: str
    decided_by: Authority
    is_mandatory: bool
    condition_zh: str | None = None
    applies: bool  # False: listed only; the facts do not establish the condition
    notes: str | None = None


class CircumstanceUse(_Frozen):
    code: str
    label_zh: str
    kind: CircumstanceKind
    effect: CircumstanceEffect
    counted: bool  # counted towards the tier
    reason_zh: str | None = None  # why not counted / how used
    citation: Citation | None = None
    effect_source: EffectSource
    confidence: Confidence


class Art37Comparison(_Frozen):
    """行政处罚法 Art 37 (从旧兼从轻)."""

    act_time_code: str
    decision_time_code: str | None = None
    applied_code: str
    outcome: Literal[
        "same_version",
        "act_time_lighter_or_equal",
        "decision_time_lighter",
        "not_comparable",
        "successor_ambiguous",
        "no_successor",
    ]
    explanation_zh: str


class StandardRef(_Frozen):
    requested_jurisdiction: str
    jurisdiction: str
    version: str
    name_zh: str
    source: str
    confidence: Confidence
    reused_from: str | None = None
    notes: str | None = None


class ViolationDecision(_Frozen):
    code: str  # as given
    applied_code: str  # the violation type whose rule was applied (Art 37)
    title_zh: str
    law: str
    law_version: str
    law_confidence: Confidence
    violated_provisions_zh: tuple[str, ...]
    penalty_provision: Citation
    penalty_provision_zh: str
    art37: Art37Comparison
    waiver: WaiverStatus
    waiver_basis: tuple[Citation, ...] = ()
    tier: Tier
    fine_rule_kind: str | None = None  # range / multiple_of_illegal_gains / income_percentage / ...
    fine_is_mandatory: bool = True
    legal_range: MoneyRange | None = None  # for this party and stage, in yuan
    tier_range: MoneyRange | None = None
    recommended_fine_yuan: Decimal | None = None  # 0 when waived; None when no fine applies
    fine_imposed: bool = False  # False when waived, absorbed (Art 29) or no fine rule
    confiscation_yuan: Decimal | None = None
    penalty_kinds: tuple[PenaltyKind, ...] = ()  # what the department imposes
    penalties: tuple[PenaltyItem, ...] = ()  # every sanction of the article for this party/stage
    circumstances: tuple[CircumstanceUse, ...] = ()
    hearing: ProcedureCheck
    legal_review: ProcedureCheck
    collective_discussion: ProcedureCheck
    reasoning_zh: str
    warnings: tuple[str, ...] = ()
    unverified: tuple[SourceNote, ...] = ()


class Decision(_Frozen):
    engine_version: str = ENGINE_VERSION
    facts: FactSheet
    decision_date: date
    standard: StandardRef
    violations: tuple[ViolationDecision, ...]
    same_act: bool = False
    art29_applied_code: str | None = None  # same act: the code whose (higher) fine applies
    total_fine_yuan: Decimal
    hearing: ProcedureCheck
    legal_review: ProcedureCheck
    collective_discussion: ProcedureCheck
    reasoning_zh: str
    warnings: tuple[str, ...] = ()
    unverified: tuple[SourceNote, ...] = ()

    def to_json(self) -> str:
        """The decision as a JSON text (amounts as decimal strings, dates ISO)."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False)


# =========================================================================== labels

_PARTY_LABELS_ZH = {
    Party.UNIT: "生产经营单位",
    Party.PRINCIPAL_PERSON: "生产经营单位的主要负责人",
    Party.RESPONSIBLE_PERSON: "直接负责的主管人员和其他直接责任人员",
    Party.MANAGER: "其他负责人或者安全生产管理人员",
    Party.INVESTOR: "个人经营的投资人",
    Party.INDIVIDUAL: "当事人",
    Party.OTHER: "当事人",
}
_STAGE_LABELS_ZH = {
    Stage.FIRST_ORDER: "责令改正时",
    Stage.OVERDUE_NOT_CORRECTED: "逾期未改正",
    Stage.REFUSED: "拒不改正（拒不执行）",
    Stage.ACCIDENT: "导致发生生产安全事故",
    Stage.ANY: "任何阶段",
}
_KIND_LABELS_ZH = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_ILLEGAL_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_ILLEGAL_PROPERTY: "没收非法财物",
    PenaltyKind.SUSPEND_PRODUCTION: "责令停产停业整顿",
    PenaltyKind.STOP_CONSTRUCTION: "责令停止建设",
    PenaltyKind.SUSPEND_LICENSE: "暂扣许可证件或者暂停有关资格",
    PenaltyKind.REVOKE_LICENSE: "吊销有关许可证件或者资格",
    PenaltyKind.CLOSE: "提请关闭",
    PenaltyKind.BAN_FROM_POST: "限制从业",
    PenaltyKind.DETENTION: "行政拘留（由公安机关决定）",
    PenaltyKind.DISCIPLINARY: "处分（由任免机关决定）",
    PenaltyKind.OTHER: "其他处理",
}
#: Conditions that only restate the stage (so the sanction applies at that stage).
_STAGE_RESTATEMENTS: dict[str, Stage] = {
    "导致发生生产安全事故的": Stage.ACCIDENT,
    "生产经营单位拒不执行的": Stage.REFUSED,
    "拒不改正的": Stage.REFUSED,
    "被责令改正且受到罚款处罚，拒不改正的": Stage.REFUSED,
}
_SERIOUS_CONDITION = "情节严重的"
_SERIOUS_CODES = frozenset({"serious", "especially_grave"})
_DEPARTMENT = frozenset({Authority.SUPERVISING_DEPARTMENT, Authority.EMERGENCY_MANAGEMENT})
_GRADE_ITEMS = {
    AccidentGrade.ORDINARY: 1,
    AccidentGrade.LARGER: 2,
    AccidentGrade.MAJOR: 3,
    AccidentGrade.ESPECIALLY_MAJOR: 4,
}


def _date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _money(value: Decimal) -> Decimal:
    """Quantize to fen; whole yuan as an integer Decimal (JSON "30000", not "30000.00")."""
    q = value.quantize(_FEN, rounding=ROUND_HALF_UP)
    return Decimal(int(q)) if q == q.to_integral_value() else q


def _yuan_zh(value: Decimal) -> str:
    value = _money(value)
    if value == value.to_integral_value() and value != 0 and int(value) % 10000 == 0:
        return f"{int(value) // 10000}万元"
    return f"{value}元"


def _percent_zh(percent: int | Decimal) -> str:
    return f"百分之{zh_number(int(percent))}" if int(percent) == percent else f"{percent}%"


def _multiple_zh(multiple: Decimal) -> str:
    if multiple == multiple.to_integral_value() and 0 < multiple < 10:
        return f"{zh_number(int(multiple))}倍"
    return f"{multiple}倍"


def _latest_versions(catalog: Catalog) -> dict[str, str]:
    latest: dict[str, tuple[date, str]] = {}
    for law in catalog.laws:
        if law.code not in latest or law.valid_from > latest[law.code][0]:
            latest[law.code] = (law.valid_from, law.version)
    return {code: version for code, (_, version) in latest.items()}


def _doc_label(citation: Citation, latest: Mapping[str, str]) -> str:
    """E.g. 《中华人民共和国安全生产法》第九十七条第（三）项; an earlier version is named:
    《中华人民共和国安全生产法》（2014年版）第九十四条."""
    title = LAW_TITLES_ZH.get(citation.law, citation.law)
    version = (
        ""
        if latest.get(citation.law) == citation.law_version
        else f"（{citation.law_version}年版）"
    )
    label = f"《{title}》{version}第{zh_number(citation.article)}条"
    if citation.paragraph is not None:
        label += f"第{zh_number(citation.paragraph)}款"
    if citation.item is not None:
        label += f"第（{zh_number(citation.item)}）项"
    return label


def _doc_labels(citations: Iterable[Citation], latest: Mapping[str, str]) -> str:
    """Several citations with the law title, article and paragraph said once:
    《…》第二十八条第一款、第二款、第四十四条第一款; 《…》第三十二条第（一）项、第（三）项."""
    out: list[str] = []
    previous: Citation | None = None
    for c in citations:
        if previous is None or (previous.law, previous.law_version) != (c.law, c.law_version):
            out.append(_doc_label(c, latest))
        else:
            parts = [f"第{zh_number(c.article)}条"]
            parts.append(f"第{zh_number(c.paragraph)}款" if c.paragraph is not None else "")
            parts.append(f"第（{zh_number(c.item)}）项" if c.item is not None else "")
            same = [previous.article == c.article, previous.paragraph == c.paragraph]
            skip = 0
            while skip < 2 and same[skip] and any(parts[skip + 1 :]):
                skip += 1
            out.append("".join(parts[skip:]))
        previous = c
    return "、".join(out)


@functools.lru_cache(maxsize=256)
def _citation(short: str) -> Citation:
    return Citation.model_validate(short)


@functools.lru_cache(maxsize=256)
def _apl_label(short: str) -> str:
    return _doc_label(_citation(short), {"APL": "2021"})


# =========================================================================== engine internals


@dataclass(frozen=True)
class _FineBasis:
    """The statutory fine for one party/stage, in yuan."""

    rule_kind: str
    shape: Literal[
        "min_max", "max_only", "multiple_of_gains", "income_percentage", "fixed", "open", "daily"
    ]
    legal_range: MoneyRange | None
    phrase_zh: str  # 处十万元以上二十万元以下的罚款
    citation: Citation
    is_mandatory: bool
    aggravated: bool = False  # the especially_grave range was used
    notes: tuple[str, ...] = ()
    also_cites: tuple[Citation, ...] = ()  # e.g. the aggravation paragraph


@dataclass(frozen=True)
class _Assessment:
    """One violation type version applied to the facts (before Art 29 / Art 37 choices)."""

    vt: ViolationType
    penalties: tuple[PenaltyItem, ...]
    fine: _FineBasis | None
    confiscation_yuan: Decimal | None
    uses: tuple[CircumstanceUse, ...]
    tier: Tier
    waiver: WaiverStatus
    waiver_rule: Waiver | None
    tier_range: MoneyRange | None
    recommended: Decimal | None
    applied_kinds: tuple[PenaltyKind, ...]  # decided by the department, before any waiver
    warnings: tuple[str, ...] = ()
    notes: tuple[SourceNote, ...] = ()
    reduced_unavailable: bool = False

    def severity(self) -> tuple[Decimal, Decimal | None, frozenset[PenaltyKind]]:
        """(lower, upper, other kinds) of the statutory consequence; upper None = unbounded
        (an open range or a daily fine)."""
        lower: Decimal = Decimal(0)
        upper: Decimal | None = Decimal(0)  # no fine at all
        if self.fine is not None and self.fine.legal_range is None:
            upper = None
        elif self.fine is not None and self.fine.legal_range is not None:
            legal = self.fine.legal_range
            lower = legal.lower if self.fine.is_mandatory else Decimal(0)
            upper = legal.max_yuan
        kinds = frozenset(k for k in self.applied_kinds if k is not PenaltyKind.FINE)
        return lower, upper, kinds


def _no_heavier(a: _Assessment, b: _Assessment) -> bool:
    a_low, a_high, a_kinds = a.severity()
    b_low, b_high, b_kinds = b.severity()
    if b_high is not None and (a_high is None or a_high > b_high):
        return False
    return a_low <= b_low and a_kinds <= b_kinds


def _fail(field_name: str, zh: str, en: str) -> FactSheetError:
    return FactSheetError(field_name, zh, en)


def _select_sanctions(vt: ViolationType, facts: FactSheet) -> tuple[Sanction, ...]:
    sanctions = tuple(
        s for s in vt.sanctions if s.party is facts.party and s.stage in (facts.stage, Stage.ANY)
    )
    if not sanctions:
        available = sorted({f"{s.party.value}/{s.stage.value}" for s in vt.sanctions}, key=str)
        raise _fail(
            "party",
            f"{vt.code}（{vt.penalty_provision.short()}）对当事人类别“{facts.party.value}”在阶段"
            f"“{facts.stage.value}”没有罚则；目录收录的有：{'、'.join(available)}",
            f"{vt.code} has no sanction for party {facts.party.value} at stage "
            f"{facts.stage.value}; catalogued: {', '.join(available)}",
        )
    return sanctions


def _sanction_applies(sanction: Sanction, facts: FactSheet) -> bool:
    condition = sanction.condition_zh
    if condition is None:
        return True
    if _STAGE_RESTATEMENTS.get(condition) is facts.stage and sanction.stage is facts.stage:
        return True
    if condition == _SERIOUS_CONDITION:
        return bool(_SERIOUS_CODES & set(facts.circumstances))
    return False


def _range_phrase(low: Decimal | None, high: Decimal | None) -> str:
    if low is None and high is not None:
        return f"{_yuan_zh(high)}以下"
    if low is not None and high is None:
        return f"{_yuan_zh(low)}以上"
    if low is not None and high is not None and low == high:
        return _yuan_zh(low)
    assert low is not None
    assert high is not None
    return f"{_yuan_zh(low)}以上{_yuan_zh(high)}以下"


def _range_basis(rule: RangeFine, citation: Citation, mandatory: bool) -> _FineBasis:
    low = Decimal(rule.min_yuan) if rule.min_yuan else None
    high = Decimal(rule.max_yuan) if rule.max_yuan is not None else None
    shape: Literal["min_max", "max_only", "open", "fixed"]
    if high is None:
        shape = "open"
    elif low is None:
        shape = "max_only"
    elif low == high:
        shape = "fixed"
    else:
        shape = "min_max"
    return _FineBasis(
        rule_kind=rule.kind,
        shape=shape,
        legal_range=MoneyRange(
            min_yuan=low,
            max_yuan=high,
            min_inclusive=rule.min_inclusive,
            max_inclusive=rule.max_inclusive,
        ),
        phrase_zh=f"处{_range_phrase(low, high)}的罚款",
        citation=citation,
        is_mandatory=mandatory,
    )


def _item_citation(base: Citation, item: int, catalog: Catalog) -> Citation:
    candidate = base.model_copy(update={"item": item})
    provision = catalog.provision(candidate)
    return candidate if provision is not None and provision.citation.same_place(candidate) else base


def _fine_basis(
    vt: ViolationType, sanction: Sanction, facts: FactSheet, catalog: Catalog
) -> _FineBasis:
    rule: FineRule | None = sanction.fine
    citation = sanction.citation
    mandatory = sanction.is_mandatory
    if isinstance(rule, RangeFine):
        return _range_basis(rule, citation, mandatory)
    if isinstance(rule, MultipleOfGainsFine):
        gains = facts.illegal_gains_yuan
        if gains is None:
            raise _fail(
                "illegal_gains_yuan",
                f"{vt.code} 按违法所得计罚，须填写违法所得（illegal_gains_yuan，没有违法所得填0）",
                f"{vt.code} is fined by the illegal gains: give illegal_gains_yuan (0 if none)",
            )
        threshold = rule.applies_when_gains_at_least_yuan
        if threshold is None or gains >= threshold:
            low = _money(gains * rule.min_multiple)
            high = _money(gains * rule.max_multiple)
            return _FineBasis(
                rule_kind=rule.kind,
                shape="multiple_of_gains" if low != high else "fixed",
                legal_range=MoneyRange(min_yuan=low, max_yuan=high),
                phrase_zh=(
                    f"处违法所得{_multiple_zh(rule.min_multiple)}以上{_multiple_zh(rule.max_multiple)}"
                    f"以下的罚款（违法所得{_yuan_zh(gains)}，即{_range_phrase(low, high)}）"
                ),
                citation=citation,
                is_mandatory=mandatory,
            )
        if rule.fallback is None:
            raise _fail(
                "illegal_gains_yuan",
                f"违法所得不足{_yuan_zh(Decimal(threshold))}，{vt.code} 没有收录相应罚款",
                f"gains below {threshold}: {vt.code} has no fallback fine",
            )
        basis = _range_basis(rule.fallback, citation, mandatory)
        prefix = "没有违法所得" if gains == 0 else f"违法所得不足{_yuan_zh(Decimal(threshold))}"
        joiner = "，单处或者并处" if rule.fallback_is_optional else "，"
        return _FineBasis(
            rule_kind=rule.kind,
            shape=basis.shape,
            legal_range=basis.legal_range,
            phrase_zh=f"{prefix}{joiner}{basis.phrase_zh[1:] if rule.fallback_is_optional else basis.phrase_zh}",
            citation=citation,
            is_mandatory=mandatory,
        )
    if isinstance(rule, IncomePercentageFine):
        income = facts.last_year_income_yuan
        if income is None:
            raise _fail(
                "last_year_income_yuan",
                f"{vt.code} 按上一年年收入的百分比计罚，须填写上一年年收入（last_year_income_yuan）",
                f"{vt.code} is a percentage of last year's income: give last_year_income_yuan",
            )
        if rule.by_grade is not None:
            grade = _require_grade(vt, facts)
            percent = rule.by_grade.get(grade)
            if percent is None:
                raise _fail(
                    "accident_grade",
                    f"{vt.code} 没有收录{grade.label_zh}的罚款比例",
                    f"{vt.code} has no percentage for grade {grade.value}",
                )
            amount = _money(income * percent / 100)
            return _FineBasis(
                rule_kind=rule.kind,
                shape="fixed",
                legal_range=MoneyRange(min_yuan=amount, max_yuan=amount),
                phrase_zh=(
                    f"处{rule.income_basis_zh}{_percent_zh(percent)}的罚款"
                    f"（{rule.income_basis_zh}{_yuan_zh(income)}，即{_yuan_zh(amount)}）"
                ),
                citation=_item_citation(citation, _GRADE_ITEMS[grade], catalog),
                is_mandatory=mandatory,
            )
        low_percent = rule.min_percent or 0
        high_percent = rule.max_percent if rule.max_percent is not None else low_percent
        low = _money(income * low_percent / 100)
        high = _money(income * high_percent / 100)
        return _FineBasis(
            rule_kind=rule.kind,
            shape="income_percentage" if low != high else "fixed",
            legal_range=MoneyRange(min_yuan=low, max_yuan=high),
            phrase_zh=(
                f"处{rule.income_basis_zh}{_percent_zh(low_percent)}以上{_percent_zh(high_percent)}"
                f"以下的罚款（{rule.income_basis_zh}{_yuan_zh(income)}，即{_range_phrase(low, high)}）"
            ),
            citation=citation,
            is_mandatory=mandatory,
        )
    if isinstance(rule, AccidentGradeFine):
        grade = _require_grade(vt, facts)
        band = rule.band(grade)
        if band is None:
            raise _fail(
                "accident_grade",
                f"{vt.code} 没有收录{grade.label_zh}的罚款幅度",
                f"{vt.code} has no band for grade {grade.value}",
            )
        item_citation = _item_citation(citation, _GRADE_ITEMS[grade], catalog)
        basis = _range_basis(band, item_citation, mandatory)
        if "especially_grave" in facts.circumstances:
            if (
                rule.aggravation_min_multiple is not None
                and rule.aggravation_max_multiple is not None
            ):
                assert basis.legal_range is not None
                low = _money(basis.legal_range.lower * rule.aggravation_min_multiple)
                high_base = basis.legal_range.max_yuan or Decimal(0)
                high = _money(high_base * rule.aggravation_max_multiple)
                aggravation = rule.aggravation_citation or citation
                modal = "" if rule.aggravation_is_mandatory else "可以"
                return _FineBasis(
                    rule_kind=rule.kind,
                    shape="min_max",
                    legal_range=MoneyRange(min_yuan=low, max_yuan=high),
                    phrase_zh=(
                        f"{basis.phrase_zh}；"
                        f"{rule.aggravation_condition_zh or '情节特别严重'}，{modal}按照该罚款数额的"
                        f"{_multiple_zh(rule.aggravation_min_multiple)}以上"
                        f"{_multiple_zh(rule.aggravation_max_multiple)}以下处以罚款"
                        f"（即{_range_phrase(low, high)}）"
                    ),
                    citation=item_citation,
                    is_mandatory=mandatory,
                    aggravated=True,
                    also_cites=(aggravation,),
                )
            if rule.aggravated_bands and grade in rule.aggravated_bands:
                aggravated = _range_basis(rule.aggravated_bands[grade], citation, mandatory)
                return _FineBasis(
                    rule_kind=rule.kind,
                    shape=aggravated.shape,
                    legal_range=aggravated.legal_range,
                    phrase_zh=(
                        f"{rule.aggravation_condition_zh or '情节特别严重的'}，{aggravated.phrase_zh}"
                    ),
                    citation=citation,
                    is_mandatory=mandatory,
                    aggravated=True,
                )
        return _FineBasis(
            rule_kind=rule.kind,
            shape=basis.shape,
            legal_range=basis.legal_range,
            phrase_zh=basis.phrase_zh,
            citation=item_citation,
            is_mandatory=mandatory,
        )
    if isinstance(rule, DailyFine):
        return _FineBasis(
            rule_kind=rule.kind,
            shape="daily",
            legal_range=None,
            phrase_zh=f"{rule.starts_zh}，按照原处罚数额按日连续处罚",
            citation=citation,
            is_mandatory=mandatory,
            notes=("按日连续处罚的数额为原处罚数额乘以天数，本引擎不计算，须按原处罚决定核算。",),
        )
    raise AssertionError(f"unknown fine rule {rule!r}")


def _require_grade(vt: ViolationType, facts: FactSheet) -> AccidentGrade:
    if facts.accident_grade is None:
        raise _fail(
            "accident_grade",
            f"{vt.code} 按事故等级计罚，须填写事故等级（accident_grade）",
            f"{vt.code} depends on the accident grade: give accident_grade",
        )
    return facts.accident_grade


def _use_circumstances(
    facts: FactSheet, standard: DiscretionStandard, basis: _FineBasis | None
) -> tuple[CircumstanceUse, ...]:
    uses = []
    for code in facts.circumstances:
        c = standard.circumstances.get(code)
        counted = c.effect is not CircumstanceEffect.NONE
        reason: str | None = None
        if facts.stage in c.absorbed_in_stages:
            counted = False
            reason = f"已作为“{_STAGE_LABELS_ZH[facts.stage]}”阶段法定幅度的适用条件，不再重复评价"
        elif c.effect is CircumstanceEffect.NONE:
            reason = "仅作为不予处罚的要件"
        elif (
            c.effect is CircumstanceEffect.AGGRAVATED_RANGE
            and basis is not None
            and basis.aggravated
        ):
            counted = False
            reason = "已适用加重的法定罚款幅度，不再重复从重"
        elif c.effect is CircumstanceEffect.AGGRAVATED_RANGE:
            reason = "罚则没有加重幅度，作为从重情节（本平台默认）"
        uses.append(
            CircumstanceUse(
                code=c.code,
                label_zh=c.label_zh,
                kind=c.kind,
                effect=c.effect,
                counted=counted,
                reason_zh=reason,
                citation=c.citation,
                effect_source=c.effect_source
                if not (c.effect is CircumstanceEffect.AGGRAVATED_RANGE and counted)
                else "anjian-default",
                confidence=c.confidence
                if not (c.effect is CircumstanceEffect.AGGRAVATED_RANGE and counted)
                else Confidence.UNVERIFIED,
            )
        )
    return tuple(uses)


def _choose_tier(uses: tuple[CircumstanceUse, ...], rules: TierRules) -> Tier:
    """Monotone in the circumstances: one more aggravating never lowers the tier, one more
    mitigating never raises it."""
    counted = [u for u in uses if u.counted]
    mitigating = sum(1 for u in counted if u.kind is CircumstanceKind.MITIGATING)
    aggravating = sum(1 for u in counted if u.kind is CircumstanceKind.AGGRAVATING)
    statutory = any(u.effect is CircumstanceEffect.STATUTORY_LIGHTER_OR_REDUCED for u in counted)
    if statutory and aggravating == 0 and mitigating >= rules.reduced_requires_mitigating_count:
        return Tier.REDUCED
    if statutory and rules.statutory_mitigation_caps_tier:
        return Tier.LIGHTER
    if aggravating > mitigating:
        return Tier.HEAVIER
    if aggravating < mitigating:
        return Tier.LIGHTER
    return Tier.ORDINARY


def _waiver(
    facts: FactSheet, standard: DiscretionStandard, decision_date: date
) -> tuple[WaiverStatus, Waiver | None]:
    present = set(facts.circumstances)
    applicable = [
        w
        for w in standard.circumstances.waivers
        if set(w.requires) <= present
        and (w.applies_from is None or decision_date >= w.applies_from)
    ]
    for kind in ("must", "may"):
        for w in applicable:
            if w.kind == kind:
                return WaiverStatus(kind), w
    return WaiverStatus.NONE, None


def _bands_for(shape: str, bands: BandSet) -> TierBands:
    return {
        "min_max": bands.min_max,
        "max_only": bands.max_only,
        "multiple_of_gains": bands.multiple_of_gains,
        "income_percentage": bands.income_percentage,
    }[shape]


def _tier_range(basis: _FineBasis, tier: Tier, bands: BandSet) -> MoneyRange | None:
    legal = basis.legal_range
    if tier is Tier.NONE or legal is None or legal.max_yuan is None:
        return None
    high = legal.max_yuan
    if tier is Tier.REDUCED:
        low_legal = legal.min_yuan
        assert low_legal is not None
        assert low_legal > 0
        r = bands.reduced
        upper = _money(low_legal * r.to)
        return MoneyRange(
            min_yuan=_money(low_legal * r.from_),
            max_yuan=min(upper, low_legal),
            max_inclusive=upper < low_legal,
        )
    if basis.shape == "fixed":
        return MoneyRange(min_yuan=legal.min_yuan, max_yuan=high)
    band = _bands_for(basis.shape, bands).band(tier)
    if basis.shape == "max_only":
        low = _money(high * band.from_)
        return MoneyRange(min_yuan=low, max_yuan=_money(high * band.to), min_inclusive=low > 0)
    base = legal.lower
    span = high - base
    return MoneyRange(
        min_yuan=_money(base + span * band.from_), max_yuan=_money(base + span * band.to)
    )


def _recommend(r: MoneyRange, step: int) -> Decimal:
    """The middle of the range rounded to ``step`` yuan, else to a yuan, else to a fen, always
    inside the range (and positive unless the range is [0, 0])."""
    low = r.lower
    high = r.max_yuan if r.max_yuan is not None else low
    middle = (low + high) / 2

    def inside(x: Decimal) -> bool:
        return r.contains(x) and (x > 0 or high == 0)

    for quantum in (Decimal(step), Decimal(1), _FEN):
        for rounding in (ROUND_HALF_UP, ROUND_FLOOR, ROUND_CEILING):
            candidate = (middle / quantum).quantize(Decimal(1), rounding=rounding) * quantum
            if inside(candidate):
                return _money(candidate)
    return _money(low)


def _assess(
    vt: ViolationType,
    facts: FactSheet,
    standard: DiscretionStandard,
    catalog: Catalog,
    decision_date: date,
) -> _Assessment:
    sanctions = _select_sanctions(vt, facts)
    latest = _latest_versions(catalog)
    items = []
    fine_sanction: Sanction | None = None
    for s in sanctions:
        applies = _sanction_applies(s, facts)
        items.append(
            PenaltyItem(
                kinds=s.kinds,
                citation=s.citation,
                label_zh=_doc_label(s.citation, latest),
                decided_by=s.decided_by,
                is_mandatory=s.is_mandatory,
                condition_zh=s.condition_zh,
                applies=applies,
                notes=s.notes,
            )
        )
        if (
            applies
            and s.fine is not None
            and (fine_sanction is None or fine_sanction.stage is Stage.ANY)
        ):
            fine_sanction = s
    basis = _fine_basis(vt, fine_sanction, facts, catalog) if fine_sanction else None
    uses = _use_circumstances(facts, standard, basis)
    waiver, waiver_rule = _waiver(facts, standard, decision_date)
    tier = _choose_tier(uses, standard.tier_rules)
    warnings: list[str] = list(basis.notes if basis else ())
    reduced_unavailable = False
    if tier is Tier.REDUCED and (
        basis is None
        or basis.legal_range is None
        or basis.legal_range.min_yuan is None
        or basis.legal_range.min_yuan <= 0
    ):
        tier = Tier.LIGHTER
        reduced_unavailable = True
        if basis is not None and basis.legal_range is not None:
            warnings.append("该罚则没有最低罚款数额，减轻处罚无从低于最低额，按从轻处罚确定。")
    if waiver is WaiverStatus.MUST:
        tier = Tier.NONE
    tier_range = _tier_range(basis, tier, standard.bands) if basis is not None else None
    recommended: Decimal | None = None
    if waiver is WaiverStatus.MUST and basis is not None:
        recommended = Decimal(0)
    elif tier_range is not None:
        recommended = _recommend(tier_range, standard.rounding_step_yuan)
    elif basis is not None and basis.legal_range is not None and basis.shape == "open":
        recommended = _money(basis.legal_range.lower)
        warnings.append("罚则只有最低额没有最高额，建议数额取最低额，须人工裁量。")
    applied_kinds: list[PenaltyKind] = []
    for s, item in zip(sanctions, items, strict=True):
        if item.applies and s.decided_by in _DEPARTMENT:
            for kind in s.kinds:
                if kind is PenaltyKind.FINE and s is not fine_sanction:
                    continue
                if kind not in applied_kinds:
                    applied_kinds.append(kind)
    confiscation = None
    if PenaltyKind.CONFISCATE_ILLEGAL_GAINS in applied_kinds and facts.illegal_gains_yuan:
        confiscation = _money(facts.illegal_gains_yuan)
    notes = _assessment_notes(vt, catalog, standard, basis, tier, uses)
    return _Assessment(
        vt=vt,
        penalties=tuple(items),
        fine=basis,
        confiscation_yuan=confiscation,
        uses=uses,
        tier=tier,
        waiver=waiver,
        waiver_rule=waiver_rule,
        tier_range=tier_range,
        recommended=recommended,
        applied_kinds=tuple(applied_kinds),
        warnings=tuple(warnings),
        notes=notes,
        reduced_unavailable=reduced_unavailable,
    )


def _assessment_notes(
    vt: ViolationType,
    catalog: Catalog,
    standard: DiscretionStandard,
    basis: _FineBasis | None,
    tier: Tier,
    uses: tuple[CircumstanceUse, ...],
) -> tuple[SourceNote, ...]:
    notes: list[SourceNote] = []
    law = catalog.law(vt.law, vt.law_version)
    if vt.confidence is Confidence.UNVERIFIED or law.confidence is Confidence.UNVERIFIED:
        notes.append(
            SourceNote(
                subject=f"catalog.{vt.code}",
                description_zh=f"{vt.code}（{vt.penalty_provision.short()}）的罚则未经法律文本核实",
                value=basis.phrase_zh if basis else vt.title_zh,
                source=vt.notes or "LEGAL-FACTS.md",
                confidence=Confidence.UNVERIFIED,
            )
        )
    if basis is not None and basis.legal_range is not None and tier is not Tier.NONE:
        if tier is Tier.REDUCED:
            band = standard.bands.reduced
            subject, what = "bands.reduced", "减轻处罚幅度（法定最低额的比例）"
        elif basis.shape in {"min_max", "max_only", "multiple_of_gains", "income_percentage"}:
            band = _bands_for(basis.shape, standard.bands).band(tier)
            subject, what = (
                f"bands.{basis.shape}.{tier.value}",
                f"{tier.label_zh}幅度（法定幅度的比例）",
            )
        else:
            band = None
            subject, what = "", ""
        if band is not None and standard.bands.confidence is Confidence.UNVERIFIED:
            notes.append(
                SourceNote(
                    subject=subject,
                    description_zh=what,
                    value=f"{band.from_}–{band.to}",
                    source=standard.bands.source,
                    confidence=standard.bands.confidence,
                )
            )
    if any(u.counted for u in uses) and standard.tier_rules.confidence is Confidence.UNVERIFIED:
        notes.append(
            SourceNote(
                subject="tier_rules",
                description_zh="情节组合为裁量阶次的规则",
                value=(
                    f"reduced_requires_mitigating_count={standard.tier_rules.reduced_requires_mitigating_count}, "
                    f"statutory_mitigation_caps_tier={standard.tier_rules.statutory_mitigation_caps_tier}"
                ),
                source=standard.tier_rules.source,
                confidence=standard.tier_rules.confidence,
            )
        )
    for u in uses:
        if u.counted and u.confidence is Confidence.UNVERIFIED:
            notes.append(
                SourceNote(
                    subject=f"circumstances.{u.code}",
                    description_zh=f"情节“{u.label_zh}”的裁量效果",
                    value=u.effect.value
                    if u.reason_zh is None
                    else f"{u.effect.value}（{u.reason_zh}）",
                    source=u.effect_source,
                    confidence=u.confidence,
                )
            )
    return tuple(notes)


# ---------------------------------------------------------------- Art 37


@dataclass(frozen=True)
class _Versions:
    act: ViolationType
    decision: ViolationType | None
    status: Literal["same_version", "compare", "successor_ambiguous", "no_successor"]


def _lineage(catalog: Catalog, code: str) -> set[str]:
    seen: set[str] = set()
    queue = [code]
    while queue:
        current = queue.pop()
        if current in seen:
            continue
        seen.add(current)
        queue.extend(v.code for v in catalog.predecessors_of(current))
    return seen


def _resolve_versions(
    catalog: Catalog, code: str, facts: FactSheet, decision_date: date
) -> _Versions:
    given = catalog.violation(code)
    reference = facts.act_end_date or facts.act_date
    act_vt = catalog.version_for_act(code, reference)
    if act_vt is None:
        if reference < given.valid_from:
            raise _fail(
                "act_date",
                f"违法行为日期{_date_zh(reference)}早于{code}的施行日期{_date_zh(given.valid_from)}，"
                "目录中没有适用于该日期的前身规定",
                f"act date {reference} is before {code} took effect ({given.valid_from}) and no "
                "earlier version is catalogued",
            )
        raise _fail(
            "violation_codes",
            f"{code}已于{_date_zh(given.valid_to or reference)}失效，不适用于{_date_zh(reference)}"
            "的违法行为；请使用行为时施行的规定的代码",
            f"{code} ceased to apply on {given.valid_to}; use the code in force on {reference}",
        )
    if act_vt.is_in_force(decision_date):
        return _Versions(act_vt, None, "same_version")
    lineage = _lineage(catalog, code)
    current = act_vt
    while True:
        successors = catalog.successors_of(current.code)
        if not successors:
            return _Versions(act_vt, None, "no_successor")
        if len(successors) > 1:
            chosen = [s for s in successors if s.code in lineage]
            if len(chosen) != 1:
                return _Versions(act_vt, None, "successor_ambiguous")
            successor = chosen[0]
        else:
            successor = successors[0]
        if successor.is_in_force(decision_date):
            return _Versions(act_vt, successor, "compare")
        current = successor


def _law_name(vt: ViolationType, latest: Mapping[str, str]) -> str:
    title = LAW_TITLES_ZH.get(vt.law, vt.law)
    version = "" if latest.get(vt.law) == vt.law_version else f"（{vt.law_version}年版）"
    return f"《{title}》{version}"


def _art37(
    catalog: Catalog,
    code: str,
    facts: FactSheet,
    standard: DiscretionStandard,
    decision_date: date,
    latest: Mapping[str, str],
) -> tuple[_Assessment, Art37Comparison, list[str]]:
    versions = _resolve_versions(catalog, code, facts, decision_date)
    act = _assess(versions.act, facts, standard, catalog, decision_date)
    warnings: list[str] = []
    art37 = _apl_label("APL:2021:37")
    continuing = ""
    if facts.act_end_date is not None and facts.act_end_date != facts.act_date:
        continuing = (
            f"违法行为自{_date_zh(facts.act_date)}起持续至{_date_zh(facts.act_end_date)}，"
            "有连续或者继续状态，以行为终了时施行的规定为行为时的规定。"
        )
    act_label = _doc_label(versions.act.penalty_provision, latest)
    if versions.status == "same_version":
        explanation = continuing
        return (
            act,
            Art37Comparison(
                act_time_code=versions.act.code,
                applied_code=versions.act.code,
                outcome="same_version",
                explanation_zh=explanation,
            ),
            warnings,
        )
    happened = continuing or f"违法行为发生于{_date_zh(facts.act_date)}，"
    changed = f"{happened}作出处罚决定时（{_date_zh(decision_date)}）{_law_name(versions.act, latest)}已被修改。"
    if versions.status != "compare" or versions.decision is None:
        reason = (
            "目录对应多条修改后的规定，无法确定比较对象；请使用现行规定的代码"
            if versions.status == "successor_ambiguous"
            else "目录没有收录修改后的对应规定"
        )
        warnings.append(f"从旧兼从轻：{reason}，暂按行为时的规定处理，须人工核对。")
        return (
            act,
            Art37Comparison(
                act_time_code=versions.act.code,
                applied_code=versions.act.code,
                outcome=(
                    "successor_ambiguous"
                    if versions.status == "successor_ambiguous"
                    else "no_successor"
                ),
                explanation_zh=f"{changed}{reason}，依照{art37}的规定，暂适用违法行为发生时的{act_label}。",
            ),
            warnings,
        )
    new_label = _doc_label(versions.decision.penalty_provision, latest)
    try:
        new = _assess(versions.decision, facts, standard, catalog, decision_date)
    except FactSheetError as exc:
        warnings.append(
            f"从旧兼从轻：修改后的规定无法比较（{exc.message_zh}），按行为时的规定处理，须人工核对。"
        )
        return (
            act,
            Art37Comparison(
                act_time_code=versions.act.code,
                decision_time_code=versions.decision.code,
                applied_code=versions.act.code,
                outcome="not_comparable",
                explanation_zh=f"{changed}修改后的{new_label}无法比较，依照{art37}的规定，适用违法行为发生时的{act_label}。",
            ),
            warnings,
        )
    if _no_heavier(new, act) and not _no_heavier(act, new):
        return (
            new,
            Art37Comparison(
                act_time_code=versions.act.code,
                decision_time_code=versions.decision.code,
                applied_code=versions.decision.code,
                outcome="decision_time_lighter",
                explanation_zh=(
                    f"{changed}经比较，修改后的{new_label}规定的处罚较轻，依照{art37}的规定，"
                    f"适用修改后的{new_label}。"
                ),
            ),
            warnings,
        )
    if _no_heavier(act, new):
        return (
            act,
            Art37Comparison(
                act_time_code=versions.act.code,
                decision_time_code=versions.decision.code,
                applied_code=versions.act.code,
                outcome="act_time_lighter_or_equal",
                explanation_zh=(
                    f"{changed}经比较，修改后的{new_label}规定的处罚不轻于修改前的规定，依照{art37}"
                    f"的规定，适用违法行为发生时的{act_label}。"
                ),
            ),
            warnings,
        )
    warnings.append(
        "从旧兼从轻：新旧规定轻重不能直接比较（幅度或处罚种类互有轻重），按行为时的规定处理，须人工判断。"
    )
    return (
        act,
        Art37Comparison(
            act_time_code=versions.act.code,
            decision_time_code=versions.decision.code,
            applied_code=versions.act.code,
            outcome="not_comparable",
            explanation_zh=(
                f"{changed}修改后的{new_label}与修改前的规定轻重不能直接比较，依照{art37}的规定，"
                f"暂适用违法行为发生时的{act_label}。"
            ),
        ),
        warnings,
    )


# ---------------------------------------------------------------- procedure


def _amount_trigger(
    code: str,
    threshold: AmountThreshold,
    party: Party,
    amount: Decimal,
    what_zh: str,
    what_en: str,
    default_citation: str,
) -> Trigger | None:
    line = threshold.for_party(party)
    if amount < line:
        return None
    who = "单位" if party is Party.UNIT else "个人"
    return Trigger(
        code=code,
        reason_zh=f"{what_zh}{_yuan_zh(amount)}，达到{who}{_yuan_zh(Decimal(line))}的数额线（{threshold.source}）",
        reason_en=f"{what_en} {amount} yuan reaches the line of {line} yuan ({threshold.source})",
        citation=threshold.citation or _citation(default_citation),
        source=threshold.source,
        confidence=threshold.confidence,
    )


def _procedures(
    standard: DiscretionStandard,
    facts: FactSheet,
    fine: Decimal | None,
    confiscation: Decimal | None,
    kinds: Iterable[PenaltyKind],
    tier: Tier,
) -> tuple[ProcedureCheck, ProcedureCheck, ProcedureCheck]:
    kinds = tuple(kinds)
    rules = standard.thresholds
    hearing: list[Trigger] = []
    if fine is not None and fine > 0:
        trigger = _amount_trigger(
            "large_fine",
            rules.hearing.large_fine,
            facts.party,
            fine,
            "拟罚款",
            "intended fine",
            "APL:2021:63:1:1",
        )
        if trigger:
            hearing.append(trigger)
    if confiscation:
        trigger = _amount_trigger(
            "large_confiscation",
            rules.hearing.large_confiscation,
            facts.party,
            confiscation,
            "拟没收违法所得",
            "intended confiscation",
            "APL:2021:63:1:2",
        )
        if trigger:
            hearing.append(trigger)
    for kt in rules.hearing.penalty_kinds:
        if kt.kind in kinds:
            hearing.append(
                Trigger(
                    code=kt.kind.value,
                    reason_zh=f"拟{_KIND_LABELS_ZH[kt.kind]}（{_apl_label(kt.citation.short())}）",
                    reason_en=f"intended {kt.kind.value}",
                    citation=kt.citation,
                    source=kt.source,
                    confidence=kt.confidence,
                )
            )
    hearing_check = ProcedureCheck(required=bool(hearing), triggers=tuple(hearing))

    review: list[Trigger] = []
    lr = rules.legal_review
    if lr.fine_at_least is not None and fine:
        trigger = _amount_trigger(
            "fine_threshold",
            lr.fine_at_least,
            facts.party,
            fine,
            "拟罚款",
            "intended fine",
            "APL:2021:58:1:4",
        )
        if trigger:
            review.append(trigger)
    if lr.when_hearing_right and hearing_check.required:
        review.append(
            Trigger(
                code="hearing",
                reason_zh="当事人有权要求听证；经过听证程序的，作出决定前应当进行法制审核",
                reason_en="the party may request a hearing; after a hearing, legal review is required",
                citation=_citation("APL:2021:58:1:2"),
                source="statute",
                confidence=Confidence.CONFIRMED,
                is_conditional=True,
            )
        )
    grade = facts.accident_grade if facts.stage is Stage.ACCIDENT else None
    if grade is not None and grade in lr.accident_grades:
        review.append(
            Trigger(
                code="accident_grade",
                reason_zh=f"{grade.label_zh}，按涉及重大公共利益处理（{lr.source}）",
                reason_en=f"{grade.value} accident treated as a major public interest ({lr.source})",
                citation=_citation("APL:2021:58:1:1"),
                source=lr.source,
                confidence=lr.confidence,
            )
        )

    collective: list[Trigger] = []
    cd = rules.collective_discussion
    if cd.fine_at_least is not None and fine:
        trigger = _amount_trigger(
            "fine_threshold",
            cd.fine_at_least,
            facts.party,
            fine,
            "拟罚款",
            "intended fine",
            "APL:2021:57:2",
        )
        if trigger:
            collective.append(trigger)
    heavy = [k for k in cd.penalty_kinds if k in kinds]
    if heavy:
        collective.append(
            Trigger(
                code="penalty_kinds",
                reason_zh=f"拟{'、'.join(_KIND_LABELS_ZH[k] for k in heavy)}，属重大违法行为（{cd.source}）",
                reason_en=f"intended {', '.join(k.value for k in heavy)} ({cd.source})",
                citation=_citation("APL:2021:57:2"),
                source=cd.source,
                confidence=cd.confidence,
            )
        )
    if grade is not None and grade in cd.accident_grades:
        collective.append(
            Trigger(
                code="accident_grade",
                reason_zh=f"{grade.label_zh}，属重大违法行为（{cd.source}）",
                reason_en=f"{grade.value} accident ({cd.source})",
                citation=_citation("APL:2021:57:2"),
                source=cd.source,
                confidence=cd.confidence,
            )
        )
    if cd.when_reduced and tier is Tier.REDUCED:
        collective.append(
            Trigger(
                code="reduced",
                reason_zh=f"拟减轻处罚（低于法定最低罚款数额），属情节复杂（{cd.source}）",
                reason_en=f"penalty below the legal minimum ({cd.source})",
                citation=_citation("APL:2021:57:2"),
                source=cd.source,
                confidence=cd.confidence,
            )
        )
    return (
        hearing_check,
        ProcedureCheck(required=any(not t.is_conditional for t in review), triggers=tuple(review)),
        ProcedureCheck(required=bool(collective), triggers=tuple(collective)),
    )


_AMOUNT_TRIGGERS = frozenset({"large_fine", "large_confiscation", "fine_threshold"})


def _threshold_notes(
    standard: DiscretionStandard,
    hearing: ProcedureCheck,
    review: ProcedureCheck,
    collective: ProcedureCheck,
    *,
    has_fine: bool,
) -> list[SourceNote]:
    """The unverified procedure figures consulted: every amount line (when there is a fine),
    and every other unverified trigger that fired."""
    notes = []
    rules = standard.thresholds
    lines: list[tuple[str, str, AmountThreshold | None]] = [
        (
            "thresholds.hearing.large_fine",
            "听证“较大数额罚款”数额线（个人/单位）",
            rules.hearing.large_fine,
        ),
        (
            "thresholds.hearing.large_confiscation",
            "听证“没收较大数额违法所得”数额线（个人/单位）",
            rules.hearing.large_confiscation,
        ),
        (
            "thresholds.legal_review.fine_at_least",
            "法制审核数额线（个人/单位）",
            rules.legal_review.fine_at_least,
        ),
        (
            "thresholds.collective_discussion.fine_at_least",
            "集体讨论数额线（个人/单位）",
            rules.collective_discussion.fine_at_least,
        ),
    ]
    if has_fine:
        for subject, description, line in lines:
            if line is not None and line.confidence is Confidence.UNVERIFIED:
                notes.append(
                    SourceNote(
                        subject=subject,
                        description_zh=description,
                        value=f"{line.natural_person_yuan}/{line.organisation_yuan}",
                        source=line.source,
                        confidence=line.confidence,
                    )
                )
    for name, check in (
        ("hearing", hearing),
        ("legal_review", review),
        ("collective_discussion", collective),
    ):
        for t in check.triggers:
            if t.confidence is Confidence.UNVERIFIED and t.code not in _AMOUNT_TRIGGERS:
                notes.append(
                    SourceNote(
                        subject=f"thresholds.{name}.{t.code}",
                        description_zh=t.reason_zh,
                        value=t.citation.short(),
                        source=t.source,
                        confidence=t.confidence,
                    )
                )
    return notes


# ---------------------------------------------------------------- reasoning


def _reasoning(
    a: _Assessment,
    facts: FactSheet,
    art37: Art37Comparison,
    latest: Mapping[str, str],
    given: ViolationType,
    absorbed_by_zh: str | None,
) -> str:
    """The reasoning paragraph for the decision document, citing each provision applied."""
    vt = a.vt
    parts: list[str] = []
    if art37.explanation_zh:
        parts.append(art37.explanation_zh)
    # The conduct is described by the code as given (the act itself); the duty and penalty
    # provisions are those of the version applied.
    violated = _doc_labels(vt.violated_provisions, latest)
    act = f"经查，当事人存在“{given.title_zh}”的违法行为"
    parts.append(f"{act}，违反了{violated}的规定。" if violated else f"{act}。")
    party = _PARTY_LABELS_ZH[facts.party]
    basis_label = (
        _doc_labels((a.fine.citation, *a.fine.also_cites), latest)
        if a.fine
        else _doc_label(vt.penalty_provision, latest)
    )
    grade = f"（{facts.accident_grade.label_zh}）" if facts.accident_grade else ""
    stage = {
        Stage.FIRST_ORDER: "",
        Stage.OVERDUE_NOT_CORRECTED: "经责令限期改正逾期未改正的，",
        Stage.REFUSED: "拒不改正（拒不执行）的，",
        Stage.ACCIDENT: f"发生生产安全事故{grade}的，",
    }[facts.stage]
    consequences: list[str] = []
    for item in a.penalties:
        if item.applies and item.decided_by in _DEPARTMENT:
            for kind in item.kinds:
                if kind in (PenaltyKind.FINE, PenaltyKind.CONFISCATE_ILLEGAL_GAINS):
                    continue
                label = _KIND_LABELS_ZH[kind]
                if label not in consequences:
                    consequences.append(label)
    order = vt.correction_order_zh if facts.stage is Stage.FIRST_ORDER else None
    pieces = [p for p in (order, *consequences) if p]
    if PenaltyKind.CONFISCATE_ILLEGAL_GAINS in a.applied_kinds:
        pieces.append("没收违法所得")
    if a.fine is not None:
        pieces.append(("" if a.fine.is_mandatory else "可以") + a.fine.phrase_zh)
    legal = "，".join(pieces) if pieces else "依法处理"
    parts.append(f"依据{basis_label}的规定，{stage}对{party}应当{legal}。")

    def labels(codes: Iterable[str]) -> str:
        by_code = {u.code: u.label_zh for u in a.uses}
        return "、".join(by_code.get(c, c) for c in codes)

    if a.waiver is WaiverStatus.MUST and a.waiver_rule is not None:
        rule = a.waiver_rule
        parts.append(
            f"当事人{labels(rule.requires)}，依照{_apl_label(rule.citation.short())}"
            f"“{rule.text_zh.rstrip('。')}”的规定，不予行政处罚；依照"
            f"{_apl_label('APL:2021:33:3')}的规定，对当事人进行教育，并依照"
            f"{_apl_label('APL:2021:28:1')}的规定责令改正。"
        )
        return "".join(parts)
    if a.waiver is WaiverStatus.MAY and a.waiver_rule is not None:
        rule = a.waiver_rule
        parts.append(
            f"当事人{labels(rule.requires)}，依照{_apl_label(rule.citation.short())}的规定，"
            "可以不予行政处罚；决定给予行政处罚的，裁量如下。"
        )
    counted = [u for u in a.uses if u.counted]
    statutory = sorted(
        (u for u in counted if u.effect is CircumstanceEffect.STATUTORY_LIGHTER_OR_REDUCED),
        key=lambda u: u.citation.item or 0 if u.citation else 0,
    )
    lighter = [u for u in counted if u.effect is CircumstanceEffect.LIGHTER]
    heavier = [u for u in counted if u.kind is CircumstanceKind.AGGRAVATING]
    if statutory:
        cited = sorted((u.citation for u in statutory if u.citation), key=lambda c: c.item or 0)
        parts.append(
            f"当事人{labels(u.code for u in statutory)}，依照{_doc_labels(cited, {'APL': '2021'})}"
            "的规定，应当从轻或者减轻行政处罚。"
        )
    if lighter:
        parts.append(f"当事人具有{labels(u.code for u in lighter)}的从轻情节。")
    if heavier:
        parts.append(f"当事人具有{labels(u.code for u in heavier)}的从重情节。")
    if a.fine is None or a.recommended is None:
        if a.fine is not None and a.fine.shape == "daily":
            parts.append("按日连续处罚的数额按原处罚数额和持续天数核算。")
        return "".join(parts)
    tier_phrase = {
        Tier.REDUCED: "依法减轻处罚",
        Tier.LIGHTER: "依法从轻处罚",
        Tier.ORDINARY: "在法定幅度内按一般情形处罚",
        Tier.HEAVIER: "依法从重处罚",
        Tier.NONE: "",
    }[a.tier]
    others = "、".join(consequences)
    if absorbed_by_zh is not None:
        tail = f"对{party}{others}；" if others else ""
        parts.append(
            f"综合考虑违法行为的事实、性质、情节和社会危害程度，{tail}该行为与{absorbed_by_zh}所涉行为"
            f"属同一违法行为，依照{_apl_label('APL:2021:29')}的规定，按照罚款数额高的规定处罚，"
            "不再另行处以罚款。"
        )
        return "".join(parts)
    confiscation = f"没收违法所得{_yuan_zh(a.confiscation_yuan)}，" if a.confiscation_yuan else ""
    tail = f"，并{others}" if others else ""
    parts.append(
        f"综合考虑违法行为的事实、性质、情节和社会危害程度，{tier_phrase}，"
        f"对{party}{confiscation}处罚款{_yuan_zh(a.recommended)}{tail}。"
    )
    return "".join(parts)


# =========================================================================== evaluate


def _check_facts(
    facts: FactSheet,
    catalog: Catalog,
    standard: DiscretionStandard,
    decision_date: date,
    today: date,
) -> None:
    for code in facts.violation_codes:
        try:
            catalog.violation(code)
        except KeyError:
            raise _fail(
                "violation_codes", f"未知的违法行为代码：{code}", f"unknown violation code {code}"
            ) from None
    if facts.act_date > today:
        raise _fail(
            "act_date",
            f"违法行为发生日期{_date_zh(facts.act_date)}晚于今天",
            f"act_date {facts.act_date} is in the future",
        )
    if facts.act_end_date is not None and facts.act_end_date > today:
        raise _fail(
            "act_end_date",
            f"违法行为终了日期{_date_zh(facts.act_end_date)}晚于今天",
            f"act_end_date {facts.act_end_date} is in the future",
        )
    if facts.act_date > decision_date:
        raise _fail(
            "act_date",
            f"违法行为发生日期{_date_zh(facts.act_date)}晚于作出决定日期{_date_zh(decision_date)}",
            f"act_date {facts.act_date} is after decision_date {decision_date}",
        )
    if facts.act_end_date is not None and facts.act_end_date > decision_date:
        raise _fail(
            "act_end_date",
            f"违法行为终了日期{_date_zh(facts.act_end_date)}晚于作出决定日期{_date_zh(decision_date)}",
            f"act_end_date {facts.act_end_date} is after decision_date {decision_date}",
        )
    known = set(standard.circumstances.codes())
    unknown = [c for c in facts.circumstances if c not in known]
    if unknown:
        raise _fail(
            "circumstances",
            f"未知的情节代码：{'、'.join(unknown)}",
            f"unknown circumstance code(s): {', '.join(unknown)}",
        )
    conflicts = standard.circumstances.conflicts(facts.circumstances, facts.stage)
    if conflicts:
        raise _fail(
            "circumstances",
            "；".join(zh for zh, _ in conflicts),
            "; ".join(en for _, en in conflicts),
        )


def evaluate(
    facts: FactSheet,
    *,
    catalog: Catalog | None = None,
    standard: DiscretionStandard | None = None,
    today: date | None = None,
) -> Decision:
    """Decide the penalty for ``facts``. Deterministic: the same facts, catalog, standard and day
    give the same decision. Raises :class:`FactSheetError` for bad input.

    ``standard`` overrides the lookup by ``facts.jurisdiction`` and decision date; ``today`` (for
    tests) replaces today's date in China.
    """
    catalog = catalog or default_catalog()
    today = today or today_in_china()
    decision_date = facts.decision_date or today
    requested = facts.jurisdiction
    if standard is None:
        book = default_discretion()
        try:
            standard = book.standard_for(requested, decision_date)
        except LookupError:
            try:
                book.resolve_jurisdiction(requested)
            except LookupError:
                raise _fail(
                    "jurisdiction",
                    f"未知的裁量标准适用地区：{requested}（可用：{'、'.join(book.jurisdictions())}）",
                    f"unknown jurisdiction {requested}",
                ) from None
            raise _fail(
                "decision_date",
                f"{requested}没有在{_date_zh(decision_date)}施行的裁量标准版本",
                f"no discretion standard of {requested} is in force on {decision_date}",
            ) from None
    _check_facts(facts, catalog, standard, decision_date, today)
    latest = _latest_versions(catalog)

    results: list[tuple[_Assessment, Art37Comparison, list[str]]] = []
    for code in facts.violation_codes:
        results.append(_art37(catalog, code, facts, standard, decision_date, latest))

    # 行政处罚法 Art 29: the same act breaking several provisions → one fine, the higher rule.
    art29_code: str | None = None
    if facts.same_act and len(results) > 1:
        with_fine = [
            (index, r[0]) for index, r in enumerate(results) if r[0].fine and r[0].fine.legal_range
        ]
        if with_fine:

            def key(item: tuple[int, _Assessment]) -> tuple[Decimal, Decimal, Decimal, int]:
                _, a = item
                legal = a.fine.legal_range if a.fine else None
                assert legal is not None
                return (
                    legal.max_yuan if legal.max_yuan is not None else Decimal("Infinity"),
                    legal.lower,
                    a.recommended or Decimal(0),
                    -item[0],
                )

            art29_code = facts.violation_codes[max(with_fine, key=key)[0]]

    violation_decisions: list[ViolationDecision] = []
    warnings: list[str] = []
    notes: list[SourceNote] = []
    total = Decimal(0)
    all_kinds: list[PenaltyKind] = []
    confiscation_total = Decimal(0)
    lowest_tier = Tier.HEAVIER
    for code, (a, art37, art37_warnings) in zip(facts.violation_codes, results, strict=True):
        absorbed_by = art29_code if art29_code is not None and code != art29_code else None
        absorbed_by_zh = None
        if absorbed_by is not None:
            winner = results[facts.violation_codes.index(absorbed_by)][0]
            absorbed_by_zh = _doc_label(
                winner.fine.citation if winner.fine else winner.vt.penalty_provision, latest
            )
        waived = a.waiver is WaiverStatus.MUST
        fine_imposed = (
            a.fine is not None
            and a.recommended is not None
            and not waived
            and absorbed_by is None
            and a.fine.shape != "daily"
        )
        kinds = (
            ()
            if waived
            else tuple(k for k in a.applied_kinds if k is not PenaltyKind.FINE or fine_imposed)
        )
        fine_for_checks = a.recommended if fine_imposed else None
        confiscation = None if waived else a.confiscation_yuan
        hearing, review, collective = _procedures(
            standard, facts, fine_for_checks, confiscation, kinds, a.tier
        )
        vt_notes = list(a.notes) + _threshold_notes(
            standard, hearing, review, collective, has_fine=fine_for_checks is not None
        )
        vt_warnings = list(art37_warnings) + list(a.warnings)
        if not waived and not a.applied_kinds:
            others = sorted(
                {
                    _KIND_LABELS_ZH[k]
                    for p in a.penalties
                    if p.applies and p.decided_by not in _DEPARTMENT
                    for k in p.kinds
                }
            )
            vt_warnings.append(
                "本条对该当事人在该阶段没有由执法部门作出的行政处罚"
                + (f"（{'、'.join(others)}由其他机关或者单位作出）" if others else "")
                + "。"
            )
        if a.waiver is WaiverStatus.MAY:
            vt_warnings.append(
                "可以不予行政处罚（首违可不罚），由行政机关裁量决定；建议数额为决定处罚时的数额。"
            )
        if decision_date < date(2021, 7, 15):
            vt_warnings.append(
                "作出决定时施行的是修订前的《中华人民共和国行政处罚法》（文本未收录，未核实），"
                "引用的条号按2021年修订版，须按旧法核对。"
            )
        law = catalog.law(a.vt.law, a.vt.law_version)
        violation_decisions.append(
            ViolationDecision(
                code=code,
                applied_code=a.vt.code,
                title_zh=a.vt.title_zh,
                law=a.vt.law,
                law_version=a.vt.law_version,
                law_confidence=law.confidence,
                violated_provisions_zh=tuple(
                    _doc_label(c, latest) for c in a.vt.violated_provisions
                ),
                penalty_provision=a.fine.citation if a.fine else a.vt.penalty_provision,
                penalty_provision_zh=_doc_label(
                    a.fine.citation if a.fine else a.vt.penalty_provision, latest
                ),
                art37=art37,
                waiver=a.waiver,
                waiver_basis=(a.waiver_rule.citation,) if a.waiver_rule else (),
                tier=a.tier,
                fine_rule_kind=a.fine.rule_kind if a.fine else None,
                fine_is_mandatory=a.fine.is_mandatory if a.fine else True,
                legal_range=a.fine.legal_range if a.fine else None,
                tier_range=a.tier_range,
                recommended_fine_yuan=a.recommended,
                fine_imposed=fine_imposed,
                confiscation_yuan=confiscation,
                penalty_kinds=kinds,
                penalties=a.penalties,
                circumstances=a.uses,
                hearing=hearing,
                legal_review=review,
                collective_discussion=collective,
                reasoning_zh=_reasoning(
                    a, facts, art37, latest, catalog.violation(code), absorbed_by_zh
                ),
                warnings=tuple(vt_warnings),
                unverified=tuple(_unique_notes(vt_notes)),
            )
        )
        if fine_imposed and a.recommended is not None:
            total += a.recommended
        all_kinds.extend(k for k in kinds if k not in all_kinds)
        confiscation_total += confiscation or Decimal(0)
        if not waived and a.tier.rank < lowest_tier.rank:
            lowest_tier = a.tier
        warnings.extend(w for w in vt_warnings if w not in warnings)
        notes.extend(vt_notes)

    hearing, review, collective = _procedures(
        standard,
        facts,
        total if total > 0 else None,
        confiscation_total or None,
        all_kinds,
        lowest_tier,
    )
    review_triggers = list(review.triggers)
    if len(violation_decisions) > 1 and standard.thresholds.legal_review.when_several_violations:
        review_triggers.append(
            Trigger(
                code="several_violations",
                reason_zh=(
                    "同一违法行为违反多个法律规范，涉及多个法律关系"
                    if facts.same_act
                    else "一案多个违法行为，涉及多个法律关系"
                )
                + f"（{standard.thresholds.legal_review.source}）",
                reason_en="several violations / legal relationships",
                citation=_citation("APL:2021:58:1:3"),
                source=standard.thresholds.legal_review.source,
                confidence=standard.thresholds.legal_review.confidence,
            )
        )
    hearing = _merge_checks(hearing, *(vd.hearing for vd in violation_decisions))
    review = _merge_checks(
        ProcedureCheck(
            required=any(not t.is_conditional for t in review_triggers),
            triggers=tuple(review_triggers),
        ),
        *(vd.legal_review for vd in violation_decisions),
    )
    collective = _merge_checks(
        collective, *(vd.collective_discussion for vd in violation_decisions)
    )
    notes.extend(_threshold_notes(standard, hearing, review, collective, has_fine=total > 0))
    reasoning = "".join(vd.reasoning_zh for vd in violation_decisions)
    if len(violation_decisions) > 1 and not facts.same_act and total > 0:
        reasoning += f"以上违法行为分别裁量，合并处以罚款{_yuan_zh(total)}。"
    if art29_code is not None:
        warnings.append(
            f"同一违法行为违反多个规定：依照行政处罚法第二十九条按罚款数额高的规定（{art29_code}）处罚一次罚款。"
        )
    return Decision(
        facts=facts,
        decision_date=decision_date,
        standard=StandardRef(
            requested_jurisdiction=requested,
            jurisdiction=standard.jurisdiction,
            version=standard.version,
            name_zh=standard.name_zh,
            source=standard.source,
            confidence=standard.confidence,
            reused_from=standard.reused_from,
            notes=standard.notes,
        ),
        violations=tuple(violation_decisions),
        same_act=facts.same_act,
        art29_applied_code=art29_code,
        total_fine_yuan=_money(total),
        hearing=hearing,
        legal_review=review,
        collective_discussion=collective,
        reasoning_zh=reasoning,
        warnings=tuple(warnings),
        unverified=tuple(_unique_notes(notes)),
    )


def _merge_checks(first: ProcedureCheck, *others: ProcedureCheck) -> ProcedureCheck:
    triggers: list[Trigger] = []
    seen: set[tuple[str, str]] = set()
    for check in (first, *others):
        for t in check.triggers:
            key = (t.code, t.citation.short())
            if key not in seen:
                seen.add(key)
                triggers.append(t)
    return ProcedureCheck(
        required=any(c.required for c in (first, *others)), triggers=tuple(triggers)
    )


def _unique_notes(notes: Iterable[SourceNote]) -> list[SourceNote]:
    out: list[SourceNote] = []
    seen: set[tuple[str, str]] = set()
    for note in notes:
        key = (note.subject, note.value)
        if key not in seen:
            seen.add(key)
            out.append(note)
    return out
