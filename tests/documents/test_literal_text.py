"""Text from users prints literally: Typst markup, template syntax and HTML in it never execute."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from anjian.documents.catalogue import catalogue
from anjian.documents.layouts import build_content
from anjian.documents.render import render_docx, render_pdf
from anjian.documents.samples import sample_context
from tests.documents.helpers import flat, needs_poppler, pdf_text

HOSTILE = [
    '#read("/etc/passwd")',
    "*粗体* _斜体_ $x^2$ @label <tag> [内容] \\ `code` = 标题 - 列表 / 斜线",
    "{{ secret }} {% if 1 %}模板{% endif %}",
    '#let x = 1 #x #sys.inputs #import "anjian.typ": *',
    "<script>alert(1)</script> &amp; ]] )) #{ panic() }",
]


@needs_poppler
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_names_and_facts_prints_as_typed(text):
    context = sample_context("penalty_decision_unit")
    context["party"]["name"] = f"某公司{text}"
    context["facts"] = f"违法事实：{text}"
    content, missing = build_content(
        catalogue().type("penalty_decision_unit"), context, number="（苏宁玄）应急罚〔2026〕1号"
    )
    assert missing == []
    printed = flat(pdf_text(render_pdf(content, moment=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))))
    assert flat(f"某公司{text}") in printed
    assert flat(f"违法事实：{text}") in printed
    assert "root:" not in printed  # nothing was read from the file system


def test_every_special_character_survives_in_the_docx():
    from docx import Document as Docx

    special = "# * _ $ @ < > [ ] \\ ` = - / {{ }} {% %}"
    context = sample_context("inspection_record")
    context["summary"] = special
    content, _ = build_content(catalogue().type("inspection_record"), context, number="x")
    document = Docx(io.BytesIO(render_docx(content)))
    assert any(p.text == special for p in document.paragraphs)


def test_a_newline_in_a_fact_starts_a_new_paragraph_not_markup():
    context = sample_context("inspection_record")
    context["summary"] = "第一段\n= 不是标题\n- 不是列表"
    content, _ = build_content(catalogue().type("inspection_record"), context, number="x")
    texts = ["".join(r["t"] for r in b["runs"]) for b in content.blocks if b["kind"] == "para"]
    assert [t for t in texts if t in {"第一段", "= 不是标题", "- 不是列表"}] == [
        "第一段",
        "= 不是标题",
        "- 不是列表",
    ]
