"""The comment pages: the margin of the read view (a `standard_panels` hook), the list with filters
and dispositions, the dashboard, one comment's thread, the public form; each route loads and
authorises, calls one verb of `workflow.comments.operations`, commits once and redirects."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.models import Standard
from authoring.page_places import Panel, StandardPage
from authoring.permissions import load_revision, load_standard
from extensions import db, limiter
from workflow.comments import operations
from workflow.comments.chart import clause_chart
from workflow.comments.models import (
    DECISION_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    Comment,
    Moderation,
    Status,
)
from workflow.comments.permissions import (
    can_change_comment,
    can_comment,
    can_comment_publicly,
    can_dispose,
    can_moderate,
    can_reply,
    can_see_comment,
    is_editor,
)
from workflow.comments.reading import Filters, anchored_in, clause_numbers, counts_per_clause
from workflow.models import current_period

bp = Blueprint("comments", __name__)


def load_comment(comment_id: int) -> Comment:
    """The comment if the reader may read its standard and see it; 404 otherwise."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    load_standard(comment.standard_id, current_user)
    if not can_see_comment(current_user, comment):
        abort(404)
    return comment


def _fields() -> operations.CommentFields:
    form = request.form
    return operations.CommentFields(
        form.get("type", ""), form.get("comment", ""), form.get("proposed_change", "")
    )


def _selector(standard: Standard) -> operations.Selector:
    form = request.form
    number = form.get("revision", "")
    return operations.Selector(
        int(number) if number.isdigit() else standard.latest_number,
        form.get("clause", "")[:200],
        form.get("exact", "")[: operations.MAX_QUOTE],
        form.get("prefix", "")[:200],
        form.get("suffix", "")[:200],
    )


def _back(refused: Refused, target: str) -> ResponseReturnValue:
    """A refusal a form can answer (its words above the form); a 403 or 404 to the one handler."""
    if refused.kind in ("not_found", "forbidden"):
        raise refused
    db.session.rollback()
    flash(" ".join([refused.message, *refused.reasons]), "error")
    return redirect(target)


# -- the read view's margin ----------------------------------------------------------------------


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """The comments beside their clauses, highlighted in the text, and the form to comment."""
    if page.name != "read" or page.revision is None:
        return
    standard, revision = page.standard, page.revision
    now = utcnow()
    may_comment = can_comment(page.user, standard, revision.number, now)
    items = anchored_in(standard, revision.number, page.user)
    if not items and not may_comment:  # nothing to show: the page costs no more than without comments
        return
    numbers = clause_numbers(revision)
    order = {clause: info["order"] for clause, info in numbers.items()}
    items.sort(key=lambda item: (order.get(item.clause, len(order)), item.anchor.start if item.anchor else 0))
    public = can_comment_publicly(standard, now)
    html = render_template(
        "workflow/comments/_margin.html",
        standard=standard,
        revision=revision,
        items=items,
        numbers=numbers,
        may_comment=may_comment,
        public=public,
        types=TYPE_LABELS,
    )
    yield Panel("margin", Markup(html))


# -- making and changing comments ------------------------------------------------------------------


@bp.post("/standards/<int:standard_id>/comments")
@login_required
def create(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    selector = _selector(standard)
    back = url_for("authoring.revision_page", standard_id=standard.id, number=selector.revision)
    try:
        comment = operations.create_comment(standard, current_user, selector, _fields(), now=utcnow())
    except Refused as refused:
        return _back(refused, back + "#comment-form")
    db.session.commit()
    flash(_("Your comment is recorded."), "success")
    return redirect(back + f"#comment-{comment.id}")


@bp.get("/comments/<int:comment_id>")
@login_required
def comment_page(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    standard = comment.standard
    now = utcnow()
    latest = standard.latest_revision()
    return render_template(
        "workflow/comments/comment.html",
        standard=standard,
        comment=comment,
        anchor=comment.anchor_in(standard.latest_number),
        numbers=clause_numbers(latest),
        may_change=can_change_comment(current_user, comment, now),
        may_reply=can_reply(current_user, comment),
        may_dispose=can_dispose(current_user, comment),
        may_moderate=can_moderate(current_user, standard),
        types=TYPE_LABELS,
        decisions=DECISION_LABELS,
        statuses=STATUS_LABELS,
    )


@bp.post("/comments/<int:comment_id>/edit")
@login_required
def edit(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    back = url_for(".comment_page", comment_id=comment.id)
    try:
        operations.edit_comment(comment, current_user, _fields(), now=utcnow())
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    flash(_("Your comment is changed; the earlier wording is kept."), "success")
    return redirect(back)


@bp.post("/comments/<int:comment_id>/withdraw")
@login_required
def withdraw(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    back = url_for(".comment_page", comment_id=comment.id)
    try:
        operations.withdraw_comment(comment, current_user, now=utcnow())
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    flash(_("Your comment is withdrawn."), "success")
    return redirect(back)


@bp.post("/comments/<int:comment_id>/replies")
@login_required
def reply(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    back = url_for(".comment_page", comment_id=comment.id)
    try:
        answer = operations.reply(comment, current_user, request.form.get("text", ""), now=utcnow())
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    return redirect(back + f"#reply-{answer.id}")


@bp.post("/comments/<int:comment_id>/disposition")
@login_required
def disposition(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    form = request.form
    back = form.get("next") or url_for(".comment_page", comment_id=comment.id)
    if not back.startswith("/"):
        back = url_for(".comment_page", comment_id=comment.id)
    applied = form.get("applied_in_revision", "").strip()
    try:
        operations.dispose(
            comment,
            current_user,
            form.get("decision", ""),
            form.get("reason", ""),
            applied_in_revision=int(applied) if applied.isdigit() else None,
            now=utcnow(),
        )
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    flash(_("The disposition is recorded."), "success")
    return redirect(back)


@bp.post("/comments/<int:comment_id>/moderation")
@login_required
def moderation(comment_id: int) -> ResponseReturnValue:
    comment = load_comment(comment_id)
    back = url_for(".comment_list", standard_id=comment.standard_id, status="open")
    try:
        operations.moderate(comment, current_user, request.form.get("publish") == "1", now=utcnow())
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    return redirect(back)


# -- the list and the dashboard ---------------------------------------------------------------------


def _filters() -> Filters:
    args = request.args
    return Filters(
        clause=args.get("clause", "")[:200],
        type=args.get("type", "")[:2],
        status=args.get("status", "")[:16],
        organisation=args.get("organisation", "")[:200],
        author=args.get("author", "")[:200],
    )


@bp.get("/standards/<int:standard_id>/comments")
@login_required
def comment_list(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    number = request.args.get("revision", "")
    revision = load_revision(standard, int(number)) if number.isdigit() else standard.latest_revision()
    if revision is None:
        abort(404)
    numbers = clause_numbers(revision)
    filters = _filters()
    items = anchored_in(standard, revision.number, current_user, filters, order=numbers)
    everything = anchored_in(standard, revision.number, current_user, order=numbers)
    return render_template(
        "workflow/comments/list.html",
        standard=standard,
        revision=revision,
        items=items,
        filters=filters,
        numbers=numbers,
        clauses=sorted({i.clause for i in everything}, key=lambda c: numbers.get(c, {}).get("order", 10**6)),
        organisations=sorted({i.comment.organisation for i in everything if i.comment.organisation}),
        types=TYPE_LABELS,
        statuses=STATUS_LABELS,
        decisions=DECISION_LABELS,
        may_dispose_any=is_editor(current_user, standard),
        may_moderate=can_moderate(current_user, standard),
        can_dispose=can_dispose,
        period=current_period(standard),
        held=Moderation.HELD.value,
    )


@bp.get("/standards/<int:standard_id>/comments/dashboard")
@login_required
def dashboard(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    revision = standard.latest_revision()
    if revision is None:
        abort(404)
    numbers = clause_numbers(revision)
    items = anchored_in(standard, revision.number, current_user, order=numbers)
    rows = counts_per_clause(items, numbers)
    totals = {status: sum(1 for i in items if i.comment.status == status.value) for status in Status}
    type_totals = {kind: sum(1 for i in items if i.comment.type == kind.value) for kind in TYPE_LABELS}
    return render_template(
        "workflow/comments/dashboard.html",
        standard=standard,
        revision=revision,
        rows=rows,
        chart=clause_chart(rows),
        totals=totals,
        type_totals=type_totals,
        open_items=[i for i in items if i.comment.status == Status.OPEN.value],
        numbers=numbers,
        types=TYPE_LABELS,
        statuses=STATUS_LABELS,
    )


# -- public comments ------------------------------------------------------------------------------


@bp.route("/standards/<int:standard_id>/public-comment", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def public_comment(standard_id: int) -> ResponseReturnValue:
    """Anyone with the link comments in a public period, after giving a name, organisation and e-mail."""
    standard = db.session.get(Standard, standard_id)
    now = utcnow()
    if standard is None or (not can_comment_publicly(standard, now) and request.method == "GET"):
        abort(404)
    period = current_period(standard)
    revision = standard.revision(period.revision) if period is not None else None
    if revision is None:
        abort(404)
    numbers = clause_numbers(revision)
    if request.method == "POST":
        form = request.form
        try:
            operations.create_public_comment(
                standard,
                _selector(standard),
                _fields(),
                name=form.get("name", ""),
                organisation=form.get("organisation", ""),
                email=form.get("email", ""),
                now=now,
            )
        except Refused as refused:
            if refused.kind == "not_found":
                raise
            db.session.rollback()
            flash(" ".join([refused.message, *refused.reasons]), "error")
            return redirect(url_for(".public_comment", standard_id=standard.id))
        db.session.commit()
        flash(_("Thank you: your comment is received and will be published after review."), "success")
        return redirect(url_for(".public_comment", standard_id=standard.id))
    return render_template(
        "workflow/comments/public.html",
        standard=standard,
        revision=revision,
        cache=revision.render(),
        numbers=numbers,
        period=period,
        types=TYPE_LABELS,
    )


# -- import ------------------------------------------------------------------------------------------


@bp.post("/standards/<int:standard_id>/comments/import")
@login_required
def import_comments(standard_id: int) -> ResponseReturnValue:
    """Comments from an ISO/IEC commenting template (XLSX or DOCX) gathered outside the tool."""
    from workflow.comments.importing import read_template

    standard = load_standard(standard_id, current_user)
    back = url_for(".comment_list", standard_id=standard.id)
    try:
        if (request.content_length or 0) > operations_max_bytes() + 64_000:
            # refused from the header, before the form parser spools the body to a temporary file
            raise Refused(
                "too_large",
                _(
                    "The file is larger than %(limit)s KB, the most a comment template may be.",
                    limit=operations_max_bytes() // 1000,
                ),
            )
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise Refused("invalid", _("Choose the file to import."))
        data = upload.read(operations_max_bytes() + 1)
        rows = read_template(data, upload.filename)
        result = operations.import_comments(standard, current_user, rows, now=utcnow())
    except Refused as refused:
        return _back(refused, back)
    db.session.commit()
    flash(ngettext_imported(result.count), "success")
    for problem in result.problems:
        flash(problem, "error")
    return redirect(back)


def operations_max_bytes() -> int:
    from workflow.comments.importing import MAX_BYTES

    return MAX_BYTES


def ngettext_imported(count: int) -> str:
    from flask_babel import ngettext

    return ngettext("%(num)s comment imported.", "%(num)s comments imported.", count)
