"""What waits on "my desk" from ballots: the open ballots whose electorate includes the user.

Registered by wsgi.DESK_SOURCES as `workflow.ballots.desk:desk_items`; each item carries its close
time, so the desk lists the soonest first.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.database import utcnow
from accounts.hooks import DeskItem
from accounts.models import User
from extensions import db
from workflow.ballots.models import Ballot, BallotVoter


def desk_items(user: User) -> Iterator[DeskItem]:
    rows = db.session.execute(
        select(Ballot, BallotVoter)
        .join(BallotVoter, BallotVoter.ballot_id == Ballot.id)
        .where(BallotVoter.user_id == user.id, Ballot.closed_at.is_(None), Ballot.closes_at > utcnow())
        .order_by(Ballot.closes_at)
    ).all()
    for ballot, voter in rows:
        state = (
            _("your vote: %(choice)s", choice=voter.choice_enum.label)
            if voter.choice_enum
            else _("not voted yet")
        )
        yield DeskItem(
            kind=_("Ballot"),
            title=_(
                "%(title)s: %(kind)s on revision %(n)s (%(state)s)",
                title=ballot.standard.title_zh,
                kind=ballot.kind_enum.label,
                n=ballot.revision,
                state=state,
            ),
            url=url_for("ballots.ballot_page", ballot_id=ballot.id),
            org_name=ballot.standard.association.name,
            due_at=ballot.closes_at,
        )
