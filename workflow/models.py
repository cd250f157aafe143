"""What the stages write besides the standard's own columns and its events: the comment periods.

A consultation releases one revision for comments until an end date, to the association's members or
also to the public; closing it (at the end, or early with a reason) is kept on the same row. The
stage itself is `Standard.stage`; what happened when is the event list (`authoring.events`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime
from accounts.models import User
from authoring.models import Standard
from extensions import db


class Audience(StrEnum):
    """Who may read and comment on a consultation draft."""

    MEMBERS = "members"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return str(AUDIENCE_LABELS[self])


AUDIENCE_LABELS = {
    Audience.MEMBERS: _l("The association's members"),
    Audience.PUBLIC: _l("Members and the public"),
}


class CommentPeriod(db.Model):
    """One consultation: the revision released as 征求意见稿, its audience, its end and its close."""

    __tablename__ = "comment_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: the number of the revision released for comments (frozen while the period runs)
    revision: Mapped[int] = mapped_column(Integer)
    #: when it was released (the verb's `now`)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the last day comments are taken, in the association's time zone (inclusive)
    closes_at: Mapped[date] = mapped_column(Date)
    #: an `Audience` value: "members", or "public" for members and the public
    audience: Mapped[str] = mapped_column(String(16), default=Audience.MEMBERS.value)
    #: when the secretariat closed it (at or after the end, or early); None while open
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why it was closed before its end date ("" when it had ended)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    #: who closed it (None for the operator or a deleted account)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    standard: Mapped[Standard] = relationship()
    closed_by: Mapped[User | None] = relationship()

    @property
    def audience_enum(self) -> Audience:
        return Audience(self.audience)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<CommentPeriod {self.standard_id}#{self.revision} → {self.closes_at}>"


def current_period(standard: Standard) -> CommentPeriod | None:
    """The standard's latest comment period (open or closed), or None before any consultation."""
    return db.session.scalar(
        select(CommentPeriod)
        .where(CommentPeriod.standard_id == standard.id)
        .order_by(CommentPeriod.id.desc())
        .limit(1)
    )
