"""Exports in the app: ask for an export of a revision (or a redline), follow its job, download the file.

Whoever may read a standard may export any of its revisions (authoring's `can_view_standard`): the
public too, once it is published. Another organisation's unpublished standard, and its jobs, are 404.
The standard and history pages show the panel through `templates/exports/_panel.html` and the
`export_panel` template function, so authoring never imports this package.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload

from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.editor_page import language_of
from authoring.models import Revision, Standard
from authoring.page_places import Panel, StandardPage
from authoring.permissions import Actor, can_view_standard, load_revision, load_standard
from exports import TEMPLATE_VERSION
from exports.jobs import (
    FORMATS,
    REDLINE_FORMATS,
    dispatch,
    interrupted_message,
    is_interrupted,
    jobs_of_revision,
    recent_jobs,
    request_export,
    stale_after,
)
from exports.models import FORMAT_LABELS, ExportFile, ExportJob, JobStatus
from exports.worker import worker_command
from extensions import db, limiter, user_or_address
from workflow.registry_search import registry_standard

#: what the registry offers for download
REGISTRY_FORMATS = ("docx", "pdf")

#: cli_group=None: `flask --app wsgi worker`, not `flask exports worker`
bp = Blueprint("exports", __name__, cli_group=None)
bp.cli.add_command(worker_command)


def _language() -> str:
    return language_of(get_locale())


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def load_job(job_id: int, actor: Actor) -> ExportJob:
    """The job if `actor` may read its standard; otherwise as authoring answers for the standard.

    Its revisions come without their texts: the panel polls a job every 0.7 s and shows their numbers.
    """
    numbers_only = (Revision.id, Revision.standard_id, Revision.number)
    job = db.session.get(
        ExportJob,
        job_id,
        options=[
            joinedload(ExportJob.revision).load_only(*numbers_only),
            joinedload(ExportJob.base_revision).load_only(*numbers_only),
        ],
    )
    load_standard(job.standard_id if job is not None else 0, actor)  # 404, or the login page
    if job is None:
        abort(404)
    return job


def job_json(job: ExportJob) -> dict[str, Any]:
    """What the panel's script and the job page show of a job: always its state in words, and for a
    failed or interrupted job why, and the form that runs it again."""
    language = _language()
    done = job.status == JobStatus.DONE.value
    interrupted = is_interrupted(job, utcnow(), stale_after(current_app))
    failed = interrupted or job.status == JobStatus.FAILED.value
    if interrupted:
        error = interrupted_message()
    elif failed:
        error = job.error(language) or _("The export failed.")
    else:
        error = None
    return {
        "id": job.id,
        "status": JobStatus.FAILED.value if interrupted else job.status,
        "state": _state_words(job, interrupted),
        "finished": interrupted or job.status_enum.finished,
        "format": job.format,
        "label": job_label(job),
        "progress": job.progress,
        "step": job.step_label,
        "error": error,
        "warnings": job.warning_texts(language),
        "sha256": job.result_sha256 if done else None,
        "filename": job.filename if done else None,
        "size": job.size if done else None,
        "status_url": url_for("exports.job_status", job_id=job.id),
        "page_url": url_for("exports.job_page", job_id=job.id),
        "download_url": url_for("exports.download", job_id=job.id) if done else None,
        "retry": _retry_form(job) if failed else None,
    }


def _state_words(job: ExportJob, interrupted: bool) -> str:
    if interrupted:
        return _("Interrupted")
    return {
        JobStatus.QUEUED: _("Queued"),
        JobStatus.RUNNING: _("Running"),
        JobStatus.DONE: _("Finished"),
        JobStatus.FAILED: _("Failed"),
    }[job.status_enum]


def _retry_form(job: ExportJob) -> dict[str, Any]:
    """What the "Run again" button posts: the same request, which makes a new job for a failed one."""
    return {
        "url": url_for("exports.export", standard_id=job.standard_id),
        "revision": job.revision.number,
        "base": job.base_revision.number if job.base_revision is not None else None,
        "format": job.format,
    }


def job_label(job: ExportJob) -> str:
    if job.base_revision is not None:
        return _(
            "Redline, revision %(old)s → %(new)s, %(format)s",
            old=job.base_revision.number,
            new=job.revision.number,
            format=job.format_label,
        )
    return _("Revision %(number)s, %(format)s", number=job.revision.number, format=job.format_label)


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """The export panel beside a revision (its formats and jobs) and on the history page (redlines)."""
    if not can_view_standard(page.user, page.standard) or (page.name == "read" and page.revision is None):
        return  # a project with no text yet has nothing to export
    numbers: list[int] = []
    if page.revision is None:  # the history page picks any revision, newest first
        numbers = list(
            db.session.scalars(
                select(Revision.number)
                .where(Revision.standard_id == page.standard.id)
                .order_by(Revision.number.desc())
            )
        )
    html = render_template(
        "exports/_panel.html", standard=page.standard, revision=page.revision, revision_numbers=numbers
    )
    yield Panel("side", Markup(html))


def page_version(standard_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """What the export panel shows that can change: the standard's jobs, their number and progress."""
    return [
        select(func.count()).where(ExportJob.standard_id == standard_id).scalar_subquery(),
        select(func.max(ExportJob.updated_at)).where(ExportJob.standard_id == standard_id).scalar_subquery(),
    ]


@bp.app_context_processor
def panel_helpers() -> dict[str, Any]:
    """`export_panel(standard, revision=None)`: what templates/exports/_panel.html shows."""
    return {"export_panel": export_panel}


def export_panel(standard: Standard, revision: Revision | None = None) -> dict[str, Any]:
    return {
        "formats": [(key, FORMAT_LABELS[key]) for key in FORMATS],
        "redline_formats": [(key, FORMAT_LABELS[key]) for key in REDLINE_FORMATS],
        "jobs": jobs_of_revision(revision) if revision is not None else {},
        "recent": recent_jobs(standard) if revision is None else [],
        "template_version": TEMPLATE_VERSION,
        "job_json": job_json,
        "job_label": job_label,
    }


@bp.post("/standards/<int:standard_id>/exports")
@limiter.limit("30 per minute", key_func=user_or_address)
def export(standard_id: int) -> ResponseReturnValue:
    """Ask for an export of revision `revision` as `format` (a redline when `base` is given)."""
    standard = load_standard(standard_id, current_user)
    form = request.form
    try:
        number = int(form.get("revision", ""))
        base_number = int(form["base"]) if form.get("base") else None
    except ValueError:
        return _refuse(standard, _("Choose the revision to export."))
    revision = load_revision(standard, number)
    base = load_revision(standard, base_number) if base_number is not None else None
    user = current_user if current_user.is_authenticated else None
    try:
        requested = request_export(
            standard,
            revision,
            form.get("format", ""),
            user,
            now=utcnow(),
            base=base,
            silence=stale_after(current_app),
        )
    except Refused as refusal:  # a format or revision a browser form cannot send: back with a flash
        db.session.rollback()
        return _refuse(standard, refusal.message)
    job_id = requested.job.id
    db.session.commit()
    if requested.new:
        dispatch(job_id)
    job = db.session.get(ExportJob, job_id, populate_existing=True)
    if _wants_json():
        return jsonify(job_json(job)), 200 if job.status_enum.finished else 202
    return redirect(url_for(".job_page", job_id=job_id), 303)


def _refuse(standard: Standard, message: str) -> ResponseReturnValue:
    if _wants_json():
        return jsonify({"status": "error", "message": message}), 400
    flash(message, "error")
    return redirect(url_for("authoring.standard_page", standard_id=standard.id), 303)


@bp.get("/exports/<int:job_id>")
def job_page(job_id: int) -> ResponseReturnValue:
    """The job for a browser without script: refreshes itself until the file is ready."""
    job = load_job(job_id, current_user)
    return render_template("exports/job.html", job=job, standard=job.standard, view=job_json(job))


@bp.get("/exports/<int:job_id>/status")
def job_status(job_id: int) -> ResponseReturnValue:
    job = load_job(job_id, current_user)
    response = jsonify(job_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/exports/<int:job_id>/download")
def download(job_id: int) -> ResponseReturnValue:
    """The file, as an attachment named like `T-SZYL-3-2025.docx` (RFC 5987 `filename*` for Chinese)."""
    return _send_result(load_job(job_id, current_user))


@bp.get("/registry/<path:number>/download.<fmt>")
@limiter.limit("60 per minute", key_func=user_or_address)
def registry_download(number: str, fmt: str) -> ResponseReturnValue:
    """The published DOCX or PDF of a standard the registry lists, for anyone, logged in or not.

    The export of the published revision is kept like any other (per revision and format): the first
    request makes it and is sent to the job's page until the file is ready; later ones get the file.
    An unpublished standard is not listed, so its would-be address is a 404 like any unknown number.
    """
    listed = registry_standard(number)
    if listed is None or fmt not in REGISTRY_FORMATS:
        abort(404)
    standard = listed.standard
    revision = load_revision(standard, standard.published_revision or standard.latest_number)
    job = jobs_of_revision(revision).get(fmt)
    if job is None or job.status != JobStatus.DONE.value:
        user = current_user if current_user.is_authenticated else None
        requested = request_export(
            standard, revision, fmt, user, now=utcnow(), silence=stale_after(current_app)
        )
        job_id = requested.job.id
        db.session.commit()
        if requested.new:
            dispatch(job_id)
        job = db.session.get(ExportJob, job_id, populate_existing=True)
        if job.status != JobStatus.DONE.value:
            return redirect(url_for(".job_page", job_id=job_id), 303)
    return _send_result(job)


def _send_result(job: ExportJob) -> ResponseReturnValue:
    if job.status != JobStatus.DONE.value or job.result_sha256 is None:
        abort(404)
    stored = db.session.get(ExportFile, job.result_sha256)
    if stored is None:
        abort(404)
    response = send_file(
        io.BytesIO(stored.data),
        # the bare type: send_file adds "; charset=utf-8" to text types itself (else it came twice)
        mimetype=(job.media_type or "application/octet-stream").partition(";")[0].strip(),
        as_attachment=True,
        download_name=job.filename or f"export-{job.id}",
        etag=job.result_sha256,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-SHA256"] = job.result_sha256
    return response
