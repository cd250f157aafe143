"""What the history, diff, conflict and preview answers show, shaped for templates and JSON.

Pure shaping of stored revisions and core results: no request, no session writes (`compare` keeps
a few recent diffs in memory). The timeline chart is computed here as plain geometry and drawn as
inline SVG by the template, so no chart library is needed and the page's Content Security Policy
stays strict.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from authoring.analysis import Analysis
from authoring.document import Document, parse
from authoring.document.diff import SectionDiff, diff_documents, diff_text
from authoring.document.diffing.labels import labels as diff_words
from authoring.document.diffing.labels import printed_numbers
from authoring.document.diffing.layout import Paragraph, layout
from authoring.models import RenderCache, Revision
from authoring.operations import Conflict

#: an unchanged run longer than this inside a hunk is shortened to its ends
ELIDE_OVER = 280
ELIDE_KEEP = 110


def preview_json(result: RenderCache | Analysis, language: str) -> dict[str, Any]:
    """The preview endpoint's answer: HTML fragment, outline, findings in the reader's language."""
    hints = result.hints or {}
    return {
        "html": result.html,
        "outline": result.outline,
        "findings": result.findings_in(language),
        "counts": {"errors": result.errors, "warnings": result.warnings},
        "labels": result.labels,
        "foreword_sentences": hints.get("foreword_sentences", []),
        "language": hints.get("language", "zh"),
    }


def _title_of(item: dict[str, Any]) -> str:
    """An outline entry's title; an untitled clause shows its number alone, never the number twice."""
    if item.get("title"):
        return str(item["title"])
    return "" if item.get("number") else str(item.get("label") or "")


# -- the timeline chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    number: int
    x: float
    added_height: float
    removed_height: float
    added: int
    removed: int
    author: str
    created_at: datetime


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    bar_width: float
    bars: list[Bar]
    first: datetime | None
    last: datetime | None


def timeline(revisions: Sequence[Revision], *, width: int = 720, height: int = 120) -> Timeline:
    """One bar pair per revision in order: characters added up, removed down, on a square-root scale.

    A square root keeps a one-line fix visible next to the upload of a whole standard.
    """
    ordered = sorted(revisions, key=lambda r: r.number)
    axis_y = height / 2
    if not ordered:
        return Timeline(width, height, axis_y, 0, [], None, None)
    peak = max(max(r.chars_added, r.chars_removed) for r in ordered) or 1
    slot = width / len(ordered)
    bar_width = max(2.0, min(24.0, slot * 0.6))
    scale = (axis_y - 6) / math.sqrt(peak)
    bars = [
        Bar(
            number=r.number,
            x=round(slot * index + (slot - bar_width) / 2, 2),
            added_height=round(math.sqrt(r.chars_added) * scale, 2),
            removed_height=round(math.sqrt(r.chars_removed) * scale, 2),
            added=r.chars_added,
            removed=r.chars_removed,
            author=r.author.name if r.author else "",
            created_at=r.created_at,
        )
        for index, r in enumerate(ordered)
    ]
    return Timeline(
        width, height, axis_y, round(bar_width, 2), bars, ordered[0].created_at, ordered[-1].created_at
    )


# -- who last changed each clause ---------------------------------------------------------------------


@dataclass(frozen=True)
class LastChange:
    id: str
    number: str | None
    title: str
    level: int
    revision: Revision | None


def last_changes(revisions: Sequence[Revision], cache: RenderCache | None) -> list[LastChange]:
    """Each clause of the current text with the latest revision that changed, added or moved it."""
    if cache is None:
        return []
    newest_first = sorted(revisions, key=lambda r: r.number, reverse=True)
    seen: dict[str, Revision] = {}
    for revision in newest_first:
        for section_id in revision.touched_ids:
            seen.setdefault(section_id, revision)
    rows: list[LastChange] = []

    def visit(items: list[dict[str, Any]], depth: int) -> None:
        for item in items:
            rows.append(
                LastChange(
                    item["id"],
                    item.get("number"),
                    _title_of(item),
                    depth,
                    seen.get(item["id"]),
                )
            )
            visit(item.get("children") or [], depth + 1)

    visit(cache.outline or [], 0)
    return rows


# -- diffs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    op: str  #: "=", "-" or "+"
    text: str
    elided: bool = False


@dataclass(frozen=True)
class ReadingRow:
    header: bool
    status: str  #: "=" kept (its cells may have changes), "+" added, "-" deleted
    cells: list[list[Piece]]


@dataclass(frozen=True)
class ReadingBlock:
    """A printed paragraph (role "text", "caption", "note") or a table (role "table", with rows)."""

    role: str
    pieces: list[Piece] = field(default_factory=list)
    rows: list[ReadingRow] = field(default_factory=list)


@dataclass(frozen=True)
class HunkView:
    id: str | None
    kind: str
    title: str
    status: str
    moved: bool
    move_from: str | None
    move_to: str | None
    old_number: str | None
    new_number: str | None
    inline: list[Piece]
    old_side: list[Piece]
    new_side: list[Piece]
    #: the reading view: the number as printed ("4.5 → 5.4", "附录A"), the title line and the body
    printed_number: str = ""
    reading_title: list[Piece] = field(default_factory=list)
    reading: list[ReadingBlock] = field(default_factory=list)


@dataclass(frozen=True)
class DiffView:
    hunks: list[HunkView]
    #: "reading" (the printed text, for reviewers) or "source" (the Markdown, for drafters)
    mode: str = "source"
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    chars_inserted: int = 0
    chars_deleted: int = 0


def _elide(ops: Sequence[tuple[str, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    last = len(ops) - 1
    for index, (op, text) in enumerate(ops):
        if op == "=" and len(text) > ELIDE_OVER:
            head = "" if index == 0 else text[:ELIDE_KEEP]
            tail = "" if index == last else text[-ELIDE_KEEP:]
            if head:
                pieces.append(Piece("=", head))
            pieces.append(Piece("=", " … ", elided=True))
            if tail:
                pieces.append(Piece("=", tail))
        else:
            pieces.append(Piece(op, text))
    return pieces


def _label(doc: Document, section_id: str | None) -> str | None:
    """The label of `section_id` in `doc` ("第4章", "4.2"), its id when it has none; None for the top."""
    if section_id is None:
        return None
    return doc.labels.get(section_id) or section_id


def _reading_blocks(hunk: SectionDiff) -> tuple[list[Piece], list[ReadingBlock]]:
    """The hunk as printed (core layout): its title line, and paragraphs and tables with long
    unchanged paragraphs shortened; tables are shown whole, each cell with its own changes."""
    laid = layout(hunk)
    blocks: list[ReadingBlock] = []
    for item in laid.body:
        if isinstance(item, Paragraph):
            text = "".join(text for _, text in item.runs)
            if not item.changed and len(text) > ELIDE_OVER:
                pieces = [Piece("=", text[:ELIDE_KEEP]), Piece("=", " … ", elided=True)]
            else:
                pieces = _elide(item.runs)
            blocks.append(ReadingBlock(item.role, pieces))
        else:
            rows = [
                ReadingRow(
                    row.header, row.status, [[Piece(op, text) for op, text in cell] for cell in row.cells]
                )
                for row in item.rows
            ]
            blocks.append(ReadingBlock("table", rows=rows))
    return [Piece(op, text) for op, text in laid.title], blocks


def compare_texts(old_text: str, new_text: str, *, reading: bool = False) -> DiffView:
    """The clause-level summary and text changes from `old_text` to `new_text` (core diff).

    With `reading`, the printed texts are compared and each hunk carries its reading view (numbers,
    labels, tables as tables) instead of source pieces.
    """
    old_doc, new_doc = parse(old_text), parse(new_text)
    result = diff_documents(old_doc, new_doc, reading=reading)
    words = diff_words(result.language)
    hunks = []
    for hunk in result.hunks:
        pieces = [] if reading else _elide(hunk.ops)
        title, blocks = _reading_blocks(hunk) if reading else ([], [])
        hunks.append(
            HunkView(
                id=hunk.id,
                kind=hunk.kind,
                title=hunk.title,
                status=str(hunk.status),
                moved=hunk.moved,
                # a move names the parents by what a reader sees in each revision ("第4章", "5.2")
                move_from=_label(old_doc, hunk.move.from_parent) if hunk.move else None,
                move_to=_label(new_doc, hunk.move.to_parent) if hunk.move else None,
                old_number=hunk.old_number,
                new_number=hunk.new_number,
                inline=pieces,
                old_side=[p for p in pieces if p.op != "+"],
                new_side=[p for p in pieces if p.op != "-"],
                printed_number=printed_numbers(hunk, words),
                reading_title=title,
                reading=blocks,
            )
        )
    return DiffView(
        hunks=hunks,
        mode="reading" if reading else "source",
        changed=result.changed,
        added=result.added,
        deleted=result.deleted,
        moved=[m.id for m in result.moved],
        chars_inserted=result.stats.chars_inserted,
        chars_deleted=result.stats.chars_deleted,
    )


#: how many diffs `compare` remembers per process: a 300 KB pair takes ~0.4 s to compare, and
#: the diff page of a published standard is open to anyone
RECENT_DIFFS = 16
_recent_diffs: OrderedDict[tuple[str, str, bool], DiffView] = OrderedDict()
_recent_lock = threading.Lock()


def compare(old: Revision, new: Revision, *, reading: bool = False) -> DiffView:
    """`compare_texts` of two revisions; the last RECENT_DIFFS pairs are kept (revisions never change)."""
    key = (old.content_hash, new.content_hash, reading)
    with _recent_lock:
        view = _recent_diffs.get(key)
        if view is not None:
            _recent_diffs.move_to_end(key)
            return view
    view = compare_texts(old.text, new.text, reading=reading)
    with _recent_lock:
        _recent_diffs[key] = view
        while len(_recent_diffs) > RECENT_DIFFS:
            _recent_diffs.popitem(last=False)
    return view


@dataclass(frozen=True)
class ConflictRegion:
    """One place both sides changed: their lines and mine, with the differences between them."""

    mine_line: int
    theirs_line: int
    theirs: list[Piece]
    mine: list[Piece]


@dataclass(frozen=True)
class ConflictView:
    latest_number: int
    latest_author: str
    regions: list[ConflictRegion]
    differences: DiffView


def conflict_view(conflict: Conflict) -> ConflictView:
    """The overlapping places first, then where the drafter's text differs clause by clause."""
    latest = conflict.latest
    regions = []
    for region in conflict.conflicts:
        pieces = [Piece(op, text) for op, text in diff_text(region.theirs, region.mine)]
        regions.append(
            ConflictRegion(
                mine_line=region.mine_line,
                theirs_line=region.theirs_line,
                theirs=[p for p in pieces if p.op != "+"],
                mine=[p for p in pieces if p.op != "-"],
            )
        )
    return ConflictView(
        latest_number=latest.number,
        latest_author=latest.author.name if latest.author else "",
        regions=regions,
        differences=compare_texts(latest.text, conflict.mine),
    )


# -- what each revision touched, by number and title -------------------------------------------------


@dataclass(frozen=True)
class Touched:
    status: str  #: changed, added, deleted, moved
    number: str | None
    title: str


def touched_labels(revisions: Sequence[Revision], caches: dict[str, RenderCache]) -> dict[int, list[Touched]]:
    """For each revision, the clauses it touched named by their numbers and titles (deleted ones as
    they were in the parent), from the outlines already in the cache."""
    by_number = {r.number: r for r in revisions}

    def index(revision: Revision | None) -> dict[str, tuple[str | None, str]]:
        cache = caches.get(revision.content_hash) if revision else None
        found: dict[str, tuple[str | None, str]] = {}

        def visit(items: list[dict[str, Any]]) -> None:
            for item in items:
                found[item["id"]] = (item.get("number"), _title_of(item))
                visit(item.get("children") or [])

        visit(cache.outline if cache else [])
        return found

    result: dict[int, list[Touched]] = {}
    for revision in revisions:
        if revision.number == 1:
            result[revision.number] = []
            continue
        own = index(revision)
        parent = index(by_number.get(revision.number - 1) or revision.parent)
        touched = revision.touched or {}
        rows: list[Touched] = []
        for status in ("changed", "added", "moved", "deleted"):
            for entry in touched.get(status, []):
                section_id = entry["id"] if isinstance(entry, dict) else entry
                number, title = (parent if status == "deleted" else own).get(section_id, (None, section_id))
                rows.append(Touched(status, number, title))
        result[revision.number] = rows
    return result
