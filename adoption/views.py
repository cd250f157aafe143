"""The association's side of adoption: the standard's adoption page (build the dossier, write the
explanatory note's free sections, submit to an agency), and self-declarations on the registry page.

Thin views: load and authorise, call one verb, commit once, redirect. The standard page links here
through `standard_panels` (wsgi.STANDARD_PANELS); the registry page shows declarations through
`registry_panels` (wsgi.REGISTRY_PANELS).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import ColumnElement, func, select

from accounts.database import utcnow
from accounts.models import Organisation, OrgKind
from accounts.refusals import Refused
from adoption import operations
from adoption.declarations import counts_over_time, counts_svg, declarations_of
from adoption.models import Declaration, Submission, SubmissionMessage
from adoption.permissions import (
    can_declare,
    can_flag_declaration,
    can_submit,
    can_withdraw_declaration,
    load_declaration,
)
from authoring.models import Standard
from authoring.page_places import Panel, StandardPage
from authoring.permissions import load_standard
from exports.dossier import can_build_dossier, dossier_jobs, request_dossier
from exports.jobs import dispatch
from exports.note_sections import FREE_SECTIONS, can_write_note, note_sections, save_note_sections
from extensions import db, limiter, user_or_address
from workflow.registry_search import registry_standard
from workflow.transitions import local_today

bp = Blueprint("adoption", __name__)


def _submissions(standard: Standard) -> list[Submission]:
    return list(
        db.session.scalars(
            select(Submission).where(Submission.standard_id == standard.id).order_by(Submission.id.desc())
        )
    )


def _agencies() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.kind == OrgKind.AGENCY).order_by(Organisation.name)
        )
    )


def _load_for_adoption(standard_id: int) -> Standard:
    """The standard for its adoption page: readers who write the note or build the dossier (else 403)."""
    standard = load_standard(standard_id, current_user)
    if not (can_write_note(current_user, standard) or can_build_dossier(current_user, standard)):
        abort(403)
    return standard


@bp.get("/standards/<int:standard_id>/adoption")
@login_required
def adoption_page(standard_id: int) -> ResponseReturnValue:
    """Dossiers built, the free sections of the explanatory note, submissions and their state."""
    from exports.views import job_json

    standard = _load_for_adoption(standard_id)
    jobs = dossier_jobs(standard)
    return render_template(
        "adoption/standard.html",
        standard=standard,
        jobs=jobs,
        job_json=job_json,
        done_jobs=[job for job in jobs if job.status == "done"],
        may_build=can_build_dossier(current_user, standard),
        may_write=can_write_note(current_user, standard),
        may_submit=can_submit(current_user, standard),
        sections=note_sections(standard),
        free_sections=FREE_SECTIONS,
        agencies=_agencies(),
        submissions=_submissions(standard),
        open_submission=operations.open_submission(standard),
    )


@bp.post("/standards/<int:standard_id>/dossiers")
@login_required
@limiter.limit("10 per minute", key_func=user_or_address)
def build_dossier(standard_id: int) -> ResponseReturnValue:
    standard = _load_for_adoption(standard_id)
    job = request_dossier(standard, current_user, now=utcnow())
    job_id = job.id
    db.session.commit()
    dispatch(job_id)
    flash(_("The dossier is being built; this page shows its progress."), "info")
    return redirect(url_for(".adoption_page", standard_id=standard.id), 303)


@bp.post("/standards/<int:standard_id>/explanatory-note")
@login_required
def save_note(standard_id: int) -> ResponseReturnValue:
    standard = _load_for_adoption(standard_id)
    texts = {key: request.form.get(key, "") for key in FREE_SECTIONS if key in request.form}
    changed = save_note_sections(standard, current_user, texts, now=utcnow())
    db.session.commit()
    flash(
        _("The explanatory note is saved.") if changed else _("Nothing changed."),
        "success" if changed else "info",
    )
    return redirect(url_for(".adoption_page", standard_id=standard.id) + "#note", 303)


@bp.post("/standards/<int:standard_id>/submissions")
@login_required
def submit(standard_id: int) -> ResponseReturnValue:
    standard = _load_for_adoption(standard_id)
    agency_id = request.form.get("agency", "")
    agency = db.session.get(Organisation, int(agency_id)) if agency_id.isdigit() else None
    try:
        submission = operations.submit(
            standard, current_user, agency, request.form.get("dossier"), now=utcnow()
        )
    except Refused as refusal:
        if refusal.kind not in ("invalid", "conflict"):
            raise
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(url_for(".adoption_page", standard_id=standard.id), 303)
    db.session.commit()
    flash(_("The dossier is submitted to %(agency)s.", agency=submission.agency.name), "success")
    return redirect(url_for("review.submission_page", submission_id=submission.id), 303)


# -- the standard page's panel -------------------------------------------------------------------------


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """A side panel on a published standard's page: adoption status and the way to the adoption page."""
    standard = page.standard
    if page.name != "read" or not standard.number:
        return
    user = page.user
    if not (can_write_note(user, standard) or can_build_dossier(user, standard)):
        return
    latest = db.session.scalar(
        select(Submission)
        .where(Submission.standard_id == standard.id)
        .order_by(Submission.id.desc())
        .limit(1)
    )
    html = render_template("adoption/_panel.html", standard=standard, latest=latest)
    yield Panel("side", Markup(html))


def page_version(standard_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """What the panel shows that can change without an event: none does (every step is an event),
    but the thread's length is cheap and guards a message recorded without one."""
    return [
        select(func.count())
        .select_from(SubmissionMessage)
        .join(Submission, Submission.id == SubmissionMessage.submission_id)
        .where(Submission.standard_id == standard_id)
        .scalar_subquery(),
    ]


# -- self-declarations on the registry page -------------------------------------------------------------


def registry_panels(standard: Standard) -> Iterator[Markup]:
    """The declarations list with its chart and the form, under a registry entry."""
    declarations = declarations_of(standard)
    counts = counts_over_time(declarations, local_today(utcnow()))
    yield Markup(
        render_template(
            "adoption/_declarations.html",
            standard=standard,
            declarations=declarations,
            chart=counts_svg(counts, _("Active self-declarations at the end of each month")),
            counts=counts,
            may_declare=can_declare(current_user, standard),
            may_withdraw=lambda d: can_withdraw_declaration(current_user, d),
            may_flag=lambda d: can_flag_declaration(current_user, d),
            form=request.form,
            today=local_today(utcnow()),
        )
    )


def _registry_entry(number: str) -> Standard:
    listed = registry_standard(number)
    if listed is None:
        abort(404)
    return listed.standard


@bp.post("/registry/<path:number>/declarations")
@login_required
@limiter.limit("20 per minute", key_func=user_or_address)
def declare(number: str) -> ResponseReturnValue:
    standard = _registry_entry(number)
    form = request.form
    target = url_for("registry.standard", number=standard.number) + "#declarations"
    try:
        operations.declare(
            standard,
            current_user,
            organisation=form.get("organisation"),
            credit_code=form.get("credit_code"),
            product=form.get("product"),
            declared_on=form.get("declared_on"),
            contact=form.get("contact"),
            now=utcnow(),
        )
    except Refused as refusal:
        if refusal.kind != "invalid":
            raise
        db.session.rollback()
        for message in dict.fromkeys(refusal.fields.values() or [refusal.message]):
            flash(message, "error")
        return redirect(target, 303)
    db.session.commit()
    flash(_("Your self-declaration is published."), "success")
    return redirect(target, 303)


def _declaration_target(declaration: Declaration) -> str:
    return url_for("registry.standard", number=declaration.standard.number) + "#declarations"


@bp.post("/declarations/<int:declaration_id>/withdraw")
@login_required
def withdraw_declaration(declaration_id: int) -> ResponseReturnValue:
    declaration = load_declaration(declaration_id)
    operations.withdraw_declaration(declaration, current_user, now=utcnow())
    db.session.commit()
    flash(_("The declaration is withdrawn."), "success")
    return redirect(_declaration_target(declaration), 303)


@bp.post("/declarations/<int:declaration_id>/flag")
@login_required
def flag_declaration(declaration_id: int) -> ResponseReturnValue:
    declaration = load_declaration(declaration_id)
    try:
        operations.flag_declaration(declaration, current_user, request.form.get("reason"), now=utcnow())
    except Refused as refusal:
        if refusal.kind != "invalid":
            raise
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(_declaration_target(declaration), 303)
    db.session.commit()
    flash(_("The declaration is flagged as false."), "success")
    return redirect(_declaration_target(declaration), 303)
