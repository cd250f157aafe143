"""What accounts asks a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): memberships and
invitations per organisation. A count is its own recomputation, so `recompute` changes nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from accounts.models import Invitation, Membership


def N_(name: str) -> str:
    """Mark a check's name for translation: the manifest keeps the English key, whatever the
    language of the backup, and the restore's report shows it translated (`gettext(name)`)."""
    return name


def organisation_counts(session: Session, *, recompute: bool) -> dict[str, Any]:
    """Memberships and invitations per organisation id."""
    return {
        N_("memberships per organisation"): counts_by(session, select(Membership.org_id, func.count())),
        N_("invitations per organisation"): counts_by(session, select(Invitation.org_id, func.count())),
    }


def counts_by(session: Session, query: Select[Any]) -> dict[str, int]:
    """`query` selects (key, count()); grouped by its key, as {"3": 12} (JSON keys are strings)."""
    key = query.selected_columns[0]
    return {str(value): count for value, count in session.execute(query.group_by(key)).all()}
