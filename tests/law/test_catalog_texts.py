"""The catalog's confirmed texts and figures agree with the legal texts in ../shared/law/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from anjian.law.core.catalog import Catalog, Confidence, RangeFine, load_catalog

# ../shared/law next to the checkout (as in tests/law/test_timelimits.py), wherever it is.
LAW_DIR = Path(__file__).resolve().parents[3] / "shared" / "law"

pytestmark = pytest.mark.skipif(
    not LAW_DIR.is_dir(), reason="the legal texts of ../shared/law are not here"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_every_confirmed_law_names_an_existing_source_file(catalog: Catalog) -> None:
    for law in catalog.laws:
        if law.confidence is Confidence.CONFIRMED:
            assert law.source is not None
            assert (LAW_DIR / law.source).is_file(), law.source


def test_every_confirmed_provision_text_is_copied_from_its_law_file(catalog: Catalog) -> None:
    sources = {
        (law.code, law.version): (LAW_DIR / law.source).read_text(encoding="utf-8")
        for law in catalog.laws
        if law.source is not None
    }
    checked = 0
    for provision in catalog.provisions:
        if provision.confidence is not Confidence.CONFIRMED:
            continue
        text = sources[(provision.citation.law, provision.citation.law_version)]
        for line in (provision.text_zh or "").splitlines():
            assert line in text, f"{provision.citation.short()}: {line[:40]}…"
        checked += 1
    assert checked > 200


_CN = {"一": 1, "二": 2, "三": 3, "五": 5}


def _yuan(words: str) -> int:
    """十万 → 100000, 二十万 → 200000, 五万 → 50000, 一千万 → 10000000 (the forms used in Art 97–114)."""
    match = re.fullmatch(r"([一二三五])?(十|百|千)?万", words)
    assert match, words
    digit = _CN[match.group(1)] if match.group(1) else 1
    scale = {"十": 10, "百": 100, "千": 1000, None: 1}[match.group(2)]
    return digit * scale * 10_000


def test_unit_first_order_fine_ceilings_match_the_article_text(catalog: Catalog) -> None:
    """For each itemised article, the first "处X元以下的罚款" is the unit's first-order ceiling."""
    for article in (97, 99, 101, 105):
        for violation in catalog.by_article("WSL", article, "2021"):
            provision = catalog.provision(
                violation.penalty_provision.model_copy(update={"item": None})
            )
            assert provision is not None
            assert provision.text_zh
            ceiling = re.search(r"处([一二三五十百千]+万)元以下的罚款", provision.text_zh)
            assert ceiling
            first = violation.sanctions[0].fine
            assert isinstance(first, RangeFine)
            assert first.max_yuan == _yuan(ceiling.group(1)), violation.code
