"""NISO STS XML (ANSI/NISO Z39.102) for exchange: `<standard>` with front, body and back.

Built with lxml from the numbered tree, so every text is escaped by the serialiser. Chapters and
clauses are `<sec>` with `<label>` and `<title>`, term entries `<term-sec>` holding a TBX
`<tbx:termEntry>`, tables `<table-wrap>` with `<caption>`, annexes `<app>` in `<app-group>`, the
normative references and the bibliography `<ref-list>`.
"""

from __future__ import annotations

import re

from lxml import etree

from authoring.document.tree import Block, BlockKind, Document, Section, SectionKind
from exports.figures import figure_name
from exports.ooxml import xml_text

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XLINK_NS = "http://www.w3.org/1999/xlink"
NSMAP = {"tbx": TBX_NS, "xlink": XLINK_NS, "mml": "http://www.w3.org/1998/Math/MathML"}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        node.text = xml_text(text)
    return node


def _tbx(tag: str) -> str:
    return f"{{{TBX_NS}}}{tag}"


def render_sts(doc: Document) -> bytes:
    lang = "en" if doc.language == "en" else "zh"
    root = etree.Element("standard", nsmap=NSMAP)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    _front(doc, _sub(root, "front"), lang)
    body = _sub(root, "body")
    back = _sub(root, "back")
    apps = None
    for section in doc.sections:
        if section.kind is SectionKind.CHAPTER:
            body.append(_section(section, doc))
        elif section.kind is SectionKind.ANNEX:
            apps = apps if apps is not None else _sub(back, "app-group")
            app = _sub(
                apps,
                "app",
                id=section.id,
                content_type="inform-annex" if section.annex_status == "informative" else "norm-annex",
            )
            _sub(app, "label", section.label or "")
            if section.annex_status:
                _sub(
                    app,
                    "annex-type",
                    "（规范性）"
                    if section.annex_status == "normative" and lang == "zh"
                    else "（资料性）"
                    if lang == "zh"
                    else f"({section.annex_status})",
                )
            _sub(app, "title", section.title)
            _blocks(app, section.blocks, doc)
            for child in section.children:
                app.append(_section(child, doc))
        elif section.kind is SectionKind.BIBLIOGRAPHY:
            refs = _sub(back, "ref-list", content_type="bibl")
            _sub(refs, "title", section.title)
            for index, text in enumerate(_entries(section), start=1):
                ref = _sub(refs, "ref", id=f"biblref-{index}")
                _sub(ref, "mixed-citation", text)
    return etree.tostring(
        root,
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
        doctype='<!DOCTYPE standard PUBLIC "-//NISO//DTD NISO STS Interchange Tag Set '
        '(NISO STS) DTD with MathML 3.0 v1.0 20171031//EN" "NISO-STS-interchange-1-mathml3.dtd">',
    )


def _front(doc: Document, front: etree._Element, lang: str) -> None:
    meta = doc.meta
    std_meta = _sub(front, "std-meta")
    titles = _sub(std_meta, "title-wrap", xml_lang=lang)
    _sub(titles, "main", meta.title_zh or "")
    if meta.title_en:
        english = _sub(std_meta, "title-wrap")
        english.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        _sub(english, "main", meta.title_en)
    titles.attrib.pop("xml-lang", None)
    titles.set("{http://www.w3.org/XML/1998/namespace}lang", "zh")
    ident = _sub(std_meta, "std-ident")
    if meta.number:
        originator, _, rest = meta.number.partition(" ")
        _sub(ident, "originator", originator)
        number, _, year = rest.partition("—")
        _sub(ident, "doc-number", number)
        _sub(ident, "version", year)
        _sub(std_meta, "std-ref", meta.number, type="dated")
    _sub(std_meta, "doc-ref", meta.number or "")
    if meta.publish_date:
        _sub(std_meta, "release-date", meta.publish_date.isoformat(), date_type="published")
    if meta.implement_date:
        _sub(std_meta, "release-date", meta.implement_date.isoformat(), date_type="implementation")
    if meta.ics:
        _sub(_sub(std_meta, "ics-wrap"), "ics", meta.ics)
    custom = _sub(std_meta, "custom-meta-group")
    pairs = [("ccs", meta.ccs), ("association", meta.association), ("draft", meta.draft)]
    pairs += [("replaces", number) for number in meta.replaces]
    for name, value in pairs:
        if value:
            item = _sub(custom, "custom-meta")
            _sub(item, "meta-name", name)
            _sub(item, "meta-value", value)
    for section in doc.sections:
        if section.kind in (SectionKind.FOREWORD, SectionKind.INTRODUCTION):
            tag = "foreword" if section.kind is SectionKind.FOREWORD else "sec"
            node = _sub(front, "sec", sec_type="foreword" if tag == "foreword" else "intro", id=section.id)
            _sub(node, "title", section.title)
            _blocks(node, section.blocks, doc)
            for child in section.children:
                node.append(_section(child, doc))


def _section(section: Section, doc: Document) -> etree._Element:
    if section.kind is SectionKind.TERM:
        return _term(section, doc)
    node = etree.Element("sec", {"id": section.id})
    if section.number == "2" and section.kind is SectionKind.CHAPTER:
        node.set("sec-type", "norm-refs")
    elif any(child.kind is SectionKind.TERM for child in section.children):
        node.set("sec-type", "terms")
    _sub(node, "label", section.number or "")
    _sub(node, "title", section.title)
    if node.get("sec-type") == "norm-refs":
        _blocks(node, [b for b in section.blocks if b.kind is not BlockKind.LIST], doc)
        refs = _sub(node, "ref-list", content_type="norm-refs")
        for index, text in enumerate(_entries(section), start=1):
            _reference(_sub(refs, "ref", id=f"normref-{index}"), text)
    else:
        _blocks(node, section.blocks, doc)
    for child in section.children:
        node.append(_section(child, doc))
    return node


def _term(section: Section, doc: Document) -> etree._Element:
    """`<term-sec>` with a TBX entry: the definition, notes and source in the document language's
    langSet, and the English term (from `en="…"`) in its own langSet."""
    node = etree.Element("term-sec", {"id": f"sec_{section.number}"})
    _sub(node, "label", section.number or "")
    entry = etree.SubElement(node, _tbx("termEntry"), {"id": section.id})
    lang = "en" if doc.language == "en" else "zh"
    sets = [(lang, section.title)]
    if section.attrs.get("en") and lang != "en":
        sets.append(("en", section.attrs["en"]))
    for code, term in sets:
        lang_set = etree.SubElement(entry, _tbx("langSet"))
        lang_set.set("{http://www.w3.org/XML/1998/namespace}lang", code)
        if code == lang:
            definitions = [b for b in section.blocks if b.kind is BlockKind.PARAGRAPH]
            if definitions:
                etree.SubElement(lang_set, _tbx("definition")).text = xml_text(definitions[0].text)
            for block in section.blocks:
                if block.kind is BlockKind.NOTE:
                    etree.SubElement(lang_set, _tbx("note")).text = xml_text(_plain(block))
                elif block.kind is BlockKind.SOURCE:
                    etree.SubElement(lang_set, _tbx("source")).text = xml_text(block.text.strip("[]"))
        tig = etree.SubElement(lang_set, _tbx("tig"))
        etree.SubElement(tig, _tbx("term")).text = xml_text(term)
        etree.SubElement(tig, _tbx("normativeAuthorization"), {"value": "preferredTerm"})
    return node


_DESIGNATION = re.compile(r"(\S+(?:\s+\d[\w.:/—–-]*)?)\s+(.+)", re.S)


def _reference(parent: etree._Element, text: str) -> None:
    """`GB/T 35796—2017 养老机构服务质量基本规范` → <std><std-ref>GB/T 35796—2017</std-ref> <title>…</title></std>."""
    std = _sub(parent, "std")
    match = _DESIGNATION.fullmatch(text.strip())
    if match is None:
        std.text = xml_text(text)
        return
    _sub(std, "std-ref", match.group(1)).tail = " "
    _sub(std, "title", match.group(2))


def _plain(block: Block) -> str:
    if block.children:
        return "\n".join(child.text for child in block.children)
    return block.text


def _entries(section: Section) -> list[str]:
    out: list[str] = []
    for block in section.blocks:
        if block.kind is BlockKind.LIST:
            out.extend(item.text for item in block.items)
        elif block.kind is BlockKind.PARAGRAPH and section.kind is SectionKind.BIBLIOGRAPHY:
            out.append(block.text)
    return out


def _table_rows(block: Block) -> list[tuple[bool, list[tuple[str, dict[str, str]]]]]:
    """(a header row?, each cell's text and its rowspan/colspan) from the table's tokens: merged cells
    stay merged in the XML (JATS/STS tables are XHTML tables)."""
    rows: list[tuple[bool, list[tuple[str, dict[str, str]]]]] = []
    header = False
    spans: dict[str, str] = {}
    for token in block.tokens:
        if token.type in ("thead_open", "thead_close"):
            header = token.type == "thead_open"
        elif token.type == "tr_open":
            rows.append((header, []))
        elif token.type in ("th_open", "td_open"):
            spans = {name: str(token.attrGet(name)) for name in ("rowspan", "colspan") if token.attrGet(name)}
        elif token.type == "inline" and rows:
            rows[-1][1].append((token.content, spans))
    return rows


def _blocks(parent: etree._Element, blocks: list[Block], doc: Document) -> None:
    for block in blocks:
        kind = block.kind
        if kind is BlockKind.TABLE:
            wrap = _sub(parent, "table-wrap", id=block.id or "")
            _sub(wrap, "label", block.label or "")
            _sub(_sub(wrap, "caption"), "title", block.caption or "")
            table = _sub(wrap, "table")
            head, body = _sub(table, "thead"), _sub(table, "tbody")
            for header, cells in _table_rows(block):
                tr = _sub(head if header else body, "tr")
                for text, spans in cells:
                    _sub(tr, "th" if header else "td", text, **spans)
        elif kind is BlockKind.FIGURE:
            fig = _sub(parent, "fig", id=block.id or "")
            _sub(fig, "label", block.label or "")
            _sub(_sub(fig, "caption"), "title", block.caption or "")
            if figure_name(block.src or ""):  # only a figure reference we would follow
                graphic = _sub(fig, "graphic")
                graphic.set(f"{{{XLINK_NS}}}href", block.src or "")
        elif kind is BlockKind.FORMULA:
            formula = _sub(parent, "disp-formula", id=block.id or "")
            _sub(formula, "label", block.number or "")
            _sub(formula, "tex-math", block.src or block.text)
        elif kind in (BlockKind.NOTE, BlockKind.EXAMPLE):
            box = _sub(parent, "non-normative-note" if kind is BlockKind.NOTE else "non-normative-example")
            _sub(box, "label", (block.label or "").rstrip("：:"))
            _sub(box, "p", _plain(block))
        elif kind is BlockKind.LIST:
            items = _sub(parent, "list")
            for item in block.items:
                _sub(_sub(items, "list-item"), "p", item.text)
        elif block.text:
            _sub(parent, "p", block.text)
