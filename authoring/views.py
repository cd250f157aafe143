"""Pages of authoring: the standards of an association, a standard's read view, the editor and its
save and preview endpoints, history, diffs and restore.

Views are thin: load and authorise, call one operation, commit once, render or answer JSON. The
editor's endpoints answer JSON with a translated message for every refusal, so the script can show
it and keep the drafter's text; a plain form post (no script) gets the same outcomes as pages.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import defer, load_only, selectinload

from accounts.database import utcnow
from authoring import analysis, history, operations
from authoring.editor_page import editor_data, language_of
from authoring.figure_views import with_figure_urls
from authoring.forms import NewStandardForm, RestoreForm, SaveForm
from authoring.models import RenderCache, Revision, Standard
from authoring.operations import AuthoringError, Conflict
from authoring.permissions import (
    can_create_standard,
    can_edit_standard,
    edit_refusal,
    load_association,
    load_revision,
    load_standard,
    load_standard_to_edit,
)
from extensions import db, limiter

bp = Blueprint("authoring", __name__)

#: a request body larger than this is refused before it is read (the text cap plus JSON escaping)
MAX_BODY_BYTES = operations.MAX_TEXT_BYTES * 2 + 10_000


def _json_error(message: str, code: int) -> ResponseReturnValue:
    return jsonify({"status": "error", "message": message}), code


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _body_too_large() -> bool:
    return (request.content_length or 0) > MAX_BODY_BYTES


def _user_key() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else f"addr:{request.remote_addr}"


def _read_cache(revision: Revision) -> Any:
    """The stored analysis of a revision; computed and stored once if the cache lost it."""
    row = revision.render()
    if row is None:
        row = analysis.analyse(revision.text)
        analysis.store(row)
        db.session.commit()
        row = revision.render()
    return row


# -- standards of an association ------------------------------------------------------------------


@bp.get("/associations/<int:org_id>/standards")
@login_required
def standards(org_id: int) -> ResponseReturnValue:
    association = load_association(org_id, current_user)
    projects = db.session.scalars(
        select(Standard).where(Standard.association_id == association.id).order_by(Standard.created_at.desc())
    ).all()
    return render_template(
        "authoring/standards.html",
        association=association,
        standards=projects,
        may_create=can_create_standard(current_user, association),
    )


@bp.route("/associations/<int:org_id>/standards/new", methods=["GET", "POST"])
@login_required
def new_standard(org_id: int) -> ResponseReturnValue:
    association = load_association(org_id, current_user)
    if not can_create_standard(current_user, association):
        abort(403)
    form = NewStandardForm()
    form.fill_drafters(association)
    if form.validate_on_submit():
        try:
            upload = form.upload.data
            text = operations.read_upload(upload.read(), upload.filename or "") if upload else None
            chosen = {m.id: m for m in association.memberships}
            standard = operations.create_standard(
                association,
                current_user,
                title_zh=(form.title_zh.data or "").strip(),
                title_en=(form.title_en.data or "").strip(),
                committee=form.committee.data,
                drafters=[chosen[i] for i in form.drafters.data or [] if i in chosen],
                text=text,
                now=utcnow(),
            )
        except AuthoringError as error:
            db.session.rollback()
            form.upload.errors = [*form.upload.errors, error.message]
        else:
            db.session.commit()
            flash(
                _("The standard “%(title)s” was created with its first revision.", title=standard.title_zh),
                "success",
            )
            return redirect(url_for(".editor", standard_id=standard.id))
    return render_template("authoring/new_standard.html", association=association, form=form)


# -- a standard ---------------------------------------------------------------------------------


@bp.get("/standards/<int:standard_id>")
def standard_page(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    return _read_view(standard, standard.latest_revision())


@bp.get("/standards/<int:standard_id>/revisions/<int:number>")
def revision_page(standard_id: int, number: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    return _read_view(standard, load_revision(standard, number))


def _read_view(standard: Standard, revision: Revision | None) -> ResponseReturnValue:
    if revision is None:
        abort(404)
    cache = _read_cache(revision)
    return render_template(
        "authoring/standard.html",
        standard=standard,
        revision=revision,
        cache=cache,
        findings=cache.findings_in(language_of(get_locale())),
        may_edit=can_edit_standard(current_user, standard),
        refusal=edit_refusal(current_user, standard),
    )


@bp.get("/standards/<int:standard_id>/revisions/<int:number>.md")
def revision_source(standard_id: int, number: int) -> ResponseReturnValue:
    """The revision's text byte for byte, as a download."""
    standard = load_standard(standard_id, current_user)
    revision = load_revision(standard, number)
    response = current_app.response_class(revision.text, mimetype="text/markdown; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="standard-{standard.id}-r{revision.number}.md"'
    )
    return response


# -- the editor ---------------------------------------------------------------------------------


@bp.get("/standards/<int:standard_id>/edit")
@login_required
def editor(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    refusal = edit_refusal(current_user, standard)
    if refusal:
        flash(refusal, "info")
        return redirect(url_for(".standard_page", standard_id=standard.id))
    revision = standard.latest_revision()
    if revision is None:
        abort(404)
    cache = _read_cache(revision)
    nonce = secrets.token_urlsafe(16)
    form = SaveForm(formdata=None, text=revision.text, base_revision=revision.number)
    response = current_app.make_response(
        render_template(
            "authoring/editor.html",
            standard=standard,
            revision=revision,
            cache=cache,
            form=form,
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
    if not can_edit_standard(current_user, standard):
        message = edit_refusal(current_user, standard) or _("You may not edit this standard.")
        return _json_error(message, 403) if as_json else abort(403)
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
    try:
        outcome = operations.save_revision(standard, current_user, text, message, base, now=utcnow())
    except AuthoringError as error:
        db.session.rollback()
        return _json_error(
            error.message, 409 if isinstance(error, operations.StaleBase | operations.SaveRaced) else 400
        )
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
        return redirect(url_for(".editor", standard_id=standard.id))
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
@limiter.limit("240 per minute", key_func=_user_key)
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
    try:
        operations.check_size(text)
    except AuthoringError as error:
        return _json_error(error.message, 413)
    with analysis.collector_paused():
        result = analysis.cached(operations.normalise_newlines(text))
    answer = history.preview_json(result, language_of(get_locale()))
    answer["html"] = with_figure_urls(answer["html"], standard)
    return jsonify(answer)


# -- history, diff, restore -------------------------------------------------------------------------


@bp.get("/standards/<int:standard_id>/history")
def history_page(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    # a long history of a 300 KB standard: leave every text and rendering unread, outlines suffice
    revisions = db.session.scalars(
        select(Revision)
        .options(defer(Revision.text), selectinload(Revision.author))
        .where(Revision.standard_id == standard.id)
        .order_by(Revision.number.desc())
    ).all()
    hashes = {r.content_hash for r in revisions}
    caches = {
        c.content_hash: c
        for c in db.session.scalars(
            select(RenderCache)
            .options(load_only(RenderCache.content_hash, RenderCache.outline))
            .where(RenderCache.content_hash.in_(hashes))
        )
    }
    latest = revisions[0] if revisions else None
    cache = caches.get(latest.content_hash) if latest else None
    if latest is not None and cache is None:  # the cache lost it: computed and stored again
        cache = _read_cache(latest)
    return render_template(
        "authoring/history.html",
        standard=standard,
        revisions=revisions,
        chart=history.timeline(revisions),
        last_changes=history.last_changes(revisions, cache),
        touched=history.touched_labels(revisions, caches),
        may_restore=can_edit_standard(current_user, standard),
        restore_form=RestoreForm(),
    )


@bp.get("/standards/<int:standard_id>/diff")
def diff_page(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    latest = standard.latest_number
    old_number = request.args.get("old", type=int) or max(latest - 1, 1)
    new_number = request.args.get("new", type=int) or latest
    old, new = load_revision(standard, old_number), load_revision(standard, new_number)
    view = history.compare(old, new)
    numbers = list(range(latest, 0, -1))
    return render_template(
        "authoring/diff.html", standard=standard, old=old, new=new, view=view, numbers=numbers
    )


@bp.post("/standards/<int:standard_id>/revisions/<int:number>/restore")
@login_required
def restore(standard_id: int, number: int) -> ResponseReturnValue:
    standard = load_standard_to_edit(standard_id, current_user)
    revision = load_revision(standard, number)
    form = RestoreForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = operations.restore_revision(
            standard, current_user, revision.number, form.message.data or "", now=utcnow()
        )
    except AuthoringError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".history_page", standard_id=standard.id))
    db.session.commit()
    if outcome.status == "unchanged":
        flash(
            _(
                "Revision %(number)s has the same text as the current draft; nothing to restore.",
                number=number,
            ),
            "info",
        )
    else:
        flash(
            _("Revision %(old)s was restored as revision %(new)s.", old=number, new=outcome.revision.number),
            "success",
        )
    return redirect(url_for(".history_page", standard_id=standard.id))
