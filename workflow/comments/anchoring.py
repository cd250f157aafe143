"""Where a quoted phrase of one revision is in the next: the re-anchoring of comments, pure.

A comment points at words (W3C Web Annotation's TextQuoteSelector: the exact text and a little before
and after) in a clause's own source, at an offset. When a revision is saved every open comment is
placed again: first by its clause id (the exact quote in that clause, the occurrence whose context
matches best and that lies nearest the old offset mapped through the clause's diff), then anywhere
in the document (the text moved to another clause), then fuzzily (the old range mapped through the
clause diff when most of its words survived, else diff-match-patch's `match` near the old place).
The answer is `placed` (the quote is there), `edited` (its words changed; the range covers the new
words) or `outdated` (the words are gone: the comment keeps what it was made on).

No Flask, no database: the save hook, `stdforge reanchor`, the bench and the tests run this code.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import fast_diff_match_patch

from authoring.document import Document, parse

#: characters of context kept before and after a quote (TextQuoteSelector's prefix and suffix)
CONTEXT = 32
#: the share of a quote's characters that must survive for it to count as edited rather than gone
SURVIVING_SHARE = 0.5
#: seconds a clause diff may search (a clause is small; this only bounds a pathological one)
DIFF_SECONDS = 0.05
#: the longest pattern the C++ `match` takes
MATCH_PATTERN = 32
#: the separator between clauses in the whole-document search text (never inside a quote)
SEPARATOR = "\x00"

State = Literal["placed", "edited", "outdated"]


@dataclass(frozen=True)
class Quote:
    """What a comment points at: a clause, the exact words, their context and (if known) offset."""

    clause: str
    exact: str
    prefix: str = ""
    suffix: str = ""
    #: offset of `exact` in the clause's own source of the revision the quote was read from
    start: int | None = None


@dataclass(frozen=True)
class Placement:
    """Where a quote is in the new text; for `outdated` the quote as it was, unplaced."""

    state: State
    clause: str
    exact: str
    start: int
    end: int
    prefix: str = ""
    suffix: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "state": self.state,
            "clause": self.clause,
            "exact": self.exact,
            "start": self.start,
            "end": self.end,
        }


def clause_sources(doc: Document) -> dict[str, str]:
    """{clause id: its own source (heading and blocks, subclauses excluded)} in document order."""
    return {section.id: section.own_source for section in doc.walk()}


#: clause sources of recently seen texts by content hash: a save's old text is the previous save's new one
_SOURCES: OrderedDict[str, dict[str, str]] = OrderedDict()
_SOURCES_KEPT = 8


def clause_sources_of(text: str, key: str | None = None) -> dict[str, str]:
    """`clause_sources(parse(text))`, kept for a few texts under `key` (their content hash)."""
    if key is not None and key in _SOURCES:
        _SOURCES.move_to_end(key)
        return _SOURCES[key]
    sources = clause_sources(parse(text))
    if key is not None:
        _SOURCES[key] = sources
        while len(_SOURCES) > _SOURCES_KEPT:
            _SOURCES.popitem(last=False)
    return sources


def context_of(source: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix of `source[start:end]`, as a new selector keeps them."""
    return source[max(0, start - CONTEXT) : start], source[end : end + CONTEXT]


def find_quote(source: str, exact: str, prefix: str = "", suffix: str = "", near: int = 0) -> int | None:
    """The offset of `exact` in `source` whose context matches best, nearest `near`; None when absent."""
    hits = _occurrences(source, exact)
    if not hits:
        return None
    return min(hits, key=lambda hit: (-_context_score(source, hit, exact, prefix, suffix), abs(hit - near)))


def reanchor(old: Mapping[str, str], new: Mapping[str, str], quotes: Sequence[Quote]) -> list[Placement]:
    """Place every quote read in the clauses `old` into the clauses `new`, in the same order."""
    return _Reanchoring(old, new).place_all(quotes)


# -- the work -----------------------------------------------------------------------------------------


class _Reanchoring:
    """One old → new pair: the clause diffs and the whole-document text are made once, when needed."""

    def __init__(self, old: Mapping[str, str], new: Mapping[str, str]) -> None:
        self.old = old
        self.new = new
        self._diffs: dict[str, list[tuple[str, str]]] = {}
        self._whole: tuple[str, list[int], list[str]] | None = None

    def place_all(self, quotes: Sequence[Quote]) -> list[Placement]:
        return [self.place(quote) for quote in quotes]

    def place(self, quote: Quote) -> Placement:
        old_source = self.old.get(quote.clause)
        new_source = self.new.get(quote.clause)
        old_start = _old_offset(old_source, quote)
        if not quote.exact:  # a comment on the clause as a whole
            if new_source is None:
                return Placement("outdated", quote.clause, "", 0, 0)
            return Placement("placed", quote.clause, "", 0, 0)
        guess = 0
        if new_source is not None:
            guess = self._mapped(quote.clause, old_source, new_source, old_start or 0)
            hit = find_quote(new_source, quote.exact, quote.prefix, quote.suffix, guess)
            if hit is not None:
                return _placement("placed", quote.clause, new_source, hit, hit + len(quote.exact))
        moved = self._elsewhere(quote, guess)
        if moved is not None:
            return moved
        if new_source is not None and old_source is not None and old_start is not None:
            edited = self._through_diff(quote, old_source, new_source, old_start)
            if edited is not None:
                return edited
        fuzzy = self._fuzzy(quote, guess)
        if fuzzy is not None:
            return fuzzy
        return Placement(
            "outdated",
            quote.clause,
            quote.exact,
            old_start or 0,
            (old_start or 0) + len(quote.exact),
            quote.prefix,
            quote.suffix,
        )

    # the steps

    def _mapped(self, clause: str, old_source: str | None, new_source: str, offset: int) -> int:
        if old_source is None or old_source == new_source:
            return offset
        return _map_offset(self._diff(clause, old_source, new_source), offset)

    def _diff(self, clause: str, old_source: str, new_source: str) -> list[tuple[str, str]]:
        if clause not in self._diffs:
            self._diffs[clause] = fast_diff_match_patch.diff(
                old_source, new_source, timelimit=DIFF_SECONDS, cleanup="Semantic", counts_only=False
            )
        return self._diffs[clause]

    def _whole_text(self) -> tuple[str, list[int], list[str]]:
        if self._whole is None:
            starts, ids, parts, position = [], [], [], 0
            for clause, source in self.new.items():
                starts.append(position)
                ids.append(clause)
                parts.append(source)
                position += len(source) + len(SEPARATOR)
            self._whole = (SEPARATOR.join(parts), starts, ids)
        return self._whole

    def _locate(self, offset: int) -> tuple[str, int]:
        _text, starts, ids = self._whole_text()
        index = bisect.bisect_right(starts, offset) - 1
        return ids[index], offset - starts[index]

    def _global_guess(self, quote: Quote, local: int) -> int:
        text, starts, ids = self._whole_text()
        if quote.clause in self.new:
            return starts[ids.index(quote.clause)] + local
        # the clause is gone: where it stood among the old clauses, scaled to the new text
        old_ids = list(self.old)
        if quote.clause in self.old and old_ids:
            return int(len(text) * old_ids.index(quote.clause) / len(old_ids))
        return 0

    def _elsewhere(self, quote: Quote, local_guess: int) -> Placement | None:
        text, _starts, _ids = self._whole_text()
        near = self._global_guess(quote, local_guess)
        hits = [hit for hit in _occurrences(text, quote.exact) if self._locate(hit)[0] != quote.clause]
        if not hits:
            return None
        best = min(
            hits,
            key=lambda hit: (
                -_context_score(text, hit, quote.exact, quote.prefix, quote.suffix),
                abs(hit - near),
            ),
        )
        clause, start = self._locate(best)
        return _placement("placed", clause, self.new[clause], start, start + len(quote.exact))

    def _through_diff(
        self, quote: Quote, old_source: str, new_source: str, old_start: int
    ) -> Placement | None:
        """The old range mapped through the clause diff, when most of its characters survived."""
        diff = self._diff(quote.clause, old_source, new_source)
        old_end = old_start + len(quote.exact)
        kept = _kept_characters(diff, old_start, old_end)
        if kept < SURVIVING_SHARE * len(quote.exact):
            return None
        start, end = _map_offset(diff, old_start), _map_offset(diff, old_end, end=True)
        if end <= start:
            return None
        return _placement("edited", quote.clause, new_source, start, end)

    def _fuzzy(self, quote: Quote, local_guess: int) -> Placement | None:
        """diff-match-patch's `match` of the quote's opening near where it was, kept when most of the
        quote's characters are found in the words there."""
        text, _starts, _ids = self._whole_text()
        pattern = quote.exact[:MATCH_PATTERN]
        near = self._global_guess(quote, local_guess)
        hit = fast_diff_match_patch.match(
            text, pattern, max(0, min(near, len(text))), match_threshold=0.4, match_distance=len(text) or 1
        )
        if hit < 0:
            return None
        clause, start = self._locate(hit)
        source = self.new[clause]
        window = source[start : start + len(quote.exact) + len(quote.exact) // 4]
        diff = fast_diff_match_patch.diff(quote.exact, window, timelimit=DIFF_SECONDS, counts_only=False)
        if _kept_characters(diff, 0, len(quote.exact)) < SURVIVING_SHARE * len(quote.exact):
            return None
        end = start + _map_offset(diff, len(quote.exact), end=True)
        if end <= start:
            return None
        return _placement("edited", clause, source, start, min(end, len(source)))


# -- small pieces ---------------------------------------------------------------------------------------


def _placement(state: State, clause: str, source: str, start: int, end: int) -> Placement:
    prefix, suffix = context_of(source, start, end)
    return Placement(state, clause, source[start:end], start, end, prefix, suffix)


def _old_offset(old_source: str | None, quote: Quote) -> int | None:
    """Where the quote was in its old clause: its recorded offset if the words are there, else the
    best occurrence; None when the old clause does not hold it (an outdated quote tried again)."""
    if old_source is None or not quote.exact:
        return None
    start = quote.start
    if start is not None and old_source[start : start + len(quote.exact)] == quote.exact:
        return start
    return find_quote(old_source, quote.exact, quote.prefix, quote.suffix, start or 0)


def _occurrences(text: str, exact: str) -> list[int]:
    hits: list[int] = []
    if not exact:
        return hits
    position = text.find(exact)
    while position >= 0:
        hits.append(position)
        position = text.find(exact, position + 1)
    return hits


def _context_score(text: str, hit: int, exact: str, prefix: str, suffix: str) -> int:
    """How many characters of the remembered prefix and suffix stand beside this occurrence."""
    score = 0
    before = text[max(0, hit - len(prefix)) : hit]
    while score < len(before) and before[len(before) - 1 - score] == prefix[len(prefix) - 1 - score]:
        score += 1
    after = text[hit + len(exact) : hit + len(exact) + len(suffix)]
    matched = 0
    while matched < len(after) and after[matched] == suffix[matched]:
        matched += 1
    return score + matched


def _map_offset(diff: Sequence[tuple[str, str]], offset: int, *, end: bool = False) -> int:
    """An offset of the old text as an offset of the new (diff-match-patch's `xIndex`). A start inside
    replaced text maps to where the replacement begins, an `end` inside or at the end of replaced text
    to where the replacement ends: the range then covers the new words."""
    old_position = new_position = 0
    for index, (op, text) in enumerate(diff):
        length = len(text)
        if op == "=":
            if offset < old_position + length or (end and offset == old_position + length):
                return new_position + offset - old_position
            old_position += length
            new_position += length
        elif op == "-":
            if offset < old_position + length or (end and offset == old_position + length):
                return new_position + (_inserted_after(diff, index) if end else 0)
            old_position += length
        else:
            new_position += length
    return new_position


def _inserted_after(diff: Sequence[tuple[str, str]], index: int) -> int:
    """Characters inserted right after the deletion at `index` (its replacement)."""
    length = 0
    for op, text in diff[index + 1 :]:
        if op != "+":
            break
        length += len(text)
    return length


def _kept_characters(diff: Sequence[tuple[str, str]], start: int, end: int) -> int:
    """Characters of the old range [start, end) that the diff keeps."""
    kept = position = 0
    for op, text in diff:
        if op == "+":
            continue
        span_end = position + len(text)
        if op == "=":
            kept += max(0, min(end, span_end) - max(start, position))
        position = span_end
        if position >= end:
            break
    return kept
