"""A comment's rows: the comment with its disposition, every earlier wording, its anchor in each
revision it was placed in, and its replies.

The anchor of a comment in revision N is the row with the greatest `for_revision` ≤ N: a comment
is placed again in every revision saved while it is open (`operations.reanchor_revision`), and a
disposed or withdrawn one keeps the anchor it last had.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime
from accounts.models import User
from authoring.models import Standard
from extensions import db


class CommentType(StrEnum):
    """The ISO/IEC commenting template's types."""

    GENERAL = "ge"
    TECHNICAL = "te"
    EDITORIAL = "ed"

    @property
    def label(self) -> str:
        return str(TYPE_LABELS[self])


TYPE_LABELS = {
    CommentType.GENERAL: _l("General"),
    CommentType.TECHNICAL: _l("Technical"),
    CommentType.EDITORIAL: _l("Editorial"),
}


class Status(StrEnum):
    OPEN = "open"
    DISPOSED = "disposed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.OPEN: _l("Open"),
    Status.DISPOSED: _l("Disposed"),
    Status.WITHDRAWN: _l("Withdrawn by its author"),
}


class Decision(StrEnum):
    """A disposition: the four answers of the 汇总处理表."""

    ACCEPTED = "accepted"
    ACCEPTED_IN_PRINCIPLE = "accepted_in_principle"
    NOT_ACCEPTED = "not_accepted"
    NOTED = "noted"

    @property
    def label(self) -> str:
        return str(DECISION_LABELS[self])


DECISION_LABELS = {
    Decision.ACCEPTED: _l("Accepted"),
    Decision.ACCEPTED_IN_PRINCIPLE: _l("Accepted in principle"),
    Decision.NOT_ACCEPTED: _l("Not accepted"),
    Decision.NOTED: _l("Noted"),
}


class Moderation(StrEnum):
    """A public comment waits for the secretariat; members' comments are published at once."""

    PUBLISHED = "published"
    HELD = "held"
    HIDDEN = "hidden"


class AnchorState(StrEnum):
    PLACED = "placed"
    EDITED = "edited"
    OUTDATED = "outdated"

    @property
    def label(self) -> str:
        return str(ANCHOR_LABELS[self])


ANCHOR_LABELS = {
    AnchorState.PLACED: _l("placed"),
    AnchorState.EDITED: _l("words changed"),
    AnchorState.OUTDATED: _l("outdated"),
}


class Comment(db.Model):
    """One comment on a standard, in the ISO/IEC template's fields, with its disposition."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: who wrote it; None for a public commenter, an imported row or a deleted account
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: the name and organisation (提出单位) as the table prints them, kept as written at the time
    author_name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: a public commenter's address (shown to the secretariat only), for the throttle and replies
    email: Mapped[str] = mapped_column(String(254), default="")
    #: how it came: "member", "internal" (drafters, secretariat), "public", "imported"
    origin: Mapped[str] = mapped_column(String(16), default="member")
    #: a `CommentType` value
    type: Mapped[str] = mapped_column(String(2))
    #: plain text with line breaks, escaped on output
    comment: Mapped[str] = mapped_column(Text)
    proposed_change: Mapped[str] = mapped_column(Text, default="")
    #: the revision and the words it was made on, never changed
    made_on_revision: Mapped[int] = mapped_column(Integer)
    clause: Mapped[str] = mapped_column(String(200))
    exact: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(String(200), default="")
    suffix: Mapped[str] = mapped_column(String(200), default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    #: a `Status` value
    status: Mapped[str] = mapped_column(String(16), default=Status.OPEN.value, index=True)
    #: a `Moderation` value
    moderation: Mapped[str] = mapped_column(String(16), default=Moderation.PUBLISHED.value)
    #: the comment period it was made in (None: an internal comment outside a consultation)
    period_id: Mapped[int | None] = mapped_column(ForeignKey("comment_periods.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the last change of anything the pages show (an edit, a reply, a disposition, a re-anchoring)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the disposition: a `Decision` value, its reason, who and when, and the revision that applies it
    decision: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    disposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_in_revision: Mapped[int | None] = mapped_column(Integer)

    standard: Mapped[Standard] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    disposed_by: Mapped[User | None] = relationship(foreign_keys=[disposed_by_id])
    replies: Mapped[list[CommentReply]] = relationship(
        order_by="CommentReply.id", cascade="all, delete-orphan", back_populates="comment"
    )
    edits: Mapped[list[CommentEdit]] = relationship(order_by="CommentEdit.id", cascade="all, delete-orphan")
    anchors: Mapped[list[CommentAnchor]] = relationship(
        order_by="CommentAnchor.for_revision", cascade="all, delete-orphan", back_populates="comment"
    )

    @property
    def type_enum(self) -> CommentType:
        return CommentType(self.type)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def decision_enum(self) -> Decision | None:
        return Decision(self.decision) if self.decision else None

    def anchor_in(self, revision: int) -> CommentAnchor | None:
        """Its anchor as of revision `revision`: the latest placement at or before it."""
        found = None
        for anchor in self.anchors:
            if anchor.for_revision <= revision:
                found = anchor
        return found

    def __repr__(self) -> str:
        return f"<Comment {self.id} on {self.standard_id}#{self.made_on_revision} {self.clause}>"


class CommentEdit(db.Model):
    """A wording a comment had before its author changed it: every edit is kept."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: when it was replaced
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)
    type: Mapped[str] = mapped_column(String(2))
    comment: Mapped[str] = mapped_column(Text)
    proposed_change: Mapped[str] = mapped_column(Text, default="")


class CommentAnchor(db.Model):
    """Where a comment is in revision `for_revision`; an outdated one keeps where it was last placed."""

    __tablename__ = "comment_anchors"
    __table_args__ = (UniqueConstraint("comment_id", "for_revision", name="uq_comment_anchors_revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: the revision this placement is for
    for_revision: Mapped[int] = mapped_column(Integer)
    #: the revision the words were found in: `for_revision`, or for an outdated anchor the last one
    revision: Mapped[int] = mapped_column(Integer)
    clause: Mapped[str] = mapped_column(String(200))
    exact: Mapped[str] = mapped_column(Text, default="")
    prefix: Mapped[str] = mapped_column(String(200), default="")
    suffix: Mapped[str] = mapped_column(String(200), default="")
    #: character offsets in the clause's own source in `revision`
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    #: an `AnchorState` value
    state: Mapped[str] = mapped_column(String(16), default=AnchorState.PLACED.value)

    comment: Mapped[Comment] = relationship(back_populates="anchors")

    @property
    def state_enum(self) -> AnchorState:
        return AnchorState(self.state)


class CommentReply(db.Model):
    """A reply in a comment's thread (a drafter's question, the commenter's answer)."""

    __tablename__ = "comment_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    comment: Mapped[Comment] = relationship(back_populates="replies")
    author: Mapped[User | None] = relationship()
