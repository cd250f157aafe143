"""The benchmark corpus: a ~300 KB standard made of the community-care example with its technical
chapters (4–8) repeated under fresh ids, so every cross reference still resolves.

The example's flow chart (chapter 5) is `figures/service-flow.png` in the original chapters and every
odd copy and `figures/service-flow-2.png` in the even ones, so the standard has two figures;
`figures()` draws both, as the demo does.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from authoring.examples import example_path

SOURCE = example_path("community-care")
FIGURE = "figures/service-flow.png"
SECOND_FIGURE = "figures/service-flow-2.png"
_ID = re.compile(r"\{#([\w-]+)")
_REF = re.compile(r"\]\(#([\w-]+)\)")
TARGET_BYTES = 300_000


def _technical_chapters(text: str) -> tuple[str, str, str]:
    """(head up to chapter 4, chapters 4–8, annexes and bibliography)."""
    start = text.index("\n# 基本要求")
    stop = text.index("\n# 服务对象能力评估")
    return text[:start], text[start:stop], text[stop:]


def _renamed(chapters: str, copy: int) -> str:
    own = set(_ID.findall(chapters))

    def rename(match: re.Match[str], template: str) -> str:
        name = match.group(1)
        return template.format(f"{name}-r{copy}" if name in own else name)

    chapters = _ID.sub(lambda m: rename(m, "{{#{}"), chapters)
    if copy % 2 == 0:
        chapters = chapters.replace(FIGURE, SECOND_FIGURE)
    return _REF.sub(lambda m: rename(m, "](#{})"), chapters)


@lru_cache(maxsize=2)
def standard_text(target_bytes: int = TARGET_BYTES, source: Path = SOURCE) -> str:
    """The community-care standard grown to about `target_bytes` of UTF-8."""
    head, chapters, tail = _technical_chapters(source.read_text(encoding="utf-8"))
    parts = [head, chapters]
    size = len((head + chapters + tail).encode())
    copy = 1
    step = len(chapters.encode())
    while size + step <= target_bytes:
        copy += 1
        parts.append(_renamed(chapters, copy))
        size += step
    parts.append(tail)
    return "".join(parts)


def figures() -> dict[str, bytes]:
    """The two figures of the corpus by file name: the demo's flow chart, and the same drawn smaller."""
    import io

    from PIL import Image

    from exports.demo import flow_chart

    chart = flow_chart()
    smaller = io.BytesIO()
    Image.open(io.BytesIO(chart)).resize((800, 280)).save(smaller, format="PNG")
    return {Path(FIGURE).name: chart, Path(SECOND_FIGURE).name: smaller.getvalue()}
