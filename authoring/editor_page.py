"""What the editor page hands its script: URLs, the base revision, messages, snippets, hints.

It travels as one JSON data island (`<script type="application/json">`), which the page's Content
Security Policy allows because it is never executed, and which keeps every translated string on the
server side with the rest of the catalogue.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from authoring.models import RenderCache, Revision, Standard
from authoring.skeleton import SNIPPETS


def language_of(locale: object) -> str:
    """ "en" for an English interface, "zh" otherwise: the language of lint messages shown."""
    return "en" if str(locale or "").startswith("en") else "zh"


def editor_data(standard: Standard, revision: Revision, cache: RenderCache, nonce: str) -> dict[str, Any]:
    hints = cache.hints or {}
    return {
        "standard_id": standard.id,
        "base_revision": revision.number,
        "save_url": url_for("editor.save", standard_id=standard.id),
        "preview_url": url_for("editor.preview", standard_id=standard.id),
        "csrf_token": generate_csrf(),
        "csp_nonce": nonce,
        "draft_key": f"standardforge:draft:{standard.id}",
        "language": hints.get("language", "zh"),
        "labels": cache.labels,
        "foreword_sentences": hints.get("foreword_sentences", []),
        "snippets": SNIPPETS,
        "messages": {
            "unsaved": _("Unsaved changes"),
            "saving": _("Saving…"),
            "save_failed": _(
                "The save did not reach the server. Your text is still here and kept in this browser; try again."
            ),
            "preview_failed": _("The preview could not be updated; your text is not affected."),
            "resolving": _(
                "Resolving: edit the text, then save. It will be saved on top of the latest revision."
            ),
            "no_foreword": _(
                "Fill in the front matter (association, drafting units, drafters) to get the foreword sentences."
            ),
        },
    }
