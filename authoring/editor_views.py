"""The editor: its page, and the save and preview endpoints its script talks to.

A blueprint of its own (registered by wsgi.BLUEPRINTS), beside the pages of `authoring.views`. The
endpoints answer JSON with a translated message for every refusal, so the script can show it and
keep the drafter's text; a plain form post (no script) gets the same outcomes as pages.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from accounts.database import utcnow
from accounts.json_errors import json_error
from authoring import analysis, history, operations
from authoring.editor_page import editor_data, language_of
from authoring.figure_views import with_figure_urls
from authoring.forms import SaveForm
from authoring.models import Revision, Standard
from authoring.operations import Conflict
from authoring.permissions import can_edit_standard, load_standard
from authoring.views import read_cache
from extensions import db, limiter, user_or_address

bp = Blueprint("editor", __name__)

#: a request body larger than this is refused before it is read (the text cap plus JSON escaping)
MAX_BODY_BYTES = operations.MAX_TEXT_BYTES * 2 + 10_000


def _json_error(message: str, code: int) -> ResponseReturnValue:
    return json_error(code, message)


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _body_too_large() -> bool:
    return (request.content_length or 0) > MAX_BODY_BYTES


@bp.get("/standards/<int:standard_id>/edit")
@login_required
def page(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    may_edit = can_edit_standard(current_user, standard)
    if not may_edit:
        flash(may_edit.reason or "", "info")
        return redirect(url_for("authoring.standard_page", standard_id=standard.id))
    revision = standard.latest_revision()
    if revision is None:
        abort(404)
    return render_editor(standard, revision)


def render_editor(standard: Standard, revision: Revision, text: str | None = None) -> ResponseReturnValue:
    """The editor on `revision`; with `text`, that text is in the source pane, unsaved, for the
    drafter to review and save on top of `revision` (an imported Word file)."""
    cache = read_cache(revision) if text is None else analysis.cached(text)
    nonce = secrets.token_urlsafe(16)
    form = SaveForm(formdata=None, text=revision.text, base_revision=revision.number)
    response = current_app.make_response(
        render_template(
            "authoring/editor.html",
            standard=standard,
            revision=revision,
            cache=cache,
            form=form,
            text=revision.text if text is None else text,
            findings=cache.findings_in(language_of(get_locale())),
            data=editor_data(standard, revision, cache, nonce),
            bundle=_bundle_available(),
        )
    )
    # CodeMirror adds its own style elements; allow exactly those (nonce), nothing else inline
    policy = current_app.config["CONTENT_SECURITY_POLICY"].replace(
        "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
    )
    response.headers["Content-Security-Policy"] = policy
    return response


def _bundle_available() -> bool:
    """True when `make assets` built the CodeMirror bundle; without it the editor is a textarea."""
    static = current_app.static_folder or ""
    return (Path(static) / "build" / "editor.js").is_file()


@bp.post("/standards/<int:standard_id>/save")
@login_required
def save(standard_id: int) -> ResponseReturnValue:
    as_json = _wants_json()
    standard = load_standard(standard_id, current_user)
    may_edit = can_edit_standard(current_user, standard)
    if not may_edit:
        return _json_error(may_edit.reason or "", 403) if as_json else abort(403)
    if _body_too_large():
        message = _(
            "The text is larger than a standard may be (%(limit)s KB).",
            limit=operations.MAX_TEXT_BYTES // 1000,
        )
        return _json_error(message, 413) if as_json else abort(413)
    payload = request.get_json(silent=True) if request.is_json else request.form
    try:
        text = payload.get("text")
        if not isinstance(text, str):  # a request that lost its text must not save an empty standard
            raise TypeError("no text")
        base = int(payload.get("base_revision", 0))
        message = str(payload.get("message", "") or "")[:500]
    except (TypeError, ValueError, AttributeError):
        return _json_error(
            _("The save request was incomplete. Reload the editor; your text is kept in this browser."), 400
        )
    # a refusal (a frozen stage: 409 closed; a stale or raced base: 409; a bad text: 422) is answered
    # by the application's one handler, in JSON for the editor
    outcome = operations.save_revision(standard, current_user, text, message, base, now=utcnow())
    db.session.commit()
    if isinstance(outcome, Conflict):
        return _conflict_answer(standard, outcome, as_json)
    messages = {
        "saved": _("Saved as revision %(number)s.", number=outcome.revision.number),
        "merged": _(
            "Someone saved while you were writing; your changes were merged with theirs and saved as revision %(number)s.",
            number=outcome.revision.number,
        ),
        "unchanged": _(
            "Nothing changed since revision %(number)s; no new revision was made.",
            number=outcome.revision.number,
        ),
    }
    if not as_json:
        flash(messages[outcome.status], "success")
        return redirect(url_for(".page", standard_id=standard.id))
    return jsonify(
        {
            "status": outcome.status,
            "revision": outcome.revision.number,
            "message": messages[outcome.status],
            "text": outcome.text,
            "text_changed": outcome.text != text,
        }
    )


def _conflict_answer(standard: Standard, conflict: Conflict, as_json: bool) -> ResponseReturnValue:
    view = history.conflict_view(conflict)
    message = _(
        "Revision %(number)s was saved by %(author)s while you were writing, and your changes overlap. Nothing was saved: resolve the differences.",
        number=conflict.latest.number,
        author=view.latest_author,
    )
    if as_json:
        return jsonify(
            {
                "status": "conflict",
                "message": message,
                "latest_revision": conflict.latest.number,
                "latest_author": view.latest_author,
                "latest_text": conflict.latest.text,
                "mine": conflict.mine,
                "merged_text": conflict.merged_text,
                "diff_html": render_template("authoring/_conflict_diff.html", view=view),
            }
        ), 409
    # the drafter's text as they sent it, downloadable without script (a data: link)
    mine_base64 = base64.b64encode(conflict.mine.encode("utf-8")).decode("ascii")
    return render_template(
        "authoring/conflict.html",
        standard=standard,
        conflict=conflict,
        view=view,
        message=message,
        mine_base64=mine_base64,
    ), 409


@bp.post("/standards/<int:standard_id>/preview")
@login_required
@limiter.limit("240 per minute", key_func=user_or_address)
def preview(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    if not can_edit_standard(current_user, standard):
        return _json_error(_("You may not edit this standard."), 403)
    if _body_too_large():
        return _json_error(
            _(
                "The text is larger than a standard may be (%(limit)s KB).",
                limit=operations.MAX_TEXT_BYTES // 1000,
            ),
            413,
        )
    payload = request.get_json(silent=True) if request.is_json else request.form
    text = payload.get("text") if payload is not None else None
    if not isinstance(text, str):
        return _json_error(_("The preview request was incomplete."), 400)
    operations.check_size(text)
    result = analysis.cached(operations.normalise_newlines(text))
    answer = history.preview_json(result, language_of(get_locale()))
    answer["html"] = with_figure_urls(answer["html"], standard)
    return jsonify(answer)
