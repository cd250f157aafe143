"""Bench row: diff of two ~300 KB revisions with a 2 % change, against the bare work under it.

Target (issue 4, "Speed"): `stdforge diff`'s work (our parse of both texts and `diff_documents`) takes
at most twice the bare work under it: markdown-it-py parsing both texts plus a fast-diff-match-patch
line-mode diff of them. Both sides run alternately (`paired_times`) and are compared by medians.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import fast_diff_match_patch
from markdown_it import MarkdownIt

from authoring.document import parse
from authoring.document.diff import diff_documents
from bench.corpus import standard_text
from bench.run import paired_times

TARGET = 2.0
#: share of the characters the revision changes
CHANGED_SHARE = 0.02


def revised(text: str, seed: int = 7) -> str:
    """`text` with about 2 % of its characters changed: words rewritten in some paragraphs, paragraphs
    added and shortened, and one clause moved to another chapter."""
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    body = [  # plain paragraphs: no heading, table, list, fenced note or formula to break
        i for i, p in enumerate(paragraphs) if len(p) > 40 and p[0] not in "#|+-:$[" and ":::" not in p
    ]
    budget = int(len(text) * CHANGED_SHARE)
    changed = 0
    while changed < budget:
        index = rng.choice(body)
        paragraph = paragraphs[index]
        action = rng.random()
        if action < 0.6:  # rewrite a few characters in the middle
            at = rng.randrange(len(paragraph) // 4, len(paragraph) * 3 // 4)
            paragraphs[index] = paragraph[:at] + "（修订：增加了新的要求）" + paragraph[at + 3 :]
            changed += 15
        elif action < 0.85:  # add a paragraph after it
            paragraphs[index] = paragraph + "\n\n服务机构应定期复核本条的执行情况，并保存复核记录。"
            changed += 25
        else:  # cut it in half
            paragraphs[index] = paragraph[: len(paragraph) // 2] + "。"
            changed += len(paragraph) // 2
    return _move_clause("\n\n".join(paragraphs), "c-agreement-r3", before="c-planning-r5")


def _move_clause(text: str, clause_id: str, *, before: str) -> str:
    """Cut the `##` clause `clause_id` (with its subclauses) and paste it before clause `before`."""
    start = text.rindex("\n## ", 0, text.index("{#" + clause_id + "}")) + 1
    end = min(i for i in (text.find("\n## ", start), text.find("\n# ", start)) if i != -1) + 1
    clause, text = text[start:end], text[:start] + text[end:]
    at = text.rindex("\n## ", 0, text.index("{#" + before + "}")) + 1
    return text[:at] + clause + text[at:]


def bare_work(markdown: MarkdownIt, old: str, new: str) -> None:
    """markdown-it-py parsing both texts, then a fast-diff-match-patch diff of their lines."""
    markdown.parse(old)
    markdown.parse(new)
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(codes.setdefault(line, chr(0x10000 + len(codes))) for line in text.splitlines(True))

    fast_diff_match_patch.diff(encode(old), encode(new), timelimit=0, checklines=False, cleanup="No")


def our_work(old: str, new: str) -> None:
    diff_documents(parse(old), parse(new))


def run(report: Callable[[str, float, float, float], None]) -> None:
    old = standard_text()
    new = revised(old)
    markdown = MarkdownIt("commonmark").enable("table")
    ours, baseline = paired_times(lambda: our_work(old, new), lambda: bare_work(markdown, old, new))
    report(f"diff of 2 revisions ({len(old.encode()) // 1000} KB, 2 % changed)", ours, baseline, TARGET)
