"""Proposals: a member of an association proposes a standard, the secretariat accepts or declines it.

Proposing creates a `Standard` in the stage `proposal` (without a revision) and its `Proposal` row,
and records "proposed". Accepting moves it to drafting through `workflow.operations.transition` and
writes revision 1, the blank GB/T 1.1 skeleton carrying the proposal's title and scope; declining
cancels it (proposal → cancelled) with the required reason as the note. The proposer sees the
outcome on the desk (`desk_items`, listed in wsgi.DESK_SOURCES); the association's page links the
proposal form and the secretariat's list (`org_links`, in wsgi.ORG_LINKS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime, write_lock
from accounts.hooks import DeskItem, OrgLink
from accounts.models import Organisation, Role, User
from accounts.permissions import Actor, role_in
from accounts.refusals import Decision, Refused
from authoring import operations as authoring
from authoring.document import with_derived_ids
from authoring.events import record
from authoring.models import Stage, Standard
from authoring.revision_changes import draft_revision
from authoring.skeleton import blank_standard
from extensions import db
from workflow import operations

#: the longest scope, reason or list of drafting units kept
MAX_TEXT = 4000


class Decided(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Proposal(db.Model):
    """What a member proposed for a standard in the stage `proposal`, and the secretariat's decision."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), unique=True, index=True
    )
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    scope: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    #: the proposed drafting units, as the proposer wrote them
    drafting_units: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a `Decided` value, or None while undecided
    decision: Mapped[str | None] = mapped_column(String(16))
    decision_reason: Mapped[str] = mapped_column(Text, default="")

    standard: Mapped[Standard] = relationship()
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_open(self) -> bool:
        return self.decision is None

    def __repr__(self) -> str:
        return f"<Proposal {self.id} of standard {self.standard_id}: {self.decision or 'open'}>"


# -- who may ----------------------------------------------------------------------------------------


def can_propose(actor: Actor, association: Organisation) -> Decision:
    """Every member of the association (any role)."""
    allowed = association.is_association and role_in(actor, association) is not None
    return Decision.of(allowed, _l("Only the association's members propose standards."))


def can_decide_proposals(actor: Actor, association: Organisation) -> Decision:
    """The association's secretariat."""
    allowed = role_in(actor, association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the association's secretariat decides on proposals."))


# -- verbs ------------------------------------------------------------------------------------------


def _units(text: str) -> list[str]:
    """The proposed drafting units as a list: one per line, or separated by 、，,；;"""
    return [unit.strip() for unit in re.split(r"[\n、，,；;]+", text) if unit.strip()]


def propose(
    association: Organisation,
    actor: User,
    *,
    title_zh: str,
    scope: str,
    reason: str,
    drafting_units: str,
    now: datetime,
) -> Proposal:
    """A new project in the stage `proposal` without a revision, with its proposal; "proposed" event."""
    can_propose(actor, association).require("forbidden")
    title_zh = (title_zh or "").strip()
    if not title_zh:
        raise Refused(
            "invalid", _("Give the Chinese title."), fields={"title_zh": _("Give the Chinese title.")}
        )
    if len(title_zh) > 300:
        raise Refused("invalid", _("The title is longer than 300 characters."))
    standard = Standard(
        association=association,
        title_zh=title_zh,
        stage=Stage.PROPOSAL.value,
        created_by=actor,
        created_at=now,
        latest_number=0,
    )
    db.session.add(standard)
    proposal = Proposal(
        standard=standard,
        proposer=actor,
        proposed_at=now,
        scope=(scope or "").strip()[:MAX_TEXT],
        reason=(reason or "").strip()[:MAX_TEXT],
        drafting_units=(drafting_units or "").strip()[:MAX_TEXT],
    )
    db.session.add(proposal)
    record(standard, actor, "proposed", now=now, to_stage=Stage.PROPOSAL.value, note=title_zh)
    db.session.flush()
    return proposal


def _require_open(proposal: Proposal) -> None:
    if not proposal.is_open or proposal.standard.stage != Stage.PROPOSAL.value:
        raise Refused("conflict", _("This proposal was decided meanwhile. Reload the page."))


def accept(proposal: Proposal, actor: User, *, now: datetime, note: str = "") -> Standard:
    """Accept: the project moves to drafting and gets revision 1, the skeleton with title and scope."""
    standard = proposal.standard
    can_decide_proposals(actor, standard.association).require("forbidden")
    text = blank_standard(
        title_zh=standard.title_zh,
        title_en=None,
        association=standard.association.name,
        scope=proposal.scope,
        drafting_units=_units(proposal.drafting_units),
    )
    draft = draft_revision(with_derived_ids(text), "created", None)  # analysed before the lock
    write_lock(standard)
    _require_open(proposal)
    operations.transition(standard, actor, Stage.DRAFTING, now=now, note=note, first_revision_follows=True)
    authoring.add_revision(standard, actor, draft, "", now=now)
    proposal.decision = Decided.ACCEPTED.value
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.decision_reason = (note or "").strip()[:MAX_TEXT]
    record(standard, actor, "proposal_accepted", now=now, revision=standard.latest_number, note=note)
    db.session.flush()
    return standard


def decline(proposal: Proposal, actor: User, *, now: datetime, reason: str) -> None:
    """Decline with a reason: the project is cancelled (proposal → cancelled, the reason as note)."""
    standard = proposal.standard
    can_decide_proposals(actor, standard.association).require("forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise Refused(
            "invalid",
            _("Give a reason for declining the proposal."),
            fields={"reason": _("Give a reason for declining the proposal.")},
        )
    write_lock(standard)
    _require_open(proposal)
    operations.transition(standard, actor, "cancel", now=now, note=reason)
    proposal.decision = Decided.DECLINED.value
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.decision_reason = reason[:MAX_TEXT]
    record(standard, actor, "proposal_declined", now=now, note=reason)
    db.session.flush()


# -- reading ----------------------------------------------------------------------------------------


def open_proposal_of(standard: Standard) -> Proposal | None:
    """The undecided proposal `standard` came from, while it is still in the stage proposal."""
    if standard.stage != Stage.PROPOSAL.value:
        return None
    proposal = db.session.scalar(select(Proposal).where(Proposal.standard_id == standard.id))
    return proposal if proposal is not None and proposal.is_open else None


def proposals_of(association: Organisation) -> list[Proposal]:
    """The association's proposals, open ones first, newest first."""
    rows = db.session.scalars(
        select(Proposal)
        .join(Standard, Standard.id == Proposal.standard_id)
        .where(Standard.association_id == association.id)
        .order_by(Proposal.proposed_at.desc(), Proposal.id.desc())
    )
    return sorted(rows, key=lambda p: not p.is_open)


def load_proposal(proposal_id: int, actor: Actor) -> Proposal:
    """The proposal if `actor` is a member of its association; 404 otherwise (403 is the verb's)."""
    from flask import abort

    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or role_in(actor, proposal.standard.association) is None:
        abort(404)
    return proposal


def desk_items(user: User) -> Iterator[DeskItem]:
    """The user's own proposals and what became of them; for the secretariat, those waiting."""
    mine = db.session.scalars(
        select(Proposal).where(Proposal.proposer_id == user.id).order_by(Proposal.proposed_at.desc())
    )
    for proposal in mine:
        standard = proposal.standard
        if proposal.decision == Decided.ACCEPTED:
            title = _("%(title)s: accepted, now in drafting", title=standard.title_zh)
            url = url_for("authoring.standard_page", standard_id=standard.id)
        elif proposal.decision == Decided.DECLINED:
            title = _(
                "%(title)s: declined. Reason: %(reason)s",
                title=standard.title_zh,
                reason=proposal.decision_reason,
            )
            url = url_for("proposals.new", org_id=standard.association_id)
        else:
            title = _("%(title)s: waiting for the secretariat's decision", title=standard.title_zh)
            url = url_for("proposals.new", org_id=standard.association_id)
        yield DeskItem(kind=_("My proposal"), title=title, url=url, org_name=standard.association.name)
    for membership in user.memberships:
        if membership.role != Role.SECRETARIAT or not membership.org.is_association:
            continue
        waiting = _open_count(membership.org)
        if waiting:
            yield DeskItem(
                kind=_("Proposals"),
                title=_("%(count)s proposals wait for a decision", count=waiting),
                url=url_for("proposals.index", org_id=membership.org_id),
                org_name=membership.org.name,
            )


def _open_count(association: Organisation) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Proposal)
            .join(Standard, Standard.id == Proposal.standard_id)
            .where(Standard.association_id == association.id, Proposal.decision.is_(None))
        )
        or 0
    )


def org_links(org: Organisation, user: User) -> Iterator[OrgLink]:
    """ "Propose a standard" for the association's members; the proposals list for its secretariat."""
    if not org.is_association:
        return
    if can_propose(user, org):
        yield OrgLink(_("Propose a standard"), url_for("proposals.new", org_id=org.id))
    if can_decide_proposals(user, org):
        yield OrgLink(_("Proposals"), url_for("proposals.index", org_id=org.id), _open_count(org))
