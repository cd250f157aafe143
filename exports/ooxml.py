"""Small WordprocessingML builders that keep the schema's element order.

Word shows a repair prompt when children of w:pPr, w:rPr or w:sectPr come in the wrong order, so every
property element here is built in the order of ECMA-376 (CT_PPrBase, CT_RPr, CT_SectPr) rather than
appended where convenient.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping

from lxml import etree

from exports.styles import FONTS, PAGE, Style

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSMAP = {"w": W_NS, "r": R_NS}


#: characters XML 1.0 cannot hold, which lxml refuses: C0 controls but tab and line ends (Word pastes
#: a vertical tab for a manual line break), and the two non-characters
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML cannot hold, for an element's text (here and in STS)."""
    return _NOT_XML.sub("", text)


def w(tag: str) -> str:
    """Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


def el(tag: str, /, **attrs: str | int) -> etree._Element:
    """A w: element with w: attributes (`el("jc", val="center")`)."""
    element = etree.Element(w(tag), nsmap=NSMAP)
    for key, value in attrs.items():
        element.set(w(key), str(value))
    return element


def sub(parent: etree._Element, tag: str, /, **attrs: str | int) -> etree._Element:
    child = el(tag, **attrs)
    parent.append(child)
    return child


def twips(points: float) -> int:
    return round(points * 20)


def mm_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _chars(chars: float, size: float) -> tuple[int, int]:
    """(hundredths of a character, the same in twips) for indents given in characters."""
    return round(chars * 100), twips(chars * size)


def paragraph_properties(spec: Style, size: float) -> etree._Element | None:
    """w:pPr for a paragraph style, children in schema order; None when the style sets nothing."""
    ppr = el("pPr")
    if spec.keep_next:
        sub(ppr, "keepNext")
    if spec.page_break_before:
        sub(ppr, "pageBreakBefore")
    if spec.boxed:
        borders = sub(ppr, "pBdr")
        for side in ("top", "left", "bottom", "right"):
            sub(borders, side, val="single", sz=4, space=12, color="000000")
    if spec.tabs:
        stops = sub(ppr, "tabs")
        for alignment, position in spec.tabs:
            sub(stops, "tab", val=alignment, pos=mm_twips(position))
    if spec.before is not None or spec.after is not None:
        spacing = sub(ppr, "spacing")
        if spec.before is not None:
            spacing.set(w("before"), str(twips(spec.before)))
        if spec.after is not None:
            spacing.set(w("after"), str(twips(spec.after)))
    ind_attrs: dict[str, int] = {}
    if spec.left_chars is not None:
        ind_attrs["leftChars"], ind_attrs["left"] = _chars(spec.left_chars, size)
    if spec.hanging_chars is not None:
        ind_attrs["hangingChars"], ind_attrs["hanging"] = _chars(spec.hanging_chars, size)
    elif spec.first_line_chars is not None:
        ind_attrs["firstLineChars"], ind_attrs["firstLine"] = _chars(spec.first_line_chars, size)
    if ind_attrs:
        # ST order of attributes does not matter; element order does
        sub(ppr, "ind", **ind_attrs)
    if spec.align is not None:
        sub(ppr, "jc", val=spec.align)
    if spec.outline_level is not None:
        sub(ppr, "outlineLvl", val=spec.outline_level)
    return ppr if len(ppr) else None


def run_properties(spec: Style) -> etree._Element | None:
    """w:rPr for a style: explicit East Asian font (w:eastAsia), never a theme font that overrides it."""
    rpr = el("rPr")
    if spec.font is not None:
        face = FONTS[spec.font]
        sub(rpr, "rFonts", ascii=face.latin, hAnsi=face.latin, eastAsia=face.east_asia, cs=face.latin)
    if spec.bold is not None:
        sub(rpr, "b", val=int(spec.bold))
        sub(rpr, "bCs", val=int(spec.bold))
    if spec.italic is not None:
        sub(rpr, "i", val=int(spec.italic))
        sub(rpr, "iCs", val=int(spec.italic))
    if spec.kind == "paragraph" and spec.name.startswith("Heading"):
        sub(rpr, "color", val="000000")
    if spec.spacing is not None:
        sub(rpr, "spacing", val=twips(spec.spacing))
    if spec.size is not None:
        sub(rpr, "sz", val=round(spec.size * 2))
        sub(rpr, "szCs", val=round(spec.size * 2))
    return rpr if len(rpr) else None


def section_properties(
    *,
    headers: dict[str, str] | None = None,
    footers: dict[str, str] | None = None,
    page_format: str | None = None,
    start: int | None = None,
    title_page: bool = False,
) -> etree._Element:
    """w:sectPr for A4 with GB/T margins; headers/footers map type (default/even/first) → relationship id."""
    sect = el("sectPr")
    for kind, rel_id in (headers or {}).items():
        ref = sub(sect, "headerReference", type=kind)
        ref.set(f"{{{R_NS}}}id", rel_id)
    for kind, rel_id in (footers or {}).items():
        ref = sub(sect, "footerReference", type=kind)
        ref.set(f"{{{R_NS}}}id", rel_id)
    sub(sect, "type", val="nextPage")
    sub(sect, "pgSz", w=mm_twips(PAGE.width_mm), h=mm_twips(PAGE.height_mm))
    sub(
        sect,
        "pgMar",
        top=mm_twips(PAGE.top_mm),
        right=mm_twips(PAGE.right_mm),
        bottom=mm_twips(PAGE.bottom_mm),
        left=mm_twips(PAGE.left_mm),
        header=mm_twips(PAGE.header_mm),
        footer=mm_twips(PAGE.footer_mm),
        gutter=0,
    )
    if page_format is not None:
        numbering = sub(sect, "pgNumType", fmt=page_format)
        if start is not None:
            numbering.set(w("start"), str(start))
    sub(sect, "cols", space=425)
    if title_page:
        sub(sect, "titlePg")
    sub(sect, "docGrid", type="lines", linePitch=312)
    return sect


def to_xml(element: etree._Element) -> str:
    """Serialise a fragment for a pandoc raw openxml block (namespaces declared by document.xml)."""
    text = etree.tostring(element, encoding="unicode")
    return text.replace(f' xmlns:w="{W_NS}"', "").replace(f' xmlns:r="{R_NS}"', "")


def rewrite_package(
    data: bytes,
    rewrite: Mapping[str, Callable[[bytes], bytes]],
    add: Mapping[str, str | bytes] | None = None,
) -> bytes:
    """A copy of the OOXML package `data` (a zip of XML parts) with the named parts rewritten and
    new parts added; every other part is copied as it is, in its order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            edit = rewrite.get(item.filename)
            target.writestr(item, edit(content) if edit else content)
        for name, part in (add or {}).items():
            target.writestr(name, part)
    return out.getvalue()
