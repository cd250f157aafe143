"""parse(): Standard Markdown text → a numbered Document; with_derived_ids() for the editor's save."""

from __future__ import annotations

import re

from .blockrules import block_parser
from .builder import TreeBuilder
from .errors import DocumentTooLarge
from .frontmatter import read_front_matter
from .ids import DerivedId, assign_ids, write_ids
from .inline import plain_text
from .limits import check_complexity
from .numbering import number_document
from .tree import Block, BlockKind, CrossRef, Document

DEFAULT_MAX_BYTES = 2_000_000
_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read, number and resolve a standard. Raises only DocumentTooLarge (or its kind
    DocumentTooComplex: a flood of headings, blocks or marks, see limits.py); every other defect of
    the input is in the result (a Problem, or a tree that lint reports on)."""
    document, _ = _parse(text, max_bytes)
    return document


def derived_ids(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[DerivedId]:
    """The ids the product chose for headings written without one, with their lines."""
    return _parse(text, max_bytes)[1]


def with_derived_ids(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """`text` with every derived heading id written in (`## 标题 {#c-标题}`), so that ids, and the
    comments and cross references that use them, survive later edits. Idempotent."""
    return write_ids(text, _parse(text, max_bytes)[1])


def with_derived_ids_parsed(text: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, Document]:
    """`with_derived_ids(text)` and the document it parses to, from one parse: writing an id adds
    attributes to a heading's own line, so every line, id and label of the tree stays what it is
    (lint of either reads the same; the Word import lints its result without parsing it again)."""
    document, derived = _parse(text, max_bytes)
    return write_ids(text, derived), document


def _parse(text: str, max_bytes: int) -> tuple[Document, list[DerivedId]]:
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates: not text any tool downstream could write out
        text = _SURROGATE.sub("\ufffd", text)
        size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise DocumentTooLarge(size, max_bytes)
    if text[:1] == "\ufeff":  # a byte order mark (UTF-8 saved by Windows editors) is not text
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    tokens = block_parser().parse(text, {})
    check_complexity(text, tokens)
    yaml_text: str | None = None
    body_line = 1
    if tokens and tokens[0].type == "front_matter" and tokens[0].map:
        yaml_text = tokens[0].content
        # a file that is only a cover has no body line: findings about the body point at its last line
        body_line = min(tokens[0].map[1] + 1, text.count("\n") + 1)
    meta, problems = read_front_matter(yaml_text)
    builder = TreeBuilder(text.split("\n"))
    builder.build(tokens)
    document = Document(
        meta=meta,
        sections=builder.sections,
        source=text,
        body_line=body_line,
        problems=problems,
        preamble=builder.preamble,
    )
    derived = assign_ids(document)
    number_document(document)
    labels = document.labels
    for block in document.preamble:
        _fill_text(block, labels)
    for section in document.walk():
        for block in section.blocks:
            _fill_text(block, labels)
        if section.markdown_title:
            section.title = plain_text(section.markdown_title, section.line, labels, None)
    return document, derived


def _fill_text(block: Block, labels: dict[str, str]) -> None:
    """Plain text and cross references of `block` and of its items and children. Each reference is on
    the one block whose own text holds it (a list's are on its items). Line i of `text` is source line
    `block.line + i`."""
    refs: list[CrossRef] = []
    parts: list[tuple[int, str]] = []
    for line, markdown in block.segments:
        parts.append((line, plain_text(markdown, line, labels, refs)))
    for inner in block.items + block.children:
        _fill_text(inner, labels)
        parts.append((inner.line, inner.text))
    if block.kind is BlockKind.TABLE and block.caption:
        block.caption = (
            parts[0][1] if block.segments and block.segments[0][0] == block.caption_line else block.caption
        )
    elif block.kind is BlockKind.FIGURE:
        block.caption = parts[0][1] if parts else block.caption
    if block.kind is BlockKind.FORMULA:
        block.text = block.src or ""
    elif block.kind is not BlockKind.CODE:
        block.text = _aligned(block.line, parts)
    block.refs = refs


def _aligned(first_line: int, parts: list[tuple[int, str]]) -> str:
    """Join texts so that each starts on its own source line relative to `first_line`."""
    if len(parts) == 1 and parts[0][0] == first_line:
        return parts[0][1]
    out: list[str] = []
    current = first_line
    for line, text in sorted(parts, key=lambda part: part[0]):
        if out:
            out.append("\n" * max(line - current, 1))
        elif line > current:
            out.append("\n" * (line - current))
        current = max(line, current) + text.count("\n")
        out.append(text)
    return "".join(out)
