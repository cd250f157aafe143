"""What adoption keeps: submissions to an agency with their checklist and thread, and self-declarations.

A submission names its dossier by the SHA-256 of the ZIP (`export_files`), so what a reviewer reads
is exactly the file the manifest describes; a new version attached in the thread replaces the
submission's current dossier and the old one stays named on its message. The explanatory note's free
sections belong to the dossier, so they live in exports (`exports.note_sections`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime
from accounts.models import Organisation, User
from authoring.models import Standard
from extensions import db


class SubmissionStatus(StrEnum):
    """The Submission's `status` of spec/api.md."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    ADOPTED = "adopted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(SUBMISSION_STATUS_LABELS[self])

    @property
    def decided(self) -> bool:
        return self in (SubmissionStatus.RETURNED, SubmissionStatus.ADOPTED, SubmissionStatus.REJECTED)


SUBMISSION_STATUS_LABELS = {
    SubmissionStatus.SUBMITTED: _l("New"),
    SubmissionStatus.IN_REVIEW: _l("In review"),
    SubmissionStatus.RETURNED: _l("Returned for revision"),
    SubmissionStatus.ADOPTED: _l("Adopted"),
    SubmissionStatus.REJECTED: _l("Rejected"),
}


class Verdict(StrEnum):
    """A reviewer's decision (the `decision.decision` of spec/api.md)."""

    ADOPT = "adopt"
    RETURN = "return"
    REJECT = "reject"

    @property
    def label(self) -> str:
        return str(VERDICT_LABELS[self])


VERDICT_LABELS = {
    Verdict.ADOPT: _l("Adopt"),
    Verdict.RETURN: _l("Return for revision"),
    Verdict.REJECT: _l("Reject"),
}

#: the status each verdict leaves a submission in
VERDICT_STATUS = {
    Verdict.ADOPT: SubmissionStatus.ADOPTED,
    Verdict.RETURN: SubmissionStatus.RETURNED,
    Verdict.REJECT: SubmissionStatus.REJECTED,
}


class Submission(db.Model):
    """A dossier of a published standard submitted by its association to one government agency."""

    __tablename__ = "adoption_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: the day the agency should have decided by (REVIEW_DAYS after submission)
    due_on: Mapped[date] = mapped_column(Date)
    #: the current dossier: SHA-256 of its ZIP in export_files
    dossier_sha256: Mapped[str] = mapped_column(String(64))
    #: a SubmissionStatus value
    status: Mapped[str] = mapped_column(String(16), default=SubmissionStatus.SUBMITTED.value, index=True)
    #: a Verdict value once decided
    decision: Mapped[str | None] = mapped_column(String(16))
    #: why a submission was returned or rejected (or a note on an adoption)
    decision_reasons: Mapped[str] = mapped_column(Text, default="")
    #: the agency's adoption reference (文号), for an adoption
    reference: Mapped[str] = mapped_column(String(200), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    standard: Mapped[Standard] = relationship()
    agency: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    messages: Mapped[list[SubmissionMessage]] = relationship(
        back_populates="submission", order_by="SubmissionMessage.id", cascade="all, delete-orphan"
    )
    checklist: Mapped[list[ChecklistEntry]] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> SubmissionStatus:
        return SubmissionStatus(self.status)

    @property
    def waiting_for_association(self) -> bool:
        """Open, and the latest word in the thread is a reviewer's question."""
        if self.status_enum.decided or not self.messages:
            return False
        return self.messages[-1].from_agency

    def __repr__(self) -> str:
        return f"<Submission {self.id} of standard {self.standard_id} to {self.agency_id}: {self.status}>"


class SubmissionMessage(db.Model):
    """One question of a reviewer or answer of the association, optionally with a new dossier."""

    __tablename__ = "adoption_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("adoption_submissions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: True for the agency's side (a question), False for the association's (an answer)
    from_agency: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    #: a new dossier version attached with this answer (SHA-256 of its ZIP), if any
    dossier_sha256: Mapped[str | None] = mapped_column(String(64))

    submission: Mapped[Submission] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class ChecklistItem(StrEnum):
    """What a reviewer checks before adopting (issue 13)."""

    PROCEDURE = "procedure"
    CONSENSUS = "consensus"
    LAWS = "laws"
    APPLICATION = "application"
    TEXT_QUALITY = "text_quality"

    @property
    def label(self) -> str:
        return str(CHECKLIST_LABELS[self])


CHECKLIST_LABELS = {
    ChecklistItem.PROCEDURE: _l("The procedure is complete"),
    ChecklistItem.CONSENSUS: _l("Consensus is shown"),
    ChecklistItem.LAWS: _l("No conflict with laws and mandatory national standards"),
    ChecklistItem.APPLICATION: _l("Wide application is shown"),
    ChecklistItem.TEXT_QUALITY: _l("The text is of good quality"),
}


class ChecklistEntry(db.Model):
    """A reviewer's mark and note on one checklist item of a submission (the latest word counts)."""

    __tablename__ = "adoption_checklist"
    __table_args__ = (UniqueConstraint("submission_id", "item", name="uq_adoption_checklist_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("adoption_submissions.id", ondelete="CASCADE"))
    #: a ChecklistItem value
    item: Mapped[str] = mapped_column(String(32))
    met: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    submission: Mapped[Submission] = relationship(back_populates="checklist")
    by: Mapped[User | None] = relationship()


class DeclarationStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    FLAGGED = "flagged"

    @property
    def label(self) -> str:
        return str(DECLARATION_STATUS_LABELS[self])


DECLARATION_STATUS_LABELS = {
    DeclarationStatus.ACTIVE: _l("Active"),
    DeclarationStatus.WITHDRAWN: _l("Withdrawn"),
    DeclarationStatus.FLAGGED: _l("Flagged as false"),
}


class Declaration(db.Model):
    """An enterprise's public statement that its product or service implements a published standard."""

    __tablename__ = "declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: the declaring organisation's name
    organisation: Mapped[str] = mapped_column(String(200))
    #: its 统一社会信用代码, checked with GB 32100—2015's check digit
    credit_code: Mapped[str] = mapped_column(String(18))
    #: the product or service that implements the standard
    product: Mapped[str] = mapped_column(String(300))
    declared_on: Mapped[date] = mapped_column(Date)
    contact: Mapped[str] = mapped_column(String(200), default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: a DeclarationStatus value
    status: Mapped[str] = mapped_column(String(16), default=DeclarationStatus.ACTIVE.value)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    flag_reason: Mapped[str] = mapped_column(Text, default="")

    standard: Mapped[Standard] = relationship()
    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])
    flagged_by: Mapped[User | None] = relationship(foreign_keys=[flagged_by_id])

    @property
    def status_enum(self) -> DeclarationStatus:
        return DeclarationStatus(self.status)
