"""A dossier version the association uploads (made or amended outside the platform), bounded in size.

It is accepted only when every file matches its manifest and the manifest names the published
revision of this standard; it is then stored like a built dossier (a finished "dossier" job), so the
thread can attach it as a new version and the reviewer reads it like any other.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

from flask_babel import gettext as _

from accounts.models import User
from accounts.refusals import Refused
from accounts.uploads import ZipTooLarge, zip_members
from adoption.models import Submission
from adoption.permissions import can_answer
from exports import TEMPLATE_VERSION
from exports.dossier import DOSSIER_FORMAT, MEDIA_TYPE
from exports.dossier_manifest import MAX_FILES, NotADossier, verify_dossier
from exports.models import ExportFile, ExportJob, JobStatus
from extensions import db

#: the largest dossier accepted as an upload: below the request cap (MAX_CONTENT_LENGTH, 32 MB), so
#: a larger one is refused with this message rather than the generic 413 page; a built dossier (the
#: standard's DOCX and PDF, the note, a few tables) is a few MB
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
#: the most its files may declare once unpacked: a built dossier (the standard's DOCX and PDF, the
#: note and a few tables) is a few MB, and verifying inflates and hashes every byte
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def store_uploaded_dossier(
    submission: Submission, actor: User, data: bytes, *, now: datetime, language: str
) -> str:
    """Check and keep an uploaded dossier; returns its SHA-256 (the caller attaches it to an answer)."""
    can_answer(actor, submission).require("forbidden")
    if len(data) > MAX_UPLOAD_BYTES:
        raise Refused(
            "too_large", _("A dossier may be at most %(limit)s MB.", limit=MAX_UPLOAD_BYTES // 1024**2)
        )
    try:
        zip_members(data, max_members=MAX_FILES, max_unpacked_bytes=MAX_UNPACKED_BYTES)
    except ZipTooLarge:
        message = _(
            "The dossier would take more than %(limit)s MB once unpacked, or has more than %(files)s files: it is not one this platform built.",
            limit=MAX_UNPACKED_BYTES // 1024**2,
            files=MAX_FILES,
        )
        raise Refused("too_large", message, fields={"dossier_file": message}) from None
    try:
        verification = verify_dossier(io.BytesIO(data))
    except NotADossier as error:
        message = _(
            "The file is not a dossier: %(problem)s", problem=error.en if language == "en" else error.zh
        )
        raise Refused("invalid", message, fields={"dossier_file": message}) from None
    if not verification.ok:
        names = ", ".join(f"{p.path} ({p.kind})" for p in verification.problems)
        message = _("Files that do not match the manifest:") + " " + names
        raise Refused("invalid", message, fields={"dossier_file": message})
    standard = submission.standard
    revision = standard.revision(standard.published_revision or 0)
    if (
        revision is None
        or verification.manifest.get("standard", {}).get("content_sha256") != revision.content_hash
    ):
        message = _("This dossier is not of the published text of this standard.")
        raise Refused("invalid", message, fields={"dossier_file": message})
    sha256 = hashlib.sha256(data).hexdigest()
    if db.session.get(ExportFile, sha256) is None:
        db.session.add(ExportFile(sha256=sha256, data=data, size=len(data), created_at=now))
    db.session.add(
        ExportJob(
            standard=standard,
            revision=revision,
            format=DOSSIER_FORMAT,
            template_version=TEMPLATE_VERSION,
            cache_key=hashlib.sha256(f"upload:{sha256}:{now.isoformat()}".encode()).hexdigest(),
            status=JobStatus.DONE.value,
            progress=100,
            step="done",
            warnings=[],
            result_sha256=sha256,
            filename="uploaded-dossier.zip",
            media_type=MEDIA_TYPE,
            size=len(data),
            created_by=actor,
            created_at=now,
            updated_at=now,
            finished_at=now,
        )
    )
    db.session.flush()
    return sha256
