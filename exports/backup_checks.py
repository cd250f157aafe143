"""What exports ask a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): every stored export
file (built or uploaded dossiers among them) is the bytes its SHA-256 names."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.backup_checks import N_
from exports.models import ExportFile

_BATCH = 50


def file_hashes(session: Session, *, recompute: bool) -> dict[str, Any]:
    """The stored files' SHA-256 keys, or with `recompute` the SHA-256 of each one's bytes."""
    if recompute:
        rows = session.execute(select(ExportFile.data).execution_options(yield_per=_BATCH)).scalars()
        hashes = sorted(hashlib.sha256(data).hexdigest() for data in rows)
    else:
        hashes = sorted(session.scalars(select(ExportFile.sha256)))
    return {N_("export file hashes"): hashes}
