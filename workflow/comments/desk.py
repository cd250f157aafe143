"""On the desk: “consultations open” for the association's members (until when), and “comments to
dispose” for the drafters and the secretariat of each standard with open comments past its consultation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from accounts.database import utcnow
from accounts.hooks import DeskItem
from accounts.models import User
from authoring.models import Stage, Standard
from extensions import db
from workflow.comments.models import Comment, Moderation, Status
from workflow.comments.permissions import DISPOSING_STAGES, is_editor, period_open
from workflow.models import CommentPeriod


def desk_items(user: User) -> Iterator[DeskItem]:
    """Consultations `user` may comment on, then standards with comments for them to dispose."""
    yield from _consultations(user)
    yield from _to_dispose(user)


def _consultations(user: User) -> Iterator[DeskItem]:
    org_ids = [m.org_id for m in user.memberships]
    if not org_ids:
        return
    now = utcnow()
    periods = db.session.scalars(
        select(CommentPeriod)
        .join(Standard, Standard.id == CommentPeriod.standard_id)
        .where(
            Standard.association_id.in_(org_ids),
            Standard.stage == Stage.CONSULTATION.value,
            CommentPeriod.closed_at.is_(None),
        )
    ).all()
    for period in periods:
        if not period_open(period, now):
            continue
        standard = period.standard
        yield DeskItem(
            kind=_("Consultation"),
            title=_(
                "%(title)s: comments until %(date)s",
                title=standard.title_zh,
                date=period.closes_at.isoformat(),
            ),
            url=url_for("authoring.revision_page", standard_id=standard.id, number=period.revision),
            org_name=standard.association.name,
            due_at=datetime.combine(period.closes_at, time(23, 59), tzinfo=UTC),
        )


def _to_dispose(user: User) -> Iterator[DeskItem]:
    """One item per standard `user` drafts or runs the secretariat of, with open comments to dispose."""
    rows = db.session.execute(
        select(Standard, func.count(Comment.id))
        .join(Comment, Comment.standard_id == Standard.id)
        .where(
            Comment.status == Status.OPEN.value,
            Comment.moderation != Moderation.HIDDEN.value,
            Standard.stage.in_([s.value for s in DISPOSING_STAGES]),
        )
        .group_by(Standard.id)
    ).all()
    for standard, count in rows:
        if not is_editor(user, standard):
            continue
        yield DeskItem(
            kind=_("Comments to dispose"),
            title=f"{standard.title_zh}: " + ngettext("%(num)s open comment", "%(num)s open comments", count),
            url=url_for("comments.comment_list", standard_id=standard.id, status="open"),
            org_name=standard.association.name,
        )
