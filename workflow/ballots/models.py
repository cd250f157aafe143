"""What a ballot keeps: the ballot, its electorate fixed at the open, every cast, the current vote.

- `Ballot`: the revision voted on, its kind, its rule (the API's rule object, as JSON), its close
  time, and once closed the stored result (`result`: the Tally JSON in both languages), never
  changed after.
- `BallotVoter`: one row per voter per ballot, made when the ballot opens (the electorate is fixed
  then), with the weight the voter had. It carries the voter's current vote: a unique constraint on
  (ballot, user) is how the database guarantees one current vote per voter.
- `VoteCast`: every cast, append-only, with its receipt; the latest before the close is current.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime
from accounts.models import User
from authoring.models import Standard
from extensions import db
from workflow.ballots.rules import VoteRule, rule_from_json


class BallotKind(StrEnum):
    PROJECT = "project"
    REVIEW = "review"
    APPROVAL = "approval"
    WITHDRAWAL = "withdrawal"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])


KIND_LABELS = {
    BallotKind.PROJECT: _l("Project ballot"),
    BallotKind.REVIEW: _l("Review ballot (送审稿)"),
    BallotKind.APPROVAL: _l("Approval ballot (报批稿)"),
    BallotKind.WITHDRAWAL: _l("Withdrawal ballot"),
}


class Choice(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_COMMENTS = "approve_with_comments"
    DISAPPROVE = "disapprove"
    ABSTAIN = "abstain"

    @property
    def label(self) -> str:
        return str(CHOICE_LABELS[self])


CHOICE_LABELS = {
    Choice.APPROVE: _l("Approve"),
    Choice.APPROVE_WITH_COMMENTS: _l("Approve with comments"),
    Choice.DISAPPROVE: _l("Disapprove"),
    Choice.ABSTAIN: _l("Abstain"),
}


class Ballot(db.Model):
    """One vote of the electorate on one revision of a standard."""

    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: the revision voted on
    revision: Mapped[int] = mapped_column(Integer)
    #: a `BallotKind` value
    kind: Mapped[str] = mapped_column(String(16))
    #: the rule as the API's rule object (`VoteRule.to_json`)
    rule_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    #: when it closed (at its time, or early); None while open
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why it was closed early ("" when it closed at its time)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the voters (heads) and their summed weight, fixed at the open
    electorate_size: Mapped[int] = mapped_column(Integer)
    electorate_weight: Mapped[int] = mapped_column(Integer)
    #: how many casts so far (changes included): part of the standard page's cache key
    cast_count: Mapped[int] = mapped_column(Integer, default=0)
    #: the stored result: {"zh": Tally JSON, "en": Tally JSON}; None while open
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    standard: Mapped[Standard] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def kind_enum(self) -> BallotKind:
        return BallotKind(self.kind)

    @property
    def rule(self) -> VoteRule:
        return rule_from_json(self.rule_json)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def due(self, now: datetime) -> bool:
        """Open, and its close time has come: the next request or `close-due` closes it."""
        return self.closed_at is None and now >= self.closes_at

    def result_in(self, language: str) -> dict[str, Any] | None:
        if self.result is None:
            return None
        return self.result.get("en" if language == "en" else "zh")

    def __repr__(self) -> str:
        return f"<Ballot {self.id} {self.kind} on {self.standard_id}#{self.revision}>"


class BallotVoter(db.Model):
    """A member of a ballot's electorate, with the weight they had at the open and their current vote."""

    __tablename__ = "ballot_voters"
    __table_args__ = (UniqueConstraint("ballot_id", "user_id"),)  # one current vote each

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    #: the member's unit at the open, for the ballot record
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: the current vote (a `Choice` value), None before the first cast
    choice: Mapped[str | None] = mapped_column(String(24))
    reasons: Mapped[str] = mapped_column(Text, default="")
    cast_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt: Mapped[str | None] = mapped_column(String(32))
    casts: Mapped[int] = mapped_column(Integer, default=0)

    ballot: Mapped[Ballot] = relationship()
    user: Mapped[User] = relationship()

    @property
    def choice_enum(self) -> Choice | None:
        return Choice(self.choice) if self.choice else None


class VoteCast(db.Model):
    """One cast, kept for ever: the history a recount reads."""

    __tablename__ = "vote_casts"

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("ballot_voters.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[str] = mapped_column(Text, default="")
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime)
    receipt: Mapped[str] = mapped_column(String(32), unique=True)
