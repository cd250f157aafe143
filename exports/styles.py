"""The GB/T 1.1 page and paragraph styles, declared once as data.

The reference DOCX (reference_docx.py) is generated from this table and the Typst template reads its
sizes from `typst_settings()`, so a typographer changes a value here and both outputs follow. Sizes
are in points, indents in characters (a CJK character is one em), spacing in points.

Font roles, not font names: "song" is the serif body face (宋体 / SimSun in Word, Noto Serif CJK SC in
the PDF), "hei" the sans face for titles and labels (黑体 / SimHei, Noto Sans CJK SC).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FontRole = Literal["song", "hei"]
Align = Literal["left", "center", "right", "both"]


@dataclass(frozen=True)
class FontFace:
    """How a role is named in Word: East Asian name, its Latin alias, and the Latin face used with it."""

    east_asia: str
    alt_name: str
    latin: str
    panose: str


FONTS: dict[FontRole, FontFace] = {
    "song": FontFace(
        east_asia="宋体", alt_name="SimSun", latin="Times New Roman", panose="02010600030101010101"
    ),
    "hei": FontFace(east_asia="黑体", alt_name="SimHei", latin="黑体", panose="02010609060101010101"),
}


@dataclass(frozen=True)
class Page:
    """A4 with the GB/T 1.1 margins (millimetres)."""

    width_mm: float = 210
    height_mm: float = 297
    top_mm: float = 25
    bottom_mm: float = 20
    left_mm: float = 25
    right_mm: float = 20
    header_mm: float = 12
    footer_mm: float = 10

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - self.left_mm - self.right_mm


PAGE = Page()


@dataclass(frozen=True)
class Style:
    """One Word style; None means "inherit from `based_on`"."""

    name: str
    kind: Literal["paragraph", "character"] = "paragraph"
    based_on: str | None = "Normal"
    font: FontRole | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    align: Align | None = None
    first_line_chars: float | None = None
    left_chars: float | None = None
    hanging_chars: float | None = None
    before: float | None = None
    after: float | None = None
    keep_next: bool = False
    page_break_before: bool = False
    #: 0-based outline level (Heading 1 is 0); None keeps the style out of the navigation pane
    outline_level: int | None = None
    #: letter spacing in points (the cover's 团 体 标 准)
    spacing: float | None = None
    #: a frame around the paragraph (the placeholder of a missing figure)
    boxed: bool = False
    #: tab stops as (alignment, position in mm from the left margin)
    tabs: tuple[tuple[str, float], ...] = ()

    @property
    def style_id(self) -> str:
        return self.name.replace(" ", "")


BODY = 10.5  # 五号
SMALL = 9  # 小五

#: every style the exports use, in the order they are written to styles.xml
STYLES: tuple[Style, ...] = (
    Style("Normal", based_on=None, font="song", size=BODY, align="both", after=0, before=0),
    # pandoc's paragraph styles: body text, justified with a two-character first-line indent
    Style("Body Text", font="song", size=BODY, align="both", first_line_chars=2, before=0, after=0),
    Style("First Paragraph", based_on="Body Text"),
    Style("Compact", based_on="Normal", size=SMALL, align="left", first_line_chars=0),
    # chapters and clauses: 黑体 五号 with the number, never bold, one half line around
    *(
        Style(
            f"Heading {level}",
            font="hei",
            size=BODY,
            bold=False,
            italic=False,
            align="left",
            first_line_chars=0,
            before=6,
            after=6,
            keep_next=True,
            outline_level=level - 1,
        )
        for level in range(1, 7)
    ),
    # 前言 / 目次 / 引言 / 参考文献: 黑体 三号 centred, each on a new page
    Style(
        "Preface Heading",
        font="hei",
        size=16,
        align="center",
        first_line_chars=0,
        before=24,
        after=18,
        keep_next=True,
        page_break_before=True,
        outline_level=0,
    ),
    Style(
        "TOC Heading",
        font="hei",
        size=16,
        align="center",
        first_line_chars=0,
        before=24,
        after=18,
        keep_next=True,
    ),
    Style("TOC 1", font="song", size=BODY, align="left", first_line_chars=0),
    Style("TOC 2", font="song", size=BODY, align="left", first_line_chars=0, left_chars=1),
    # the standard's name on the first page of the body: 黑体 小二 centred
    Style(
        "Standard Title",
        font="hei",
        size=18,
        align="center",
        first_line_chars=0,
        before=12,
        after=30,
        keep_next=True,
    ),
    # annex title block: 附录A / （规范性） / title, centred, each annex on a new page
    Style(
        "Annex Heading",
        font="hei",
        size=BODY,
        align="center",
        first_line_chars=0,
        before=0,
        after=18,
        keep_next=True,
        page_break_before=True,
        outline_level=0,
    ),
    # term entries: number, then term and English term, then the definition as body text
    Style("Untitled Clause", based_on="Body Text", first_line_chars=0),
    # the introduction's subdivisions 0.1, 0.2: clause look, but not in the 目次
    Style(
        "Intro Heading",
        font="hei",
        size=BODY,
        align="left",
        first_line_chars=0,
        before=6,
        after=6,
        keep_next=True,
    ),
    Style("Term Number", font="hei", size=BODY, align="left", first_line_chars=0, before=6, keep_next=True),
    Style("Term", font="hei", size=BODY, align="left", first_line_chars=0, keep_next=True),
    Style("Term Source", based_on="Body Text"),
    # notes and examples: 小五, label in 黑体 (character style)
    Style("Note", font="song", size=SMALL, align="both", first_line_chars=2),
    Style("Example", font="song", size=SMALL, align="both", first_line_chars=2),
    Style("Label", kind="character", based_on=None, font="hei"),
    Style("Clause Number", kind="character", based_on=None, font="hei"),
    # lists: the label ("a)", "——") is written out, the text hangs after it
    Style("List Item", font="song", size=BODY, align="both", left_chars=4, hanging_chars=2),
    Style("List Item 2", based_on="List Item", left_chars=6, hanging_chars=2),
    Style("Reference", font="song", size=BODY, align="left", first_line_chars=2),
    # captions: 黑体 五号 centred, 表 above its table, 图 below its figure
    Style("Caption", font="hei", size=BODY, align="center", first_line_chars=0, before=6, after=6),
    Style("Table Caption", based_on="Caption", keep_next=True),
    Style("Image Caption", based_on="Caption"),
    Style("Figure", align="center", first_line_chars=0, keep_next=True),
    Style("Captioned Figure", based_on="Figure", keep_next=True),
    Style(
        "Figure Placeholder",
        font="song",
        size=SMALL,
        align="center",
        first_line_chars=0,
        keep_next=True,
        before=48,
        after=48,
        boxed=True,
    ),
    Style(
        "Formula",
        font="song",
        size=BODY,
        align="left",
        first_line_chars=0,
        before=3,
        after=3,
        tabs=(("center", PAGE.text_width_mm / 2), ("right", PAGE.text_width_mm)),
    ),
    Style("Formula Key", font="song", size=BODY, align="left", first_line_chars=2),
    Style("End Line", font="song", size=BODY, align="center", first_line_chars=0, before=18),
    # the cover
    Style("Cover Code", font="hei", size=BODY, align="left", first_line_chars=0),
    Style(
        "Cover Kind", font="hei", size=42, align="center", first_line_chars=0, before=36, after=12, spacing=12
    ),
    Style("Cover Number", font="hei", size=14, align="right", first_line_chars=0),
    Style("Cover Replaces", font="song", size=BODY, align="right", first_line_chars=0),
    Style("Cover Title", font="hei", size=26, align="center", first_line_chars=0, before=0, after=18),
    Style("Cover English Title", font="song", size=14, align="center", first_line_chars=0, after=18),
    Style("Cover Draft", font="song", size=14, align="center", first_line_chars=0, before=12, after=6),
    Style("Cover Notice", font="song", size=SMALL, align="center", first_line_chars=0, after=6),
    Style("Cover Dates", font="hei", size=14, align="left", first_line_chars=0),
    Style("Cover Publisher", font="hei", size=16, align="center", first_line_chars=0, before=6),
    Style("Header", font="song", size=SMALL, align="right", first_line_chars=0),
    Style("Footer", font="song", size=SMALL, align="right", first_line_chars=0),
)


def style(name: str) -> Style:
    """The declared style called `name` (KeyError for a typo, which is a bug in the exporter)."""
    return _BY_NAME[name]


_BY_NAME = {s.name: s for s in STYLES}


def typst_settings() -> dict[str, str]:
    """The values the Typst template needs, as Typst literals, from the same table as the DOCX."""
    return {
        "page-margin-top": f"{PAGE.top_mm}mm",
        "page-margin-bottom": f"{PAGE.bottom_mm}mm",
        "page-margin-left": f"{PAGE.left_mm}mm",
        "page-margin-right": f"{PAGE.right_mm}mm",
        "body-size": f"{style('Body Text').size}pt",
        "small-size": f"{style('Note').size}pt",
        "heading-size": f"{style('Heading 1').size}pt",
        "preface-size": f"{style('Preface Heading').size}pt",
        "title-size": f"{style('Standard Title').size}pt",
        "cover-kind-size": f"{style('Cover Kind').size}pt",
        "cover-title-size": f"{style('Cover Title').size}pt",
        "cover-en-size": f"{style('Cover English Title').size}pt",
        "cover-number-size": f"{style('Cover Number').size}pt",
    }
