"""Text diffs with fast-diff-match-patch (C++, no time limit), bounded so no input can stall a request.

Everything is diffed in units mapped to single code points, the way diff-match-patch's own line mode
works: lines first, then words (for Latin script) or characters (for CJK) inside the changed lines,
with semantic cleanup. The pure-Python diff-match-patch is never used on a whole document: at its
1 s timeout it silently answers "delete everything, insert everything" (see PITFALLS.md).

The C++ diff is quadratic when two blocks share nothing (2,000 characters against 2,000 took 23 ms,
20,000 against 20,000 took 1.7 s), so a replaced block above `TOKEN_BLOCK_LIMIT` characters is first
aligned by sentences, and a block still too large is shown as replaced whole: a coarser answer, said
plainly in the ops, never a hidden timeout.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

import fast_diff_match_patch

OpCode = Literal["=", "-", "+"]
EQUAL: OpCode = "="
DELETE: OpCode = "-"
INSERT: OpCode = "+"

#: (op, text) pairs; concatenating the "=" and "-" texts gives the old text, "=" and "+" the new one
Ops = list[tuple[OpCode, str]]

#: largest pair of unit sequences (old + new) given to the exact diff in one call; above it the diff
#: is anchored on unique units (`_anchored`): exact Myers is quadratic on unrelated inputs
EXACT_UNIT_LIMIT = 16_000
#: largest replaced block (old + new characters) diffed at word or character level in one call
TOKEN_BLOCK_LIMIT = 4000
#: largest block diffed by sentences when it is too large for words or characters
SENTENCE_BLOCK_LIMIT = 8000
#: a unit that is one character of the Basic Multilingual Plane stands for itself, so semantic cleanup
#: still sees line breaks, spaces and punctuation; any other unit is mapped to a code point from here on
#: (the supplementary planes: no surrogates, room for a million distinct units)
_FIRST_CODE_POINT = 0x10000
_LAST_CODE_POINT = 0x10FFFF

_CJK = "\u2e80-\u2fdf\u3040-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
#: a run of non-CJK word characters (an English word, a number) or any one other character (each
#: Chinese character, space or punctuation mark): word level for English and character level for
#: Chinese, decided per character so mixed text ("GB/T 42195—2022的规定") works
_TOKEN = re.compile(rf"[^\W{_CJK}]+|.", re.DOTALL)
#: runs that the word-level diff maps to one code point each; every other character stands for itself
_WORD_RUN = re.compile(rf"[^\W{_CJK}]{{2,}}")
#: word codes come from the supplementary private use areas, which real text does not use
_FIRST_WORD_CODE = 0xF0000
_LAST_WORD_CODE = 0x10FFFD
#: a sentence ends after 。；！？ or after . ; ! ? followed by white space, or at a line end
_SENTENCE = re.compile(r"[^。；！？\n]*?(?:[。；！？]|[.;!?](?=\s)|\n|$)")


def tokens(text: str) -> list[str]:
    """Words and single characters; their concatenation is `text`."""
    return _TOKEN.findall(text)


def lines(text: str) -> list[str]:
    """Lines with their endings; their concatenation is `text`."""
    return text.splitlines(keepends=True)


def sentences(text: str) -> list[str]:
    """Sentences, each with its closing mark or line break; their concatenation is `text`."""
    return [unit for unit in _SENTENCE.findall(text) if unit]


def diff_counts(old: Sequence[str], new: Sequence[str], *, semantic: bool) -> list[tuple[OpCode, int]]:
    """Diff two unit sequences, each unit compared whole; the result counts units, not characters.

    Exact (Myers, as diff-match-patch computes it) up to EXACT_UNIT_LIMIT units; above that, anchored
    on the units found once on each side (see `_anchored`), so no input costs more than linear time.
    """
    table: dict[str, str] = {}

    def encode(seq: Sequence[str]) -> str:
        chars = []
        for unit in seq:
            if len(unit) == 1 and ord(unit) < _FIRST_CODE_POINT:
                chars.append(unit)
                continue
            char = table.get(unit)
            if char is None:
                code = _FIRST_CODE_POINT + len(table)
                if code > _LAST_CODE_POINT:
                    raise ValueError("too many distinct units to diff")
                char = table[unit] = chr(code)
            chars.append(char)
        return "".join(chars)

    encoded_old, encoded_new = encode(old), encode(new)
    if len(encoded_old) + len(encoded_new) <= EXACT_UNIT_LIMIT:
        return _exact(encoded_old, encoded_new, semantic=semantic)
    return _anchored(encoded_old, encoded_new)


def _exact(old: str, new: str, *, semantic: bool) -> list[tuple[OpCode, int]]:
    return fast_diff_match_patch.diff(
        old, new, timelimit=0, checklines=False, cleanup="Semantic" if semantic else "No", counts_only=True
    )


def _anchored(old: str, new: str) -> list[tuple[OpCode, int]]:
    """A patience diff of two long code-point strings: the common ends are kept, the units that occur
    exactly once in each side and in the same order (the longest such run) are kept, and each gap
    between them is diffed exactly when it is small and shown as replaced whole when it is not.

    Myers' diff is O((N+M)·D): two unrelated texts of 20,000 lines each took 1.9 s, 100,000 would
    take about a minute. Real revisions of a long standard keep most of their lines, which are
    unique, so this gives the exact diff's answer; only a large rewrite of repeated lines (a flood) is
    coarser, and it is still a correct diff: "=" and "-" give the old text, "=" and "+" the new one.
    """
    head = _common_prefix(old, new)
    tail = _common_prefix(old[head:][::-1], new[head:][::-1])
    middle_old, middle_new = old[head : len(old) - tail], new[head : len(new) - tail]
    counts: list[tuple[OpCode, int]] = [(EQUAL, head)] if head else []
    i = j = 0
    for anchor_i, anchor_j in [*_unique_anchors(middle_old, middle_new), (len(middle_old), len(middle_new))]:
        gap_old, gap_new = middle_old[i:anchor_i], middle_new[j:anchor_j]
        if gap_old and gap_new and len(gap_old) + len(gap_new) <= EXACT_UNIT_LIMIT:
            counts.extend(_exact(gap_old, gap_new, semantic=False))
        else:
            counts.extend(pair for pair in ((DELETE, len(gap_old)), (INSERT, len(gap_new))) if pair[1])
        if anchor_i < len(middle_old):
            counts.append((EQUAL, 1))
        i, j = anchor_i + 1, anchor_j + 1
    if tail:
        counts.append((EQUAL, tail))
    return counts


def _common_prefix(first: str, second: str) -> int:
    """Length of the common start, by halving: C-speed comparisons, no Python loop per character."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _unique_anchors(old: str, new: str) -> list[tuple[int, int]]:
    """(position in old, position in new) of the longest in-order run of units found once in each."""
    old_counts, new_counts = Counter(old), Counter(new)
    where_new = {unit: position for position, unit in enumerate(new) if new_counts[unit] == 1}
    pairs = [
        (position, where_new[unit])
        for position, unit in enumerate(old)
        if old_counts[unit] == 1 and unit in where_new
    ]
    # longest increasing subsequence of the new positions (patience sorting, O(k log k))
    tops: list[int] = []  # new position ending the best run of each length
    top_index: list[int] = []  # index in pairs of that run's last pair
    before = [-1] * len(pairs)
    for index, (_, position) in enumerate(pairs):
        length = bisect_left(tops, position)
        if length == len(tops):
            tops.append(position)
            top_index.append(index)
        else:
            tops[length] = position
            top_index[length] = index
        before[index] = top_index[length - 1] if length else -1
    run: list[tuple[int, int]] = []
    index = top_index[-1] if top_index else -1
    while index != -1:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def diff_units(old: Sequence[str], new: Sequence[str], *, semantic: bool) -> Ops:
    """Diff two unit sequences; texts in the result are the joined units."""
    ops: Ops = []
    i = j = 0
    for op, count in diff_counts(old, new, semantic=semantic):
        if op == INSERT:
            ops.append((op, "".join(new[j : j + count])))
            j += count
        else:
            ops.append((op, "".join(old[i : i + count])))
            i += count
            if op == EQUAL:
                j += count
    return ops


def diff_words(old: str, new: str) -> Ops:
    """Word level for Latin script, character level for CJK, with semantic cleanup.

    Each word becomes one private-use code point (the rest of the text stands for itself, so semantic
    cleanup still sees spaces, line breaks and punctuation) and str.translate restores it: the same
    result as diffing `tokens()` but without a Python loop per character.
    """
    if max(old, default="\0") >= chr(_FIRST_WORD_CODE) or max(new, default="\0") >= chr(_FIRST_WORD_CODE):
        return diff_units(tokens(old), tokens(new), semantic=True)  # the text uses those code points
    codes: dict[str, str] = {}

    def code(match: re.Match[str]) -> str:
        word = match.group()
        char = codes.get(word)
        if char is None:
            number = _FIRST_WORD_CODE + len(codes)
            if number > _LAST_WORD_CODE:
                raise ValueError("too many distinct words to diff")
            char = codes[word] = chr(number)
        return char

    encoded_old, encoded_new = _WORD_RUN.sub(code, old), _WORD_RUN.sub(code, new)
    words = {ord(char): word for word, char in codes.items()}
    raw = fast_diff_match_patch.diff(
        encoded_old, encoded_new, timelimit=0, checklines=False, cleanup="Semantic", counts_only=False
    )
    return [(op, chunk.translate(words)) for op, chunk in raw]


def diff_text(old: str, new: str) -> Ops:
    """Lines first, then words or characters inside each changed block; exact and bounded."""
    if old == new:
        return [(EQUAL, old)] if old else []
    ops: Ops = []
    for op, old_block, new_block in _blocks(diff_units(lines(old), lines(new), semantic=False)):
        if op == EQUAL:
            ops.append((EQUAL, old_block))
        else:
            ops.extend(_refine(old_block, new_block))
    return normalise(ops)


def _refine(old: str, new: str) -> Ops:
    if not old or not new:
        return _replace(old, new)
    if len(old) + len(new) <= TOKEN_BLOCK_LIMIT:
        return diff_words(old, new)
    old_sentences, new_sentences = sentences(old), sentences(new)
    if len(old_sentences) + len(new_sentences) > SENTENCE_BLOCK_LIMIT:
        return _replace(old, new)
    ops: Ops = []
    for op, old_block, new_block in _blocks(diff_units(old_sentences, new_sentences, semantic=False)):
        if op == EQUAL:
            ops.append((EQUAL, old_block))
        elif old_block and new_block and len(old_block) + len(new_block) <= TOKEN_BLOCK_LIMIT:
            ops.extend(diff_words(old_block, new_block))
        else:
            ops.extend(_replace(old_block, new_block))
    return ops


def _replace(old: str, new: str) -> Ops:
    return [pair for pair in ((DELETE, old), (INSERT, new)) if pair[1]]


def _blocks(ops: Iterable[tuple[OpCode, str]]) -> Iterable[tuple[OpCode, str, str]]:
    """Group a diff into equal runs and replaced blocks: ("=", text, text) or ("-", old, new)."""
    old_parts: list[str] = []
    new_parts: list[str] = []
    for op, text in ops:
        if op == EQUAL:
            if old_parts or new_parts:
                yield DELETE, "".join(old_parts), "".join(new_parts)
                old_parts, new_parts = [], []
            yield EQUAL, text, text
        elif op == DELETE:
            old_parts.append(text)
        else:
            new_parts.append(text)
    if old_parts or new_parts:
        yield DELETE, "".join(old_parts), "".join(new_parts)


def normalise(ops: Iterable[tuple[OpCode, str]]) -> Ops:
    """Drop empty ops, join neighbours of one kind, and put deletions before insertions in a change."""
    result: Ops = []
    for op, old_block, new_block in _blocks((op, text) for op, text in ops if text):
        if op == EQUAL:
            if result and result[-1][0] == EQUAL:
                result[-1] = (EQUAL, result[-1][1] + old_block)
            else:
                result.append((EQUAL, old_block))
        else:
            result.extend(_replace(old_block, new_block))
    return result


def old_text(ops: Iterable[tuple[OpCode, str]]) -> str:
    """The text before the change: the "=" and "-" parts."""
    return "".join(text for op, text in ops if op != INSERT)


def new_text(ops: Iterable[tuple[OpCode, str]]) -> str:
    """The text after the change: the "=" and "+" parts."""
    return "".join(text for op, text in ops if op != DELETE)


def counts(ops: Iterable[tuple[OpCode, str]]) -> tuple[int, int]:
    """(characters inserted, characters deleted)."""
    inserted = deleted = 0
    for op, text in ops:
        if op == INSERT:
            inserted += len(text)
        elif op == DELETE:
            deleted += len(text)
    return inserted, deleted
