"""Helpers for the export tests: the example standards, a real PNG, reading DOCX parts."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import pytest

from authoring.examples import example_text

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "exports"


def example(name: str) -> str:
    return example_text(name)


def png_bytes(width: int = 320, height: int = 180) -> bytes:
    """A real PNG (a flow chart stand-in) for figure tests."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((10, 10, width - 10, height - 10), outline="black", width=3)
    draw.line((10, height // 2, width - 10, height // 2), fill="black", width=2)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def docx_part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def needs(program: str) -> None:
    """Fail, never skip, when a program the test drives is missing: a skipped check proves nothing."""
    if shutil.which(program) is None:
        pytest.fail(f"{program} is not installed: `make test` installs it (system-packages)")


def pdf_words(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax, in points), from pdftotext -bbox."""
    needs("pdftotext")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in xhtml.split("<page ")[1:]:
        found = re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        )
        pages.append([(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in found])
    return pages
