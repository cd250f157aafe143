"""Bench row: diff of two ~300 KB revisions with a 2 % change, against the bare work under it.

Target (issue 4, "Speed"): `stdforge diff`'s work (our parse of both texts and `diff_documents`) takes
at most twice the bare work under it: markdown-it-py parsing both texts plus a fast-diff-match-patch
line-mode diff of them. Both are timed the same way, alternately, and compared by their medians.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import fast_diff_match_patch
from markdown_it import MarkdownIt

from authoring.document import parse
from authoring.document.diff import diff_documents

NAME = "diff of two 300 KB revisions, 2 % changed"
TARGET = 2.0
ROUNDS = 9
SIZE = 300_000
CHANGED_SHARE = 0.02

_EXAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "examples" / "community-care.md"
_FALLBACK_EXAMPLE = Path("/work/shared/examples/community-care.md")
_ID = re.compile(r"\{#([\w-]+)")
_REF = re.compile(r"\(#([\w-]+)\)")


def build_revisions(size: int = SIZE, seed: int = 7) -> tuple[str, str]:
    """A ~`size`-character standard and a revision of it in which about 2 % of the characters changed.

    The technical chapters of the community-care example are repeated with fresh ids; the revision
    rewrites words in some paragraphs, adds and deletes a few, and moves one clause.
    """
    example = (_EXAMPLE if _EXAMPLE.exists() else _FALLBACK_EXAMPLE).read_text(encoding="utf-8")
    head, _, rest = example.partition("\n# 基本要求 ")
    technical, _, annexes = ("# 基本要求 " + rest).partition("\n# 服务对象能力评估与服务等级确定 ")
    parts = [head, "\n"]
    copy = 0
    while sum(map(len, parts)) < size - len(annexes):
        suffix = f"-{copy}"
        parts.append(_ID.sub(lambda m, s=suffix: "{#" + m.group(1) + s, technical))
        parts.append("\n")
        copy += 1
    old = "".join(parts) + "\n# 服务对象能力评估与服务等级确定 " + annexes
    return old, _revise(old, random.Random(seed))


def _revise(text: str, rng: random.Random) -> str:
    paragraphs = text.split("\n\n")
    budget = int(len(text) * CHANGED_SHARE)
    changed = 0
    body = [
        i for i, p in enumerate(paragraphs) if len(p) > 40 and not p.startswith(("#", "|", "+", "-", "---"))
    ]
    while changed < budget:
        index = rng.choice(body)
        paragraph = paragraphs[index]
        action = rng.random()
        if action < 0.6:  # rewrite a few characters in the middle
            at = rng.randrange(len(paragraph) // 4, len(paragraph) * 3 // 4)
            paragraphs[index] = paragraph[:at] + "（修订：增加了新的要求）" + paragraph[at + 3 :]
            changed += 15
        elif action < 0.85:  # add a paragraph
            paragraphs.insert(index + 1, "服务机构应定期复核本条的执行情况，并保存复核记录。")
            body = [i if i <= index else i + 1 for i in body]
            changed += 25
        else:  # delete one
            changed += len(paragraph)
            paragraphs[index] = paragraph[: len(paragraph) // 2] + "。"
    revised = "\n\n".join(paragraphs)
    return _move_clause(revised, "c-agreement-3", before="c-planning-5")


def _move_clause(text: str, clause_id: str, *, before: str) -> str:
    """Cut the `##` clause `clause_id` (with its subclauses) and paste it before clause `before`."""
    start = text.index("\n## ", text.index("{#" + clause_id + "}") - 200) + 1
    end = min(i for i in (text.find("\n## ", start + 1), text.find("\n# ", start + 1)) if i != -1) + 1
    clause, text = text[start:end], text[:start] + text[end:]
    at = text.rindex("\n## ", 0, text.index("{#" + before + "}")) + 1
    return text[:at] + clause + text[at:]


def bare_work(old: str, new: str) -> None:
    """markdown-it-py parsing both texts, then a fast-diff-match-patch diff of their lines."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.parse(old)
    md.parse(new)
    table: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(table.setdefault(line, chr(0x10000 + len(table))) for line in text.splitlines(True))

    fast_diff_match_patch.diff(encode(old), encode(new), timelimit=0, checklines=False, cleanup="No")


def our_work(old: str, new: str) -> None:
    diff_documents(parse(old), parse(new))


def measure(old: str, new: str, rounds: int = ROUNDS) -> tuple[float, float]:
    """Medians (ours, baseline) in seconds, timed alternately after one warm-up of each."""
    ours: list[float] = []
    baseline: list[float] = []
    our_work(old, new)
    bare_work(old, new)
    for _ in range(rounds):
        ours.append(_time(our_work, old, new))
        baseline.append(_time(bare_work, old, new))
    return statistics.median(ours), statistics.median(baseline)


def _time(work: Callable[[str, str], None], old: str, new: str) -> float:
    start = time.perf_counter()
    work(old, new)
    return time.perf_counter() - start


def run(report: Callable[..., object]) -> None:
    old, new = build_revisions()
    ours, baseline = measure(old, new)
    report(NAME, ours, baseline, TARGET)


if __name__ == "__main__":

    def _print(name: str, ours: float, baseline: float, target: float) -> None:
        ratio = ours / baseline
        print(
            f"{name}: ours {ours * 1000:.1f} ms, baseline {baseline * 1000:.1f} ms, ratio {ratio:.2f} (target ≤ {target})"
        )

    run(_print)
