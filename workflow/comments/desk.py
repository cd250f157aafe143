"""“Comments to dispose” on the desk: for the drafters and the secretariat of each standard that has
open comments and is past its consultation."""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from accounts.hooks import DeskItem
from accounts.models import User
from authoring.models import Standard
from extensions import db
from workflow.comments.models import Comment, Moderation, Status
from workflow.comments.permissions import DISPOSING_STAGES, is_editor


def desk_items(user: User) -> Iterator[DeskItem]:
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
