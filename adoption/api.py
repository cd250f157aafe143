"""The API of adoption (spec/api.md): dossier jobs, submissions with their thread and decision, and
self-declarations; a second door to exports.dossier and adoption.operations.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.api import (
    PAGE_PARAMETERS,
    ApiOperation,
    JsonBody,
    api_blueprint,
    api_route,
    api_user,
    iso_date,
    iso_time,
    organisation_json,
    page_of,
    paginate,
    ref,
    schema,
    user_json,
)
from accounts.database import utcnow
from accounts.models import Organisation, Role, User
from accounts.permissions import is_administrator, role_in
from accounts.refusals import Refused
from adoption import operations
from adoption.models import Declaration, Submission, SubmissionStatus
from adoption.review_views import visible_submissions
from authoring.api import load_api_standard, standard_json
from authoring.models import Standard
from exports.dossier import DOSSIER_FORMAT, request_dossier
from exports.jobs import dispatch, is_interrupted, stale_after
from exports.models import ExportFile, ExportJob, JobStatus
from extensions import db

bp = api_blueprint("adoption_api", __name__)

schema(
    "Job",
    {
        "type": "object",
        "required": ["id", "kind", "status", "progress", "step"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "description": "dossier, docx, pdf, html or sts"},
            "status": {"type": "string", "enum": [s.value for s in JobStatus]},
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "step": {"type": "string"},
            "error": {"type": ["string", "null"]},
            "download_url": {"type": ["string", "null"]},
            "sha256": {"type": ["string", "null"]},
            "size": {"type": ["integer", "null"]},
            "filename": {"type": ["string", "null"]},
        },
    },
)
schema(
    "Submission",
    {
        "type": "object",
        "required": [
            "id",
            "standard",
            "agency",
            "status",
            "submitted_at",
            "dossier_sha256",
            "decision",
            "thread",
        ],
        "properties": {
            "id": {"type": "integer"},
            "standard": ref("Standard"),
            "agency": ref("Organisation"),
            "status": {"type": "string", "enum": [s.value for s in SubmissionStatus]},
            "submitted_at": {"type": "string", "format": "date-time"},
            "due_on": {"type": "string", "format": "date"},
            "dossier_sha256": {"type": "string"},
            "decision": {"type": ["object", "null"]},
            "thread": {"type": "array", "items": {"type": "object"}},
        },
    },
)
schema(
    "Declaration",
    {
        "type": "object",
        "required": ["id", "organisation", "credit_code", "product", "declared_on", "contact", "status"],
        "properties": {
            "id": {"type": "integer"},
            "organisation": {"type": "string"},
            "credit_code": {"type": "string"},
            "product": {"type": "string"},
            "declared_on": {"type": "string", "format": "date"},
            "contact": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "withdrawn", "flagged"]},
            "flag_reason": {"type": "string"},
        },
    },
)


# -- jobs ---------------------------------------------------------------------------------------------


def job_json(job: ExportJob) -> dict[str, Any]:
    from flask import current_app

    interrupted = is_interrupted(job, utcnow(), stale_after(current_app))
    done = job.status == JobStatus.DONE.value
    language = "en" if request.accept_languages.best_match(("zh-CN", "zh", "en")) == "en" else "zh"
    return {
        "id": job.id,
        "kind": job.format,
        "status": JobStatus.FAILED.value if interrupted else job.status,
        "progress": job.progress,
        "step": job.step,
        "error": job.error(language) if job.status == JobStatus.FAILED.value else None,
        "download_url": f"/api/v1/jobs/{job.id}/download" if done else None,
        "sha256": job.result_sha256 if done else None,
        "size": job.size if done else None,
        "filename": job.filename if done else None,
    }


def _load_job(job_id: int) -> ExportJob:
    """The job if the token's user asked for it, or (for a dossier) is its association's secretariat."""
    user = api_user()
    job = db.session.get(ExportJob, job_id)
    allowed = job is not None and (
        is_administrator(user)
        or (user is not None and job.created_by_id == user.id)
        or (job.format == DOSSIER_FORMAT and role_in(user, job.standard.association) == Role.SECRETARIAT)
    )
    if not allowed:
        raise Refused("not_found", _("There is no such job, or it is not yours."))
    return job  # type: ignore[return-value]


@api_route(
    bp,
    "/standards/<int:standard_id>/dossiers",
    "POST",
    ApiOperation(
        "Build the adoption dossier of a published standard (the secretariat)",
        responses={202: ("the Job, queued or running", "Job")},
        errors=(403, 404, 409),
    ),
)
def build_dossier(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    job = request_dossier(standard, api_user(), now=utcnow())  # type: ignore[arg-type]
    job_id = job.id
    db.session.commit()
    dispatch(job_id)
    job = db.session.get(ExportJob, job_id, populate_existing=True)
    return jsonify(job_json(job)), 202


@api_route(
    bp,
    "/jobs/<int:job_id>",
    "GET",
    ApiOperation("A job: its status and progress", responses={200: ("the Job", "Job")}, errors=(404,)),
)
def job(job_id: int) -> ResponseReturnValue:
    response = jsonify(job_json(_load_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@api_route(
    bp,
    "/jobs/<int:job_id>/download",
    "GET",
    ApiOperation("The finished job's file", responses={200: ("the file", None)}, errors=(404, 409)),
)
def job_download(job_id: int) -> ResponseReturnValue:
    import io

    found = _load_job(job_id)
    if found.status != JobStatus.DONE.value or not found.result_sha256:
        raise Refused("conflict", _("The job has not finished."))
    stored = db.session.get(ExportFile, found.result_sha256)
    if stored is None:
        raise Refused("not_found", _("The file is no longer stored."))
    response = send_file(
        io.BytesIO(stored.data),
        mimetype=(found.media_type or "application/octet-stream").partition(";")[0],
        as_attachment=True,
        download_name=found.filename or f"job-{found.id}",
    )
    response.headers["X-Content-SHA256"] = found.result_sha256
    return response


# -- submissions --------------------------------------------------------------------------------------


def submission_json(submission: Submission) -> dict[str, Any]:
    decision = None
    if submission.decision:
        decision = {
            "decision": submission.decision,
            "reasons": submission.decision_reasons,
            "reference": submission.reference or None,
            "decided_on": iso_date(submission.decided_on),
            "by": user_json(submission.decided_by, context=submission.agency),
        }
    return {
        "id": submission.id,
        "standard": standard_json(submission.standard),
        "agency": organisation_json(submission.agency),
        "status": submission.status,
        "submitted_at": iso_time(submission.submitted_at),
        "due_on": iso_date(submission.due_on),
        "dossier_sha256": submission.dossier_sha256,
        "decision": decision,
        "thread": [
            {
                "id": m.id,
                "author": user_json(m.author),
                "text": m.text,
                "at": iso_time(m.at),
                "dossier_sha256": m.dossier_sha256,
            }
            for m in submission.messages
        ],
        "url": url_for("review.submission_page", submission_id=submission.id, _external=False),
    }


def _api_submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    from adoption.permissions import can_view_submission

    if submission is None or not can_view_submission(api_user(), submission):
        raise Refused("not_found", _("There is no such submission, or it is not yours to see."))
    return submission


@api_route(
    bp,
    "/standards/<int:standard_id>/submissions",
    "POST",
    ApiOperation(
        "Submit a built dossier to a government agency (the secretariat)",
        body={
            "type": "object",
            "required": ["agency", "dossier_sha256"],
            "properties": {"agency": {"type": "integer"}, "dossier_sha256": {"type": "string"}},
        },
        responses={201: ("the Submission", "Submission")},
        errors=(403, 404, 409, 422),
    ),
)
def submit(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    body = JsonBody.read()
    agency_id = body.integer("agency", required=True)
    sha256 = body.string("dossier_sha256", required=True, max_length=64)
    body.done()
    agency = db.session.get(Organisation, agency_id) if agency_id is not None else None
    submission = operations.submit(standard, api_user(), agency, sha256, now=utcnow())  # type: ignore[arg-type]
    db.session.commit()
    return jsonify(submission_json(submission)), 201


@api_route(
    bp,
    "/submissions",
    "GET",
    ApiOperation(
        "Submissions: to the reviewer's agency, or of the secretariat's association",
        query=(
            ("status", {"type": "string", "enum": [s.value for s in SubmissionStatus]}, "only this status"),
            *PAGE_PARAMETERS,
        ),
        responses={200: ("a page of Submissions", page_of("Submission"))},
        errors=(400,),
    ),
)
def submissions() -> ResponseReturnValue:
    user = api_user()
    assert isinstance(user, User)
    status = request.args.get("status", "").strip()
    if status and status not in SubmissionStatus._value2member_map_:
        raise Refused(
            "malformed",
            _("Some parameters of the request are wrong."),
            fields={"status": _("Unknown status.")},
        )
    ids = [s.id for s in visible_submissions(user) if not status or s.status == status]
    query = select(Submission).where(Submission.id.in_(ids)).order_by(Submission.id)
    return jsonify(paginate(query, submission_json))


@api_route(
    bp,
    "/submissions/<int:submission_id>/thread",
    "POST",
    ApiOperation(
        "A reviewer's question or the association's answer (which may attach a new dossier version)",
        body={
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string"}, "dossier_sha256": {"type": "string"}},
        },
        responses={201: ("the Submission with its thread", "Submission")},
        errors=(403, 404, 409, 422),
    ),
)
def thread(submission_id: int) -> ResponseReturnValue:
    submission = _api_submission(submission_id)
    body = JsonBody.read()
    text = body.string("text", required=True, max_length=4000)
    sha256 = body.string("dossier_sha256", max_length=64)
    body.done()
    operations.post_message(submission, api_user(), text, dossier_sha256=sha256, now=utcnow())  # type: ignore[arg-type]
    db.session.commit()
    return jsonify(submission_json(submission)), 201


@api_route(
    bp,
    "/submissions/<int:submission_id>/decision",
    "POST",
    ApiOperation(
        "Adopt (with reference and date), return or reject (with reasons): the agency's reviewers",
        body={
            "type": "object",
            "required": ["decision"],
            "properties": {
                "decision": {"type": "string", "enum": ["adopt", "return", "reject"]},
                "reasons": {"type": "string"},
                "reference": {"type": "string"},
                "decided_on": {"type": "string", "format": "date"},
            },
        },
        responses={200: ("the decided Submission", "Submission")},
        errors=(403, 404, 409, 422),
    ),
)
def decision(submission_id: int) -> ResponseReturnValue:
    submission = _api_submission(submission_id)
    body = JsonBody.read()
    verdict = body.string("decision", required=True, max_length=16)
    reasons = body.string("reasons", max_length=4000)
    reference = body.string("reference", max_length=200)
    decided_on = body.string("decided_on", max_length=20)
    body.done()
    operations.decide(
        submission,
        api_user(),
        verdict,
        reasons=reasons,
        reference=reference,
        decided_on=decided_on,
        now=utcnow(),  # type: ignore[arg-type]
    )
    db.session.commit()
    return jsonify(submission_json(submission))


# -- declarations -------------------------------------------------------------------------------------


def declaration_json(declaration: Declaration) -> dict[str, Any]:
    return {
        "id": declaration.id,
        "organisation": declaration.organisation,
        "credit_code": declaration.credit_code,
        "product": declaration.product,
        "declared_on": iso_date(declaration.declared_on),
        "contact": declaration.contact,
        "status": declaration.status,
        "flag_reason": declaration.flag_reason,
    }


def _published(standard_id: int) -> Standard:
    standard = load_api_standard(standard_id)
    if not standard.number:
        raise Refused("not_found", _("Only a published standard has self-declarations."))
    return standard


@api_route(
    bp,
    "/standards/<int:standard_id>/declarations",
    "GET",
    ApiOperation(
        "A published standard's self-declarations",
        auth="public",
        query=PAGE_PARAMETERS,
        responses={200: ("a page of Declarations", page_of("Declaration"))},
        errors=(404,),
    ),
)
def declarations(standard_id: int) -> ResponseReturnValue:
    standard = _published(standard_id)
    query = select(Declaration).where(Declaration.standard_id == standard.id).order_by(Declaration.id)
    return jsonify(paginate(query, declaration_json))


@api_route(
    bp,
    "/standards/<int:standard_id>/declarations",
    "POST",
    ApiOperation(
        "Declare that a product or service implements the standard (logged-in users)",
        description="A bad 统一社会信用代码 is 422 `invalid` with `fields.credit_code` naming the rule it breaks.",
        body={
            "type": "object",
            "required": ["organisation", "credit_code", "product"],
            "properties": {
                "organisation": {"type": "string"},
                "credit_code": {"type": "string"},
                "product": {"type": "string"},
                "declared_on": {"type": "string", "format": "date"},
                "contact": {"type": "string"},
            },
        },
        responses={201: ("the Declaration", "Declaration")},
        errors=(404, 422),
    ),
)
def declare(standard_id: int) -> ResponseReturnValue:
    standard = _published(standard_id)
    body = JsonBody.read()
    values = {
        name: body.string(name, max_length=400)
        for name in ("organisation", "credit_code", "product", "declared_on", "contact")
    }
    body.done()
    declaration = operations.declare(standard, api_user(), now=utcnow(), **values)  # type: ignore[arg-type]
    db.session.commit()
    return jsonify(declaration_json(declaration)), 201
