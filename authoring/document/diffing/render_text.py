"""The diff as plain text for a terminal: the clause-level summary, then each change in its line.

Changes are marked the way `git diff --word-diff` marks them, `[-old-]{+new+}`, because a
character-level Chinese change is unreadable as a pair of whole "-"/"+" lines.
"""

from __future__ import annotations

from authoring.document.diffing.labels import hunk_title, labels, numbers
from authoring.document.diffing.model import DocumentDiff, SectionDiff, Status
from authoring.document.diffing.textdiff import DELETE, EQUAL, INSERT, Ops

_OPEN = {DELETE: "[-", INSERT: "{+"}
_CLOSE = {DELETE: "-]", INSERT: "+}"}


def render_text(diff: DocumentDiff) -> str:
    """The summary and the hunks for a terminal: deletions as [-…-], insertions as {+…+}."""
    words = labels(diff.language)
    if diff.is_empty:
        return words["none"] + "\n"
    out = [f"{diff.new_title or diff.old_title} — {words['title']}".lstrip(" —"), ""]
    out.extend(_summary(diff, words))
    stats = diff.stats
    out.append(
        words["stats"].format(
            inserted=stats.chars_inserted, deleted=stats.chars_deleted, touched=stats.sections_touched
        )
    )
    for hunk in diff.hunks:
        out.append("")
        out.append(_hunk_heading(hunk, words))
        out.extend(_changed_lines(hunk))
    return "\n".join(out) + "\n"


def _summary(diff: DocumentDiff, words: dict[str, str]) -> list[str]:
    rows = []
    for status in (Status.CHANGED, Status.ADDED, Status.DELETED):
        hunks = [h for h in diff.hunks if h.status is status and h.id is not None]
        if hunks:
            rows.append(f"{words[status]} ({len(hunks)}):")
            rows.extend(f"  {numbers(h) or '-'}  {hunk_title(h, words)}  [{h.id}]" for h in hunks)
    moved = [h for h in diff.hunks if h.move is not None]
    if moved:
        rows.append(f"{words['moved']} ({len(moved)}):")
        for h in moved:
            assert h.move is not None
            where = f"{h.move.from_parent or words['top']} → {h.move.to_parent or words['top']}"
            rows.append(f"  {numbers(h) or '-'}  {hunk_title(h, words)}  [{h.id}]  ({where})")
    return rows


def _hunk_heading(hunk: SectionDiff, words: dict[str, str]) -> str:
    states = [words[hunk.status]] if hunk.status is not Status.UNCHANGED else []
    if hunk.moved:
        states.append(words["moved"])
    ident = f" [{hunk.id}]" if hunk.id else ""
    name = " ".join(part for part in (numbers(hunk), hunk_title(hunk, words)) if part)
    return f"@@ {name}{ident}: {', '.join(states)}"


def marked_lines(ops: Ops) -> list[tuple[str, bool]]:
    """The hunk as lines with `[-…-]{+…+}` marks, each with whether it holds a change."""
    lines: list[tuple[str, bool]] = []
    current: list[str] = []
    changed = False
    for op, text in ops:
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append(("".join(current), changed))
                current, changed = [], False
            if op == EQUAL:
                current.append(piece)
            elif piece:
                current.append(f"{_OPEN[op]}{piece}{_CLOSE[op]}")
                changed = True
            elif index:  # a changed line break: the new line itself is part of the change
                changed = True
    lines.append(("".join(current), changed))
    return lines


def _changed_lines(hunk: SectionDiff) -> list[str]:
    if hunk.status is Status.UNCHANGED:  # moved only: its heading says which one it is
        heading = hunk.ops[0][1].split("\n", 1)[0] if hunk.ops else ""
        return [f"  {heading}", "  …"] if heading else []
    if hunk.status in (Status.ADDED, Status.DELETED):
        sign = "+ " if hunk.status is Status.ADDED else "- "
        return [f"{sign}{line}".rstrip() for _, text in hunk.ops for line in text.split("\n")]
    out: list[str] = []
    skipped = False
    for line, changed in marked_lines(hunk.ops):
        if changed:
            if skipped and out:
                out.append("  …")
            out.append(f"  {line}")
            skipped = False
        else:
            skipped = True
    return out
