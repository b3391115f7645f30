"""The inspection item list (检查事项清单) as versioned data: parse and validate the YAML.

Plain Python (no Django): every catalog citation must resolve in the legal catalog
(``default_catalog().provision``); a citation of a law the catalog does not hold must name a law
declared under ``external_laws`` and carry a verbatim ``quote`` of the text; every violation code
must be a catalog violation type. :func:`load_item_list` raises :class:`ItemListError` listing
every problem. The result is what ``services.publish_item_list`` stores.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from anjian.law.core.catalog import LAW_TITLES_ZH, Catalog, Citation, default_catalog, zh_number

DEFAULT_ITEM_LIST = Path(__file__).resolve().parent / "data" / "items-2026.yaml"

DOMAINS = {"work_safety", "occupational_health"}
CATEGORIES = {"general", "industry"}
KEY_TAGS = {
    "coal_mine",
    "non_coal_mine",
    "hazchem_production",
    "hazchem_operation",
    "hazchem_storage",
    "ammonia_refrigeration",
    "combustible_dust",
    "confined_space",
    "major_hazard_source",
    "blacklist",
    "labour_intensive",
    "occupational_hazard",
}
_CODE_RE = re.compile(r"^[A-Z0-9]{1,8}-[0-9]{2,3}$")


class ItemListError(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{len(problems)} problem(s) in the item list:\n"
            + "\n".join(f"- {p}" for p in problems)
        )


@dataclass(frozen=True)
class ExternalLaw:
    code: str
    version: str
    title_zh: str
    source: str
    article_count: int | None = None
    note: str = ""


@dataclass(frozen=True)
class BasisEntry:
    citation: str
    label: str
    text: str
    in_catalog: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation,
            "label": self.label,
            "text": self.text,
            "in_catalog": self.in_catalog,
        }


@dataclass(frozen=True)
class ItemData:
    code: str
    title: str
    domain: str
    category: str
    check_points: str
    basis: tuple[BasisEntry, ...]
    violation_codes: tuple[str, ...]
    industries: tuple[str, ...]
    tags: tuple[str, ...]
    executing_body: str
    responsibility: str
    note: str
    position: int


@dataclass(frozen=True)
class ItemListData:
    title: str
    edition: str
    notes: str
    external_laws: dict[str, ExternalLaw]
    items: tuple[ItemData, ...]
    source_name: str = ""
    source_sha256: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def external_label(citation: Citation, law: ExternalLaw) -> str:
    label = f"《{law.title_zh}》（{law.version}）第{zh_number(citation.article)}条"
    if citation.paragraph is not None:
        label += f"第{zh_number(citation.paragraph)}款"
    if citation.item is not None:
        label += f"第（{zh_number(citation.item)}）项"
    return label


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_item_list(
    document: Any, *, catalog: Catalog | None = None, source_name: str = "", source_sha256: str = ""
) -> ItemListData:
    """Validate a parsed YAML document; raise :class:`ItemListError` with every problem."""
    catalog = catalog or default_catalog()
    problems: list[str] = []
    if not isinstance(document, dict):
        raise ItemListError(["top level must be a mapping with 'list' and 'items'"])
    unknown = set(document) - {"list", "external_laws", "defaults", "items"}
    if unknown:
        problems.append(f"unknown top-level keys {sorted(unknown)}")
    header = document.get("list") or {}
    if not isinstance(header, dict) or not header.get("title"):
        problems.append("list.title is required")
        header = header if isinstance(header, dict) else {}
    defaults = document.get("defaults") or {}

    externals: dict[str, ExternalLaw] = {}
    for code, raw in (document.get("external_laws") or {}).items():
        if not isinstance(raw, dict) or not raw.get("version") or not raw.get("title_zh"):
            problems.append(f"external_laws.{code}: version and title_zh are required")
            continue
        if not raw.get("source"):
            problems.append(f"external_laws.{code}: source (the text in ../shared/law) is required")
        if any(law.code == code for law in catalog.laws) or code in LAW_TITLES_ZH:
            problems.append(f"external_laws.{code}: the legal catalog already holds this law")
        externals[code] = ExternalLaw(
            code=code,
            version=str(raw["version"]),
            title_zh=str(raw["title_zh"]),
            source=str(raw.get("source") or ""),
            article_count=raw.get("article_count"),
            note=_text(raw.get("note")),
        )
    catalog_laws = {(law.code, law.version) for law in catalog.laws}

    items: list[ItemData] = []
    seen: set[str] = set()
    raw_items = document.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("items must be a non-empty list")
        raw_items = []
    for position, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            problems.append(f"item #{position}: must be a mapping")
            continue
        code = str(raw.get("code") or "")
        where = f"item {code or f'#{position}'}"
        allowed = {
            "code",
            "title",
            "domain",
            "category",
            "check",
            "basis",
            "violation_codes",
            "applies_to",
            "executing_body",
            "responsibility",
            "note",
        }
        if set(raw) - allowed:
            problems.append(f"{where}: unknown keys {sorted(set(raw) - allowed)}")
        if not _CODE_RE.match(code):
            problems.append(f"{where}: code must look like GEN-01 / HC-02")
        if code in seen:
            problems.append(f"{where}: duplicate code")
        seen.add(code)
        domain = str(raw.get("domain") or "")
        if domain not in DOMAINS:
            problems.append(f"{where}: domain must be one of {sorted(DOMAINS)}")
        category = str(raw.get("category") or "general")
        if category not in CATEGORIES:
            problems.append(f"{where}: category must be one of {sorted(CATEGORIES)}")
        for key in ("title", "check", "responsibility"):
            if not _text(raw.get(key)):
                problems.append(f"{where}: {key} is required")
        applies = raw.get("applies_to") or {}
        industries = tuple(str(i) for i in applies.get("industries") or ())
        tags = tuple(str(t) for t in applies.get("tags") or ())
        for industry in industries:
            if not re.fullmatch(r"[0-9]{2,4}", industry):
                problems.append(f"{where}: industry prefix {industry!r} is not a GB/T 4754 code")
        for tag in tags:
            if tag not in KEY_TAGS:
                problems.append(f"{where}: unknown key-supervision tag {tag!r}")
        if category == "general" and (industries or tags):
            problems.append(f"{where}: a general item applies to everyone (no applies_to)")
        if category == "industry" and not (industries or tags):
            problems.append(f"{where}: an industry item needs applies_to industries or tags")

        basis: list[BasisEntry] = []
        raw_basis = raw.get("basis") or []
        if not raw_basis:
            problems.append(f"{where}: basis (legal basis) is required")
        for entry in raw_basis:
            short = entry.get("citation") if isinstance(entry, dict) else entry
            quote = _text(entry.get("quote")) if isinstance(entry, dict) else ""
            try:
                citation = Citation.model_validate(str(short))
            except ValueError as exc:
                problems.append(f"{where}: bad citation {short!r}: {exc}")
                continue
            if (citation.law, citation.law_version) in catalog_laws:
                provision = catalog.provision(citation)
                if provision is None:
                    problems.append(
                        f"{where}: citation {citation.short()} is not a provision of the legal catalog"
                    )
                    continue
                basis.append(
                    BasisEntry(
                        citation=citation.short(),
                        label=citation.label_zh(),
                        text=quote or (provision.text_zh or ""),
                        in_catalog=True,
                    )
                )
                continue
            law = externals.get(citation.law)
            if law is None or law.version != citation.law_version:
                problems.append(
                    f"{where}: citation {citation.short()} names a law that is neither in the "
                    "legal catalog nor declared under external_laws"
                )
                continue
            if law.article_count is not None and citation.article > law.article_count:
                problems.append(
                    f"{where}: citation {citation.short()} is beyond the last article "
                    f"({law.article_count})"
                )
            if not quote:
                problems.append(
                    f"{where}: citation {citation.short()} of a law outside the catalog needs a quote"
                )
            basis.append(
                BasisEntry(
                    citation=citation.short(),
                    label=external_label(citation, law),
                    text=quote,
                    in_catalog=False,
                )
            )
        violation_codes = tuple(str(c) for c in raw.get("violation_codes") or ())
        for violation_code in violation_codes:
            try:
                catalog.violation(violation_code)
            except KeyError:
                problems.append(f"{where}: unknown violation type {violation_code!r}")
        body_default = (
            defaults.get("occupational_health_body")
            if domain == "occupational_health"
            else defaults.get("work_safety_body")
        )
        executing_body = _text(raw.get("executing_body") or body_default)
        if not executing_body:
            problems.append(f"{where}: executing_body is required (or a default for its domain)")
        items.append(
            ItemData(
                code=code,
                title=_text(raw.get("title")),
                domain=domain,
                category=category,
                check_points=_text(raw.get("check")),
                basis=tuple(basis),
                violation_codes=violation_codes,
                industries=industries,
                tags=tags,
                executing_body=executing_body,
                responsibility=_text(raw.get("responsibility")),
                note=_text(raw.get("note")),
                position=position,
            )
        )
    if problems:
        raise ItemListError(problems)
    return ItemListData(
        title=_text(header.get("title")),
        edition=str(header.get("edition") or ""),
        notes=_text(header.get("notes")),
        external_laws=externals,
        items=tuple(items),
        source_name=source_name,
        source_sha256=source_sha256,
    )


def load_item_list(
    path: Path | str | None = None, *, catalog: Catalog | None = None
) -> ItemListData:
    """Read and validate an item-list YAML file (the packaged list by default)."""
    file = Path(path) if path is not None else DEFAULT_ITEM_LIST
    raw = file.read_bytes()
    try:
        document = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ItemListError([f"{file.name}: not valid UTF-8 YAML: {exc}"]) from None
    return parse_item_list(
        document,
        catalog=catalog,
        source_name=file.name,
        source_sha256=hashlib.sha256(raw).hexdigest(),
    )


def parse_item_list_text(text: str, *, source_name: str = "upload.yaml") -> ItemListData:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ItemListError([f"{source_name}: not valid YAML: {exc}"]) from None
    return parse_item_list(
        document,
        source_name=source_name,
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
