"""The legal catalog: laws, provisions and violation types as validated, versioned data.

Plain Python (pydantic v2, PyYAML); no Django. The data lives in YAML files under
``anjian/law/data/catalog/`` (one file per law version) and is loaded with :func:`load_catalog`.
Every legal figure carries its :class:`Citation` and a :class:`Confidence`: ``confirmed`` when it
was checked against a full legal text in ``/work/shared/law/``, ``unverified`` otherwise.

Field names of the models are a stable contract (the discretion engine builds on them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from anjian.core.yamlio import load_yaml
from anjian.law.core.accidents import AccidentGrade

__all__ = [
    "DEFAULT_CATALOG_DIR",
    "LAW_TITLES_ZH",
    "AccidentGradeFine",
    "Authority",
    "Catalog",
    "CatalogError",
    "Citation",
    "ClosureTrigger",
    "ClosureTriggerKind",
    "Confidence",
    "DailyFine",
    "FineRule",
    "IncomePercentageFine",
    "Law",
    "MultipleOfGainsFine",
    "Party",
    "PenaltyKind",
    "Provision",
    "RangeFine",
    "Sanction",
    "Stage",
    "ViolationType",
    "default_catalog",
    "load_catalog",
    "zh_number",
]

DEFAULT_CATALOG_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"

#: Full Chinese titles by law code, used by :meth:`Citation.label_zh`.
LAW_TITLES_ZH: dict[str, str] = {
    "WSL": "中华人民共和国安全生产法",
    "APL": "中华人民共和国行政处罚法",
    "ARR": "生产安全事故报告和调查处理条例",
    "AEL": "中华人民共和国行政强制法",
}


# --------------------------------------------------------------------------- enums


class Confidence(StrEnum):
    CONFIRMED = "confirmed"  # checked against a full text in /work/shared/law/
    UNVERIFIED = "unverified"  # from secondary sources (LEGAL-FACTS.md marks M/L)


class Party(StrEnum):
    """Who a sanction falls on."""

    UNIT = "unit"  # 生产经营单位 (or another organisation)
    PRINCIPAL_PERSON = "principal_person"  # 主要负责人
    RESPONSIBLE_PERSON = "responsible_person"  # 直接负责的主管人员和其他直接责任人员
    MANAGER = "manager"  # 其他负责人和安全生产管理人员 (WSL 2021 Art 96)
    INVESTOR = "investor"  # 个人经营的投资人
    INDIVIDUAL = "individual"  # a natural person acting alone
    OTHER = "other"


class PenaltyKind(StrEnum):
    WARNING = "warning"  # 警告
    FINE = "fine"  # 罚款
    CONFISCATE_ILLEGAL_GAINS = "confiscate_illegal_gains"  # 没收违法所得
    CONFISCATE_ILLEGAL_PROPERTY = "confiscate_illegal_property"  # 没收非法财物
    SUSPEND_PRODUCTION = "suspend_production"  # 责令停产停业整顿 / 责令停产停业
    STOP_CONSTRUCTION = "stop_construction"  # 责令停止建设
    SUSPEND_LICENSE = "suspend_license"  # 暂扣许可证件 / 暂停资格
    REVOKE_LICENSE = "revoke_license"  # 吊销许可证件 / 吊销资格
    CLOSE = "close"  # 提请关闭 / 予以关闭
    BAN_FROM_POST = "ban_from_post"  # 五年内 / 终身不得担任主要负责人
    DETENTION = "detention"  # 拘留 (by the police)
    DISCIPLINARY = "disciplinary"  # 处分 (降级、撤职: not an administrative penalty)
    OTHER = "other"


class Stage(StrEnum):
    """When in the enforcement sequence a sanction applies."""

    FIRST_ORDER = "first_order"  # with the 责令（限期）改正 order
    OVERDUE_NOT_CORRECTED = "overdue_not_corrected"  # 逾期未改正
    REFUSED = "refused"  # 拒不改正 / 拒不执行
    ACCIDENT = "accident"  # 导致发生生产安全事故 / the accident itself
    ANY = "any"


class Authority(StrEnum):
    """Who decides the sanction (WSL 2021 Art 115)."""

    SUPERVISING_DEPARTMENT = "supervising_department"  # 负有安全生产监督管理职责的部门
    EMERGENCY_MANAGEMENT = "emergency_management"  # 应急管理部门 (named in the article)
    GOVERNMENT = "government"  # 县级以上人民政府 (closure)
    POLICE = "police"  # 公安机关 (detention)
    EMPLOYER_OR_SUPERIOR = "employer_or_superior"  # 处分 by the appointing body
    OTHER = "other"


class ClosureTriggerKind(StrEnum):
    REPEATED_PENALTIES = "repeated_penalties"
    STILL_UNSAFE_AFTER_SUSPENSION = "still_unsafe_after_suspension"
    MAJOR_ACCIDENT = "major_accident"
    REFUSED_SUSPENSION = "refused_suspension"
    OTHER = "other"


# --------------------------------------------------------------------------- helpers

_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Chinese numeral as used in article numbers: 1 → 一, 10 → 十, 97 → 九十七, 105 → 一百零五,
    110 → 一百一十, 1000 → 一千."""
    if n < 0 or n > 9999:
        raise ValueError(f"zh_number supports 0..9999, got {n}")
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + (_ZH_DIGITS[n - 10] if n > 10 else "")
    digits = [n // 1000, n // 100 % 10, n // 10 % 10, n % 10]
    names = ["千", "百", "十", ""]
    out = ""
    zero_pending = False
    for digit, name in zip(digits, names, strict=True):
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out += "零"
            zero_pending = False
        out += _ZH_DIGITS[digit] + name
    return out


_CITATION_RE = re.compile(
    r"^(?P<law>[A-Z]+):(?P<version>[0-9A-Za-z]+):(?P<article>\d+)"
    r"(?::(?P<paragraph>\d+|-))?(?::(?P<item>\d+))?$"
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


# --------------------------------------------------------------------------- models


class Citation(_Frozen):
    """A pointer into a law: law code, version, article, paragraph (款) and item (项).

    YAML accepts a mapping or the short form ``"LAW:VERSION:ARTICLE[:PARAGRAPH|-[:ITEM]]"``,
    e.g. ``"WSL:2021:97"``, ``"WSL:2021:114:1:4"``, ``"WSL:2021:97:-:3"`` (item without paragraph).
    """

    law: str = Field(min_length=2)
    law_version: str = Field(min_length=2)
    article: int = Field(ge=1)
    paragraph: int | None = Field(default=None, ge=1)
    item: int | None = Field(default=None, ge=1)
    text_zh: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _parse_short_form(cls, data: Any) -> Any:
        if isinstance(data, str):
            match = _CITATION_RE.match(data.strip())
            if not match:
                raise ValueError(
                    f"bad citation {data!r}: expected LAW:VERSION:ARTICLE[:PARAGRAPH|-[:ITEM]]"
                )
            paragraph = match["paragraph"]
            return {
                "law": match["law"],
                "law_version": match["version"],
                "article": int(match["article"]),
                "paragraph": int(paragraph) if paragraph and paragraph != "-" else None,
                "item": int(match["item"]) if match["item"] else None,
            }
        return data

    def short(self) -> str:
        """The short form, e.g. ``WSL:2021:97:-:3``."""
        parts = [self.law, self.law_version, str(self.article)]
        if self.paragraph is not None or self.item is not None:
            parts.append(str(self.paragraph) if self.paragraph is not None else "-")
        if self.item is not None:
            parts.append(str(self.item))
        return ":".join(parts)

    def label_zh(self) -> str:
        """E.g. 《中华人民共和国安全生产法》（2021）第九十七条第（三）项."""
        title = LAW_TITLES_ZH.get(self.law, self.law)
        label = f"《{title}》（{self.law_version}）第{zh_number(self.article)}条"
        if self.paragraph is not None:
            label += f"第{zh_number(self.paragraph)}款"
        if self.item is not None:
            label += f"第（{zh_number(self.item)}）项"
        return label

    def label_en(self) -> str:
        label = f"{self.law} {self.law_version} Art {self.article}"
        if self.paragraph is not None:
            label += f" para {self.paragraph}"
        if self.item is not None:
            label += f" item {self.item}"
        return label

    def same_place(self, other: Citation) -> bool:
        """True when both point to the same law version, article, paragraph and item."""
        return (self.law, self.law_version, self.article, self.paragraph, self.item) == (
            other.law,
            other.law_version,
            other.article,
            other.paragraph,
            other.item,
        )


class Law(_Frozen):
    code: str = Field(min_length=2)  # WSL, APL, ARR, AEL
    title_zh: str
    title_en: str
    version: str  # "2021", "2014", ...
    valid_from: date
    valid_to: date | None = None  # exclusive: the first day it no longer applies
    source: str | None = None  # file name in /work/shared/law/, None when no text is held
    confidence: Confidence
    article_count: int | None = Field(default=None, ge=1)  # highest article number
    notes: str | None = None

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class Provision(_Frozen):
    citation: Citation
    short_title_zh: str
    text_zh: str | None = None  # copied from the law file; None only when unverified
    valid_from: date
    valid_to: date | None = None
    confidence: Confidence = Confidence.CONFIRMED
    notes: str | None = None
    #: Named figures the provision sets, for procedure code (e.g. ``simple_procedure_max_fine_
    #: organisation_yuan: 3000``, ``hearing_request_working_days: 5``). Amounts in yuan, periods
    #: in days; the key says the unit.
    figures: dict[str, int | Decimal | str] = Field(default_factory=dict)


class RangeFine(_Frozen):
    """A fine between two amounts of yuan. ``None`` means open (以下 → min None, 以上 → max None).

    In the laws catalogued here 以上/以下 include the figure (刑法 Art 99 usage), so both bounds
    are inclusive by default.
    """

    kind: Literal["range"] = "range"
    min_yuan: int | None = Field(default=None, ge=0)
    max_yuan: int | None = Field(default=None, ge=0)
    min_inclusive: bool = True
    max_inclusive: bool = True

    @model_validator(mode="after")
    def _check_order(self) -> RangeFine:
        if (
            self.min_yuan is not None
            and self.max_yuan is not None
            and self.min_yuan > self.max_yuan
        ):
            raise ValueError(f"min_yuan {self.min_yuan} > max_yuan {self.max_yuan}")
        return self

    def contains(self, amount_yuan: int | Decimal) -> bool:
        """True when the amount lies within the range (honouring inclusive bounds)."""
        if self.min_yuan is not None:
            below = amount_yuan < self.min_yuan
            if below or (not self.min_inclusive and amount_yuan == self.min_yuan):
                return False
        if self.max_yuan is not None:
            above = amount_yuan > self.max_yuan
            if above or (not self.max_inclusive and amount_yuan == self.max_yuan):
                return False
        return True


class MultipleOfGainsFine(_Frozen):
    """A multiple of the illegal gains (违法所得), e.g. WSL 2021 Art 103: gains ≥ 10万 → 2–5×,
    otherwise (no gains or under 10万) the ``fallback`` range."""

    kind: Literal["multiple_of_illegal_gains"] = "multiple_of_illegal_gains"
    min_multiple: Decimal = Field(ge=0)
    max_multiple: Decimal = Field(ge=0)
    applies_when_gains_at_least_yuan: int | None = Field(default=None, ge=0)
    fallback: RangeFine | None = None
    fallback_is_optional: bool = False  # 单处或者并处 (fallback fine may stand alone or join)

    @model_validator(mode="after")
    def _check_order(self) -> MultipleOfGainsFine:
        if self.min_multiple > self.max_multiple:
            raise ValueError(f"min_multiple {self.min_multiple} > max_multiple {self.max_multiple}")
        return self


class IncomePercentageFine(_Frozen):
    """A percentage of the person's income of the previous year (上一年年收入).

    Either a range (``min_percent``–``max_percent``) or one figure per accident grade
    (``by_grade``, e.g. WSL 2021 Art 95: 40/60/80/100).
    """

    kind: Literal["income_percentage"] = "income_percentage"
    min_percent: int | None = Field(default=None, ge=0, le=100)
    max_percent: int | None = Field(default=None, ge=0, le=100)
    by_grade: dict[AccidentGrade, int] | None = None
    income_basis_zh: str = "上一年年收入"

    @model_validator(mode="after")
    def _check_shape(self) -> IncomePercentageFine:
        if self.by_grade is None and self.min_percent is None and self.max_percent is None:
            raise ValueError("income_percentage needs min/max_percent or by_grade")
        if (
            self.min_percent is not None
            and self.max_percent is not None
            and self.min_percent > self.max_percent
        ):
            raise ValueError(f"min_percent {self.min_percent} > max_percent {self.max_percent}")
        for grade, percent in (self.by_grade or {}).items():
            if not 0 <= percent <= 100:
                raise ValueError(f"percent for {grade} out of 0..100: {percent}")
        return self


class DailyFine(_Frozen):
    """按日连续处罚 (WSL 2021 Art 112): each day, the original fine again, from the day after the
    correction order, while the unit refuses to correct."""

    kind: Literal["daily"] = "daily"
    multiple_of_original: Decimal = Decimal(1)
    starts_zh: str = "自作出责令改正之日的次日起"
    requires_zh: str = "被责令改正且受到罚款处罚，拒不改正"


class AccidentGradeFine(_Frozen):
    """A fine band per accident grade, with an optional aggravation multiplier
    (WSL 2021 Art 114: 情节特别严重、影响特别恶劣 → 2–5× the band)."""

    kind: Literal["by_accident_grade"] = "by_accident_grade"
    bands: dict[AccidentGrade, RangeFine]
    aggravation_min_multiple: Decimal | None = None
    aggravation_max_multiple: Decimal | None = None
    aggravation_condition_zh: str | None = None
    aggravation_citation: Citation | None = None
    #: False when the text says 可以 (WSL 2021 Art 114 para 2), True when it says 处/应当.
    aggravation_is_mandatory: bool = False
    #: Absolute bands "情节特别严重的" per grade (WSL 2014 Art 109 style), instead of multiples.
    aggravated_bands: dict[AccidentGrade, RangeFine] | None = None

    @model_validator(mode="after")
    def _check(self) -> AccidentGradeFine:
        if not self.bands:
            raise ValueError("by_accident_grade needs at least one band")
        if self.aggravated_bands is not None and self.aggravation_condition_zh is None:
            raise ValueError("aggravated_bands need aggravation_condition_zh")
        low, high = self.aggravation_min_multiple, self.aggravation_max_multiple
        if (low is None) != (high is None):
            raise ValueError("aggravation needs both min and max multiple")
        if low is not None and high is not None and low > high:
            raise ValueError(f"aggravation_min_multiple {low} > aggravation_max_multiple {high}")
        return self

    def band(self, grade: AccidentGrade) -> RangeFine | None:
        return self.bands.get(grade)


FineRule = Annotated[
    RangeFine | MultipleOfGainsFine | IncomePercentageFine | DailyFine | AccidentGradeFine,
    Field(discriminator="kind"),
]


class Sanction(_Frozen):
    """One consequence for one party at one stage, as the article states it."""

    party: Party
    kinds: tuple[PenaltyKind, ...] = Field(min_length=1)
    fine: FineRule | None = None
    is_mandatory: bool = True  # 应当 / 处 (True) vs 可以 (False)
    stage: Stage = Stage.FIRST_ORDER
    citation: Citation
    condition_zh: str | None = None  # e.g. 情节严重的 / 导致发生生产安全事故的
    decided_by: Authority = Authority.SUPERVISING_DEPARTMENT
    ban_years: int | None = Field(default=None, ge=1)  # ban_from_post for N years
    ban_lifetime: bool = False  # ban_from_post for life
    detention_max_days: int | None = Field(default=None, ge=1)  # detention: at most N days
    confidence: Confidence = Confidence.CONFIRMED
    notes: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Sanction:
        has_fine_kind = PenaltyKind.FINE in self.kinds
        if has_fine_kind and self.fine is None:
            raise ValueError("kinds has 'fine' but no fine rule is given")
        if self.fine is not None and not has_fine_kind:
            raise ValueError("a fine rule is given but kinds lacks 'fine'")
        if (self.ban_years is not None or self.ban_lifetime) and (
            PenaltyKind.BAN_FROM_POST not in self.kinds
        ):
            raise ValueError("ban_years/ban_lifetime need kind 'ban_from_post'")
        return self


class ClosureTrigger(_Frozen):
    """A situation that obliges the department to ask the government to close the unit
    (WSL 2021 Art 113)."""

    kind: ClosureTriggerKind
    description_zh: str
    citation: Citation
    requires_major_hazard: bool = False  # 存在重大事故隐患
    penalty_count: int | None = Field(default=None, ge=1)  # N administrative penalties ...
    window_days: int | None = Field(default=None, ge=1)  # ... within N days
    window_years: int | None = Field(default=None, ge=1)  # ... or within N years
    confidence: Confidence = Confidence.CONFIRMED


class ViolationType(_Frozen):
    """A violation (案由) with its duty provision(s), penalty provision and sanctions."""

    code: str = Field(pattern=r"^[A-Z]+[0-9]{4}-[0-9]{3}(-[0-9]{2}){0,2}[a-z]?$")
    title_zh: str
    description_zh: str
    violated_provisions: tuple[Citation, ...] = ()
    penalty_provision: Citation
    sanctions: tuple[Sanction, ...] = Field(min_length=1)
    valid_from: date
    valid_to: date | None = None  # exclusive
    law_version: str
    confidence: Confidence
    notes: str | None = None
    elements_zh: tuple[str, ...] = ()
    #: Code of the same violation in the next law version (one-to-one), or None.
    successor: str | None = None
    #: All codes that continue this violation in the next law version (one-to-many, e.g. WSL 2014
    #: Art 94 → every WSL 2021 Art 97 item). Filled from ``successor`` when only that is given.
    successors: tuple[str, ...] = ()
    closure_triggers: tuple[ClosureTrigger, ...] = ()
    crime_referral: bool = False  # 构成犯罪的，依照刑法有关规定追究刑事责任
    #: The order that accompanies the penalty, as the article words it (行政处罚法 Art 28),
    #: e.g. 责令限期改正 / 责令立即消除或者限期消除 / 责令改正.
    correction_order_zh: str | None = None
    title_en: str | None = None

    @model_validator(mode="after")
    def _link_successors(self) -> ViolationType:
        if self.successor is not None and not self.successors:
            object.__setattr__(self, "successors", (self.successor,))
        elif self.successor is None and len(self.successors) == 1:
            object.__setattr__(self, "successor", self.successors[0])
        elif self.successor is not None and self.successor not in self.successors:
            raise ValueError(f"successor {self.successor} is not in successors")
        return self

    @property
    def law(self) -> str:
        return self.penalty_provision.law

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)

    def sanctions_for(
        self, party: Party | None = None, stage: Stage | None = None
    ) -> tuple[Sanction, ...]:
        return tuple(
            s
            for s in self.sanctions
            if (party is None or s.party == party) and (stage is None or s.stage == stage)
        )

    def fine_rules(self) -> tuple[FineRule, ...]:
        return tuple(s.fine for s in self.sanctions if s.fine is not None)


class CatalogError(Exception):
    """Raised by :func:`load_catalog` with every problem found (``problems``: one line each)."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems: list[str] = list(problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the legal catalog:\n"
            + "\n".join(f"- {p}" for p in self.problems)
        )


class Catalog(_Frozen):
    laws: tuple[Law, ...]
    provisions: tuple[Provision, ...] = ()
    violation_types: tuple[ViolationType, ...] = ()

    _by_code: dict[str, ViolationType] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_code = {v.code: v for v in self.violation_types}

    def violation(self, code: str) -> ViolationType:
        """The violation type with this code; KeyError if unknown."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown violation type {code!r}") from None

    def law(self, code: str, version: str) -> Law:
        for law in self.laws:
            if law.code == code and law.version == version:
                return law
        raise KeyError(f"unknown law {code} {version}")

    def law_in_force(self, code: str, on: date) -> Law | None:
        """The version of law ``code`` that applies on ``on`` (None if none does)."""
        for law in self.laws:
            if law.code == code and law.is_in_force(on):
                return law
        return None

    def in_force(self, on: date) -> list[ViolationType]:
        """Violation types valid on ``on`` (valid_from ≤ on < valid_to), in catalog order."""
        return [v for v in self.violation_types if v.is_in_force(on)]

    def search(self, keyword: str) -> list[ViolationType]:
        """Violation types whose code, title, description, elements or notes contain keyword."""
        needle = keyword.strip().lower()
        if not needle:
            return []
        found = []
        for v in self.violation_types:
            haystack = " ".join(
                [v.code, v.title_zh, v.description_zh, v.title_en or "", v.notes or ""]
                + list(v.elements_zh)
            ).lower()
            if needle in haystack:
                found.append(v)
        return found

    def by_article(self, law: str, article: int, version: str | None = None) -> list[ViolationType]:
        """Violation types whose penalty provision is this article (of any version unless given)."""
        return [
            v
            for v in self.violation_types
            if v.penalty_provision.law == law
            and v.penalty_provision.article == article
            and (version is None or v.penalty_provision.law_version == version)
        ]

    def provision(self, citation: Citation) -> Provision | None:
        """The provision at exactly this place, else the enclosing one (item → paragraph → article)."""
        candidates = [
            (citation.paragraph, citation.item),
            (citation.paragraph, None),
            (None, None),
        ]
        for paragraph, item in candidates:
            for p in self.provisions:
                c = p.citation
                if (
                    c.law == citation.law
                    and c.law_version == citation.law_version
                    and c.article == citation.article
                    and c.paragraph == paragraph
                    and c.item == item
                ):
                    return p
        return None

    def successor_of(self, code: str) -> ViolationType | None:
        """The one successor in the next law version (None if none or several)."""
        successor = self.violation(code).successor
        return self._by_code.get(successor) if successor else None

    def successors_of(self, code: str) -> list[ViolationType]:
        """Every violation type of the next law version that continues ``code``."""
        return [self._by_code[c] for c in self.violation(code).successors if c in self._by_code]

    def predecessors_of(self, code: str) -> list[ViolationType]:
        """Violation types of earlier law versions that ``code`` continues."""
        return [v for v in self.violation_types if code in v.successors]

    def version_for_act(self, code: str, acted_on: date) -> ViolationType | None:
        """The version of violation ``code`` (or of one of its predecessors) in force on the day
        of the act, for 行政处罚法 Art 37 (从旧兼从轻). None when no catalogued version applies."""
        seen: set[str] = set()
        queue = [self.violation(code)]
        while queue:
            current = queue.pop(0)
            if current.code in seen:
                continue
            seen.add(current.code)
            if current.is_in_force(acted_on):
                return current
            queue.extend(self.predecessors_of(current.code))
        return None

    def continuing_fine_rule(self, law: str, version: str) -> ViolationType | None:
        """The 按日连续处罚 rule of this law version (WSL 2021 Art 112), if catalogued."""
        for v in self.violation_types:
            if (
                v.penalty_provision.law == law
                and v.law_version == version
                and any(isinstance(s.fine, DailyFine) for s in v.sanctions)
            ):
                return v
        return None

    def closure_triggers(self, law: str, version: str) -> tuple[ClosureTrigger, ...]:
        """All closure triggers of this law version (WSL 2021 Art 113)."""
        return tuple(
            t
            for v in self.violation_types
            if v.penalty_provision.law == law and v.law_version == version
            for t in v.closure_triggers
        )

    def unverified(self) -> list[ViolationType | Provision | Law]:
        """Every law, provision and violation type marked unverified."""
        items: list[ViolationType | Provision | Law] = []
        items.extend(law for law in self.laws if law.confidence is Confidence.UNVERIFIED)
        items.extend(p for p in self.provisions if p.confidence is Confidence.UNVERIFIED)
        items.extend(v for v in self.violation_types if v.confidence is Confidence.UNVERIFIED)
        return items


# --------------------------------------------------------------------------- loader


def _fill_defaults(raw_vt: dict[str, Any], law: dict[str, Any]) -> dict[str, Any]:
    """Fill a violation type's omitted fields from its file's law (version, dates, confidence)
    and each sanction's citation/confidence from the violation type."""
    vt = dict(raw_vt)
    vt.setdefault("law_version", law.get("version"))
    vt.setdefault("valid_from", law.get("valid_from"))
    vt.setdefault("valid_to", law.get("valid_to"))
    vt.setdefault("confidence", law.get("confidence"))
    sanctions = []
    for raw_sanction in vt.get("sanctions") or []:
        sanction = dict(raw_sanction) if isinstance(raw_sanction, dict) else raw_sanction
        if isinstance(sanction, dict):
            sanction.setdefault("citation", vt.get("penalty_provision"))
            sanction.setdefault("confidence", vt.get("confidence"))
        sanctions.append(sanction)
    vt["sanctions"] = sanctions
    triggers = []
    for raw_trigger in vt.get("closure_triggers") or []:
        trigger = dict(raw_trigger) if isinstance(raw_trigger, dict) else raw_trigger
        if isinstance(trigger, dict):
            trigger.setdefault("citation", vt.get("penalty_provision"))
            trigger.setdefault("confidence", vt.get("confidence"))
        triggers.append(trigger)
    vt["closure_triggers"] = triggers
    return vt


def _fill_provision_defaults(raw: dict[str, Any], law: dict[str, Any]) -> dict[str, Any]:
    provision = dict(raw)
    provision.setdefault("valid_from", law.get("valid_from"))
    provision.setdefault("valid_to", law.get("valid_to"))
    provision.setdefault("confidence", law.get("confidence"))
    return provision


def _format_validation_error(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in error.errors()
    )


def _iter_citations(vt: ViolationType) -> Iterator[tuple[str, Citation]]:
    yield "penalty_provision", vt.penalty_provision
    for i, c in enumerate(vt.violated_provisions):
        yield f"violated_provisions[{i}]", c
    for i, s in enumerate(vt.sanctions):
        yield f"sanctions[{i}].citation", s.citation
        if isinstance(s.fine, AccidentGradeFine) and s.fine.aggravation_citation is not None:
            yield f"sanctions[{i}].fine.aggravation_citation", s.fine.aggravation_citation
    for i, t in enumerate(vt.closure_triggers):
        yield f"closure_triggers[{i}].citation", t.citation


def _check_dates(start: date, end: date | None) -> str | None:
    if end is not None and not start < end:
        return f"valid_from {start} is not before valid_to {end}"
    return None


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate every ``*.yaml`` file under ``path`` (default: the packaged catalog).

    Each file holds one law version: ``law`` (a :class:`Law`), ``provisions`` and
    ``violation_types``. Raises :class:`CatalogError` listing every problem (file and code).
    """
    directory = Path(path) if path is not None else DEFAULT_CATALOG_DIR
    files = sorted(directory.rglob("*.yaml")) if directory.is_dir() else [directory]
    problems: list[str] = []
    if not files or not all(f.exists() for f in files):
        raise CatalogError([f"{directory}: no catalog YAML files found"])

    laws: list[Law] = []
    provisions: list[Provision] = []
    violations: list[tuple[str, ViolationType]] = []

    for file in files:
        name = file.name
        try:
            document = load_yaml(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(f"{name}: invalid YAML: {exc}")
            continue
        if not isinstance(document, dict) or "law" not in document:
            problems.append(f"{name}: top level must be a mapping with a 'law' key")
            continue
        unknown_keys = set(document) - {"law", "provisions", "violation_types"}
        if unknown_keys:
            problems.append(f"{name}: unknown top-level keys {sorted(unknown_keys)}")
        raw_law = document["law"]
        if not isinstance(raw_law, dict):
            problems.append(f"{name}: 'law' must be a mapping")
            continue
        try:
            law = Law.model_validate(raw_law)
            laws.append(law)
            if problem := _check_dates(law.valid_from, law.valid_to):
                problems.append(f"{name}: law {law.code} {law.version}: {problem}")
        except ValidationError as exc:
            problems.append(f"{name}: law: {_format_validation_error(exc)}")
            continue

        for index, raw in enumerate(document.get("provisions") or []):
            label = f"provision #{index + 1}"
            try:
                provision = Provision.model_validate(_fill_provision_defaults(raw, raw_law))
            except (ValidationError, TypeError, ValueError) as exc:
                detail = (
                    _format_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)
                )
                problems.append(f"{name}: {label}: {detail}")
                continue
            label = f"provision {provision.citation.short()}"
            provisions.append(provision)
            if provision.confidence is Confidence.CONFIRMED and not provision.text_zh:
                problems.append(f"{name}: {label}: confirmed provision without text_zh")
            if problem := _check_dates(provision.valid_from, provision.valid_to):
                problems.append(f"{name}: {label}: {problem}")

        for index, raw in enumerate(document.get("violation_types") or []):
            code = raw.get("code") if isinstance(raw, dict) else None
            label = f"violation type {code or f'#{index + 1}'}"
            if not isinstance(raw, dict):
                problems.append(f"{name}: {label}: must be a mapping")
                continue
            try:
                violation = ViolationType.model_validate(_fill_defaults(raw, raw_law))
            except ValidationError as exc:
                problems.append(f"{name}: {label}: {_format_validation_error(exc)}")
                continue
            violations.append((name, violation))

    # ---- cross-checks
    law_keys = {(law.code, law.version): law for law in laws}
    seen_laws: dict[tuple[str, str], int] = {}
    for law in laws:
        seen_laws[(law.code, law.version)] = seen_laws.get((law.code, law.version), 0) + 1
    for (code, version), count in seen_laws.items():
        if count > 1:
            problems.append(f"law {code} {version} is defined in {count} files")

    def check_citation(where: str, citation: Citation) -> None:
        law = law_keys.get((citation.law, citation.law_version))
        if law is None:
            problems.append(
                f"{where}: citation {citation.short()} names unknown law "
                f"{citation.law} {citation.law_version}"
            )
        elif law.article_count is not None and citation.article > law.article_count:
            problems.append(
                f"{where}: citation {citation.short()} article {citation.article} is beyond "
                f"the last article ({law.article_count}) of {law.code} {law.version}"
            )

    seen_provisions: set[str] = set()
    for provision in provisions:
        key = provision.citation.short()
        if key in seen_provisions:
            problems.append(f"provision {key} is defined twice")
        seen_provisions.add(key)
        check_citation(f"provision {key}", provision.citation)

    seen_codes: dict[str, str] = {}
    for file_name, violation in violations:
        where = f"{file_name}: violation type {violation.code}"
        if violation.code in seen_codes:
            problems.append(
                f"{where}: duplicate code (first defined in {seen_codes[violation.code]})"
            )
        else:
            seen_codes[violation.code] = file_name
        if problem := _check_dates(violation.valid_from, violation.valid_to):
            problems.append(f"{where}: {problem}")
        for field_name, citation in _iter_citations(violation):
            check_citation(f"{where}: {field_name}", citation)
        if violation.penalty_provision.law_version != violation.law_version:
            problems.append(
                f"{where}: penalty_provision version {violation.penalty_provision.law_version} "
                f"differs from law_version {violation.law_version}"
            )
        for i, sanction in enumerate(violation.sanctions):
            if (
                violation.confidence is Confidence.UNVERIFIED
                and sanction.confidence is Confidence.CONFIRMED
            ):
                problems.append(
                    f"{where}: sanctions[{i}] is confirmed inside an unverified violation type"
                )
            cited_law = law_keys.get((sanction.citation.law, sanction.citation.law_version))
            if (
                cited_law is not None
                and cited_law.confidence is Confidence.UNVERIFIED
                and sanction.confidence is Confidence.CONFIRMED
            ):
                problems.append(
                    f"{where}: sanctions[{i}] is confirmed but cites unverified "
                    f"{cited_law.code} {cited_law.version}"
                )
    for file_name, violation in violations:
        for successor in violation.successors:
            if successor not in seen_codes:
                problems.append(
                    f"{file_name}: violation type {violation.code}: successor "
                    f"{successor} is not a known code"
                )

    if problems:
        raise CatalogError(problems)
    return Catalog(
        laws=tuple(laws),
        provisions=tuple(provisions),
        violation_types=tuple(v for _, v in violations),
    )


@functools.lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The packaged catalog, loaded once per process."""
    return load_catalog()
