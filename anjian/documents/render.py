"""Rendering structured content to PDF (Typst, PDF/A-2b, fonts embedded) and to DOCX (python-docx).

Both renderers draw the same ``Content`` (anjian/documents/content.py). The Typst layout is the
committed file ``typst/anjian.typ``; the content goes in as JSON through ``sys.inputs`` and is never
parsed as Typst markup. See docs/adr/0007-pdf-engine.md for the choice of Typst.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from anjian.documents.content import Block, Content

TYPST_DIR = Path(__file__).resolve().parent / "typst"
FONT_FAMILY = "Noto Serif CJK SC"
#: Debian's fonts-noto-cjk puts the Serif CJK collections here; ANJIAN_DOCUMENT_FONTS overrides.
DEFAULT_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
)
PDF_STANDARDS = ["a-2b"]
DOCX_FONT_EAST_ASIA = (
    "宋体"  # what Chinese offices have; the PDF embeds Noto Serif CJK SC (a Song face)
)
DOCX_FONT_LATIN = "Times New Roman"


class RenderError(Exception):
    """The engine could not draw the document (fonts missing, engine error)."""


def font_files() -> list[str]:
    configured = os.environ.get("ANJIAN_DOCUMENT_FONTS", "")
    paths = [p for p in configured.split(os.pathsep) if p] or list(DEFAULT_FONT_FILES)
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise RenderError(
            "缺少文书字体（Noto Serif CJK SC）：" + "、".join(missing) + "。请安装 fonts-noto-cjk。"
        )
    return paths


_lock = threading.Lock()


@lru_cache(maxsize=1)
def font_directory() -> str:
    """Typst reads fonts from directories: one of links to just the Serif CJK files, so that the
    engine neither loads the other Noto collections nor picks a different face."""
    import tempfile

    directory = tempfile.mkdtemp(prefix="anjian-fonts-")
    for path in font_files():
        os.symlink(path, os.path.join(directory, os.path.basename(path)))
    return directory


@lru_cache(maxsize=1)
def _compiler() -> Any:
    import typst

    fonts = [font_directory()]
    available = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=fonts
    ).families()
    if FONT_FAMILY not in available:
        raise RenderError(f"字体文件中没有 {FONT_FAMILY}（找到：{', '.join(available)}）。")
    return typst.Compiler(root=str(TYPST_DIR), font_paths=fonts, ignore_system_fonts=True)


def _timestamp(moment: dt.datetime | None) -> int:
    return int((moment or dt.datetime.now(dt.UTC)).timestamp())


def _compile(entry: str, payload: dict[str, Any], moment: dt.datetime | None) -> bytes:
    import typst

    compiler = _compiler()
    data = json.dumps(payload, ensure_ascii=False)
    with _lock:
        try:
            pdf = compiler.compile(
                input=str(TYPST_DIR / entry),
                sys_inputs={"payload": data},
                pdf_standards=PDF_STANDARDS,
                timestamp=_timestamp(moment),
            )
        except typst.TypstError as error:  # pragma: no cover -- a layout bug, not user input
            raise RenderError(f"排版失败：{error}") from error
    return bytes(pdf)


def render_pdf(content: Content, *, moment: dt.datetime | None = None) -> bytes:
    """One document as PDF/A-2b bytes; ``moment`` fixes the PDF's dates (same input → same bytes)."""
    return _compile("document.typ", content.as_dict(), moment)


def render_case_file_pdf(
    contents: Sequence[Content], *, moment: dt.datetime | None = None
) -> bytes:
    """Several documents as one PDF, each from a new page, every page numbered top right."""
    return _compile("case_file.typ", {"documents": [c.as_dict() for c in contents]}, moment)


def render_png_pages(content: Content, *, ppi: int = 110) -> list[bytes]:
    """Every page as PNG (the document page shows them inline: the CSP forbids framing a PDF)."""
    import typst

    compiler = _compiler()
    data = json.dumps(content.as_dict(), ensure_ascii=False)
    with _lock:
        try:
            images = compiler.compile(
                input=str(TYPST_DIR / "document.typ"),
                sys_inputs={"payload": data},
                format="png",
                ppi=ppi,
            )
        except typst.TypstError as error:  # pragma: no cover
            raise RenderError(f"排版失败：{error}") from error
    return [bytes(page) for page in (images if isinstance(images, list) else [images])]


_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")


def page_count(pdf: bytes) -> int:
    """Pages of a PDF written by Typst (its page tree root carries /Count)."""
    counts = [int(a or b) for a, b in _COUNT.findall(pdf)]
    if not counts:
        raise RenderError("无法读取PDF页数。")
    return max(counts)


# ------------------------------------------------------------------------------------ DOCX


def render_docx(content: Content) -> bytes:
    """The same content as an editable Word document (A4, 宋体), built programmatically."""
    from docx import Document as Docx
    from docx.enum.section import WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Docx()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.6), Cm(2.4)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FONT_LATIN
    normal.font.size = Pt(12)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), DOCX_FONT_EAST_ASIA)

    core = document.core_properties
    core.title = content.title
    core.author = content.agency
    core.subject = content.number or ""

    def styled(paragraph: Any, text: str, *, style: str = "", size: float | None = None) -> None:
        piece = paragraph.add_run(text)
        if style == "v":
            piece.underline = True
        if style == "b":
            piece.bold = True
        if size:
            piece.font.size = Pt(size)

    def add_para(
        text: str = "",
        *,
        align: Any = WD_ALIGN_PARAGRAPH.LEFT,
        size: float | None = None,
        bold: bool = False,
    ) -> Any:
        paragraph = document.add_paragraph()
        paragraph.alignment = align
        if text:
            styled(paragraph, text, style="b" if bold else "", size=size)
        return paragraph

    add_para(content.agency, align=WD_ALIGN_PARAGRAPH.CENTER, size=16, bold=True)
    add_para(content.title, align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    if content.subtitle:
        add_para(content.subtitle, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    if content.number:
        add_para(content.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if content.draft:
        marker = add_para("草稿（未签发，无效）", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        marker.runs[0].font.color.rgb = RGBColor(0xB0, 0x00, 0x00)

    alignments = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }

    def add_block(block: Block) -> None:
        kind = block["kind"]
        if kind == "para":
            paragraph = document.add_paragraph()
            paragraph.alignment = alignments.get(block["align"], WD_ALIGN_PARAGRAPH.LEFT)
            if block["indent"]:
                paragraph.paragraph_format.first_line_indent = Pt(24)
            for piece in block["runs"]:
                styled(
                    paragraph,
                    piece["t"],
                    style=piece["s"],
                    size=10 if block["size"] == "small" else None,
                )
        elif kind == "table":
            widths = block["columns"]
            table = document.add_table(rows=0, cols=len(widths))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            total = sum(widths)
            usable = 21 - 2.8 - 2.6
            for row in block["rows"]:
                cells = table.add_row().cells
                position = 0
                for item in row:
                    target = cells[position]
                    if item["colspan"] > 1:
                        target = target.merge(cells[position + item["colspan"] - 1])
                    paragraph = target.paragraphs[0]
                    paragraph.alignment = (
                        WD_ALIGN_PARAGRAPH.CENTER
                        if item["align"] == "center"
                        else WD_ALIGN_PARAGRAPH.LEFT
                    )
                    for piece in item["runs"]:
                        lines = piece["t"].split("\n")
                        for index, line in enumerate(lines):
                            if index:
                                paragraph = target.add_paragraph()
                            if line:
                                styled(paragraph, line, style="b" if piece["s"] == "b" else "")
                    position += item["colspan"]
            for index, width in enumerate(widths):
                for table_cell in table.columns[index].cells:
                    table_cell.width = Cm(usable * width / total)
        elif kind == "signature":
            paragraph = document.add_paragraph()
            styled(paragraph, f"{block['label']}：")
            styled(paragraph, block["value"] or "　" * 10, style="v")
            if block["date"]:
                styled(paragraph, "　　　　年　　月　　日")
        elif kind == "seal":
            add_para()
            add_para(f"{block['agency']}{block['label']}", align=WD_ALIGN_PARAGRAPH.RIGHT)
            add_para(block["date"], align=WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind == "spacer":
            add_para()
        elif kind == "note":
            add_para(f"备注：{block['text']}", size=10)

    for block in content.blocks:
        add_block(block)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
