"""DOCX: our AST → one sandboxed pandoc run with a reference DOCX made for this document.

pandoc carries over from its reference DOCX the header and footer parts with their relationships, the
settings and the final w:sectPr. So the per-document pieces outside document.xml (headers with the
standard's number, odd/even footers with the page number, the body section numbered from 1, odd/even
headers and the 目次 refresh on opening) go into a copy of the cached reference (a 20 KB zip, made in
milliseconds), and pandoc's output is final: the large document is never unpacked again. Everything
inside the body (cover, 目次 field, section breaks, end line) is in the AST as raw OOXML.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from authoring.document.tree import Document, SectionKind
from exports import pandoc_ast as pa
from exports.blocks import BodyBuilder, styled
from exports.context import Context
from exports.docx_parts import (
    FOOTER_IDS,
    HEADER_IDS,
    body_section,
    cover_blocks,
    end_line,
    footer_part,
    header_part,
    section_break,
    toc_blocks,
)
from exports.figures import Figure
from exports.ooxml import rewrite_package
from exports.pandoc import run_pandoc
from exports.reference_docx import reference_docx_path
from exports.words import cover_lines

_FRONT = (SectionKind.FOREWORD, SectionKind.INTRODUCTION)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


def docx_ast(doc: Document, ctx: Context) -> dict:
    """The whole Word document as a pandoc AST: cover, 目次, front matter, body, end line."""
    raw = lambda xml: pa.raw_block("openxml", xml)  # noqa: E731
    lines = cover_lines(doc.meta)
    blocks = [raw(x) for x in cover_blocks(doc)]
    blocks.append(raw(section_break(page_format=None, start=None, headers=False)))
    # register the anchors first so references anywhere may link to any heading
    builder = BodyBuilder(ctx)
    ctx.anchors.update(s.id for s in doc.walk() if s.kind not in (SectionKind.TERM,) and s.title)
    blocks.extend(raw(x) for x in toc_blocks(doc, lines["contents"]))
    front = [s for s in doc.sections if s.kind in _FRONT]
    rest = [s for s in doc.sections if s.kind not in _FRONT]
    blocks.extend(builder.blocks(doc.preamble, None))  # text before the first heading is never lost
    for section in front:
        blocks.extend(builder.section(section))
    blocks.append(raw(section_break(page_format="upperRoman", start=1, headers=True)))
    title = lines["title"]  # the English title first in an English document (cover_lines)
    blocks.extend(styled(ctx, "Standard Title", [pa.para(pa.text(title))]))
    for section in rest:
        blocks.extend(builder.section(section))
    blocks.append(raw(end_line()))
    # no `title` in the metadata: pandoc would print it as a Title paragraph above the cover
    meta = {"lang": pa.meta_string("en-US" if doc.language == "en" else "zh-CN")}
    return pa.document(blocks, meta)


def render_docx(doc: Document, ctx: Context) -> bytes:
    ctx.figure_files = True
    ast = docx_ast(doc, ctx)
    return run_docx_pandoc(ast, doc.meta.number or cover_lines(doc.meta)["number"], figures=ctx.media)


#: A Lua filter of ours (never the document's) that puts the figures exports.docx wrote into
#: figures/ of pandoc's work folder into its media bag, so the sandboxed writer embeds them without
#: fetching anything. Data URIs did the same, but pandoc copies an image's source into the
#: picture's description: every use of a figure then carried its whole base64 in document.xml
#: (a 300 KB standard with 23 uses of two figures: 755 KB instead of 220 KB, and ~15 % of pandoc's
#: time to write and parse them).
_FIGURES_FILTER = r"""
local seen = {}
function Image(image)
  local src = image.src
  if seen[src] == nil and src:match("^figures/[^/\\%.][^/\\]*$") then
    seen[src] = true
    local file = io.open(src, "rb")
    if file ~= nil then
      local contents = file:read("a")
      file:close()
      local mime = contents:sub(1, 4) == "\137PNG" and "image/png" or "image/jpeg"
      pandoc.mediabag.insert(src, mime, contents)
    end
  end
end
"""


def run_docx_pandoc(
    ast: dict, number: str, extra: tuple[str, ...] = (), figures: Mapping[str, Figure] | None = None
) -> bytes:
    """One sandboxed pandoc run: JSON AST in, finished DOCX out, with the reference for `number`;
    `figures` are the `figures/NAME` sources of the AST's images (see Context.figure_files)."""
    reference = reference_for(number)
    with tempfile.TemporaryDirectory(prefix="stdforge-docx-") as tmp:
        workdir = Path(tmp)
        (workdir / "reference.docx").write_bytes(reference)
        filters: list[str] = []
        if figures:
            (workdir / "figures").mkdir()
            for source, figure in figures.items():
                (workdir / source).write_bytes(figure.data)
            (workdir / "figures.lua").write_text(_FIGURES_FILTER, encoding="utf-8")
            filters = ["--lua-filter=figures.lua"]
        run_pandoc(
            [
                "-f",
                "json",
                "-t",
                "docx",
                "--reference-doc=reference.docx",
                "--table-caption-position=above",
                "--figure-caption-position=below",
                *filters,
                *extra,
                "-o",
                "out.docx",
            ],
            stdin=json.dumps(ast, ensure_ascii=False).encode("utf-8"),
            cwd=workdir,
        )
        return (workdir / "out.docx").read_bytes()


def reference_for(number: str) -> bytes:
    """The cached GB/T reference DOCX with this document's header, footers, section and settings."""
    return finish_docx(reference_docx_path().read_bytes(), number)


def finish_docx(data: bytes, number: str) -> bytes:
    """Add headers/footers, the body's section properties and the settings pandoc does not write."""
    return rewrite_package(
        data,
        {
            "word/document.xml": _final_section,
            "word/_rels/document.xml.rels": _relationships,
            "[Content_Types].xml": _content_types,
            "word/settings.xml": _settings,
        },
        {
            "word/header-odd.xml": header_part(number, "right"),
            "word/header-even.xml": header_part(number, "left"),
            "word/footer-odd.xml": footer_part("right"),
            "word/footer-even.xml": footer_part("left"),
        },
    )


_SECT = re.compile(rb"<w:sectPr\b(?:(?!<w:sectPr\b).)*?</w:sectPr>\s*</w:body>", re.S)


def _final_section(content: bytes) -> bytes:
    replacement = (
        body_section().replace("<w:sectPr", '<w:sectPr xmlns:r="' + _REL + '"', 1).encode("utf-8")
        + b"</w:body>"
    )
    new, count = _SECT.subn(lambda _: replacement, content, count=1)
    if count == 0:
        new = content.replace(b"</w:body>", replacement, 1)
    return new


def _relationships(content: bytes) -> bytes:
    parts = {
        HEADER_IDS["default"]: ("header", "header-odd.xml"),
        HEADER_IDS["even"]: ("header", "header-even.xml"),
        FOOTER_IDS["default"]: ("footer", "footer-odd.xml"),
        FOOTER_IDS["even"]: ("footer", "footer-even.xml"),
    }
    added = "".join(
        f'<Relationship Id="{rel_id}" Type="{_REL}/{kind}" Target="{target}"/>'
        for rel_id, (kind, target) in parts.items()
    )
    return content.replace(b"</Relationships>", added.encode() + b"</Relationships>")


def _content_types(content: bytes) -> bytes:
    added = "".join(
        f'<Override PartName="/word/{name}" ContentType="{kind}"/>'
        for name, kind in (
            ("header-odd.xml", _HEADER_TYPE),
            ("header-even.xml", _HEADER_TYPE),
            ("footer-odd.xml", _FOOTER_TYPE),
            ("footer-even.xml", _FOOTER_TYPE),
        )
    )
    return content.replace(b"</Types>", added.encode() + b"</Types>")


def _settings(content: bytes) -> bytes:
    """Odd/even headers (the number sits on the outer edge) and a refresh of the 目次 on open."""
    from lxml import etree

    from exports.ooxml import el, w

    root = etree.fromstring(content)
    anchor = root.find(w("drawingGridHorizontalSpacing"))
    if anchor is None:
        anchor = root.find(w("characterSpacingControl"))
    if anchor is not None:
        anchor.addprevious(el("evenAndOddHeaders"))
    update = el("updateFields", val="true")
    later = next(
        (
            root.find(w(tag))
            for tag in ("footnotePr", "endnotePr", "compat", "docVars", "rsids")
            if root.find(w(tag)) is not None
        ),
        None,
    )
    if later is not None:
        later.addprevious(update)
    else:
        root.append(update)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
