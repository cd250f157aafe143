"""Export jobs and their files.

A job is a row, so its progress is visible from any web process and any worker host. The finished
file is stored in the database as well (`ExportFile`, keyed by its SHA-256): with several gunicorn
hosts and RQ workers on other machines there is no shared disk to agree on, and a standard's exports
are a few hundred KB to a few MB, which PostgreSQL's bytea and SQLite's BLOB hold without trouble.
Identical files (the same text exported twice after a restore) are stored once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime, utcnow
from accounts.models import User
from authoring.models import Revision, Standard
from extensions import db


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


#: what each format is called on the buttons
FORMAT_LABELS = {
    "docx": "Word (DOCX)",
    "pdf": "PDF",
    "html": "HTML",
    "sts": "STS XML",
    "dossier": _l("Adoption dossier (ZIP)"),
}

#: the steps the pipeline reports (exports.api calls progress(percent, step)), in words for the page
STEP_LABELS = {
    "queued": _l("Waiting for a free export worker"),
    "start": _l("Starting"),
    "parse": _l("Reading the text"),
    "build": _l("Laying out the document"),
    "pandoc": _l("Writing the Word document"),
    "typst": _l("Typesetting the PDF"),
    "diff": _l("Comparing the two revisions"),
    "store": _l("Saving the file"),
    "note": _l("Writing the explanatory note"),
    "manifest": _l("Writing the manifest"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}


def job_cache_key(
    content_hash: str, fmt: str, template_version: str, *, base_hash: str | None = None, figures: str = ""
) -> str:
    """The SHA-256 naming everything an export's bytes depend on: text, base text, format, template, figures."""
    parts = (content_hash, base_hash or "-", fmt, template_version, figures)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ExportFile(db.Model):
    """The bytes of a finished export, stored once per distinct content."""

    __tablename__ = "export_files"

    #: SHA-256 of `data`, shown to users so that they can check what they downloaded
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExportJob(db.Model):
    """One export of a revision (or a redline between two), from the request to the file."""

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: the revision exported (the new side of a redline)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"), index=True)
    #: the old side of a redline; None for a plain export
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="CASCADE"))
    #: docx, pdf, html or sts
    format: Mapped[str] = mapped_column(String(8))
    #: exports.TEMPLATE_VERSION when the job was asked for
    template_version: Mapped[str] = mapped_column(String(32))
    #: job_cache_key(): a finished job with the same key is handed out instead of a new export
    cache_key: Mapped[str] = mapped_column(String(64), index=True)
    #: a JobStatus value
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    #: 0–100, and the pipeline's step name (a key of STEP_LABELS)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(32), default="queued")
    #: why it failed, in both interface languages (never a stack trace)
    error_zh: Mapped[str | None] = mapped_column(Text)
    error_en: Mapped[str | None] = mapped_column(Text)
    #: the pipeline's warnings (missing figures …): [{"zh": …, "en": …}]
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: the finished file
    result_sha256: Mapped[str | None] = mapped_column(ForeignKey("export_files.sha256", ondelete="SET NULL"))
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    #: who asked first (None for a visitor of a published standard, or a deleted account)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the last sign of life (queued, a step, finished): a job silent for too long was interrupted
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    standard: Mapped[Standard] = relationship()
    revision: Mapped[Revision] = relationship(foreign_keys=[revision_id])
    base_revision: Mapped[Revision | None] = relationship(foreign_keys=[base_revision_id])
    created_by: Mapped[User | None] = relationship()
    file: Mapped[ExportFile | None] = relationship()

    @property
    def status_enum(self) -> JobStatus:
        return JobStatus(self.status)

    @property
    def is_redline(self) -> bool:
        return self.base_revision_id is not None

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS.get(self.format, self.format))

    @property
    def step_label(self) -> str:
        return str(STEP_LABELS.get(self.step, self.step))

    def error(self, language: str) -> str | None:
        """The failure message in `language` ("zh" or "en")."""
        return self.error_en if language == "en" else self.error_zh

    def warning_texts(self, language: str) -> list[str]:
        return [w.get("en" if language == "en" else "zh", "") for w in self.warnings or []]

    def __repr__(self) -> str:
        return f"<ExportJob {self.id} {self.format} {self.status}>"
