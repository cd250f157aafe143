"""Three-way merge for "no lost edit": a save based on an older revision than the latest one.

`merge3(base, mine, theirs)` brings the changes others saved since `base` (theirs) into the text the
drafter is saving (mine). The rule is the one drafters know from git: a change that touches lines
nobody else touched merges; changes to the same lines, or to lines next to each other, are a conflict
that a person resolves. Line granularity suits Standard Markdown, where a paragraph is one line.

Theirs' changes become diff-match-patch patches placed at their exact position in `mine` and applied
with `Match_Threshold = 0` and `Patch_DeleteThreshold = 0`, so a patch applies exactly where it
belongs or not at all (never fuzzily somewhere near); each result is checked against an
independent splice of the same change. Every pass is linear in the texts (the line diff is bounded,
see textdiff.diff_counts), so a merge of two huge texts cannot stall a save. `mine` is never altered: `MergeResult.mine` is the very text
passed in, so the drafter's edit is recoverable byte for byte whatever the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from diff_match_patch import diff_match_patch, patch_obj

from authoring.document.diffing.textdiff import EQUAL, INSERT, diff_counts, lines

#: context characters on each side of a patch, as diff-match-patch's own Patch_Margin
_CONTEXT = 4


@dataclass(frozen=True)
class Edit:
    """Base lines [start, end) replaced by `replacement` (empty range: an insertion before `start`)."""

    start: int
    end: int
    replacement: tuple[str, ...]

    @property
    def growth(self) -> int:
        return len(self.replacement) - (self.end - self.start)


@dataclass(frozen=True)
class Conflict:
    """Lines both sides changed, with what each side has there; lines are 1-based.

    `base_line` is the first line of the region in the base text (for an insertion, the line it
    goes before); `mine_line` and `theirs_line` are where that region starts in each text.
    """

    base_line: int
    mine_line: int
    theirs_line: int
    base: str
    mine: str
    theirs: str

    def as_json(self) -> dict[str, object]:
        return {
            "base_line": self.base_line,
            "mine_line": self.mine_line,
            "theirs_line": self.theirs_line,
            "base": self.base,
            "mine": self.mine,
            "theirs": self.theirs,
        }


@dataclass(frozen=True)
class MergeResult:
    """The outcome of a three-way merge.

    When `clean`, `merged` is the text to save. Otherwise `merged` holds every change of theirs that
    did not conflict, with the conflicting regions as mine has them: a starting point for the
    conflict view, never to be saved without the drafter's decision.
    """

    clean: bool
    merged: str
    #: the drafter's text exactly as passed in
    mine: str
    conflicts: tuple[Conflict, ...] = ()
    #: how many of theirs' changes were brought into mine
    applied: int = 0


def merge3(base: str, mine: str, theirs: str) -> MergeResult:
    """Merge the changes from `base` to `theirs` into `mine`; conflicts are reported, never guessed."""
    if theirs in (base, mine):
        return MergeResult(clean=True, merged=mine, mine=mine)
    base_lines, mine_lines, theirs_lines = lines(base), lines(mine), lines(theirs)
    my_edits = line_edits(base_lines, mine_lines)
    their_edits = line_edits(base_lines, theirs_lines)

    to_apply: list[Edit] = []
    conflicts: list[Conflict] = []
    my_growth_before = 0  # lines added by my edits before the current cluster
    their_growth_before = 0
    for cluster_mine, cluster_theirs in _clusters(my_edits, their_edits):
        if cluster_theirs and not cluster_mine:
            to_apply.extend(cluster_theirs)
        elif cluster_theirs:
            conflict = _conflict(
                base_lines,
                mine_lines,
                theirs_lines,
                cluster_mine,
                cluster_theirs,
                my_growth_before,
                their_growth_before,
            )
            if conflict.mine != conflict.theirs:  # both sides made the same change: nothing to merge
                conflicts.append(conflict)
        my_growth_before += sum(edit.growth for edit in cluster_mine)
        their_growth_before += sum(edit.growth for edit in cluster_theirs)

    merged = _apply(base_lines, mine_lines, my_edits, to_apply)
    if merged is None:  # a patch did not apply exactly: keep mine, show every change of theirs as a conflict
        return MergeResult(
            clean=False,
            merged=mine,
            mine=mine,
            conflicts=tuple(_whole_conflict(base, mine, theirs)),
        )
    return MergeResult(
        clean=not conflicts, merged=merged, mine=mine, conflicts=tuple(conflicts), applied=len(to_apply)
    )


def line_edits(old: list[str], new: list[str]) -> list[Edit]:
    """The changes from `old` to `new` as line-range replacements, in order (line-mode diff)."""
    edits: list[Edit] = []
    i = j = 0
    start_i, start_j = None, None
    for op, count in diff_counts(old, new, semantic=False):
        if op == EQUAL:
            if start_i is not None and start_j is not None:
                edits.append(Edit(start_i, i, tuple(new[start_j:j])))
                start_i = start_j = None
            i += count
            j += count
            continue
        if start_i is None:
            start_i, start_j = i, j
        if op == INSERT:
            j += count
        else:
            i += count
    if start_i is not None and start_j is not None:
        edits.append(Edit(start_i, i, tuple(new[start_j:j])))
    return edits


def _clusters(mine: list[Edit], theirs: list[Edit]) -> list[tuple[list[Edit], list[Edit]]]:
    """Group both sides' edits into runs that touch one another, in base order."""
    tagged = sorted(
        [(e.start, e.end, 0, n, e) for n, e in enumerate(mine)]
        + [(e.start, e.end, 1, n, e) for n, e in enumerate(theirs)]
    )
    clusters: list[tuple[list[Edit], list[Edit]]] = []
    reach = -1
    for start, end, side, _, edit in tagged:
        if not clusters or start > reach:  # overlapping, adjacent or at one place: git's conflict rule
            clusters.append(([], []))
            reach = end
        else:
            reach = max(reach, end)
        clusters[-1][side].append(edit)
    return clusters


def _conflict(
    base: list[str],
    mine: list[str],
    theirs: list[str],
    my_edits: list[Edit],
    their_edits: list[Edit],
    my_growth_before: int,
    their_growth_before: int,
) -> Conflict:
    start = min(e.start for e in [*my_edits, *their_edits])
    end = max(e.end for e in [*my_edits, *their_edits])
    mine_start = start + my_growth_before
    mine_end = mine_start + (end - start) + sum(e.growth for e in my_edits)
    theirs_start = start + their_growth_before
    theirs_end = theirs_start + (end - start) + sum(e.growth for e in their_edits)
    return Conflict(
        base_line=start + 1,
        mine_line=mine_start + 1,
        theirs_line=theirs_start + 1,
        base="".join(base[start:end]),
        mine="".join(mine[mine_start:mine_end]),
        theirs="".join(theirs[theirs_start:theirs_end]),
    )


def _whole_conflict(base: str, mine: str, theirs: str) -> list[Conflict]:
    return [Conflict(base_line=1, mine_line=1, theirs_line=1, base=base, mine=mine, theirs=theirs)]


def _apply(base: list[str], mine: list[str], my_edits: list[Edit], edits: list[Edit]) -> str | None:
    """Theirs' `edits` applied to mine as exact diff-match-patch patches, checked by a plain splice.

    Every edit here is at least one untouched line away from any edit of mine, so its base text is in
    mine verbatim at a position shifted only by the lines mine added or removed before it. Context is
    diff-match-patch's usual `Patch_Margin` characters, taken from the text as it stands when the
    patch applies. Each patch is applied to its own stretch of text (context, old text, context), not
    to the whole text: patch_apply copies the whole text once per patch, which made a merge of 4,000
    changes in 400 KB take 2 s and of a flood of changes in 1 MB several times that.
    """
    mine_text = "".join(mine)
    if not edits:
        return mine_text
    mine_offsets = [0, *accumulate(len(line) for line in mine)]
    engine = diff_match_patch()
    engine.Match_Threshold = 0.0  # the exact text at the exact place, or no match
    engine.Patch_DeleteThreshold = 0.0  # a large deletion must match character for character
    margin = engine.Patch_Margin
    spliced: list[str] = []
    tail = ""  # the last `margin` characters of the spliced text so far
    cursor = 0  # in mine
    my_index = 0
    line_shift = 0  # lines mine added (or removed, negative) before the current edit
    for edit in edits:
        while my_index < len(my_edits) and my_edits[my_index].end <= edit.start:
            line_shift += my_edits[my_index].growth
            my_index += 1
        old = "".join(base[edit.start : edit.end])
        new = "".join(edit.replacement)
        at = mine_offsets[edit.start + line_shift]
        if at < cursor or mine_text[at : at + len(old)] != old:  # the base text must be in mine, right there
            return None
        gap = mine_text[cursor:at]
        spliced.append(gap)
        tail = (tail + gap)[-margin:]
        after = mine_text[at + len(old) : at + len(old) + margin]
        patch = patch_obj()
        patch.diffs = [(op, text) for op, text in ((0, tail), (-1, old), (1, new), (0, after)) if text]
        patch.start1 = patch.start2 = 0
        patch.length1 = len(tail) + len(old) + len(after)
        patch.length2 = len(tail) + len(new) + len(after)
        patched, applied = engine.patch_apply([patch], tail + old + after)
        if not all(applied) or patched != tail + new + after:
            return None
        spliced.append(new)
        tail = (tail + new)[-margin:]
        cursor = at + len(old)
    spliced.append(mine_text[cursor:])
    return "".join(spliced)
