"""A standard's history: one append-only list of what happened to it, written by every package.

DESIGN.md: "Every stage change is an event with who, when, why and which revision; the project's
history is that event list, never overwritten." Authoring writes created, saved, merged and restored;
exports writes exported; the workflow package adds stage changes, periods, comments, ballots and
decisions under kinds of its own (`EVENT_LABELS` is where a new kind gets its words). It lives here,
beside `Standard`, because every package that writes it imports authoring already. Verbs call
`record()` in the same unit of work as the change it records, so an event exists exactly when its
change was committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, event, func, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from accounts import audit
from accounts.database import UTCDateTime
from accounts.models import User
from authoring.models import Stage, Standard
from extensions import db

#: every kind of event and how a reader reads it; a kind missing here is refused by `record`
EVENT_LABELS: Mapping[str, Any] = {
    "created": _l("Project created from the blank skeleton"),
    "uploaded": _l("Project created from an uploaded file"),
    "imported": _l("Project created from a Word file"),
    "saved": _l("Revision saved"),
    "merged": _l("Revision saved, merged with a save made meanwhile"),
    "restored": _l("Earlier revision restored"),
    "exported": _l("Exported"),
    # workflow: stages, consultations, publication
    "stage_changed": _l("Stage changed"),
    "consultation_opened": _l("Released for consultation"),
    "consultation_closed": _l("Consultation closed"),
    "published": _l("Published: final revision with the number and dates"),
    "replaced": _l("Replaced by a new edition"),
    "revision_opened": _l("Revision started as a new project"),
    "revision": _l("Project created to revise a published standard"),
    "proposed": _l("Standard proposed"),
    "proposal_accepted": _l("Proposal accepted: project created from the blank skeleton"),
    "proposal_declined": _l("Proposal declined"),
    # workflow.ballots
    "ballot_opened": _l("Ballot opened"),
    "ballot_closed": _l("Ballot closed, result stored"),
    # workflow: comments
    "commented": _l("Comment made"),
    "comment_withdrawn": _l("Comment withdrawn"),
    "comment_disposed": _l("Comment disposed of"),
    "comments_imported": _l("Comments imported from the ISO/IEC template"),
    # adoption (采信): the dossier, the reviewers' desk, self-declarations
    "note_written": _l("Explanatory note edited"),
    "dossier_built": _l("Adoption dossier built"),
    "adoption_submitted": _l("Dossier submitted for adoption"),
    "adoption_review_started": _l("Adoption review started"),
    "adoption_checklist": _l("Adoption checklist updated"),
    "adoption_question": _l("Reviewer asked a question"),
    "adoption_answer": _l("Association answered the reviewer"),
    "adoption_new_dossier": _l("New dossier version attached"),
    "adopted": _l("Adopted by a government agency"),
    "adoption_returned": _l("Returned for revision by the agency"),
    "adoption_rejected": _l("Adoption rejected by the agency"),
    "declared": _l("Self-declaration made"),
    "declaration_withdrawn": _l("Self-declaration withdrawn"),
    "declaration_flagged": _l("Self-declaration flagged as false"),
}


#: the kinds that are also security-relevant decisions, so `record` writes them to the audit log
#: (accounts.audit) too: stage changes, publication, ballots opened and closed, dispositions,
#: proposals decided, adoption decisions. A verb that records one of these needs no second call.
AUDITED_EVENT_KINDS = frozenset(
    {
        "stage_changed",
        "consultation_opened",
        "consultation_closed",
        "published",
        "replaced",
        "revision_opened",
        "proposal_accepted",
        "proposal_declined",
        "ballot_opened",
        "ballot_closed",
        "comment_disposed",
        "adoption_submitted",
        "adopted",
        "adoption_returned",
        "adoption_rejected",
        "declaration_flagged",
    }
)
audit.describe_actions({kind: EVENT_LABELS[kind] for kind in AUDITED_EVENT_KINDS})


class StandardEvent(db.Model):
    """One thing that happened to a standard: who, when, what, on which revision, and why."""

    __tablename__ = "standard_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: when it happened (the verb's `now`)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: who did it; None for the operator's commands and for a deleted account
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: a key of `EVENT_LABELS`: "saved", "exported", later "stage_changed", "voted" …
    kind: Mapped[str] = mapped_column(String(40))
    #: the stage left and entered, for a stage change (`Stage` values)
    from_stage: Mapped[str | None] = mapped_column(String(32))
    to_stage: Mapped[str | None] = mapped_column(String(32))
    #: the revision number it concerns, when it concerns one
    revision: Mapped[int | None] = mapped_column(Integer)
    #: why, or what exactly, in words a person wrote or the verb composed ("PDF", a close reason)
    note: Mapped[str] = mapped_column(Text, default="")

    standard: Mapped[Standard] = relationship()
    actor: Mapped[User | None] = relationship()

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))

    @property
    def stages(self) -> str | None:
        """ "起草 → 征求意见" for a stage change, in the reader's language; None otherwise."""
        if not (self.from_stage and self.to_stage):
            return None
        return " → ".join(_stage_label(value) for value in (self.from_stage, self.to_stage))

    def __repr__(self) -> str:
        return f"<StandardEvent {self.standard_id} {self.kind} #{self.revision}>"


def _stage_label(value: str) -> str:
    try:
        return Stage(value).label
    except ValueError:
        return value


@event.listens_for(StandardEvent, "before_update")
def _events_are_append_only(_mapper: Any, _connection: Any, row: StandardEvent) -> None:
    """The history is never rewritten: a correction is a new event."""
    raise ValueError(f"{row!r} is append-only: record a new event instead")


def record(
    standard: Standard,
    actor: object,
    kind: str,
    *,
    now: datetime,
    revision: int | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    note: str = "",
) -> StandardEvent:
    """Add an event to `standard`'s history in the current unit of work (the verb flushes)."""
    if kind not in EVENT_LABELS:
        raise ValueError(f"unknown event kind {kind!r}: add it to EVENT_LABELS")
    row = StandardEvent(
        standard=standard,
        at=now,
        actor=actor if isinstance(actor, User) else None,
        kind=kind,
        revision=revision,
        from_stage=from_stage,
        to_stage=to_stage,
        note=note[:2000],
    )
    db.session.add(row)
    if kind in AUDITED_EVENT_KINDS:
        audit.record(
            kind,
            actor,
            subject=standard,
            organisation=standard.association,
            details={
                "from_stage": from_stage,
                "to_stage": to_stage,
                "revision": revision,
                "note": note or None,
            },
            now=now,
        )
    return row


def events_of(
    standard: Standard, *, newest_first: bool = True, limit: int | None = None
) -> list[StandardEvent]:
    """`standard`'s history with the actors loaded (one query), for the standard page and the API."""
    order = StandardEvent.id.desc() if newest_first else StandardEvent.id
    query = select(StandardEvent).where(StandardEvent.standard_id == standard.id).order_by(order)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query.options(joinedload(StandardEvent.actor))))


def count_events(standard: Standard, shown: list[StandardEvent], limit: int) -> int:
    """How many events `standard` has, given the `shown` newest (at most `limit`): a query only when
    the list was cut."""
    if len(shown) < limit:
        return len(shown)
    return (
        db.session.scalar(
            select(func.count()).select_from(StandardEvent).where(StandardEvent.standard_id == standard.id)
        )
        or 0
    )
