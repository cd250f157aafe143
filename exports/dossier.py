"""The adoption dossier as an export job: asked for by the secretariat, built in the background.

`request_dossier` (a verb) adds an ExportJob of format "dossier" for the published revision; the export
job machinery runs it (exports.jobs: the thread pool, RQ when REDIS_URL is set, or at once) and
`run_export` hands it here. The job reads everything in one read (`_read_inputs`: the standard, its
events, proposal and drafting group, the free sections, and every DossierSection provider's part),
then builds outside any transaction: the standard's DOCX and PDF (the export pipeline, or the files
already made for the published revision), the explanatory note (DOCX and JSON), and `manifest.json`
(exports.dossier_manifest). Each step is recorded as the job's progress; the ZIP is stored like any
export (ExportFile, by SHA-256) and "dossier_built" joins the standard's history.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.database import utcnow, write_lock
from accounts.models import Role, User
from accounts.permissions import Actor, is_administrator, role_in
from accounts.refusals import Decision, Refused
from authoring.events import events_of, record
from authoring.figures import figure_files
from authoring.models import Revision, Standard
from exports import TEMPLATE_VERSION
from exports.dossier_manifest import build_manifest, write_dossier
from exports.dossier_sections import DossierContext, NoteBlock, collect_parts
from exports.explanatory_note import NoteInputs, ProcessStep, chapters, note_docx, note_json
from exports.models import ExportFile, ExportJob, JobStatus, job_cache_key
from exports.note_sections import note_sections
from extensions import db

log = logging.getLogger(__name__)

DOSSIER_FORMAT = "dossier"
MEDIA_TYPE = "application/zip"
NOTE_DOCX = "explanatory-note.docx"
NOTE_JSON = "explanatory-note.json"

#: the history's events that make the drafting process, in the note's words
PROCESS_KINDS = (
    "proposed",
    "proposal_accepted",
    "created",
    "uploaded",
    "revision",
    "stage_changed",
    "consultation_opened",
    "consultation_closed",
    "published",
)


def can_build_dossier(actor: Actor, standard: Standard) -> Decision:
    """The association's secretariat, once the standard is published (it has a number)."""
    if not (is_administrator(actor) or role_in(actor, standard.association) == Role.SECRETARIAT):
        return Decision.no(str(_l("Only the association's secretariat builds the adoption dossier.")))
    return Decision.of(
        bool(standard.number and standard.published_revision),
        _l("A dossier is built for a published standard."),
    )


def request_dossier(standard: Standard, actor: User, *, now: datetime) -> ExportJob:
    """A new dossier job for `standard`'s published revision (each build is new: it says when and by
    whom it was built, and what the evidence was at that time)."""
    can_build_dossier(actor, standard).require("forbidden" if standard.number else "gate")
    write_lock(standard)
    revision = standard.revision(standard.published_revision or 0)
    if revision is None:
        raise Refused("gate", _("A dossier is built for a published standard."))
    key = job_cache_key(
        f"dossier:{revision.id}:{now.isoformat()}:{actor.id}", DOSSIER_FORMAT, TEMPLATE_VERSION
    )
    job = ExportJob(
        standard=standard,
        revision=revision,
        format=DOSSIER_FORMAT,
        template_version=TEMPLATE_VERSION,
        cache_key=key,
        status=JobStatus.QUEUED.value,
        progress=0,
        step="queued",
        warnings=[],
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    db.session.add(job)
    db.session.flush()
    return job


def dossier_jobs(standard: Standard, limit: int = 10) -> list[ExportJob]:
    """The standard's dossier jobs, newest first."""
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.standard_id == standard.id, ExportJob.format == DOSSIER_FORMAT)
            .order_by(ExportJob.id.desc())
            .limit(limit)
        )
    )


def built_dossier(standard: Standard, sha256: str) -> ExportJob | None:
    """The finished dossier job of `standard` whose ZIP has this SHA-256, if any."""
    return db.session.scalar(
        select(ExportJob)
        .where(
            ExportJob.standard_id == standard.id,
            ExportJob.format == DOSSIER_FORMAT,
            ExportJob.status == JobStatus.DONE.value,
            ExportJob.result_sha256 == sha256,
        )
        .limit(1)
    )


# -- the job -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    job_id: int
    text: str
    revision_number: int
    content_sha256: str
    number: str
    built_by: str
    replaced_text: str | None
    figures: dict[str, bytes]
    made: dict[str, bytes]
    note: NoteInputs
    files: dict[str, bytes]


def run_dossier(job_id: int, app: Flask) -> None:
    """The dossier job (exports.jobs.run_export calls it inside the app's context)."""
    from exports.jobs import _both, _Heartbeat, _internal_message, _record_failure, _write_job

    try:
        inputs = _read_inputs(job_id)
    except Exception:
        log.exception("dossier job %s could not read its inputs", job_id)
        db.session.rollback()
        _record_failure(job_id, *_both(_internal_message))
        return
    if inputs is None:
        return

    def running(job: ExportJob) -> None:
        job.status, job.step, job.progress = JobStatus.RUNNING.value, "start", max(job.progress or 0, 5)

    _write_job(job_id, running)
    with _Heartbeat(job_id, app):
        try:
            data = _build(inputs, app)
        except Exception as error:
            from authoring.document import DocumentTooLarge
            from exports.errors import ExportError

            if isinstance(error, ExportError):
                _record_failure(job_id, error.zh, error.en)
            elif isinstance(error, DocumentTooLarge):
                _record_failure(job_id, error.message("zh"), error.message("en"))
            else:
                log.exception("dossier job %s failed", job_id)
                _record_failure(job_id, *_both(_internal_message))
            return
    _record(job_id, data, inputs)


def _read_inputs(job_id: int) -> _Inputs | None:
    """Everything the dossier says, in one read (no write lock held: the build is slow)."""
    from exports.jobs import jobs_of_revision
    from workflow.transitions import local_today

    db.session.rollback()
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status_enum.finished:
        db.session.rollback()
        return None
    standard, revision = job.standard, job.revision
    made = {}
    for fmt, existing in jobs_of_revision(revision).items():
        if fmt in ("docx", "pdf") and existing.status == JobStatus.DONE.value and existing.result_sha256:
            stored = db.session.get(ExportFile, existing.result_sha256)
            if stored is not None:
                made[fmt] = stored.data
    now = utcnow()
    context = DossierContext(standard=standard, revision_number=revision.number, now=now)
    with force_locale("zh_CN"):
        parts = collect_parts(context)
        process = tuple(_process(standard))
    files: dict[str, bytes] = {}
    slots: dict[str, tuple[NoteBlock, ...]] = {}
    for part in parts:
        files.update(part.files)
        if part.slot:
            slots[part.slot] = slots.get(part.slot, ()) + part.blocks
    replaced = standard.replaces
    replaced_revision = (
        replaced.revision(replaced.published_revision) if replaced and replaced.published_revision else None
    )
    note = NoteInputs(
        number=standard.number or "",
        title_zh=standard.title_zh,
        title_en=standard.title_en or "",
        association=standard.association.name,
        built_on=local_today(now).isoformat(),
        committee=standard.committee or "",
        process=process,
        drafting_units=tuple(_units(standard)),
        drafters=tuple(_drafters(standard)),
        replaces=replaced.number if replaced and replaced.number else "",
        free=note_sections(standard),
        slots=slots,
        **_proposal(standard),
    )
    inputs = _Inputs(
        job_id=job.id,
        text=revision.text,
        revision_number=revision.number,
        content_sha256=revision.content_hash,
        number=standard.number or "",
        built_by=job.created_by.name if job.created_by else "operator",
        replaced_text=replaced_revision.text if replaced_revision is not None else None,
        figures=figure_files(standard),
        made=made,
        note=note,
        files=files,
    )
    db.session.rollback()
    return inputs


def _proposal(standard: Standard) -> dict[str, str]:
    from workflow.proposals import Proposal
    from workflow.transitions import local_today

    proposal = db.session.scalar(select(Proposal).where(Proposal.standard_id == standard.id))
    if proposal is None:
        return {}
    return {
        "proposal_scope": proposal.scope,
        "proposal_reason": proposal.reason,
        "proposer": proposal.proposer.name if proposal.proposer else "",
        "proposed_on": local_today(proposal.proposed_at).isoformat(),
    }


def _process(standard: Standard) -> list[ProcessStep]:
    """The drafting process from the history: what happened when, by whom (saves counted per stage)."""
    from workflow.transitions import local_today

    steps: list[ProcessStep] = []
    saves = 0
    for event in events_of(standard, newest_first=False):
        if event.kind in ("saved", "merged", "restored"):
            saves += 1
            continue
        if event.kind not in PROCESS_KINDS:
            continue
        what = event.stages or event.label
        if saves:
            steps.append(ProcessStep(steps[-1].on if steps else "", f"其间保存修订 {saves} 次"))
            saves = 0
        if event.revision:
            what = f"{what}（第 {event.revision} 版）"
        steps.append(
            ProcessStep(
                local_today(event.at).isoformat(),
                str(what),
                event.actor.name if event.actor else "",
                event.note,
            )
        )
    return steps


def _units(standard: Standard) -> list[str]:
    from authoring.document import parse

    revision = standard.revision(standard.published_revision or standard.latest_number)
    meta_units = parse(revision.text).meta.drafting_units if revision is not None else []
    group = [m.unit for m in standard.drafters if m.unit]
    return list(dict.fromkeys([*meta_units, *group]))


def _drafters(standard: Standard) -> list[str]:
    from authoring.document import parse

    revision = standard.revision(standard.published_revision or standard.latest_number)
    names = parse(revision.text).meta.drafters if revision is not None else []
    group = [m.user.name for m in standard.drafters]
    return list(dict.fromkeys([*names, *group]))


def _changes(old_text: str, new_text: str) -> tuple[str, ...]:
    """The main technical changes, one sentence per clause the diff found added, deleted or changed."""
    from authoring.document import parse
    from authoring.document.diffing.engine import diff_documents
    from authoring.document.diffing.model import FRONT_MATTER, Status

    diff = diff_documents(parse(old_text), parse(new_text), reading=True)
    out = []
    for hunk in diff.hunks:
        if hunk.kind == FRONT_MATTER:
            continue
        if hunk.status is Status.ADDED:
            out.append(f"增加了“{hunk.label}”（见 {hunk.new_number or hunk.title}）；")
        elif hunk.status is Status.DELETED:
            out.append(f"删除了“{hunk.label}”（原 {hunk.old_number or hunk.title}）；")
        elif hunk.status is Status.CHANGED:
            where = hunk.new_number or hunk.title
            if hunk.old_number and hunk.old_number != hunk.new_number:
                where = f"{where}，原 {hunk.old_number}"
            out.append(f"更改了“{hunk.label}”（见 {where}）；")
        elif hunk.moved:
            out.append(f"调整了“{hunk.label}”的位置（原 {hunk.old_number}，现 {hunk.new_number}）；")
    if out:
        out[-1] = out[-1].rstrip("；") + "。"
    return tuple(out)


def _build(inputs: _Inputs, app: Flask) -> bytes:
    from authoring.document import parse
    from exports.api import export_parsed, file_stem
    from exports.jobs import _advance, _font_paths

    doc = parse(inputs.text)
    stem = file_stem(doc)
    files = dict(inputs.files)
    for percent, fmt in ((15, "docx"), (35, "pdf")):
        data = inputs.made.get(fmt)
        if data is None:
            _advance(inputs.job_id, percent, "pandoc" if fmt == "docx" else "typst")
            data = export_parsed(doc, fmt, figures=inputs.figures, font_paths=_font_paths(app)).data
        files[f"standard/{stem}.{fmt}"] = data
    _advance(inputs.job_id, 60, "note")
    note = inputs.note
    if inputs.replaced_text is not None:
        note = replace(note, changes=_changes(inputs.replaced_text, inputs.text))
    if doc.meta.adoption is not None:
        note = replace(note, adoption=(doc.meta.adoption.degree, doc.meta.adoption.of))
    parts = chapters(note)
    files[NOTE_DOCX] = note_docx(note, parts)
    files[NOTE_JSON] = note_json(note, parts)
    _advance(inputs.job_id, 85, "manifest")
    manifest = build_manifest(
        files,
        number=inputs.number,
        revision=inputs.revision_number,
        content_sha256=inputs.content_sha256,
        built_at=utcnow(),
        built_by=inputs.built_by,
    )
    return write_dossier(files, manifest)


def _record(job_id: int, data: bytes, inputs: _Inputs) -> None:
    from exports.jobs import _store, _write_job

    sha256 = hashlib.sha256(data).hexdigest()
    filename = f"{(inputs.number and inputs.number.replace('/', '-').replace(' ', '-').replace('—', '-')) or 'standard'}-dossier.zip"

    def change(job: ExportJob) -> None:
        _store(sha256, data)
        job.result_sha256 = sha256
        job.filename, job.media_type, job.size = filename, MEDIA_TYPE, len(data)
        job.status, job.progress, job.step = JobStatus.DONE.value, 100, "done"
        job.finished_at = utcnow()
        record(
            job.standard,
            job.created_by,
            "dossier_built",
            now=job.finished_at,
            revision=job.revision.number,
            note=f"SHA-256 {sha256[:16]}…",
        )

    _write_job(job_id, change)


def dossier_revision(job: ExportJob) -> Revision:
    return job.revision
