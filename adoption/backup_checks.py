"""What adoption asks a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): submissions per
agency and self-declarations per association."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.backup_checks import N_, counts_by
from adoption.models import Declaration, Submission
from authoring.models import Standard


def organisation_counts(session: Session, *, recompute: bool) -> dict[str, Any]:
    """Submissions per agency id, declarations per association id."""
    return {
        N_("adoption submissions per agency"): counts_by(session, select(Submission.agency_id, func.count())),
        N_("declarations per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(Declaration.id)).join(
                Declaration, Declaration.standard_id == Standard.id
            ),
        ),
    }
