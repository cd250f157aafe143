"""The HTML export is the core's standalone page, made self-contained: outline, numbers, embedded figures."""

from __future__ import annotations

import lxml.html
from export_helpers import example, png_bytes

from exports.api import export_document


def test_the_page_has_the_outline_and_the_numbers():
    result = export_document(example("community-care"), "html")
    page = lxml.html.document_fromstring(result.data)
    assert page.xpath("//nav[@class='outline']")
    text = page.text_content()
    assert "4.2.1" in text and "附录A" in text and "表1" in text
    assert result.filename == "T-SZYL-3-2025.html"


def test_an_allowed_figure_is_embedded_and_a_missing_one_is_a_placeholder():
    embedded = export_document(example("community-care"), "html", figures={"service-flow.png": png_bytes()})
    sources = lxml.html.document_fromstring(embedded.data).xpath("//img/@src")
    assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
    missing = export_document(example("community-care"), "html")
    page = lxml.html.document_fromstring(missing.data)
    assert not page.xpath("//img") and page.xpath("//span[@class='figure-missing']")
    assert missing.warnings
