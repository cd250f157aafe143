"""Export jobs: asking for an export, running it, and where it runs.

`request_export` (a verb: takes the acting user, only flushes) finds a job already made for the same
revision, format, template version (and base revision, and figures) or adds a queued one; after the
view has committed, `dispatch` starts a new job where the configuration says:

- "thread" (default): a small thread pool in the web process (EXPORT_WORKERS threads, 2 by default);
- "rq" (default when REDIS_URL is set): the "exports" queue on Redis, run by `flask --app wsgi worker`;
- "sync": at once, inside the request (tests, scripts).

`run_export(job_id)` is the job itself. It receives only the id, opens an application context of its
own (the worker's app, or one it creates), and records progress, the file and any failure on the job
row, so every web process and every host sees the same state. A failure is stored as a message in
both languages; a stack trace goes to the log, never to the user.

On the embedded SQLite every write of a job is a transaction of its own, opened with BEGIN IMMEDIATE
(so the busy timeout queues it behind other writers) and committed at once: reading the inputs, each
progress step, a heartbeat every HEARTBEAT_SECONDS, the result. The export itself runs outside any
transaction; a deferred read left open and written later is what SQLite refuses at once with
"database is locked" when another writer committed in between. A running job whose heartbeat stops
(its process died) counts as interrupted after EXPORT_STALE_SECONDS; asking again starts a new job.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from accounts.database import begin_immediate, utcnow, write_lock
from accounts.models import User
from accounts.refusals import Refused
from authoring.events import record
from authoring.figures import figure_files, figures_digest
from authoring.models import Revision, Standard
from authoring.permissions import can_view_standard
from exports import TEMPLATE_VERSION
from exports.api import FORMATS as PIPELINE_FORMATS
from exports.api import REDLINE_FORMATS
from exports.models import FORMAT_LABELS, ExportFile, ExportJob, JobStatus, job_cache_key
from extensions import db
from workflow.stages import draft_name
from workflow.transitions import released_in

log = logging.getLogger(__name__)

#: the RQ queue the web app fills and `flask worker` empties
EXPORT_QUEUE = "exports"
#: seconds an export may run before RQ stops it (EXPORT_TIMEOUT overrides)
DEFAULT_TIMEOUT = 600
#: a running job touches its row this often (`_Heartbeat`), typesetting or not
HEARTBEAT_SECONDS = 10
#: a running job silent for this long has lost its process (a restart, a killed worker): nine beats
DEFAULT_STALE_SECONDS = 90
#: a queued job waits for a free worker without a heartbeat; it counts as lost after this long
QUEUED_PATIENCE_SECONDS = 900

#: plain exports and redlines, as exports.api offers them
FORMATS = tuple(PIPELINE_FORMATS)


@dataclass(frozen=True)
class Requested:
    """The job that answers a request; `new` when it still has to be started."""

    job: ExportJob
    new: bool


# -- asking -----------------------------------------------------------------------------------


def request_export(
    standard: Standard,
    revision: Revision,
    fmt: str,
    user: User | None,
    *,
    now: datetime,
    base: Revision | None = None,
    silence: timedelta = timedelta(seconds=DEFAULT_STALE_SECONDS),
) -> Requested:
    """The export of `revision` as `fmt` (a redline from `base` when given): a cached job or a new one.

    Whoever may read the standard may export it. The lookup and the new job are decided under the
    write lock, so a job writing its progress meanwhile queues this request instead of failing it.
    """
    can_view_standard(user, standard).require("not_found")
    allowed = REDLINE_FORMATS if base is not None else FORMATS
    if fmt not in allowed:
        raise Refused("invalid", _("This export format is not available: %(format)s.", format=fmt[:20]))
    if revision.standard_id != standard.id or (base is not None and base.standard_id != standard.id):
        raise Refused("not_found", _("That revision is not part of this standard."))
    if base is not None and base.id == revision.id:
        raise Refused("invalid", _("Choose two different revisions to compare."))
    write_lock(standard)
    released = released_in(standard, revision.number) if base is None else None
    key = job_cache_key(
        f"revision:{revision.id}" + (f":{released.value}" if released else ""),
        fmt,
        TEMPLATE_VERSION,
        base_hash=f"revision:{base.id}" if base is not None else None,
        figures=figures_digest(standard) if base is None else "",
    )
    existing = db.session.scalar(
        select(ExportJob)
        .where(ExportJob.cache_key == key, ExportJob.status != JobStatus.FAILED.value)
        .order_by(ExportJob.id.desc())
        .limit(1)
    )
    if existing is not None:
        if not is_interrupted(existing, now, silence):
            return Requested(existing, new=False)
        _fail(existing, *_both(_interrupted_message), now=now)
    job = ExportJob(
        standard=standard,
        revision=revision,
        base_revision=base,
        format=fmt,
        template_version=TEMPLATE_VERSION,
        cache_key=key,
        status=JobStatus.QUEUED.value,
        progress=0,
        step="queued",
        warnings=[],
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    db.session.add(job)
    db.session.flush()
    return Requested(job, new=True)


def _released_value(standard: Standard, number: int) -> str | None:
    stage = released_in(standard, number)
    return stage.value if stage else None


def stale_after(app: Flask) -> timedelta:
    """How long a queued or running job may stay silent before it counts as interrupted."""
    return timedelta(seconds=int(setting(app, "EXPORT_STALE_SECONDS", DEFAULT_STALE_SECONDS)))


def is_interrupted(job: ExportJob, now: datetime, silence: timedelta) -> bool:
    """A running job whose last heartbeat is older than `silence`, or a job queued for longer than
    QUEUED_PATIENCE_SECONDS (and `silence`): its process is gone, nothing will finish it."""
    if job.status_enum.finished:
        return False
    if job.status_enum is JobStatus.QUEUED:
        silence = max(silence, timedelta(seconds=QUEUED_PATIENCE_SECONDS))
    return job.updated_at < now - silence


def interrupted_message() -> str:
    return _interrupted_message()


def jobs_of_revision(revision: Revision) -> dict[str, ExportJob]:
    """The latest plain export job per format of `revision` (any status), for the export panel."""
    rows = db.session.scalars(
        select(ExportJob)
        .where(ExportJob.revision_id == revision.id, ExportJob.base_revision_id.is_(None))
        .order_by(ExportJob.id)
    )
    return {job.format: job for job in rows if job.template_version == TEMPLATE_VERSION}


def recent_jobs(standard: Standard, limit: int = 8) -> list[ExportJob]:
    """The standard's latest jobs, newest first (the history page's panel)."""
    return list(
        db.session.scalars(
            select(ExportJob)
            .where(ExportJob.standard_id == standard.id)
            .order_by(ExportJob.id.desc())
            .limit(limit)
        )
    )


# -- where jobs run ---------------------------------------------------------------------------


def setting(app: Flask, name: str, default: Any = None) -> Any:
    """An export setting from the app's configuration (`create_app` read the environment once)."""
    value = app.config.get(name)
    return default if value in (None, "") else value


def runner_name(app: Flask) -> str:
    """ "sync", "thread" or "rq": EXPORT_RUNNER, else RQ when REDIS_URL is set, else threads."""
    configured = setting(app, "EXPORT_RUNNER")
    if configured:
        return str(configured)
    return "rq" if app.config.get("REDIS_URL") else "thread"


def queue_name(app: Flask) -> str:
    """EXPORT_QUEUE, "exports" by default (tests use a queue of their own)."""
    return str(setting(app, "EXPORT_QUEUE", EXPORT_QUEUE))


def dispatch(job_id: int) -> None:
    """Start job `job_id` (already committed, so that another process can read it)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    runner = runner_name(app)
    if runner == "sync":
        run_export(job_id, app)
    elif runner == "rq":
        try:
            _queue(app).enqueue_call(
                "exports.jobs.run_export",
                args=(job_id,),
                timeout=int(setting(app, "EXPORT_TIMEOUT", DEFAULT_TIMEOUT)),
                result_ttl=0,
                failure_ttl=7 * 86400,
                description=f"export job {job_id}",
            )
        except Exception:  # the queue is down: the job must not wait forever
            log.exception("could not enqueue export job %s", job_id)
            job = db.session.get(ExportJob, job_id)
            if job is not None:
                _fail(job, *_both(_queue_down_message), now=utcnow())
                db.session.commit()
    else:
        _executor(app).submit(_run_logged, job_id, app)


def _queue(app: Flask) -> Any:
    from redis import Redis
    from rq import Queue

    return Queue(queue_name(app), connection=Redis.from_url(app.config["REDIS_URL"]))


def _executor(app: Flask) -> ThreadPoolExecutor:
    """The web process's pool, made on first use; bounded by EXPORT_WORKERS threads."""
    executor = app.extensions.get("export_executor")
    if executor is None:
        workers = max(1, int(setting(app, "EXPORT_WORKERS", 2)))
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="export")
        app.extensions["export_executor"] = executor
    return executor


def _run_logged(job_id: int, app: Flask) -> None:
    try:
        run_export(job_id, app)
    except Exception:  # a thread's exception would otherwise vanish silently
        log.exception("export job %s crashed", job_id)


# -- the job ----------------------------------------------------------------------------------


def run_export(job_id: int, app: Flask | None = None) -> None:
    """Run export job `job_id` in an application context of its own; the outcome is on the job row.

    `app` is the web app's (the thread pool, "sync"); on an RQ worker it is the app that
    `flask --app wsgi worker` pushed around the job (`exports.worker.AppWorker`).
    """
    if app is None and not has_app_context():
        raise RuntimeError("export jobs run with `flask --app wsgi worker`, which gives them the app")
    application = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with application.app_context():
        if _is_dossier(job_id):
            from exports.dossier import run_dossier

            run_dossier(job_id, application)
            return
        work = _read_work(job_id, application)
        if work is None:
            return
        with _Heartbeat(job_id, application):
            _perform(work)


def _is_dossier(job_id: int) -> bool:
    """An adoption dossier (exports.dossier) rather than a document export."""
    fmt = db.session.scalar(select(ExportJob.format).where(ExportJob.id == job_id))
    db.session.rollback()
    return fmt == "dossier"


@dataclass(frozen=True)
class _Work:
    """Everything a job needs, read in one short transaction: the export itself runs in none."""

    job_id: int
    fmt: str
    text: str
    revision_number: int
    base_text: str | None
    base_number: int | None
    #: the stage the revision was released in: its draft name goes on the cover (征求意见稿 …)
    released: str | None
    author: str
    figures: dict[str, bytes]
    font_paths: list[str] | None


def _read_work(job_id: int, app: Flask) -> _Work | None:
    """The job's inputs, and the job marked running; None when it is gone or already finished."""
    begin_immediate(db.session)
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status_enum.finished:
        db.session.rollback()
        return None
    revision, base = job.revision, job.base_revision
    work = _Work(
        job_id=job.id,
        fmt=job.format,
        text=revision.text,
        revision_number=revision.number,
        base_text=base.text if base is not None else None,
        base_number=base.number if base is not None else None,
        released=None if base is not None else _released_value(job.standard, revision.number),
        author=job.standard.association.name,
        figures=figure_files(job.standard) if base is None else {},
        font_paths=_font_paths(app),
    )
    job.status, job.step = JobStatus.RUNNING.value, "start"
    job.progress = max(job.progress or 0, 1)
    job.updated_at = utcnow()
    db.session.commit()
    return work


def _perform(work: _Work) -> None:
    """Export, then record the outcome in one short write; a failure is stored in words."""
    from authoring.document import DocumentTooLarge
    from exports.errors import ExportError

    try:
        data, filename, media_type, warnings = _export(work)
    except ExportError as error:
        _record_failure(work.job_id, error.zh, error.en)
    except DocumentTooLarge as error:
        _record_failure(work.job_id, error.message("zh"), error.message("en"))
    except Exception:
        log.exception("export job %s failed", work.job_id)
        _record_failure(work.job_id, *_both(_internal_message))
    else:
        _advance(work.job_id, 95, "store")
        _record_result(work.job_id, data, filename, media_type, warnings)


def _write_job(job_id: int, change: Any) -> None:
    """Apply `change(job)` in a write transaction of its own, taken with BEGIN IMMEDIATE on SQLite
    (so the busy timeout queues it behind other writers) and committed at once. A job already
    finished (failed as interrupted meanwhile) is left as it is."""
    db.session.rollback()  # nothing of an earlier read may stay open: SQLite could not upgrade it
    begin_immediate(db.session)
    try:
        job = db.session.get(ExportJob, job_id, populate_existing=True)
        if job is not None and not job.status_enum.finished:
            change(job)
            job.updated_at = utcnow()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def _advance(job_id: int, percent: int, step: str) -> None:
    """Record a step at once, so that the page polling the job sees it; a lost update is only logged
    (the export goes on: the next step or the result says where it is)."""

    def change(job: ExportJob) -> None:
        job.progress = max(job.progress or 0, min(percent, 99))
        job.step = step

    try:
        _write_job(job_id, change)
    except OperationalError:
        log.warning("progress of export job %s not recorded", job_id, exc_info=True)


def _record_result(
    job_id: int, data: bytes, filename: str, media_type: str, warnings: list[dict[str, str]]
) -> None:
    sha256 = hashlib.sha256(data).hexdigest()

    def change(job: ExportJob) -> None:
        _store(sha256, data)
        job.result_sha256 = sha256
        job.filename, job.media_type, job.size = filename, media_type, len(data)
        job.warnings = warnings
        job.status, job.progress, job.step = JobStatus.DONE.value, 100, "done"
        job.finished_at = utcnow()
        record(
            job.standard,
            job.created_by,
            "exported",
            now=job.finished_at,
            revision=job.revision.number,
            note=_export_note(job),
        )

    _write_job(job_id, change)


def _export_note(job: ExportJob) -> str:
    """What the history says was exported, in no one language: "PDF", or "PDF · 1 → 2" for a redline."""
    label = str(FORMAT_LABELS.get(job.format, job.format))
    if job.base_revision is None:
        return label
    return f"{label} · {job.base_revision.number} → {job.revision.number}"


def _record_failure(job_id: int, zh: str, en: str) -> None:
    _write_job(job_id, lambda job: _fail(job, zh, en, now=utcnow()))


class _Heartbeat:
    """While a job runs, touch its `updated_at` every HEARTBEAT_SECONDS from a thread of its own: a
    running job silent for EXPORT_STALE_SECONDS has lost its process (a killed worker, a restart)."""

    def __init__(self, job_id: int, app: Flask) -> None:
        self.job_id, self.app = job_id, app
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"export-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat(self) -> None:
        interval = float(setting(self.app, "EXPORT_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))
        with self.app.app_context():
            while not self.stopped.wait(interval):
                try:
                    _write_job(self.job_id, lambda job: None)
                except Exception:  # a missed beat is harmless; the next one tries again
                    log.warning("heartbeat of export job %s not recorded", self.job_id, exc_info=True)
            db.session.remove()


def _export(work: _Work) -> tuple[bytes, str, str, list[dict[str, str]]]:
    from authoring.document import parse
    from exports.api import export_parsed, export_redline

    def progress(percent: int, step: str) -> None:
        if step != "done":
            _advance(work.job_id, 5 + percent * 85 // 100, step)

    doc = parse(work.text)
    if work.released:  # the release decides what the cover calls this draft, whatever the text says
        doc.meta.draft = draft_name(work.released, doc.language)
    if work.base_text is not None:
        result = export_redline(
            work.base_text,
            work.text,
            work.fmt,
            author=work.author,
            progress=progress,
            font_paths=work.font_paths,
        )
    else:
        result = export_parsed(
            doc, work.fmt, figures=work.figures, progress=progress, font_paths=work.font_paths
        )
    extension = PIPELINE_FORMATS[work.fmt][0]
    filename = f"{download_stem(doc, work.revision_number, work.base_number)}.{extension}"
    warnings = [{"zh": w.zh, "en": w.en} for w in result.warnings]
    return result.data, filename, result.media_type, warnings


def download_stem(doc: Any, revision_number: int, base_number: int | None = None) -> str:
    """`T-SZYL-3-2025` for a numbered standard; a draft without a number: title slug and revision."""
    from exports.api import file_stem

    stem = file_stem(doc)
    if not doc.meta.number:
        stem = f"{stem}-r{revision_number}"
    if base_number is not None:
        stem = f"{stem}-redline-r{base_number}-r{revision_number}"
    return stem


def _font_paths(app: Flask) -> list[str] | None:
    """EXPORT_FONT_PATHS: a list of folders, or one string separated like PATH."""
    configured = setting(app, "EXPORT_FONT_PATHS")
    if not configured:
        return None
    if isinstance(configured, str):
        return [p for p in configured.split(os.pathsep) if p]
    return [str(p) for p in configured]


def _store(sha256: str, data: bytes) -> None:
    """Keep `data` once under its SHA-256 (inside the result's write: the lock is held, so no other
    job can store the same bytes meanwhile on SQLite; on PostgreSQL the savepoint absorbs it)."""
    if db.session.get(ExportFile, sha256) is None:
        try:
            with db.session.begin_nested():
                db.session.add(ExportFile(sha256=sha256, data=data, size=len(data)))
        except IntegrityError:
            pass


def _fail(job: ExportJob, zh: str, en: str, *, now: datetime) -> None:
    job.status, job.step = JobStatus.FAILED.value, "failed"
    job.error_zh, job.error_en = zh, en
    job.finished_at = job.updated_at = now


def _both(message: Any) -> tuple[str, str]:
    """A translated message in Chinese and English, for a job row read in either language."""
    with force_locale("zh_CN"):
        zh = message()
    with force_locale("en"):
        en = message()
    return zh, en


def _internal_message() -> str:
    return _("The export failed because of an error on our side. It has been logged; try again later.")


def _interrupted_message() -> str:
    return _("The export was interrupted (the server restarted or a worker stopped). Ask for it again.")


def _queue_down_message() -> str:
    return _("The export queue cannot be reached. Try again in a few minutes.")
