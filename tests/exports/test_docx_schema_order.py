"""Word shows a repair prompt when property elements come out of the schema's order: check every
w:pPr, w:rPr and w:sectPr of the exported parts against ECMA-376's sequences."""

from __future__ import annotations

import io
import zipfile

import pytest
from export_helpers import example
from lxml import etree

from exports.api import export_document, export_redline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

PPR = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
RPR = [
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
]
SECT = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]
#: CT_TblPr, and CT_TrPr (its base properties, then the tracked insertion or deletion of the row)
TBLPR = [
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
    "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
    "tblCaption", "tblDescription", "tblPrChange",
]  # fmt: skip
TRPR = [
    "cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit", "trHeight",
    "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del", "trPrChange",
]  # fmt: skip
STYLE = [
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
]


def _out_of_order(root: etree._Element, tag: str, sequence: list[str]) -> list[str]:
    problems = []
    for node in root.iter(f"{W}{tag}"):
        names = [etree.QName(child).localname for child in node if etree.QName(child).namespace == W[1:-1]]
        ranks = [sequence.index(n) if n in sequence else -1 for n in names]
        if -1 in ranks or ranks != sorted(ranks):
            problems.append(f"{tag}: {names}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["standard", "redline"])
def test_property_elements_follow_the_schema_order(kind):
    if kind == "standard":
        data = export_document(example("community-care"), "docx").data
    else:
        data = export_redline(example("community-care"), example("community-care-v2"), "docx").data
    archive = zipfile.ZipFile(io.BytesIO(data))
    problems = []
    for name in archive.namelist():
        if not (name.startswith("word/") and name.endswith(".xml")):
            continue
        root = etree.fromstring(archive.read(name))
        problems += _out_of_order(root, "pPr", PPR) + _out_of_order(root, "sectPr", SECT)
        problems += _out_of_order(root, "style", STYLE)
        problems += _out_of_order(root, "tblPr", TBLPR) + _out_of_order(root, "trPr", TRPR)
        problems += [p for p in _out_of_order(root, "rPr", RPR) if "rPr" in p]
    assert not problems, problems[:10]
