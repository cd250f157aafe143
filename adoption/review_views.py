"""The reviewers' desk: the agency's queue, a submission with its dossier read in the browser, the
checklist, the question/answer thread and the decision. The association's secretariat opens the same
submission page and answers there.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from accounts.database import utcnow
from accounts.hooks import DeskItem, OrgLink
from accounts.models import Organisation, Role, User
from accounts.permissions import is_administrator
from accounts.refusals import Refused
from adoption import operations
from adoption.models import ChecklistItem, Submission, SubmissionStatus, Verdict
from adoption.permissions import can_answer, can_review, is_reviewer, load_submission
from adoption.reading import dossier_bytes, read_dossier
from authoring.editor_page import language_of
from authoring.models import RenderCache
from authoring.read_fragments import build_fragment, cached_fragment
from exports.dossier import dossier_jobs
from extensions import db
from workflow.transitions import local_today

bp = Blueprint("review", __name__)

#: the queue's tabs, in order: key → which submissions
QUEUES = ("new", "in_review", "waiting", "decided")


def queue_of(submission: Submission) -> str:
    """Which tab of the desk a submission is in."""
    if submission.status_enum.decided:
        return "decided"
    if submission.waiting_for_association:
        return "waiting"
    return "new" if submission.status == SubmissionStatus.SUBMITTED.value else "in_review"


def _agency_ids(user: User) -> list[int]:
    return [m.org_id for m in user.memberships if m.role == Role.REVIEWER]


def visible_submissions(user: User) -> list[Submission]:
    """What the user may see: their agencies' submissions (reviewer), their associations' (secretariat)."""
    query = select(Submission).order_by(Submission.due_on, Submission.id)
    if not is_administrator(user):
        secretariats = [m.org_id for m in user.memberships if m.role == Role.SECRETARIAT]
        from authoring.models import Standard

        query = query.join(Standard, Standard.id == Submission.standard_id).where(
            Submission.agency_id.in_(_agency_ids(user)) | Standard.association_id.in_(secretariats)
        )
    return list(db.session.scalars(query))


@bp.get("/review")
@login_required
def desk() -> ResponseReturnValue:
    """The queue: new, in review, waiting for the association, decided; soonest deadline first."""
    if not (is_reviewer(current_user) or is_administrator(current_user)):
        abort(403)
    tab = request.args.get("queue", "new")
    if tab not in QUEUES:
        tab = "new"
    submissions = [
        s
        for s in visible_submissions(current_user)
        if s.agency_id in _agency_ids(current_user) or is_administrator(current_user)
    ]
    counts = {key: 0 for key in QUEUES}
    for submission in submissions:
        counts[queue_of(submission)] += 1
    shown = [s for s in submissions if queue_of(s) == tab]
    if tab == "decided":
        shown.sort(key=lambda s: s.decided_at or s.submitted_at, reverse=True)
    return render_template(
        "adoption/desk.html",
        tab=tab,
        queues=QUEUES,
        counts=counts,
        submissions=shown,
        today=local_today(utcnow()),
    )


@bp.get("/submissions/<int:submission_id>")
@login_required
def submission_page(submission_id: int) -> ResponseReturnValue:
    """The dossier read in the browser, with the checklist, the thread and the decision."""
    submission = load_submission(submission_id, current_user)
    language = language_of(get_locale())
    dossier = read_dossier(submission.dossier_sha256, language)
    fragment = None
    content_hash = (dossier.standard.get("content_sha256") if dossier else None) or ""
    if content_hash:
        fragment = cached_fragment(content_hash, language)
        if fragment is None:
            row = db.session.get(RenderCache, content_hash)
            fragment = build_fragment(row, language) if row is not None else None
    marks = {entry.item: entry for entry in submission.checklist}
    may_answer = can_answer(current_user, submission)
    return render_template(
        "adoption/submission.html",
        submission=submission,
        standard=submission.standard,
        dossier=dossier,
        fragment=fragment,
        checklist=[(item, marks.get(item.value)) for item in ChecklistItem],
        verdicts=list(Verdict),
        may_review=can_review(current_user, submission),
        may_answer=may_answer,
        dossiers=[j for j in dossier_jobs(submission.standard) if j.status == "done"] if may_answer else [],
        queue=queue_of(submission),
        today=local_today(utcnow()),
    )


@bp.get("/submissions/<int:submission_id>/dossier")
@login_required
def download_dossier(submission_id: int) -> ResponseReturnValue:
    submission = load_submission(submission_id, current_user)
    sha256 = request.args.get("sha256") or submission.dossier_sha256
    allowed = {
        submission.dossier_sha256,
        *(m.dossier_sha256 for m in submission.messages if m.dossier_sha256),
    }
    data = dossier_bytes(sha256) if sha256 in allowed else None
    if data is None:
        abort(404)
    number = (submission.standard.number or "standard").replace("/", "-").replace(" ", "-").replace("—", "-")
    response = send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{number}-dossier.zip",
    )
    response.headers["X-Content-SHA256"] = sha256
    return response


def _back(submission: Submission, anchor: str = "") -> ResponseReturnValue:
    return redirect(url_for(".submission_page", submission_id=submission.id) + anchor, 303)


def _refused_back(submission: Submission, refusal: Refused, anchor: str) -> ResponseReturnValue:
    if refusal.kind not in ("invalid",):
        raise refusal
    db.session.rollback()
    for message in dict.fromkeys(list(refusal.fields.values()) or [refusal.message]):
        flash(message, "error")
    return _back(submission, anchor)


@bp.post("/submissions/<int:submission_id>/checklist")
@login_required
def checklist(submission_id: int) -> ResponseReturnValue:
    submission = load_submission(submission_id, current_user)
    form = request.form
    marks = {
        item.value: (form.get(f"{item.value}-met") == "y", form.get(f"{item.value}-note", ""))
        for item in ChecklistItem
    }
    try:
        changed = operations.set_checklist(submission, current_user, marks, now=utcnow())
    except Refused as refusal:
        return _refused_back(submission, refusal, "#checklist")
    db.session.commit()
    flash(
        _("The checklist is saved.") if changed else _("Nothing changed."), "success" if changed else "info"
    )
    return _back(submission, "#checklist")


@bp.post("/submissions/<int:submission_id>/thread")
@login_required
def thread(submission_id: int) -> ResponseReturnValue:
    """A question or an answer; the association may attach a built dossier or upload one (bounded)."""
    from adoption.uploads import MAX_UPLOAD_BYTES, store_uploaded_dossier

    submission = load_submission(submission_id, current_user)
    dossier = request.form.get("dossier") or None
    upload = request.files.get("dossier_file")
    try:
        if upload is not None and upload.filename:
            data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
            dossier = store_uploaded_dossier(
                submission, current_user, data, now=utcnow(), language=language_of(get_locale())
            )
        operations.post_message(
            submission, current_user, request.form.get("text"), dossier_sha256=dossier, now=utcnow()
        )
    except Refused as refusal:
        if refusal.kind == "too_large":
            db.session.rollback()
            flash(refusal.message, "error")
            return _back(submission, "#thread")
        return _refused_back(submission, refusal, "#thread")
    db.session.commit()
    flash(_("Your message is added to the thread."), "success")
    return _back(submission, "#thread")


@bp.post("/submissions/<int:submission_id>/decision")
@login_required
def decision(submission_id: int) -> ResponseReturnValue:
    submission = load_submission(submission_id, current_user)
    form = request.form
    try:
        operations.decide(
            submission,
            current_user,
            form.get("decision"),
            reasons=form.get("reasons"),
            reference=form.get("reference"),
            decided_on=form.get("decided_on") or None,
            now=utcnow(),
        )
    except Refused as refusal:
        return _refused_back(submission, refusal, "#decision")
    db.session.commit()
    flash(_("The decision is recorded."), "success")
    return _back(submission)


# -- the desk and the organisation page ---------------------------------------------------------------


def desk_items(user: User) -> Iterator[DeskItem]:
    """Reviewers: dossiers waiting for them; secretariats: questions waiting for an answer."""
    agencies = set(_agency_ids(user))
    for submission in visible_submissions(user):
        standard = submission.standard
        url = url_for("review.submission_page", submission_id=submission.id)
        queue = queue_of(submission)
        if submission.agency_id in agencies and queue in ("new", "in_review"):
            yield DeskItem(
                kind=_("Dossier to review"),
                title=f"{standard.number} {standard.title_zh}",
                url=url,
                org_name=submission.agency.name,
                due_at=None,
            )
        elif submission.agency_id not in agencies and queue == "waiting":
            yield DeskItem(
                kind=_("Reviewer's question"),
                title=_("%(number)s: the agency waits for your answer", number=standard.number),
                url=url,
                org_name=standard.association.name,
            )


def org_links(org: Organisation, user: User) -> Iterator[OrgLink]:
    """The reviewers' desk on an agency's page, for its reviewers."""
    if org.is_association or org.id not in _agency_ids(user):
        return
    waiting = sum(1 for s in visible_submissions(user) if s.agency_id == org.id and not s.status_enum.decided)
    yield OrgLink(_("Reviewers' desk"), url_for("review.desk"), waiting)
