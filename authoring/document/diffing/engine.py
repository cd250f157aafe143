"""Compare two parsed revisions: align sections by id, then diff each section's own text.

Aligning by id (not by position) is what lets a clause that was cut and pasted elsewhere show as
moved, with its own edits still visible, instead of as one deletion and one unrelated insertion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from authoring.document.diffing.model import FRONT_MATTER, DiffStats, DocumentDiff, Move, SectionDiff, Status
from authoring.document.diffing.reading import cover_text, preamble_text, reading_text
from authoring.document.diffing.textdiff import DELETE, INSERT, Ops, counts, diff_text
from authoring.document.tree import Document, Section

#: a section's key: its id and which occurrence of that id it is (ids should be unique; ID-DUPLICATE
#: is a lint error, but a diff of a draft with a duplicate must still work)
Key = tuple[str, int]

_ATX_MARKS = re.compile(r"^ {0,3}#+[ \t]*")
_ATTRIBUTES = re.compile(r"[ \t]*\{([^{}]*)\}[ \t]*$")
_ID_ATTRIBUTE = re.compile(r"(?:^|\s)#[^\s}]+")


@dataclass
class _Entry:
    section: Section
    parent: str | None
    #: own_source as the parser gave it; equal raw sources need no normalising
    raw: str
    #: characters in the section and everything below it: moving a big part counts more than a small one
    weight: int = 0
    #: the revision's labels and language when the printed text is compared (`reading`), else None
    printed: tuple[dict[str, str], str] | None = None
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            if self.printed is None:
                self._text = own_text(self.section, source=self.raw)
            else:
                self._text = reading_text(self.section, *self.printed)
        return self._text

    def same_text(self, other: _Entry) -> bool:
        # equal sources print the same words, except where a reference's label changed with it
        return (self.printed is None and self.raw == other.raw) or self.text == other.text


def diff_documents(old: Document, new: Document, *, reading: bool = False) -> DocumentDiff:
    """The clause-level summary and the text changes from `old` to `new` (spec §4).

    With `reading`, each section's printed text (numbers, labels, captions, tables as rows, cover as
    fields; see `diffing.reading`) is compared instead of its Markdown: the view a reviewer reads.
    """
    old_entries, new_entries = _index(old, reading), _index(new, reading)
    moves = _moves(old_entries, new_entries)
    hunks: dict[Key, SectionDiff] = {}
    for key, entry in new_entries.items():
        before = old_entries.get(key)
        if before is None:
            hunks[key] = _hunk(key, None, entry, Status.ADDED, [(INSERT, entry.text)] if entry.text else [])
            continue
        move = moves.get(key)
        if not before.same_text(entry):
            hunks[key] = _hunk(key, before, entry, Status.CHANGED, diff_text(before.text, entry.text), move)
        elif move is not None:
            hunks[key] = _hunk(key, before, entry, Status.UNCHANGED, diff_text(before.text, entry.text), move)
    deleted = {
        key: _hunk(key, entry, None, Status.DELETED, [(DELETE, entry.text)] if entry.text else [])
        for key, entry in old_entries.items()
        if key not in new_entries
    }
    ordered = _reading_order(list(old_entries), list(new_entries), hunks, deleted)

    front = _front_matter_hunk(old, new, reading)
    if front is not None:
        ordered.insert(0, front)
    document_ops = diff_text(old.source, new.source)
    inserted, removed = counts(document_ops)
    touched = tuple(dict.fromkeys(h.id for h in ordered if h.id is not None))
    return DocumentDiff(
        hunks=tuple(ordered),
        stats=DiffStats(chars_inserted=inserted, chars_deleted=removed, touched=touched),
        language=new.language,
        old_title=_title(old),
        new_title=_title(new),
        document_ops=document_ops,
    )


def _title(document: Document) -> str:
    """The standard's name in its own language (the Chinese one when an English text has none)."""
    meta = document.meta
    names = (meta.title_en, meta.title_zh) if document.language == "en" else (meta.title_zh, meta.title_en)
    return next((name for name in names if name), "")


def own_text(section: Section, source: str | None = None) -> str:
    """The section's own text as compared: heading and blocks, without level marks and `{#id}`.

    Numbers are generated, never written, so they are not in the source; leaving out the `#` marks and
    the id means a clause that changed level by moving, or whose derived id was written back on save,
    is not "changed".
    """
    source = (section.own_source if source is None else source).replace("\r\n", "\n").rstrip()
    heading, newline, rest = source.partition("\n")
    return _heading_text(heading) + newline + rest


def _heading_text(line: str) -> str:
    line = _ATX_MARKS.sub("", line, count=1)
    attributes = _ATTRIBUTES.search(line)
    if attributes:
        kept = _ID_ATTRIBUTE.sub("", attributes.group(1)).strip()
        line = line[: attributes.start()] + (f" {{{kept}}}" if kept else "")
    return line.strip()


def _walk(sections: list[Section], parent: Section | None = None) -> Iterator[tuple[Section, Section | None]]:
    for section in sections:
        yield section, parent
        yield from _walk(section.children, section)


def _index(document: Document, reading: bool = False) -> dict[Key, _Entry]:
    """Every section by key, in source order."""
    printed = (document.labels, document.language) if reading else None
    source_lines: list[str] = []
    entries: dict[Key, _Entry] = {}
    seen: dict[str, int] = {}
    by_section: dict[int, _Entry] = {}
    for section, parent in _walk(document.sections):
        occurrence = seen.get(section.id, 0)
        seen[section.id] = occurrence + 1
        raw = section.own_source
        if not raw:  # a tree built without own_source: cut it from the source by lines
            source_lines = source_lines or document.source.splitlines(keepends=True)
            end = section.children[0].line - 1 if section.children else section.end_line
            raw = "".join(source_lines[section.line - 1 : end])
        entry = _Entry(section, parent.id if parent else None, raw, printed=printed)
        entries[(section.id, occurrence)] = by_section[id(section)] = entry
    for entry in reversed(entries.values()):  # children come after their parent: sum bottom-up
        entry.weight = len(entry.raw) + 1 + sum(by_section[id(c)].weight for c in entry.section.children)
    return entries


def _moves(old: dict[Key, _Entry], new: dict[Key, _Entry]) -> dict[Key, Move]:
    """Sections whose parent changed, and those whose order among the same parent's children changed.

    Among siblings that kept their parent, the heaviest subsequence in the same order stays put and
    the rest moved: when a small clause and a big one swap places, the small one is what moved.
    """
    moves: dict[Key, Move] = {}
    siblings: dict[str | None, list[Key]] = {}
    for key, before in old.items():
        after = new.get(key)
        if after is None:
            continue
        if before.parent != after.parent:
            moves[key] = Move(key[0], before.parent, after.parent)
        else:
            siblings.setdefault(before.parent, []).append(key)
    new_position = {key: position for position, key in enumerate(new)}
    for parent, keys in siblings.items():
        kept = _heaviest_increasing([new_position[k] for k in keys], [old[k].weight for k in keys])
        for index, key in enumerate(keys):
            if index not in kept:
                moves[key] = Move(key[0], parent, parent)
    return moves


def _heaviest_increasing(positions: list[int], weights: list[int]) -> set[int]:
    """Indexes of the increasing subsequence of distinct `positions` with the largest total weight.

    A Fenwick tree of prefix maxima keeps it O(n log n) for a chapter with many clauses.
    """
    count = len(positions)
    if count < 2:
        return set(range(count))
    rank = {position: r for r, position in enumerate(sorted(positions), start=1)}
    tree: list[tuple[int, int]] = [(0, -1)] * (count + 1)
    best = [0] * count
    previous = [-1] * count
    for index, position in enumerate(positions):
        r = rank[position]
        found, j = (0, -1), r - 1
        while j > 0:
            found = max(found, tree[j])
            j -= j & -j
        best[index], previous[index] = found[0] + weights[index], found[1]
        j = r
        while j <= count:
            tree[j] = max(tree[j], (best[index], index))
            j += j & -j
    index = max(range(count), key=lambda i: (best[i], -i))
    kept: set[int] = set()
    while index != -1:
        kept.add(index)
        index = previous[index]
    return kept


def _hunk(
    key: Key,
    before: _Entry | None,
    after: _Entry | None,
    status: Status,
    ops: Ops,
    move: Move | None = None,
) -> SectionDiff:
    shown = after or before
    assert shown is not None
    return SectionDiff(
        id=key[0],
        kind=str(shown.section.kind),
        title=shown.section.title,
        status=status,
        old_number=before.section.number if before else None,
        new_number=after.section.number if after else None,
        ops=ops,
        move=move,
    )


def _reading_order(
    old_keys: list[Key], new_keys: list[Key], hunks: dict[Key, SectionDiff], deleted: dict[Key, SectionDiff]
) -> list[SectionDiff]:
    """Hunks in the new revision's order, each deleted section after what preceded it in the old one."""
    surviving = set(new_keys)
    after: dict[Key | None, list[SectionDiff]] = {}
    anchor: Key | None = None
    for key in old_keys:
        if key in surviving:
            anchor = key
        else:
            after.setdefault(anchor, []).append(deleted[key])
    ordered = list(after.get(None, []))
    for key in new_keys:
        if key in hunks:
            ordered.append(hunks[key])
        ordered.extend(after.get(key, []))
    return ordered


def _front_matter_hunk(old: Document, new: Document, reading: bool = False) -> SectionDiff | None:
    """The cover (YAML front matter) and anything before the first heading, compared as one text."""
    text_of = _printed_front_matter if reading else _front_matter
    old_front, new_front = text_of(old), text_of(new)
    if old_front == new_front:
        return None
    return SectionDiff(
        id=None,
        kind=FRONT_MATTER,
        title="",
        status=Status.CHANGED,
        old_number=None,
        new_number=None,
        ops=diff_text(old_front, new_front),
    )


def _front_matter(document: Document) -> str:
    text = document.source  # the parser has normalised its line endings
    if not document.sections:
        return text.rstrip()
    first_line = document.sections[0].line
    return "".join(text.splitlines(keepends=True)[: first_line - 1]).rstrip()


def _printed_front_matter(document: Document) -> str:
    """The cover as readable fields, then the blocks before the first heading as printed."""
    lines = cover_text(document.meta, document.language)
    lines += preamble_text(document.preamble, document.labels, document.language)
    return "\n".join(lines)
