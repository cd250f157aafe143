"""Standards (projects) and their revisions: the drafts a drafting group writes, kept forever.

A revision is immutable: saving makes a new one (numbered 1, 2, 3 … per standard, guaranteed unique
by the database), and the current draft is simply the latest. What a revision looks like rendered and
what the linter says about it depend only on its text, so they are computed once at save and kept in
`RenderCache` under the text's SHA-256: a page view reads them, never recomputes them.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime, utcnow
from accounts.models import Membership, Organisation, User
from extensions import db


def content_hash(text: str) -> str:
    """The SHA-256 of `text` as UTF-8, in hex: the key of everything derived from a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Stage(StrEnum):
    """The stages of DESIGN.md's life of a standard; the workflow package moves between them."""

    PROPOSAL = "proposal"
    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    DISPOSITION = "disposition"
    REVIEW = "review"
    APPROVAL = "approval"
    PUBLISHED = "published"
    ADOPTION_REVIEW = "adoption_review"
    ADOPTED = "adopted"
    PERIODIC_REVIEW = "periodic_review"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS.get(self, self.value))

    @property
    def editable(self) -> bool:
        """Drafters write while drafting and while disposing of comments, never otherwise."""
        return self in EDITABLE_STAGES

    @property
    def public(self) -> bool:
        """From publication on, the text belongs to everyone (a withdrawn standard's too: the registry
        keeps listing it, marked 废止)."""
        return self in PUBLIC_STAGES


EDITABLE_STAGES = frozenset({Stage.DRAFTING, Stage.DISPOSITION})
PUBLIC_STAGES = frozenset(
    {Stage.PUBLISHED, Stage.ADOPTION_REVIEW, Stage.ADOPTED, Stage.PERIODIC_REVIEW, Stage.WITHDRAWN}
)

STAGE_LABELS = {
    Stage.PROPOSAL: _l("Proposal"),
    Stage.DRAFTING: _l("Drafting"),
    Stage.CONSULTATION: _l("Consultation"),
    Stage.DISPOSITION: _l("Disposition of comments"),
    Stage.REVIEW: _l("Technical review"),
    Stage.APPROVAL: _l("Approval"),
    Stage.PUBLISHED: _l("Published"),
    Stage.ADOPTION_REVIEW: _l("Adoption review"),
    Stage.ADOPTED: _l("Adopted"),
    Stage.PERIODIC_REVIEW: _l("Periodic review"),
    Stage.WITHDRAWN: _l("Withdrawn"),
    Stage.CANCELLED: _l("Cancelled"),
}


class StandardDrafter(db.Model):
    """A membership on a standard's drafting group: that person may edit that standard."""

    __tablename__ = "standard_drafters"

    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    membership: Mapped[Membership] = relationship()


class Standard(db.Model):
    """A standard project of an association, from its first draft to its withdrawal."""

    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the association that makes (and later publishes) it
    association_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    #: the Chinese title, required (GB/T 1.1 cover)
    title_zh: Mapped[str] = mapped_column(String(300))
    #: the English title, optional
    title_en: Mapped[str | None] = mapped_column(String(300))
    #: the technical committee or drafting group that writes it, as the association names it
    committee: Mapped[str | None] = mapped_column(String(200))
    #: a `Stage` value; a plain string so the workflow package can own the transitions
    stage: Mapped[str] = mapped_column(String(32), default=Stage.DRAFTING.value)
    #: the number of the latest revision (0 before the first); the save lock is taken on this row
    latest_number: Mapped[int] = mapped_column(Integer, default=0)
    #: the secretariat member who created the project
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the published number, "T/ABC 12—2025" (U+2014); None until published, never changed after.
    #: Unique in the database, so two publications at the same instant cannot share one
    number: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: the association's sequence number within `number` (12 above); a revision keeps the old one
    sequence: Mapped[int | None] = mapped_column(Integer)
    #: the publication and implementation dates the cover and the registry show
    published_on: Mapped[date | None] = mapped_column(Date)
    implemented_on: Mapped[date | None] = mapped_column(Date)
    #: the number of the revision that was published (frozen for good)
    published_revision: Mapped[int | None] = mapped_column(Integer)
    #: the published standard this project replaces (a revision project), if any; indexed: the
    #: registry asks of every standard it lists whether one replaces it
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("standards.id", ondelete="SET NULL"), index=True
    )

    association: Mapped[Organisation] = relationship()
    replaces: Mapped[Standard | None] = relationship(remote_side="Standard.id", foreign_keys=[replaces_id])
    created_by: Mapped[User | None] = relationship()
    drafter_links: Mapped[list[StandardDrafter]] = relationship(cascade="all, delete-orphan")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="standard",
        order_by="Revision.number",
        cascade="all, delete-orphan",
        foreign_keys="Revision.standard_id",
    )

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)

    @property
    def title(self) -> str:
        return self.title_zh

    @property
    def drafters(self) -> list[Membership]:
        return [link.membership for link in self.drafter_links]

    def is_drafter(self, user: User) -> bool:
        """True when one of `user`'s memberships is on this standard's drafting group."""
        return any(link.membership.user_id == user.id for link in self.drafter_links)

    def latest_revision(self) -> Revision | None:
        return self.revision(self.latest_number) if self.latest_number else None

    def revision(self, number: int) -> Revision | None:
        return db.session.scalar(
            select(Revision).where(Revision.standard_id == self.id, Revision.number == number)
        )

    def __repr__(self) -> str:
        return f"<Standard {self.id} {self.title_zh}>"


class Revision(db.Model):
    """One saved state of a standard's text: never changed after it is written."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("standard_id", "number", name="uq_revisions_standard_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: 1, 2, 3 … within the standard; one per number is guaranteed by the unique constraint
    number: Mapped[int] = mapped_column(Integer)
    #: the whole Standard Markdown text, byte for byte as saved
    text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of `text`: the key of its `RenderCache` row
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: who saved it (None only when the account was deleted)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it was saved
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: why, in the author's own words ("采纳意见12"); what the product did (created, merged, restored)
    #: is `kind`, shown in the reader's language, never written into the message
    message: Mapped[str] = mapped_column(String(500), default="")
    #: the revision this one was made from: the previous latest (None for the first)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id", ondelete="SET NULL"))
    #: how the revision came about: "created" (blank skeleton), "uploaded", "saved", "merged" (with
    #: its parent, the revision saved meanwhile), "restored" (see `restored_from`)
    kind: Mapped[str] = mapped_column(String(16), default="saved")
    #: for a restored revision, the number of the revision whose text it brought back
    restored_from: Mapped[int | None] = mapped_column(Integer)
    #: characters inserted and deleted against the parent (character diff), for the history page
    chars_added: Mapped[int] = mapped_column(Integer, default=0)
    chars_removed: Mapped[int] = mapped_column(Integer, default=0)
    #: ids of clauses and terms touched against the parent: {"changed", "added", "deleted", "moved"}
    touched: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    standard: Mapped[Standard] = relationship(back_populates="revisions", foreign_keys=[standard_id])
    author: Mapped[User | None] = relationship()
    parent: Mapped[Revision | None] = relationship(remote_side="Revision.id")

    @property
    def touched_ids(self) -> list[str]:
        """Every id this revision changed, added or moved (deleted ones are gone from the text)."""
        touched = self.touched or {}
        moved = [entry["id"] if isinstance(entry, dict) else entry for entry in touched.get("moved", [])]
        return list(dict.fromkeys([*touched.get("changed", []), *touched.get("added", []), *moved]))

    def render(self) -> RenderCache | None:
        return db.session.get(RenderCache, self.content_hash)

    def __repr__(self) -> str:
        return f"<Revision {self.standard_id}#{self.number}>"


@event.listens_for(Revision, "before_update")
def _revisions_are_immutable(_mapper: Any, _connection: Any, revision: Revision) -> None:
    """A saved revision never changes: history, diffs and comments anchored to it rely on that."""
    raise ValueError(f"{revision!r} is immutable: save a new revision instead")


class RenderCache(db.Model):
    """What a text renders to and what the linter says of it, computed once per distinct text.

    Keyed by content hash, so a restored revision or two standards with the same text share a row.
    """

    __tablename__ = "render_cache"

    #: SHA-256 of the text these results are for
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: the numbered HTML fragment (sanitised), with id anchors and data-line attributes
    html: Mapped[str] = mapped_column(Text)
    #: the outline JSON of spec §4
    outline: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: lint findings, each {"rule", "severity", "line", "clause", "message": {"zh", "en"}}
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: cross reference targets: [{"id", "label", "title"}] for the editor's picker
    labels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: {clause id: [sha-256 of its own source, parent id]} to find the clauses a save touched
    #: without parsing the parent revision again
    clause_digests: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: what the editor needs besides: {"language": "zh", "foreword_sentences": [...]}
    hints: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: counts of error and warning findings, for lists and the toolbar
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    #: when it was computed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def findings_in(self, language: str) -> list[dict[str, Any]]:
        return findings_in(self.findings, language)


def findings_in(findings: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Stored findings with the message in `language` ("zh" or "en"), as the lint JSON shape."""
    lang = "en" if language.startswith("en") else "zh"
    return [{**finding, "message": finding["message"][lang]} for finding in findings]
