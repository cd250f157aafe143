"""Set keys of a Standard Markdown text's front matter (the cover), leaving every other line as it was.

Publication writes the number, the dates and `replaces` into the final revision's cover and takes
the draft label off (docs/standard-markdown.md, "The cover"). Only whole top-level keys are replaced
or added, so the drafters' own lines, comments and order survive, and the diff of the final revision
shows exactly what publication changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_FENCE = "---"
_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")


def with_cover(text: str, values: Mapping[str, str | None]) -> str:
    """`text` with each top-level key of `values` set to its value (a plain YAML scalar), or removed
    when the value is None; a key the cover lacks is added at its end. A text without a cover gets one."""
    lines = text.split("\n")
    if lines and lines[0].strip() == _FENCE:
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "...")), None)
    else:
        end = None
    if end is None:
        head, cover, body = [], [], lines
    else:
        head, cover, body = lines[:1], lines[1:end], lines[end:]
    for key, value in values.items():
        cover = _set_key(cover, key, value)
    if end is None:
        return "\n".join([_FENCE, *cover, _FENCE, "", *body])
    return "\n".join([*head, *cover, *body])


def _set_key(cover: list[str], key: str, value: str | None) -> list[str]:
    start = next(
        (i for i, line in enumerate(cover) if (m := _TOP_KEY.match(line)) and m.group(1) == key), None
    )
    new = [] if value is None else [f"{key}: {_scalar(value)}"]
    if start is None:
        return [*cover, *new]
    stop = start + 1
    # the key's value continues on indented lines and on a block list's "- " lines
    while stop < len(cover) and (cover[stop][:1] in (" ", "\t", "-") or not cover[stop].strip()):
        if not cover[stop].strip() and (
            stop + 1 >= len(cover) or cover[stop + 1][:1] not in (" ", "\t", "-")
        ):
            break
        stop += 1
    return [*cover[:start], *new, *cover[stop:]]


def _scalar(value: str) -> str:
    """A plain scalar when YAML reads it back as the same text; otherwise double-quoted."""
    if value and not re.search(r"[:#\[\]{},&*!|>'\"%@`]", value) and value == value.strip():
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
