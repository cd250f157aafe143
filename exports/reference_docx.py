"""Build the reference DOCX that gives pandoc's Word output its GB/T 1.1 styles.

Starts from pandoc's own default reference (so every style pandoc expects exists) and rewrites the
styles declared in exports/styles.py with explicit East Asian fonts: `w:rFonts/@w:eastAsia` 宋体 / 黑体
(Word's Chinese names, with SimSun / SimHei as alternative names in the font table) and the theme's
minor/major East Asian fonts, because Word otherwise sets Chinese in the theme font (等线) and
python-docx's `font.name` sets only the Latin faces (PITFALLS, Word).

The file is generated at first use into a cache directory keyed by the style table and the pandoc
binary; `python -m exports.reference_docx OUT.docx` writes one for a typographer to inspect in Word.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from lxml import etree

from authoring.document.cache import cache_dir
from exports.ooxml import (
    el,
    paragraph_properties,
    rewrite_package,
    run_properties,
    section_properties,
    sub,
    w,
)
from exports.pandoc import pandoc_path, run_pandoc
from exports.styles import FONTS, PAGE, STYLES, Style

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def style_digest() -> str:
    """Changes whenever a declared style, the page or pandoc changes: the cache key."""
    material = repr((STYLES, PAGE, FONTS, pandoc_identity(), _BUILDER_REVISION))
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def pandoc_identity() -> str:
    """The pandoc binary's path, size and modification time: a new pandoc is a new file, and
    reading this costs nothing, where asking `pandoc --version` costs every export a process."""
    path = pandoc_path()
    found = os.stat(path) if os.path.isabs(path) else None
    return f"{path}:{found.st_size}:{found.st_mtime_ns}" if found else path


#: bump when this module's output changes for the same style table
_BUILDER_REVISION = 4


def reference_docx_path() -> Path:
    """The cached reference DOCX, built on first use (atomically, so parallel jobs never see half a file)."""
    target = cache_dir() / f"reference-{style_digest()}.docx"
    if not target.exists():
        data = build_reference_docx()
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    return target


def build_reference_docx() -> bytes:
    """The reference DOCX as bytes."""
    with tempfile.TemporaryDirectory(prefix="stdforge-ref-") as tmp:
        default = run_pandoc(["--print-default-data-file", "reference.docx"], stdin=None, cwd=Path(tmp))
    return rewrite_package(
        default,
        {
            "word/styles.xml": _styles,
            "word/fontTable.xml": _font_table,
            "word/theme/theme1.xml": _theme,
            "word/settings.xml": _settings,
            "word/document.xml": _document,
        },
    )


#: Word's own (lower-case) names for the built-in styles we redefine, so Word maps them to its own
_BUILTIN_NAMES = {
    "Normal": "Normal",
    "Body Text": "Body Text",
    "Caption": "caption",
    "Header": "header",
    "Footer": "footer",
    "TOC Heading": "TOC Heading",
    **{f"TOC {n}": f"toc {n}" for n in range(1, 10)},
    **{f"Heading {n}": f"heading {n}" for n in range(1, 10)},
}


def _style_element(spec: Style) -> etree._Element:
    node = el("style", type=spec.kind, styleId=spec.style_id)
    builtin_name = _BUILTIN_NAMES.get(spec.name)
    if spec.name == "Normal":
        node.set(w("default"), "1")
    elif builtin_name is None:
        node.set(w("customStyle"), "1")
    sub(node, "name", val=builtin_name or spec.name)
    if spec.based_on:
        sub(node, "basedOn", val=spec.based_on.replace(" ", ""))
    if spec.kind == "paragraph" and spec.name.startswith(("Heading", "Preface", "Annex", "Term Number")):
        sub(node, "next", val="BodyText")
    sub(node, "qFormat")
    size = spec.size or 10.5
    if spec.kind == "paragraph" and (ppr := paragraph_properties(spec, size)) is not None:
        node.append(ppr)
    if (rpr := run_properties(spec)) is not None:
        node.append(rpr)
    return node


def _styles(data: bytes) -> bytes:
    root = etree.fromstring(data)
    defaults = root.find(w("docDefaults"))
    rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    song = FONTS["song"]
    sub(rpr, "rFonts", ascii=song.latin, hAnsi=song.latin, eastAsia=song.east_asia, cs=song.latin)
    sub(rpr, "kern", val=2)
    sub(rpr, "sz", val=21)
    sub(rpr, "szCs", val=21)
    sub(rpr, "lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    for child in list(ppr):
        ppr.remove(child)
    sub(ppr, "spacing", before=0, after=0)
    existing = {node.get(w("styleId")): node for node in root.findall(w("style"))}
    for spec in STYLES:
        fresh = _style_element(spec)
        old = existing.get(spec.style_id)
        if old is not None:
            old.getparent().replace(old, fresh)
        else:
            root.append(fresh)
    # styles we did not declare must not pull Chinese into a theme font (等线): drop theme font refs
    for fonts in root.iter(w("rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(w(attr), None)
        if not fonts.attrib:
            fonts.getparent().remove(fonts)
    _grid_table_style(root)
    for color in root.iter(w("color")):  # pandoc's blue headings and links: standards print black
        if color.getparent().getparent().get(w("styleId"), "").startswith(("Heading", "TOC", "Hyperlink")):
            color.attrib.pop(w("themeColor"), None)
            color.attrib.pop(w("themeShade"), None)
            color.set(w("val"), "000000")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _grid_table_style(root: etree._Element) -> None:
    """Standards rule every cell: the "Table" style pandoc applies gets a full single-line grid."""
    for node in root.findall(w("style")):
        if node.get(w("styleId")) != "Table":
            continue
        tblpr = node.find(w("tblPr"))
        borders = el("tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            sub(borders, side, val="single", sz=4, space=0, color="000000")
        # CT_TblPr order: … tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar …
        anchor = tblpr.find(w("tblCellMar"))
        if anchor is not None:
            anchor.addprevious(borders)
        else:
            tblpr.append(borders)
        for conditional in node.findall(w("tblStylePr")):
            node.remove(conditional)


def _font_table(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for face in FONTS.values():
        font = el("font", name=face.east_asia)
        sub(font, "altName", val=face.alt_name)
        sub(font, "panose1", val=face.panose)
        sub(font, "charset", val="86")
        sub(font, "family", val="modern" if face.alt_name == "SimHei" else "auto")
        sub(font, "pitch", val="fixed" if face.alt_name == "SimHei" else "variable")
        root.insert(0, font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _theme(data: bytes) -> bytes:
    root = etree.fromstring(data)
    roles = {"majorFont": FONTS["hei"], "minorFont": FONTS["song"]}
    for tag, face in roles.items():
        for font in root.iter(f"{{{A_NS}}}{tag}"):
            font.find(f"{{{A_NS}}}latin").set("typeface", "Times New Roman")
            font.find(f"{{{A_NS}}}latin").attrib.pop("panose", None)
            font.find(f"{{{A_NS}}}ea").set("typeface", face.east_asia)
            for script in font.findall(f"{{{A_NS}}}font"):
                if script.get("script") == "Hans":
                    script.set("typeface", face.east_asia)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _settings(data: bytes) -> bytes:
    root = etree.fromstring(data)
    lang = root.find(w("themeFontLang"))
    if lang is not None:
        lang.set(w("eastAsia"), "zh-CN")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document(data: bytes) -> bytes:
    """Keep the sample body (Word shows it as the style gallery) but give it the A4 GB/T section."""
    root = etree.fromstring(data)
    body = root.find(w("body"))
    old = body.find(w("sectPr"))
    if old is not None:
        body.remove(old)
    body.append(section_properties())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


if __name__ == "__main__":
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "reference.docx")
    output.write_bytes(build_reference_docx())
    print(output)
