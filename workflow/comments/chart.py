"""The dashboard's chart: comments per clause as horizontal bars stacked by status, drawn as inline
SVG on the server (no script, no CDN: the page's content security policy allows neither)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from workflow.comments.models import Status
from workflow.comments.reading import ClauseCounts

#: the colour of each status's part of a bar (the same as the badges of the list)
COLOURS = {Status.OPEN: "#d9480f", Status.DISPOSED: "#2b8a3e", Status.WITHDRAWN: "#adb5bd"}
ROW = 26
LABEL = 190
BAR = 420
TOP = 30


def clause_chart(rows: Sequence[ClauseCounts]) -> Markup:
    """One bar per clause (its number and title on the left), its length the number of comments."""
    if not rows:
        return Markup("")
    most = max(row.total for row in rows) or 1
    height = TOP + ROW * len(rows) + 10
    width = LABEL + BAR + 60
    parts = [
        f'<svg class="comment-chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("Comments per clause"))}">'
    ]
    x = LABEL
    for status in Status:
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[status]}"/>'
            f'<text x="{x + 16}" y="16" font-size="12">{escape(status.label)}</text>'
        )
        x += 110
    for index, row in enumerate(rows):
        y = TOP + index * ROW
        label = f"{row.number} {row.title}".strip() or row.clause
        if len(label) > 14:
            label = label[:13] + "…"
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 16}" font-size="12" text-anchor="end">'
            f"<title>{escape(row.clause)}</title>{escape(label)}</text>"
        )
        left = LABEL
        for status in Status:
            count = row.by_status.get(status.value, 0)
            if not count:
                continue
            length = BAR * count / most
            parts.append(
                f'<rect class="bar bar-{status.value}" x="{left:.1f}" y="{y + 4}" width="{length:.1f}" '
                f'height="{ROW - 8}" fill="{COLOURS[status]}"><title>{escape(status.label)}: {count}</title></rect>'
            )
            left += length
        parts.append(f'<text x="{left + 6:.1f}" y="{y + 16}" font-size="12">{row.total}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
