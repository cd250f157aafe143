"""HTML export: the core's standalone page (numbering, outline, sanitised), not a second renderer.

The page is made self-contained for download: an allowed figure (`figures/NAME` that exists) is
embedded as a data URI, and every other image source (an absolute path, `..`, an http:// URL) is
replaced by a placeholder, so opening the file never fetches anything or points at a local file.
"""

from __future__ import annotations

import base64

import lxml.html

from authoring.document.render import render_page
from authoring.document.tree import Document
from exports.context import Context


def render_standalone(doc: Document, ctx: Context, lang: str | None = None) -> str:
    page = render_page(doc, lang=lang)
    if "<img" not in page:
        return page
    tree = lxml.html.document_fromstring(page)
    for img in tree.iter("img"):
        src = img.get("src") or ""
        figure = ctx.figures.get(src)
        if figure is not None:
            img.set("src", f"data:{figure.media_type};base64,{base64.b64encode(figure.data).decode('ascii')}")
            continue
        ctx.warn(
            f"图片不存在或不允许使用，已用占位框代替：{src}",
            f"Figure missing or not allowed, replaced by a placeholder: {src}",
        )
        placeholder = lxml.html.Element("span", {"class": "figure-missing"})
        placeholder.text = f"[{img.get('alt') or ('图片缺失' if ctx.zh else 'figure missing')}]"
        placeholder.tail = img.tail
        img.getparent().replace(img, placeholder)
    return lxml.html.tostring(tree, doctype="<!DOCTYPE html>", encoding="unicode")
