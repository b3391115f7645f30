"""PDF text and page images through poppler-utils (pdftotext, pdftoppm), as a reader sees them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed: ./dev.sh setup installs it",
)


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
        )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text without spaces and line breaks (pdftotext breaks lines where the page does)."""
    return "".join(text.split())


def pdf_fonts(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_pages_png(pdf: bytes, *, dpi: int = 40) -> list[bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", str(path), str(Path(folder) / "p")], check=True
        )
        return [p.read_bytes() for p in sorted(Path(folder).glob("p-*.png"))]
