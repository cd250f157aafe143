"""Pillow's verdict on a figure is kept per SHA-256 of its bytes, so a repeated export needs no Pillow;
only a figure that passed is remembered, and an unreadable record means checking again."""

from __future__ import annotations

import io
import sys

import pytest
from PIL import Image

from exports.figures import FigureStore


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STDFORGE_CACHE_DIR", str(tmp_path))
    return tmp_path


def png(width: int = 120, height: int = 80) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def test_a_figure_checked_once_is_read_again_without_pillow(own_cache, monkeypatch):
    picture = png(120, 80)
    first = FigureStore(files={"flow.png": picture}).get("figures/flow.png")
    assert first is not None and (first.width, first.height) == (120, 80)
    monkeypatch.setitem(sys.modules, "PIL", None)  # any `from PIL import …` now fails
    again = FigureStore(files={"flow.png": picture}).get("figures/flow.png")
    assert again is not None and (again.width, again.height) == (120, 80)


def test_a_broken_figure_is_refused_and_not_remembered(own_cache):
    truncated = png()[:-30]
    assert FigureStore(files={"flow.png": truncated}).get("figures/flow.png") is None
    assert not list(own_cache.glob("figures/*.size"))
    assert FigureStore(files={"flow.png": truncated}).get("figures/flow.png") is None


def test_an_unreadable_record_means_checking_again(own_cache):
    picture = png(64, 48)
    FigureStore(files={"flow.png": picture}).get("figures/flow.png")
    (record,) = own_cache.glob("figures/*.size")
    record.write_text("not a size")
    figure = FigureStore(files={"flow.png": picture}).get("figures/flow.png")
    assert figure is not None and (figure.width, figure.height) == (64, 48)
    assert record.read_text().split() == ["64", "48"]
