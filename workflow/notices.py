"""The notices workflow's verbs write (accounts.notices): a consultation, a ballot, its result, its
48-hour reminder, a comment's disposition.

Each is called by its verb inside the verb's unit of work (so a refused or rolled-back change writes
none) and words its subject and body in the recipient's language: `notify` calls the words function
once per recipient under that person's locale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.dates import show_date, show_datetime
from accounts.models import Role, User
from accounts.notices import Notice, link_path, notify
from authoring.models import Standard
from extensions import db
from workflow.ballots.models import Ballot, BallotVoter
from workflow.comments.models import Comment, Decision

#: how long before its close a voter who has not voted hears about a ballot
REMINDER_BEFORE = timedelta(hours=48)


def title_of(standard: Standard) -> str:
    """The standard's title in the language being written (the Chinese one when it has no other)."""
    locale = get_locale()
    if locale is not None and locale.language == "en" and standard.title_en:
        return standard.title_en
    return standard.title_zh


def _secretariat(standard: Standard) -> list[User]:
    return [m.user for m in standard.association.memberships if m.role == Role.SECRETARIAT]


def consultation_opened(standard: Standard, closes_at: date, *, now: datetime) -> None:
    """Every member of the association hears that the draft is open for comments, and until when."""
    people = [m.user for m in standard.association.memberships]

    def words() -> tuple[str, str]:
        title = title_of(standard)
        return (
            _("Comments invited: %(title)s", title=title),
            _(
                "The draft of %(title)s is open for comments until %(date)s.",
                title=title,
                date=show_date(closes_at),
            ),
        )

    notify(
        people,
        "consultation_opened",
        words,
        link_path("authoring.standard_page", standard_id=standard.id),
        now=now,
        topic=f"standard:{standard.id}",
    )


def ballot_opened(ballot: Ballot, voters: Iterable[User], *, now: datetime) -> None:
    """The electorate hears that a ballot is open and when it closes."""

    def words() -> tuple[str, str]:
        title = title_of(ballot.standard)
        return (
            _("Ballot open: %(title)s", title=title),
            _(
                "A %(kind)s on %(title)s is open. Vote before %(time)s.",
                kind=ballot.kind_enum.label,
                title=title,
                time=show_datetime(ballot.closes_at),
            ),
        )

    notify(voters, "ballot_opened", words, _ballot_link(ballot), now=now, topic=f"ballot:{ballot.id}")


def ballot_result(ballot: Ballot, *, now: datetime) -> None:
    """The electorate and the secretariat hear the result once the ballot is closed."""
    voters = db.session.scalars(
        select(User)
        .join(BallotVoter, BallotVoter.user_id == User.id)
        .where(BallotVoter.ballot_id == ballot.id)
    ).all()

    def words() -> tuple[str, str]:
        title = title_of(ballot.standard)
        verdict = _("passed") if ballot.passed else _("failed")
        return (
            _("Ballot result: %(title)s %(verdict)s", title=title, verdict=verdict),
            _(
                "The %(kind)s on %(title)s closed at %(time)s: it %(verdict)s.",
                kind=ballot.kind_enum.label,
                title=title,
                time=show_datetime(ballot.closed_at),
                verdict=verdict,
            ),
        )

    people = [*voters, *_secretariat(ballot.standard)]
    notify(people, "ballot_result", words, _ballot_link(ballot), now=now, topic=f"ballot:{ballot.id}")


def _ballot_link(ballot: Ballot) -> str:
    return link_path("ballots.ballot_page", ballot_id=ballot.id)


def remind_due(now: datetime) -> int:
    """Remind each voter who has not voted, once per ballot, when an open ballot closes within 48
    hours (for `flask --app wsgi workflow remind-due`, run from cron). Returns how many were written;
    the caller commits."""
    from accounts.database import begin_immediate

    begin_immediate(db.session)  # two runs at once write each reminder once
    ballots = db.session.scalars(
        select(Ballot)
        .where(Ballot.closed_at.is_(None), Ballot.closes_at > now, Ballot.closes_at <= now + REMINDER_BEFORE)
        .order_by(Ballot.id)
    ).all()
    written = 0
    for ballot in ballots:
        topic = f"ballot:{ballot.id}"
        reminded = select(Notice.user_id).where(Notice.category == "ballot_reminder", Notice.topic == topic)
        waiting = db.session.scalars(
            select(User)
            .join(BallotVoter, BallotVoter.user_id == User.id)
            .where(
                BallotVoter.ballot_id == ballot.id,
                BallotVoter.choice.is_(None),
                User.id.not_in(reminded),
            )
        ).all()

        def words(ballot: Ballot = ballot) -> tuple[str, str]:
            title = title_of(ballot.standard)
            return (
                _("Ballot closing soon: %(title)s", title=title),
                _(
                    "The %(kind)s on %(title)s closes at %(time)s and you have not voted yet.",
                    kind=ballot.kind_enum.label,
                    title=title,
                    time=show_datetime(ballot.closes_at),
                ),
            )

        written += len(notify(waiting, "ballot_reminder", words, _ballot_link(ballot), now=now, topic=topic))
    db.session.flush()
    return written


def comment_disposed(comment: Comment, *, now: datetime) -> None:
    """The comment's author (when they have an account) hears the disposition and its reason."""

    def words() -> tuple[str, str]:
        title = title_of(comment.standard)
        return (
            _(
                "Your comment on %(title)s: %(decision)s",
                title=title,
                decision=Decision(comment.decision).label,
            ),
            _(
                "Your comment on %(title)s was answered: %(decision)s. Reason: %(reason)s",
                title=title,
                decision=Decision(comment.decision).label,
                reason=comment.reason,
            ),
        )

    notify(
        [comment.author],
        "comment_disposed",
        words,
        link_path("comments.comment_page", comment_id=comment.id),
        now=now,
        topic=f"comment:{comment.id}",
    )
