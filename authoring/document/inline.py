"""Inline Markdown read without markdown-it's inline pass: plain text for lint and diff, and the
cross references with their lines. One precompiled regex, linear in the text: no alternative scans
past the next opener of its own kind (a footnote label stops at `[`, a code span starts only at the
first backtick of a run and never gives a backtick back), so a flood of `[^` or of backticks costs
one pass, not one pass per opener."""

from __future__ import annotations

import re
from collections.abc import Callable

from .tree import CrossRef

_INLINE = re.compile(
    r"(?:(?<!`)|(?<=\\`))(?P<code>`++)(?P<codetext>[^`\n]+?)(?P=code)"
    r"|!\[(?P<alt>[^\[\]\n]*)\]\([^()\n]*\)(?:\{[^{}\n]*\})?"
    r"|\[(?P<ltext>(?:[^\[\]\\]|\\.)*)\]\([ \t]*(?P<href>[^()\s]*)(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)"
    r"|\[(?P<stext>(?:[^\[\]\\]|\\.)*)\]\{[^{}\n]*\}"
    r"|(?P<fn>\[\^[^\[\]\s]+\])"
    r"|<(?P<url>[a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>"
    r"|\\(?P<esc>[!-/:-@\[-`{-~])"
    r"|(?P<emph>\*+|(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z]))"
)
#: characters without which a text has no inline markup at all (most Chinese paragraphs)
_MARKUP_CHARS = re.compile(r"[`!\[\\<*_]")


def plain_text(content: str, line: int, labels: dict[str, str] | None, refs: list[CrossRef] | None) -> str:
    """`content` without inline markup; `[](#id)` shows its label. Cross references found are appended
    to `refs` with their line (`line` is the line of the content's first line). Newlines are kept, so
    line i of the result is line `line + i` of the source."""
    if _MARKUP_CHARS.search(content) is None:
        return content
    return _INLINE.sub(_replacer(content, line, labels or {}, refs), content)


def _replacer(
    content: str, line: int, labels: dict[str, str], refs: list[CrossRef] | None
) -> Callable[[re.Match[str]], str]:
    seen = [0, line]  # position counted up to, and its line: counting from the start each time is O(n²)

    def line_at(position: int) -> int:
        seen[1] += content.count("\n", seen[0], position)
        seen[0] = position
        return seen[1]

    def replace(match: re.Match[str]) -> str:
        group = match.lastgroup
        if group == "codetext":
            return match.group("codetext")
        if group == "alt":
            return match.group("alt")
        if match.group("href") is not None:
            text = plain_text(match.group("ltext"), line, labels, None) if match.group("ltext") else ""
            href = match.group("href")
            if href.startswith("#") and len(href) > 1:
                target = href[1:]
                label = labels.get(target)
                if refs is not None:
                    refs.append(CrossRef(target=target, text=text, line=line_at(match.start()), label=label))
                if not text:
                    return label if label is not None else target
            return text
        if group == "stext":
            return match.group("stext")
        if group == "fn":
            return ""
        if group == "url":
            return match.group("url")
        if group == "esc":
            return match.group("esc")
        return ""  # emphasis markers

    return replace
