"""Visual regression: each type's sample page, rendered and rasterised by pdftoppm, matches the
committed reference image (tests/documents/reference/<type>.png) within a tolerance.

To accept a deliberate layout change: ``ANJIAN_UPDATE_REFERENCES=1 pytest tests/documents/test_visual.py``
(it rewrites the references here and the gallery copies in docs/documents/reference/), then look at
the changed pages before committing them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from anjian.documents.catalogue import catalogue
from anjian.documents.layouts import build_content
from anjian.documents.render import render_pdf
from anjian.documents.samples import sample_context
from tests.documents.helpers import needs_poppler, pdf_pages_png

REFERENCE = Path(__file__).parent / "reference"
GALLERY = Path(__file__).resolve().parents[2] / "docs" / "documents" / "reference"
DPI = 40
#: Mean absolute difference per channel (0–255) allowed: anti-aliasing differences between poppler
#: versions stay well below 1; a moved line or a changed word is several.
TOLERANCE = 1.5
MOMENT = dt.datetime(2026, 3, 30, 2, 0, tzinfo=dt.UTC)
TYPES = [t.id for t in catalogue().types]


def first_page(type_id: str) -> Image.Image:
    document_type = catalogue().type(type_id)
    number = (
        catalogue().format_number(
            short_name="苏宁玄", code=document_type.code, year=2026, sequence=12
        )
        if document_type.code
        else None
    )
    content, missing = build_content(document_type, sample_context(type_id), number=number)
    assert missing == []
    png = pdf_pages_png(render_pdf(content, moment=MOMENT), dpi=DPI)[0]
    return Image.open(io.BytesIO(png)).convert("L")


def difference(a: Image.Image, b: Image.Image) -> float:
    if a.size != b.size:
        return 255.0
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


@needs_poppler
@pytest.mark.parametrize("type_id", TYPES)
def test_each_type_looks_like_its_reference_page(type_id):
    page = first_page(type_id)
    reference = REFERENCE / f"{type_id}.png"
    if os.environ.get("ANJIAN_UPDATE_REFERENCES") == "1":
        REFERENCE.mkdir(exist_ok=True)
        GALLERY.mkdir(parents=True, exist_ok=True)
        page.save(reference, optimize=True)
        shutil.copyfile(reference, GALLERY / reference.name)
    assert reference.exists(), (
        f"no reference page for {type_id}: run with ANJIAN_UPDATE_REFERENCES=1"
    )
    assert difference(page, Image.open(reference).convert("L")) <= TOLERANCE


@needs_poppler
def test_the_comparison_notices_a_changed_word():
    page = first_page("penalty_decision_unit")
    context = sample_context("penalty_decision_unit")
    context["penalties"][1]["amount"] = "30000"
    content, _ = build_content(
        catalogue().type("penalty_decision_unit"), context, number="（苏宁玄）应急罚〔2026〕12号"
    )
    changed = Image.open(
        io.BytesIO(pdf_pages_png(render_pdf(content, moment=MOMENT), dpi=DPI)[0])
    ).convert("L")
    assert difference(page, changed) > 0
    assert difference(page, page) == 0
