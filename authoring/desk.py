"""What waits for a user on "my desk" from authoring: the drafts they may edit now.

Registered by wsgi.DESK_SOURCES as `authoring.desk:desk_items`.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.hooks import DeskItem, OrgLink
from accounts.models import Membership, Organisation, Role, User
from authoring.models import Standard, StandardDrafter
from authoring.permissions import can_edit_standard, can_list_standards
from extensions import db


def desk_items(user: User) -> Iterator[DeskItem]:
    """The drafts `user` may edit now (`can_edit_standard` decides; the query only narrows the
    candidates to standards whose drafting group or secretariat `user` is in)."""
    secretariat_of = [m.org_id for m in user.memberships if m.role == Role.SECRETARIAT]
    drafting = select(StandardDrafter.standard_id).join(Membership).where(Membership.user_id == user.id)
    candidates = db.session.scalars(
        select(Standard)
        .where(Standard.id.in_(drafting) | Standard.association_id.in_(secretariat_of))
        .order_by(Standard.created_at.desc())
    )
    for standard in candidates:
        if not can_edit_standard(user, standard):
            continue
        yield DeskItem(
            kind=_("Draft"),
            title=_(
                "%(title)s: revision %(number)s, %(stage)s",
                title=standard.title_zh,
                number=standard.latest_number,
                stage=standard.stage_enum.label,
            ),
            url=url_for("editor.page", standard_id=standard.id),
            org_name=standard.association.name,
        )


def org_links(org: Organisation, user: User) -> Iterator[OrgLink]:
    """The association's standards, for those who may list them (registered by wsgi.ORG_LINKS)."""
    if not (org.is_association and can_list_standards(user, org)):
        return
    count = db.session.scalar(
        select(func.count()).select_from(Standard).where(Standard.association_id == org.id)
    )
    yield OrgLink(_("Standards"), url_for("authoring.standards", org_id=org.id), count)
