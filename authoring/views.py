"""Pages of authoring: the standards of an association, a standard's read view, history, diffs and
restore. The editor and its save and preview endpoints are in `authoring.editor_views`.

Views are thin: load and authorise, call one operation, commit once, render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload, load_only, selectinload

from accounts.database import utcnow
from accounts.refusals import Decision, Refused
from authoring import analysis, history, operations
from authoring.document import DocumentTooLarge
from authoring.editor_page import language_of
from authoring.events import count_events, events_of
from authoring.forms import NewStandardForm, RestoreForm
from authoring.models import RenderCache, Revision, Standard, StandardDrafter
from authoring.page_cache import keep, kept_response, page_key
from authoring.page_places import StandardPage, panels_for
from authoring.permissions import (
    can_create_standard,
    can_edit_standard,
    load_association,
    load_revision,
    load_standard,
    load_standard_to_edit,
)
from authoring.read_fragments import build_fragment, cached_fragment
from authoring.revision_query import revision_choice
from extensions import db

bp = Blueprint("authoring", __name__)

#: how many of a standard's events its page lists (newest first); the count shows how many there are
RECENT_EVENTS = 20


def read_cache(revision: Revision) -> RenderCache | analysis.Analysis:
    """The stored analysis of a revision (written at save); computed afresh if the cache lost it.

    A page view never writes: the save stores the analysis, and a lost row costs a render, not a commit.
    """
    row = revision.render()
    return row if row is not None else analysis.analyse(revision.text)


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
            # read one byte past the cap, never the whole body (up to MAX_CONTENT_LENGTH) into memory
            data = upload.read(operations.MAX_TEXT_BYTES + 1) if upload else None
            text = operations.read_upload(data, upload.filename or "") if data is not None else None
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
        except Refused as refused:
            db.session.rollback()
            form.upload.errors = [*form.upload.errors, refused.message]
        else:
            db.session.commit()
            flash(
                _("The standard “%(title)s” was created with its first revision.", title=standard.title_zh),
                "success",
            )
            return redirect(url_for("editor.page", standard_id=standard.id))
    return render_template("authoring/new_standard.html", association=association, form=form)


# -- a standard ---------------------------------------------------------------------------------


#: what the read view needs of a standard beyond its row, loaded with it: the association (permissions,
#: breadcrumb) and the drafting group (may this user edit)
READ_STANDARD = (
    joinedload(Standard.association),
    joinedload(Standard.drafter_links).joinedload(StandardDrafter.membership),
)


@bp.get("/standards/<int:standard_id>")
def standard_page(standard_id: int) -> ResponseReturnValue:
    key = page_key(standard_id, current_app.config["LANGUAGES"])
    if (kept := kept_response(key)) is not None:
        return kept
    standard = load_standard(standard_id, current_user, options=READ_STANDARD)
    if standard.latest_number == 0:  # a proposal: its stage, its next steps and its events, no text yet
        return _no_text_view(standard)
    return keep(key, make_response(_read_view(standard, standard.latest_number)))


@bp.get("/standards/<int:standard_id>/revisions/<int:number>")
def revision_page(standard_id: int, number: int) -> ResponseReturnValue:
    key = page_key(standard_id, current_app.config["LANGUAGES"])
    if (kept := kept_response(key)) is not None:
        return kept
    standard = load_standard(standard_id, current_user, options=READ_STANDARD)
    return keep(key, make_response(_read_view(standard, number)))


def _no_text_view(standard: Standard) -> ResponseReturnValue:
    """The page of a project that has no revision yet (a proposal waiting for the secretariat)."""
    events = events_of(standard, limit=RECENT_EVENTS)
    return render_template(
        "authoring/standard_no_text.html",
        panels=panels_for(StandardPage("read", standard, None, current_user)),
        events=events,
        event_count=count_events(standard, events, RECENT_EVENTS),
        standard=standard,
        may_edit=Decision.no(_("This project has no text yet.")),
    )


def _read_view(standard: Standard, number: int) -> ResponseReturnValue:
    """The read view: the text's fragment from this process's cache (else from its stored analysis),
    and around it what depends on the reader, built on every request."""
    revision = db.session.scalar(
        select(Revision)
        .options(defer(Revision.text), joinedload(Revision.author))
        .where(Revision.standard_id == standard.id, Revision.number == number)
    )
    if revision is None:
        abort(404)
    language = language_of(get_locale())
    fragment = cached_fragment(revision.content_hash, language) or build_fragment(
        read_cache(revision), language
    )
    may_edit = can_edit_standard(current_user, standard)
    events = events_of(standard, limit=RECENT_EVENTS)
    return render_template(
        "authoring/standard.html",
        panels=panels_for(StandardPage("read", standard, revision, current_user)),
        events=events,
        event_count=count_events(standard, events, RECENT_EVENTS),
        standard=standard,
        revision=revision,
        cache=fragment,
        may_edit=may_edit,
        refusal=may_edit.reason,
    )


@bp.get("/standards/<int:standard_id>/revisions/<int:number>.md")
def revision_source(standard_id: int, number: int) -> ResponseReturnValue:
    """The revision's text byte for byte, as a download."""
    standard = load_standard(standard_id, current_user)
    revision = load_revision(standard, number)
    response = current_app.response_class(revision.text, content_type="text/markdown; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="standard-{standard.id}-r{revision.number}.md"'
    )
    return response


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
        cache = read_cache(latest)
    return render_template(
        "authoring/history.html",
        standard=standard,
        panels=panels_for(StandardPage("history", standard, None, current_user)),
        revisions=revisions,
        chart=history.timeline(revisions),
        last_changes=history.last_changes(revisions, cache),
        touched=history.touched_labels(revisions, caches),
        may_restore=can_edit_standard(current_user, standard),
        restore_form=RestoreForm(),
    )


@bp.get("/standards/<int:standard_id>/diff")
def diff_page(standard_id: int) -> ResponseReturnValue:
    """Two revisions compared: as printed (the reading view, for reviewers) or as Markdown (`view=source`).

    A revision number that is not a number is a 400 and one the standard does not have a 404, each
    shown on this page with the message and the revision choice, so the reader picks again.
    """
    standard = load_standard(standard_id, current_user)
    latest = standard.latest_number
    page = {
        "standard": standard,
        "numbers": list(range(latest, 0, -1)),
        "may_edit": can_edit_standard(current_user, standard),
        "mode": "source" if request.args.get("view") == "source" else "reading",
    }
    choice = revision_choice(request.args, latest)
    if choice.problem is not None:
        return render_template("authoring/diff.html", problem=choice.problem, **page), choice.status
    old, new = load_revision(standard, choice.old), load_revision(standard, choice.new)
    try:
        view = history.compare(old, new, reading=page["mode"] == "reading")
    except DocumentTooLarge as error:  # a revision stored before the caps: say so, offer the choice again
        problem = analysis.refusal(error).message
        return render_template("authoring/diff.html", problem=problem, **page), 413
    return render_template("authoring/diff.html", old=old, new=new, view=view, note=choice.note, **page)


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
    except Refused as refused:
        db.session.rollback()
        flash(refused.message, "error")
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
