"""The result of comparing two revisions: typed records that the CLI, the history page and the tests read.

One `SectionDiff` per section that differs in any way carries everything the views need (its numbers
in both revisions, whether it was added, deleted, changed or moved, and the text operations), so
the summary lists of spec §4 are derived from it and nobody recomputes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from authoring.document.diffing.textdiff import DELETE, INSERT, Ops


class Status(StrEnum):
    """What happened to a section's own text between the two revisions."""

    ADDED = "added"
    DELETED = "deleted"
    CHANGED = "changed"
    #: the text is the same; the section is listed because it moved
    UNCHANGED = "unchanged"


#: the `kind` of the hunk that compares the front matter (the cover) and any text before the first heading
FRONT_MATTER = "front-matter"


@dataclass(frozen=True)
class Move:
    """A section whose parent changed, or whose place among the same parent's children changed.

    A chapter's parent is None. When only the order changed, `from_parent == to_parent`.
    """

    id: str
    from_parent: str | None
    to_parent: str | None

    def as_json(self) -> dict[str, str | None]:
        return {"id": self.id, "from_parent": self.from_parent, "to_parent": self.to_parent}


@dataclass(frozen=True)
class SectionDiff:
    """One hunk: a section (or the front matter, id None) that was added, deleted, changed or moved.

    `ops` compare the section's own text (heading and blocks, children excluded; the heading's `#`
    marks and `{#id}` left out, since level and id are structure, not text). Added sections have
    one "+" op, deleted ones one "-" op, a section that only moved one "=" op.
    """

    id: str | None
    kind: str
    title: str
    status: Status
    old_number: str | None
    new_number: str | None
    ops: Ops
    move: Move | None = None

    @property
    def moved(self) -> bool:
        return self.move is not None

    @property
    def label(self) -> str:
        """How a person names it: "4.2 培训", "3.9 家庭照护者", "前言"."""
        number = self.new_number if self.status is not Status.DELETED else self.old_number
        return " ".join(part for part in (number, self.title) if part) or (self.id or self.kind)

    def as_json(self) -> dict[str, object]:
        """{"id", "kind", "title", "status", "moved", "old_number", "new_number", "ops": [[op, text]]}."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": str(self.status),
            "moved": self.moved,
            "old_number": self.old_number,
            "new_number": self.new_number,
            "ops": [[op, text] for op, text in self.ops],
        }


@dataclass(frozen=True)
class DiffStats:
    """The size of a change for the history page.

    Characters are counted by the whole-document pass, the way a plain text diff counts them (a moved
    clause counts as deleted and inserted); `touched` lists the sections of the clause-level summary.
    """

    chars_inserted: int
    chars_deleted: int
    touched: tuple[str, ...]

    @property
    def sections_touched(self) -> int:
        return len(self.touched)

    def as_json(self) -> dict[str, object]:
        return {
            "chars_inserted": self.chars_inserted,
            "chars_deleted": self.chars_deleted,
            "sections_touched": self.sections_touched,
            "touched": list(self.touched),
        }


@dataclass(frozen=True)
class DocumentDiff:
    """Two revisions compared: `hunks` in reading order (deleted sections where they used to be)."""

    hunks: tuple[SectionDiff, ...]
    stats: DiffStats
    #: the newer revision's language ("zh" or "en"), for the renderers' labels
    language: str = "zh"
    old_title: str = ""
    new_title: str = ""
    #: the whole-document pass (line units, then words or characters in changed lines)
    document_ops: Ops = field(default_factory=list, repr=False)

    def _ids(self, status: Status) -> list[str]:
        return [h.id for h in self.hunks if h.status is status and h.id is not None]

    @property
    def changed(self) -> list[str]:
        return self._ids(Status.CHANGED)

    @property
    def added(self) -> list[str]:
        return self._ids(Status.ADDED)

    @property
    def deleted(self) -> list[str]:
        return self._ids(Status.DELETED)

    @property
    def moved(self) -> list[Move]:
        return [h.move for h in self.hunks if h.move is not None]

    @property
    def is_empty(self) -> bool:
        """True when the summary has nothing and no text differs."""
        return not self.hunks

    def hunk(self, section_id: str) -> SectionDiff | None:
        return next((h for h in self.hunks if h.id == section_id), None)

    def as_json(self) -> dict[str, object]:
        """The spec §4 shape: {"changed", "added", "deleted", "moved", "hunks"}."""
        return {
            "changed": self.changed,
            "added": self.added,
            "deleted": self.deleted,
            "moved": [move.as_json() for move in self.moved],
            "hunks": [hunk.as_json() for hunk in self.hunks],
        }


__all__ = ["DELETE", "FRONT_MATTER", "INSERT", "DiffStats", "DocumentDiff", "Move", "SectionDiff", "Status"]
