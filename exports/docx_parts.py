"""The parts of the Word document pandoc cannot make: cover, 目次 field, section breaks, end line,
headers and footers. Built as OOXML with lxml (text escaped by the serialiser) and handed to pandoc
as raw openxml blocks, so the document is written once, in one pandoc run.
"""

from __future__ import annotations

from authoring.document.tree import Document, Section, SectionKind
from exports.ooxml import el, mm_twips, section_properties, sub, to_xml, w, xml_text
from exports.styles import PAGE, style
from exports.words import cover_lines

#: relationship ids of the header/footer parts docx.py adds after pandoc has run
HEADER_IDS = {"default": "stdHeaderOdd", "even": "stdHeaderEven"}
FOOTER_IDS = {"default": "stdFooterOdd", "even": "stdFooterEven"}


def paragraph(
    style_id: str,
    text: str = "",
    *,
    rule: str | None = None,
    tabs: list[tuple[str, int]] | None = None,
    before: float | None = None,
):
    """A paragraph in a style, optionally with a rule below it across the text width and extra space
    before it (in points: the cover's vertical rhythm)."""
    p = el("p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val=style_id)
    if rule:
        borders = sub(ppr, "pBdr")
        sub(borders, rule, val="single", sz=6, space=1, color="000000")
    if tabs:
        stops = sub(ppr, "tabs")
        for alignment, position in tabs:
            sub(stops, "tab", val=alignment, pos=position)
    if before is not None:
        sub(ppr, "spacing", before=round(before * 20))
    for index, part in enumerate(text.split("\t")):
        if index:
            sub(sub(p, "r"), "tab")
        if part:
            run = sub(p, "r")
            t = sub(run, "t")
            t.text = xml_text(part)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _kind_paragraph(text: str, *, spaced: bool):
    """团 体 标 准 is letter-spaced (the style's spacing); "Group Standard" is not."""
    p = paragraph("CoverKind", text, before=60)
    if not spaced:
        for run in p.iter(w("r")):
            rpr = el("rPr")
            sub(rpr, "spacing", val=0)
            run.insert(0, rpr)
    return p


#: the cover's sizes (points) as its styles set them, for the estimate of how tall the titles run
_TITLE_SIZE, _EN_SIZE = style("Cover Title").size or 26, style("Cover English Title").size or 14
#: what the one-line titles of an ordinary cover leave between the draft notice and the dates
_GAP = 165


def _title_lines(text: str, size: float, *, chinese: bool) -> int:
    """How many lines a title prints at `size` across the text width: a Chinese character is one em,
    a Latin one about half (an estimate, on the safe side, since Word measures nothing for us)."""
    width = PAGE.text_width_mm * 72 / 25.4
    per_line = max(1, int(width // (size if chinese else size * 0.5)))
    return sum(-(-len(element) // per_line) for element in (text.split() if chinese else [text]) if element)


def _title_paragraph(style_id: str, text: str, *, elements: bool, size: float | None, before=None):
    """A title whose elements (the parts between its spaces) each start a line, at `size` if given."""
    p = paragraph(style_id, before=before)
    for index, part in enumerate(text.split() if elements else [text]):
        run = sub(p, "r")
        if size is not None:
            rpr = sub(run, "rPr")
            sub(rpr, "sz", val=round(size * 2))
            sub(rpr, "szCs", val=round(size * 2))
        if index:
            sub(run, "br")
        t = sub(run, "t")
        t.text = xml_text(part)
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def _cover_titles(lines: dict[str, str], chinese: bool) -> tuple[list[str], float]:
    """The title paragraphs and the gap they leave: a long title shrinks (26, 22, 18, 16 pt) until
    the cover keeps to its one page, and the gap below it closes by the lines it gained."""
    for scale in (1.0, 0.85, 0.7, 0.6):
        size, en_size = _TITLE_SIZE * scale, _EN_SIZE * min(1.0, scale + 0.15)
        extra = (_title_lines(lines["title"], size, chinese=chinese) - 1) * size * 1.8 - (
            _TITLE_SIZE - size
        ) * 1.8
        if lines["title_en"]:
            extra += (_title_lines(lines["title_en"], en_size, chinese=not chinese) - 1) * en_size * 1.7
        if extra <= _GAP - 40 or scale == 0.6:
            break
    shrunk = scale < 1.0
    out = [
        to_xml(
            _title_paragraph(
                "CoverTitle", lines["title"], elements=chinese, size=size if shrunk else None, before=110
            )
        )
    ]
    if lines["title_en"]:
        out.append(
            to_xml(
                _title_paragraph(
                    "CoverEnglishTitle",
                    lines["title_en"],
                    elements=not chinese,
                    size=en_size if shrunk else None,
                )
            )
        )
    return out, max(6.0, _GAP - max(0.0, extra))


def _issuers(lines: dict[str, str], chinese: bool) -> str:
    """One body on a line with 发布 after it; two bodies one under the other, 发布 beside the pair
    (GB/T 1.1—2020, 8.1): a borderless two-column table, centred, with the word set in the middle."""
    bodies = lines["issuers"].split("\n")
    if not chinese or len(bodies) < 2:
        return to_xml(paragraph("CoverPublisher", lines["publisher"]))
    table = el("tbl")
    tpr = sub(table, "tblPr")
    sub(tpr, "jc", val="center")
    sub(tpr, "tblBorders")
    sub(tpr, "tblLayout", val="autofit")
    grid = sub(table, "tblGrid")
    sub(grid, "gridCol", w=mm_twips(64))
    sub(grid, "gridCol", w=mm_twips(16))
    row = sub(table, "tr")
    names = sub(row, "tc")
    names_pr = sub(names, "tcPr")
    sub(names_pr, "tcW", w=mm_twips(64), type="dxa")
    sub(names_pr, "vAlign", val="center")
    for body in bodies:
        names.append(paragraph("CoverPublisher", body))
    word = sub(row, "tc")
    word_pr = sub(word, "tcPr")
    sub(word_pr, "tcW", w=mm_twips(16), type="dxa")
    sub(word_pr, "vAlign", val="center")
    word.append(paragraph("CoverPublisher", lines["issued"]))
    return to_xml(table)


def cover_blocks(doc: Document) -> list[str]:
    """The cover page as OOXML paragraphs (GB/T 1.1 layout for a group standard), kept to one page."""
    lines = cover_lines(doc.meta)
    chinese = doc.language != "en"
    width = mm_twips(PAGE.text_width_mm)
    out = [
        to_xml(paragraph("CoverCode", lines["ics"])),
        to_xml(paragraph("CoverCode", lines["ccs"])),
        to_xml(_kind_paragraph(lines["kind"], spaced=chinese)),
        to_xml(paragraph("CoverNumber", lines["number"], rule=None if lines["replaces"] else "bottom")),
    ]
    if lines["replaces"]:
        out.append(to_xml(paragraph("CoverReplaces", lines["replaces"], rule="bottom")))
    titles, title_gap = _cover_titles(lines, chinese)
    out.extend(titles)
    if lines["draft"]:
        out.append(to_xml(paragraph("CoverDraft", f"（{lines['draft']}）" if chinese else lines["draft"])))
        out.append(to_xml(paragraph("CoverNotice", lines["notice"])))
    gap = (
        title_gap
        - (60 if lines["draft"] else 0)
        - (0 if lines["title_en"] else 30)
        + (0 if lines["replaces"] else 14)
        - (40 if "\n" in lines["issuers"] and chinese else 0)
    )
    out.append(
        to_xml(
            paragraph(
                "CoverDates",
                f"{lines['published']}\t{lines['implemented']}",
                rule="bottom",
                tabs=[("right", width)],
                before=max(6.0, gap),
            )
        )
    )
    out.append(_issuers(lines, chinese))
    return out


def section_break(*, page_format: str | None, start: int | None, headers: bool) -> str:
    """An empty paragraph whose w:sectPr ends the section before it (cover, front matter)."""
    p = el("p")
    ppr = sub(p, "pPr")
    ppr.append(
        section_properties(
            headers=HEADER_IDS if headers else None,
            footers=FOOTER_IDS if headers else None,
            page_format=page_format,
            start=start,
        )
    )
    return to_xml(p)


def body_section() -> str:
    """The last section (the body, numbered 1, 2, …) as it replaces pandoc's final w:sectPr."""
    return to_xml(section_properties(headers=HEADER_IDS, footers=FOOTER_IDS, page_format="decimal", start=1))


def _run(parent, text: str):
    run = sub(parent, "r")
    t = sub(run, "t")
    t.text = xml_text(text)
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _field(parent, instruction: str, cached: str | None = None) -> None:
    """A complex field (w:fldChar begin/separate/end) with its cached result."""
    sub(sub(parent, "r"), "fldChar", fldCharType="begin")
    instr = sub(sub(parent, "r"), "instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    sub(sub(parent, "r"), "fldChar", fldCharType="separate")
    if cached is not None:
        _run(parent, cached)
    sub(sub(parent, "r"), "fldChar", fldCharType="end")


def toc_blocks(doc: Document, title: str) -> list[str]:
    """目次: a real TOC field over headings 1–2 plus the preface and annex styles, never term entries.

    The cached result lists the entries without page numbers (they are only known after Word's own
    layout): Word and WPS rebuild the field with numbers and dot leaders on opening (settings
    `w:updateFields`); LibreOffice, which does not recompute an imported index, shows the plain list.
    """
    heading = paragraph("TOCHeading", title)
    entries = _toc_entries(doc)
    out = [to_xml(heading)]
    instruction = 'TOC \\o "1-2" \\h \\z \\t "Preface Heading,1,Annex Heading,1"'
    for index, (level, text) in enumerate(entries):
        p = el("p")
        ppr = sub(p, "pPr")
        sub(ppr, "pStyle", val=f"TOC{level}")
        if index == 0:
            sub(sub(p, "r"), "fldChar", fldCharType="begin")
            instr = sub(sub(p, "r"), "instrText")
            instr.text = f" {instruction} "
            instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            sub(sub(p, "r"), "fldChar", fldCharType="separate")
        _run(p, text)
        out.append(to_xml(p))
    # the field ends in a paragraph of its own, so no entry shares a paragraph with what follows
    closing = el("p")
    sub(sub(closing, "pPr"), "pStyle", val="TOC1")
    if not entries:
        _field(closing, instruction)
    else:
        sub(sub(closing, "r"), "fldChar", fldCharType="end")
    out.append(to_xml(closing))
    return out


def _toc_entries(doc: Document) -> list[tuple[int, str]]:
    """(level, text) of every 目次 entry: preface elements, chapters and their first-level
    clauses, annexes and theirs, the bibliography; never term entries."""
    zh = doc.language != "en"
    space = "\u3000" if zh else "\u2003"
    entries: list[tuple[int, str]] = []

    def clauses(section: Section) -> None:
        entries.extend(
            (2, f"{c.number}{space}{c.title}")
            for c in section.children
            if c.title and c.kind is SectionKind.CLAUSE
        )

    for section in doc.sections:
        if section.kind in (SectionKind.FOREWORD, SectionKind.INTRODUCTION, SectionKind.BIBLIOGRAPHY):
            entries.append((1, section.title))
        elif section.kind is SectionKind.CHAPTER:
            entries.append((1, f"{section.number}{space}{section.title}"))
            clauses(section)
        elif section.kind is SectionKind.ANNEX:
            status = {
                "normative": "（规范性）" if zh else " (normative) ",
                "informative": "（资料性）" if zh else " (informative) ",
            }.get(section.annex_status or "", space)
            entries.append((1, f"{section.label}{status}{section.title}"))
            clauses(section)
    return entries


def end_line() -> str:
    """The end line: a short centred rule (a bottom border on an indented empty paragraph)."""
    p = el("p")
    ppr = sub(p, "pPr")
    sub(ppr, "pStyle", val="EndLine")
    borders = sub(ppr, "pBdr")
    sub(borders, "bottom", val="single", sz=6, space=1, color="000000")
    side = mm_twips((PAGE.text_width_mm - 40) / 2)
    sub(ppr, "ind", left=side, right=side, firstLine=0, firstLineChars=0)
    return to_xml(p)


def header_part(number: str, align: str) -> bytes:
    """A header part with the standard's number, right-aligned on odd pages and left on even."""
    return _part("hdr", paragraph("Header", number), align)


def footer_part(align: str) -> bytes:
    p = el("p")
    sub(sub(p, "pPr"), "pStyle", val="Footer")
    _field(p, "PAGE", "1")
    return _part("ftr", p, align)


def _part(tag: str, p, align: str) -> bytes:
    from lxml import etree

    ppr = p.find(w("pPr"))
    sub(ppr, "jc", val=align)
    root = el(tag)
    root.append(p)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
