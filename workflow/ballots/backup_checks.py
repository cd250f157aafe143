"""What ballots ask a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): every closed ballot's
result, recounted from the restored votes with the one `tally`, and ballots and casts per association."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.backup_checks import N_, counts_by
from authoring.models import Standard
from workflow.ballots.models import Ballot, VoteCast
from workflow.ballots.operations import current_tally


def tallies(session: Session, *, recompute: bool) -> dict[str, Any]:
    """{ballot id: {"passed", "result"}} of each closed ballot: as stored, or with `recompute` the
    tally of its current votes under its rule, by the one recount that closing it stores."""
    closed = session.scalars(select(Ballot).where(Ballot.closed_at.is_not(None)).order_by(Ballot.id))
    results: dict[str, Any] = {}
    for ballot in closed:
        if recompute:
            recount = current_tally(ballot, session)
            result = {"zh": recount.to_json("zh"), "en": recount.to_json("en")}
            results[str(ballot.id)] = {"passed": recount.passed, "result": result}
        else:
            results[str(ballot.id)] = {"passed": ballot.passed, "result": ballot.result}
    return {N_("ballot results"): results}


def organisation_counts(session: Session, *, recompute: bool) -> dict[str, Any]:
    """Ballots and vote casts per association id."""
    return {
        N_("ballots per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(Ballot.id)).join(
                Ballot, Ballot.standard_id == Standard.id
            ),
        ),
        N_("votes per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(VoteCast.id))
            .join(Ballot, Ballot.standard_id == Standard.id)
            .join(VoteCast, VoteCast.ballot_id == Ballot.id),
        ),
    }
