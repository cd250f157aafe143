"""An export job that has already finished, stored as the export worker stores it.

Importable by name (`from finished_exports import finished_export`) like app_testing. Tests of pages
that offer a download (the permission matrices, the adoption desk, the XSS corpus) need a file to
serve without running pandoc or typst: this writes the file row and the done job exactly once.
"""

from __future__ import annotations

import hashlib

from accounts.database import utcnow
from authoring.models import Revision, Standard
from exports import TEMPLATE_VERSION
from exports.models import ExportFile, ExportJob
from extensions import db

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "dossier": "application/zip",
}
FILENAMES = {"html": "standard.html", "pdf": "standard.pdf", "dossier": "d.zip"}


def finished_export(
    standard: Standard, revision: Revision, data: bytes, *, format: str, cache_key: str | None = None
) -> ExportJob:
    """A done job of `format` for `revision` whose result is `data` (the file row is shared by hash)."""
    sha256 = hashlib.sha256(data).hexdigest()
    if db.session.get(ExportFile, sha256) is None:
        db.session.add(ExportFile(sha256=sha256, data=data, size=len(data)))
    now = utcnow()
    job = ExportJob(
        standard=standard,
        revision=revision,
        format=format,
        template_version=TEMPLATE_VERSION,
        cache_key=cache_key or sha256,
        status="done",
        progress=100,
        step="done",
        warnings=[],
        result_sha256=sha256,
        filename=FILENAMES[format],
        media_type=MEDIA_TYPES[format],
        size=len(data),
        created_at=now,
        updated_at=now,
    )
    db.session.add(job)
    return job
