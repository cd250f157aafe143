"""What authoring asks a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): every revision's
hash, recomputed from its restored text, every figure's hash from its restored bytes, and standards
and revisions per association."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.backup_checks import N_, counts_by
from authoring.figures import Figure
from authoring.models import Revision, Standard, content_hash

#: rows read at a time: texts are up to megabytes each
_BATCH = 200


def revision_hashes(session: Session, *, recompute: bool) -> dict[str, Any]:
    """{"standard#number": SHA-256}: the stored hash, or with `recompute` the hash of the text."""
    if recompute:
        rows = session.execute(
            select(Revision.standard_id, Revision.number, Revision.text).execution_options(yield_per=_BATCH)
        )
        hashes = {f"{standard}#{number}": content_hash(body) for standard, number, body in rows}
    else:
        rows = session.execute(select(Revision.standard_id, Revision.number, Revision.content_hash))
        hashes = {f"{standard}#{number}": stored for standard, number, stored in rows}
    return {N_("revision hashes"): hashes}


def figure_hashes(session: Session, *, recompute: bool) -> dict[str, Any]:
    """{figure id: SHA-256}: the stored one, or with `recompute` that of the picture's bytes."""
    if recompute:
        rows = session.execute(select(Figure.id, Figure.data).execution_options(yield_per=_BATCH))
        hashes = {str(figure): hashlib.sha256(data).hexdigest() for figure, data in rows}
    else:
        hashes = {str(figure): stored for figure, stored in session.execute(select(Figure.id, Figure.sha256))}
    return {N_("figure hashes"): hashes}


def organisation_counts(session: Session, *, recompute: bool) -> dict[str, Any]:
    """Standards and revisions per association id."""
    return {
        N_("standards per organisation"): counts_by(session, select(Standard.association_id, func.count())),
        N_("revisions per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(Revision.id)).join(
                Revision, Revision.standard_id == Standard.id
            ),
        ),
    }
