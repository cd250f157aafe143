"""The read view's part that depends only on the text: its HTML and its findings list, kept in process.

A revision's rendering never changes for a given text (the `RenderCache` row is keyed by the text's
SHA-256), so each worker keeps the last few fragments ready as Markup: a page view then reads no
render row, decodes no findings JSON and runs no template loop over a long list. Losing this cache
changes nothing but speed, it is bounded in entries, and its entries never go stale: it holds
nothing per user (actions, role and figure links are added by the page on every request).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from authoring.models import RenderCache

#: fragments kept per worker process; a 300 KB standard's fragment is about 1 MB
MAX_FRAGMENTS = 32


@dataclass(frozen=True)
class ReadFragment:
    """What the read view shows of one text in one language (the template reads it as `cache`)."""

    #: the rendered body; its figures are still `figures/NAME` (the page points them at its standard)
    html: str
    #: the findings list, rendered for the language
    findings: Markup
    errors: int
    warnings: int


_fragments: OrderedDict[tuple[str, str], ReadFragment] = OrderedDict()
_lock = threading.Lock()


def cached_fragment(content_hash: str, language: str) -> ReadFragment | None:
    """The fragment of the text with `content_hash` in `language`, when this process has it."""
    with _lock:
        fragment = _fragments.get((content_hash, language))
        if fragment is not None:
            _fragments.move_to_end((content_hash, language))
        return fragment


def build_fragment(row: RenderCache, language: str) -> ReadFragment:
    """Render the fragment of a stored analysis once and keep it (the least recently used goes)."""
    template = current_app.jinja_env.get_template("authoring/_read_findings.html")
    findings = Markup(template.render(findings=row.findings_in(language)))
    fragment = ReadFragment(html=row.html, findings=findings, errors=row.errors, warnings=row.warnings)
    with _lock:
        _fragments[(row.content_hash, language)] = fragment
        _fragments.move_to_end((row.content_hash, language))
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return fragment


def forget_fragments() -> None:
    """Empty this process's fragments (tests that measure a cold page)."""
    with _lock:
        _fragments.clear()
