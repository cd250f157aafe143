"""The verbs of adoption: submit a dossier, ask and answer, keep the checklist, decide; declare,
withdraw and flag a self-declaration.

Each takes its actor and `now`, checks its own permission (adoption.permissions), takes the write
lock on the standard, records an event on the standard's history and only flushes (docs/contributing.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from accounts.credit_code import credit_code_problem, normalise_credit_code
from accounts.database import write_lock
from accounts.models import Organisation, OrgKind, User
from accounts.refusals import Refused
from adoption import notices, permissions
from adoption.models import (
    VERDICT_STATUS,
    ChecklistEntry,
    ChecklistItem,
    Declaration,
    DeclarationStatus,
    Submission,
    SubmissionMessage,
    SubmissionStatus,
    Verdict,
)
from authoring.events import record
from authoring.models import Stage, Standard
from exports.dossier import built_dossier
from extensions import db
from workflow.transitions import local_today

#: days an agency has to decide, counted from the submission (shown as the queue's deadline)
REVIEW_DAYS = 60
#: the longest message, reason, note or field kept
MAX_TEXT = 4000


def _text(
    value: str | None, field: str, message: str, *, required: bool = True, limit: int = MAX_TEXT
) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused("invalid", message, fields={field: message})
    if len(value) > limit:
        too_long = _("At most %(limit)s characters.", limit=limit)
        raise Refused("invalid", too_long, fields={field: too_long})
    return value


def _dossier_of(standard: Standard, sha256: str | None, field: str = "dossier_sha256") -> str:
    sha256 = (sha256 or "").strip().lower()
    if not sha256 or built_dossier(standard, sha256) is None:
        message = _("Choose a dossier built for this standard.")
        raise Refused("invalid", message, fields={field: message})
    return sha256


def open_submission(standard: Standard) -> Submission | None:
    """The standard's submission still waiting for a decision, if any."""
    return db.session.scalar(
        select(Submission).where(
            Submission.standard_id == standard.id,
            Submission.status.in_([SubmissionStatus.SUBMITTED.value, SubmissionStatus.IN_REVIEW.value]),
        )
    )


def deciding_agency(standard: Standard) -> str | None:
    """The name of the agency still deciding on `standard`, if any: workflow's periodic review waits
    for the decision (a review hold, wsgi.REVIEW_HOLDS), which would move the standard out of it."""
    submission = open_submission(standard)
    return submission.agency.name if submission is not None else None


def submit(
    standard: Standard, actor: User, agency: Organisation | None, dossier_sha256: str | None, *, now: datetime
) -> Submission:
    """Submit a built dossier to a government agency; the standard enters adoption review."""
    permissions.can_submit(actor, standard).require("forbidden")
    if agency is None or agency.kind != OrgKind.AGENCY:
        message = _("Choose a government agency.")
        raise Refused("invalid", message, fields={"agency": message})
    sha256 = _dossier_of(standard, dossier_sha256)
    write_lock(standard)
    if open_submission(standard) is not None:
        raise Refused("conflict", _("This standard is already under adoption review; wait for the decision."))
    if standard.stage not in (Stage.PUBLISHED.value, Stage.ADOPTED.value):
        raise Refused("gate", _("Only a published standard in force can be submitted for adoption."))
    submission = Submission(
        standard=standard,
        agency=agency,
        submitted_by=actor,
        submitted_at=now,
        due_on=local_today(now) + timedelta(days=REVIEW_DAYS),
        dossier_sha256=sha256,
        status=SubmissionStatus.SUBMITTED.value,
    )
    db.session.add(submission)
    before = standard.stage
    if before == Stage.PUBLISHED.value:
        standard.stage = Stage.ADOPTION_REVIEW.value
    record(
        standard,
        actor,
        "adoption_submitted",
        now=now,
        revision=standard.published_revision,
        from_stage=before if before != standard.stage else None,
        to_stage=standard.stage if before != standard.stage else None,
        note=f"{agency.name} · SHA-256 {sha256[:16]}…",
    )
    db.session.flush()
    notices.dossier_submitted(submission, now=now)
    return submission


def _open_for_review(submission: Submission) -> None:
    if submission.status_enum.decided:
        raise Refused("closed", _("This submission has been decided; nothing more can be added."))


def _start_review(submission: Submission, actor: User, now: datetime) -> None:
    if submission.status == SubmissionStatus.SUBMITTED.value:
        submission.status = SubmissionStatus.IN_REVIEW.value
        record(submission.standard, actor, "adoption_review_started", now=now, note=submission.agency.name)


def post_message(
    submission: Submission, actor: User, text: str | None, *, now: datetime, dossier_sha256: str | None = None
) -> SubmissionMessage:
    """A reviewer's question, or the association's answer (which may attach a new dossier version)."""
    permissions.can_post(actor, submission).require("forbidden")
    from_agency = bool(permissions.can_review(actor, submission))
    body = _text(text, "text", _("Write the question or the answer."))
    standard = submission.standard
    sha256 = None
    if dossier_sha256 and not from_agency:
        sha256 = _dossier_of(standard, dossier_sha256)
    write_lock(standard)
    _open_for_review(submission)
    message = SubmissionMessage(
        submission=submission, author=actor, at=now, from_agency=from_agency, text=body, dossier_sha256=sha256
    )
    db.session.add(message)
    if from_agency:
        _start_review(submission, actor, now)
        record(standard, actor, "adoption_question", now=now, note=body[:500])
        notices.reviewer_question(submission, body, now=now)
    else:
        record(standard, actor, "adoption_answer", now=now, note=body[:500])
        if sha256 and sha256 != submission.dossier_sha256:
            submission.dossier_sha256 = sha256
            record(standard, actor, "adoption_new_dossier", now=now, note=f"SHA-256 {sha256[:16]}…")
    db.session.flush()
    return message


def set_checklist(
    submission: Submission, actor: User, marks: Mapping[str, tuple[bool, str]], *, now: datetime
) -> int:
    """Keep a reviewer's marks and notes (item → (met, note)); returns how many items changed."""
    permissions.can_review(actor, submission).require("forbidden")
    unknown = [key for key in marks if key not in ChecklistItem._value2member_map_]
    if unknown:
        raise Refused(
            "invalid",
            _("There is no such checklist item."),
            fields={key: _("Unknown item.") for key in unknown},
        )
    notes = {key: _text(note, key, "", required=False) for key, (_met, note) in marks.items()}
    write_lock(submission.standard)
    _open_for_review(submission)
    existing = {entry.item: entry for entry in submission.checklist}
    changed = 0
    for key, (met, _note) in marks.items():
        entry = existing.get(key)
        if entry is None:
            entry = ChecklistEntry(submission=submission, item=key, met=False, note="", at=now)
            db.session.add(entry)
        if entry.met != bool(met) or entry.note != notes[key] or entry.id is None:
            entry.met, entry.note, entry.by, entry.at = bool(met), notes[key], actor, now
            changed += 1
    if changed:
        _start_review(submission, actor, now)
        db.session.flush()
        met_count = sum(1 for entry in submission.checklist if entry.met)
        record(
            submission.standard,
            actor,
            "adoption_checklist",
            now=now,
            note=f"{met_count}/{len(ChecklistItem)}",
        )
    db.session.flush()
    return changed


def _parse_date(value: date | str | None, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        message = _("Give a date as YYYY-MM-DD.")
        raise Refused("invalid", message, fields={field: message}) from None


def decide(
    submission: Submission,
    actor: User,
    verdict: str | None,
    *,
    reasons: str | None,
    reference: str | None = None,
    decided_on: date | str | None = None,
    now: datetime,
) -> Submission:
    """Adopt (with the reference and date), return for revision or reject (with reasons)."""
    permissions.can_review(actor, submission).require("forbidden")
    if verdict not in Verdict._value2member_map_:
        message = _("Choose adopt, return or reject.")
        raise Refused("invalid", message, fields={"decision": message})
    chosen = Verdict(verdict)
    if chosen is Verdict.ADOPT:
        reference_text = _text(reference, "reference", _("Give the adoption reference (文号)."), limit=200)
        reason_text = _text(reasons, "reasons", "", required=False)
    else:
        reference_text = ""
        reason_text = _text(reasons, "reasons", _("Give the reasons for this decision."))
    on = _parse_date(decided_on, "decided_on") or local_today(now)
    standard = submission.standard
    write_lock(standard)
    _open_for_review(submission)
    _start_review(submission, actor, now)
    submission.decision = chosen.value
    submission.status = VERDICT_STATUS[chosen].value
    submission.decision_reasons = reason_text
    submission.reference = reference_text
    submission.decided_on = on
    submission.decided_by = actor
    submission.decided_at = now
    before = standard.stage
    if chosen is Verdict.ADOPT:
        standard.stage = Stage.ADOPTED.value
    elif before == Stage.ADOPTION_REVIEW.value:
        standard.stage = Stage.PUBLISHED.value
    kind = {
        Verdict.ADOPT: "adopted",
        Verdict.RETURN: "adoption_returned",
        Verdict.REJECT: "adoption_rejected",
    }[chosen]
    note = (
        f"{submission.agency.name} {reference_text} {on.isoformat()}".strip()
        if chosen is Verdict.ADOPT
        else reason_text
    )
    record(
        standard,
        actor,
        kind,
        now=now,
        from_stage=before if before != standard.stage else None,
        to_stage=standard.stage if before != standard.stage else None,
        note=note[:2000],
    )
    notices.decision(submission, now=now)
    db.session.flush()
    return submission


# -- self-declarations -------------------------------------------------------------------------------


def declare(
    standard: Standard,
    actor: User,
    *,
    organisation: str | None,
    credit_code: str | None,
    product: str | None,
    declared_on: date | str | None,
    contact: str | None,
    now: datetime,
) -> Declaration:
    """An enterprise's self-declaration that its product or service implements `standard`."""
    permissions.can_declare(actor, standard).require("forbidden")
    fields: dict[str, str] = {}
    name = (organisation or "").strip()
    if not name:
        fields["organisation"] = _("Give the organisation's name.")
    code = normalise_credit_code(credit_code or "")
    problem = credit_code_problem(code)
    if problem is not None:
        fields["credit_code"] = problem.message()
    what = (product or "").strip()
    if not what:
        fields["product"] = _("Name the product or service.")
    try:
        on = _parse_date(declared_on, "declared_on") or local_today(now)
    except Refused as refused:
        fields.update(refused.fields)
        on = local_today(now)
    if on > local_today(now):
        fields["declared_on"] = _("A declaration cannot be dated in the future.")
    for key, value, limit in (
        ("organisation", name, 200),
        ("product", what, 300),
        ("contact", contact or "", 200),
    ):
        if len(value.strip()) > limit:
            fields[key] = _("At most %(limit)s characters.", limit=limit)
    if fields:
        first = fields.get("credit_code") or next(iter(fields.values()))
        raise Refused("invalid", first, fields=fields)
    write_lock(standard)
    declaration = Declaration(
        standard=standard,
        organisation=name,
        credit_code=code,
        product=what,
        declared_on=on,
        contact=(contact or "").strip(),
        declared_by=actor,
        created_at=now,
        status=DeclarationStatus.ACTIVE.value,
    )
    db.session.add(declaration)
    record(standard, actor, "declared", now=now, note=f"{name} · {what}"[:500])
    db.session.flush()
    return declaration


def withdraw_declaration(declaration: Declaration, actor: User, *, now: datetime) -> None:
    permissions.can_withdraw_declaration(actor, declaration).require("forbidden")
    write_lock(declaration.standard)
    if declaration.status != DeclarationStatus.ACTIVE.value:
        raise Refused("closed", _("This declaration is no longer active."))
    declaration.status = DeclarationStatus.WITHDRAWN.value
    declaration.withdrawn_at = now
    record(declaration.standard, actor, "declaration_withdrawn", now=now, note=declaration.organisation)
    db.session.flush()


def flag_declaration(declaration: Declaration, actor: User, reason: str | None, *, now: datetime) -> None:
    """Mark a false declaration: it stays listed, marked, with the reason."""
    permissions.can_flag_declaration(actor, declaration).require("forbidden")
    text = _text(reason, "reason", _("Give the reason for flagging this declaration."))
    write_lock(declaration.standard)
    if declaration.status != DeclarationStatus.ACTIVE.value:
        raise Refused("closed", _("This declaration is no longer active."))
    declaration.status = DeclarationStatus.FLAGGED.value
    declaration.flagged_at, declaration.flagged_by, declaration.flag_reason = now, actor, text
    record(
        declaration.standard,
        actor,
        "declaration_flagged",
        now=now,
        note=f"{declaration.organisation}: {text}"[:500],
    )
    db.session.flush()
