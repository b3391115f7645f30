"""Every catalogue type renders from its sample context to PDF/A (fonts embedded) and DOCX."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from anjian.documents.catalogue import catalogue
from anjian.documents.layouts import build_content, check_layouts
from anjian.documents.render import page_count, render_docx, render_pdf
from anjian.documents.samples import sample_context
from tests.documents.helpers import flat, needs_poppler, pdf_fonts, pdf_text

TYPES = [t.id for t in catalogue().types]
MOMENT = dt.datetime(2026, 3, 30, 2, 0, tzinfo=dt.UTC)


def lay_out(
    type_id: str, context: dict | None = None, number: str | None = "（苏宁玄）应急罚〔2026〕12号"
):
    document_type = catalogue().type(type_id)
    return build_content(
        document_type,
        context if context is not None else sample_context(type_id),
        number=number if document_type.code else None,
    )


def test_the_catalogue_lists_the_issue_types_and_each_has_a_layout():
    names = {t.name_zh for t in catalogue().types}
    for expected in [
        "现场检查方案",
        "现场检查记录",
        "现场处理措施决定书",
        "责令限期整改指令书",
        "整改复查意见书",
        "立案审批表",
        "询问通知书",
        "询问笔录",
        "勘验笔录",
        "先行登记保存证据通知书",
        "先行登记保存证据处理决定书",
        "行政处罚告知书",
        "当事人陈述申辩笔录",
        "行政处罚听证告知书",
        "听证会通知书",
        "听证笔录",
        "案件处理呈批表",
        "行政处罚集体讨论记录",
        "行政处罚决定书（单位）",
        "行政处罚决定书（个人）",
        "当场处罚决定书",
        "文书送达回执",
        "缴纳罚款催告书",
        "加处罚款决定书",
        "案件移送书",
        "结案审批表",
        "案卷首页",
        "卷内目录",
    ]:
        assert expected in names
    assert check_layouts() == []


def test_published_codes_are_the_ones_seen_in_published_decisions():
    by_id = catalogue().by_id()
    published = {t.code for t in catalogue().types if t.code_source == "published"}
    assert published == {"罚", "现记", "责改", "现决", "复查"}
    assert by_id["inquiry_record"].code is None
    assert by_id["case_file_index"].code is None


@pytest.mark.parametrize("type_id", TYPES)
def test_each_sample_context_is_complete(type_id):
    _, missing = lay_out(type_id)
    assert missing == []


@needs_poppler
@pytest.mark.parametrize("type_id", TYPES)
def test_each_type_renders_to_pdf_a_with_embedded_cjk_fonts(type_id):
    content, _ = lay_out(type_id)
    pdf = render_pdf(content, moment=MOMENT)
    assert pdf.startswith(b"%PDF-")
    assert b"pdfaid:part" in pdf or b"pdfaid" in pdf  # PDF/A identification in the XMP metadata
    assert page_count(pdf) >= 1
    fonts = pdf_fonts(pdf)
    assert "NotoSerifCJKsc" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())
    text = flat(pdf_text(pdf))
    assert flat(content.agency) in text
    assert flat(content.title) in text
    if content.number:
        assert flat(content.number) in text


@pytest.mark.parametrize("type_id", TYPES)
def test_each_type_renders_to_docx_with_the_same_text(type_id):
    from docx import Document as Docx

    content, _ = lay_out(type_id)
    data = render_docx(content)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    document = Docx(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "".join("".join(paragraphs + cells).split())
    assert flat(content.title) in text
    assert flat(content.agency) in text
    for block in content.blocks:
        if block["kind"] == "para":
            assert flat("".join(r["t"] for r in block["runs"])) in text
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.page_height.cm, 1) == 29.7


def test_the_same_content_and_moment_give_the_same_pdf_bytes():
    content, _ = lay_out("penalty_decision_unit")
    assert render_pdf(content, moment=MOMENT) == render_pdf(content, moment=MOMENT)


@needs_poppler
def test_a_decision_prints_amounts_in_capitals_and_figures_and_the_remedies_from_law_data():
    content, _ = lay_out("penalty_decision_unit")
    text = flat(pdf_text(render_pdf(content, moment=MOMENT)))
    assert "罚款人民币贰万元整（¥20,000.00）" in text
    assert "自收到本决定书之日起六十日内依法向南京市玄武区人民政府申请行政复议" in text
    assert "或者在六个月内依法向南京市玄武区人民法院提起行政诉讼" in text
    assert "罚款限于收到本决定书之日起十五日内缴至中国工商银行南京玄武支行" in text
    assert "二〇二六年三月三十日" in text
    assert "（苏宁玄）应急罚〔2026〕12号" in text


def test_the_remedy_periods_follow_the_law_version_in_force():
    from anjian.documents.content import Ctx
    from anjian.documents.remedies import remedies_paragraph

    ctx = Ctx({"issuer": {"review_body": "某人民政府", "court": "某人民法院"}})
    today = "".join(r["t"] for r in remedies_paragraph(ctx, dt.date(2026, 3, 2))["runs"])
    before_2015 = "".join(r["t"] for r in remedies_paragraph(ctx, dt.date(2014, 3, 2))["runs"])
    assert "六十日内" in today
    assert "六个月内" in today
    assert "三个月内" in before_2015  # 行政诉讼法 before its 2014 amendment (ALL-1989 in the data)


@needs_poppler
def test_other_time_limits_come_from_the_law_data_too():
    hearing = flat(pdf_text(render_pdf(lay_out("hearing_notice")[0], moment=MOMENT)))
    assert "在收到本告知书后五日内向本机关提出" in hearing
    reminder = flat(pdf_text(render_pdf(lay_out("payment_reminder")[0], moment=MOMENT)))
    assert "自收到本催告书之日起十日内缴纳" in reminder
    assert "叁仟陆佰元整（¥3,600.00）" in reminder


def test_an_individual_decision_addresses_the_person():
    content, _ = lay_out("penalty_decision_individual")
    text = content.plain_text()
    assert "被处罚人：李某某" in text.replace("\n", "")
    assert "警告，罚款人民币伍仟元整（¥5,000.00）" in text


def test_optional_fields_left_out_are_not_printed_as_blanks():
    context = sample_context("penalty_decision_unit")
    del context["party"]["phone"], context["party"]["postcode"], context["discretion"]
    content, missing = lay_out("penalty_decision_unit", context)
    assert missing == []
    text = content.plain_text()
    assert "联系电话" not in text
    assert "邮编" not in text


def test_a_long_record_flows_onto_more_pages_with_page_numbers():
    context = sample_context("inquiry_record")
    context["qa"] = context["qa"] * 20
    content, _ = lay_out("inquiry_record", context)
    pdf = render_pdf(content, moment=MOMENT)
    assert page_count(pdf) > 1


def test_the_surcharge_rate_is_printed_from_the_law_data():
    import datetime as dt

    from anjian.core.errors import DomainError
    from anjian.documents.content import Ctx
    from anjian.documents.remedies import surcharge_rate_text
    from anjian.law.core.timelimits import time_limit_book

    version = time_limit_book().surcharge("late_payment_surcharge").version_on(dt.date(2025, 1, 1))

    assert version is not None
    assert version.daily_rate * 100 == 3  # 行政处罚法第七十二条第一款第（一）项
    c = Ctx({})
    assert surcharge_rate_text(c, dt.date(2025, 1, 1)) == "百分之三"
    assert c.figures == [
        {
            "source": "late_payment_surcharge",
            "title": "逾期缴纳罚款加处罚款",
            "title_en": "Late-payment surcharge on a fine",
            "version": "APL-2021",
            "article": "《中华人民共和国行政处罚法》第七十二条第一款第（一）项",
            "figure": "百分之三",
            "confidence": "confirmed",
        }
    ]
    with pytest.raises(DomainError) as refused:
        surcharge_rate_text(c, dt.date(1980, 1, 1))
    assert refused.value.code == "time_limit_unknown"
