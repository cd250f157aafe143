"""E-mail notices: what happened that a person should hear about, written in their language.

A verb that causes a notice (a ballot opened, a comment disposed, a decision) calls `notify` in the
same unit of work as its change, so a change rolled back leaves no notice behind. Each notice is a
row per recipient, with its subject and body already in the recipient's language and an absolute
link built from BASE_URL (never the request's Host header: PITFALLS.md, the Indico advisory).

Nothing is sent inside the request's transaction: `notify` only marks the session, and the session's
`after_commit` event hands the work to `accounts.notice_delivery.dispatch`, which sends the rows a
job claims (SMTP when MAIL_SERVER is configured, else the administrator's outbox). A rollback clears
the mark. Users turn categories off on their account page (`NoticeOptOut`); `notify` skips them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from accounts.database import UTCDateTime
from accounts.models import User
from accounts.permissions import Actor
from accounts.refusals import Refused
from extensions import db


@dataclass(frozen=True)
class NoticeCategory:
    """One kind of notice a user can turn off; `code` is stored, `label` is what the account page shows."""

    code: str
    label: object


#: every category, in the order the account page lists them: data, read by the page, `notify` and tests
CATEGORIES: tuple[NoticeCategory, ...] = (
    NoticeCategory("consultation_opened", _l("A comment period opened")),
    NoticeCategory("ballot_opened", _l("A ballot opened")),
    NoticeCategory("ballot_reminder", _l("A ballot closes in 48 hours and I have not voted")),
    NoticeCategory("ballot_result", _l("A ballot result")),
    NoticeCategory("comment_disposed", _l("A disposition of my comment")),
    NoticeCategory("dossier_submitted", _l("A dossier submitted for adoption review")),
    NoticeCategory("reviewer_question", _l("A reviewer's question")),
    NoticeCategory("adoption_decision", _l("An adoption decision")),
)
CATEGORY_CODES = frozenset(category.code for category in CATEGORIES)

#: the session `info` key that says this unit of work added notices (read after its commit)
PENDING_KEY = "notices_pending"

#: what a notice's words are: a function called in the recipient's language → (subject, body)
Words = Callable[[], tuple[str, str]]


class Notice(db.Model):
    """One notice to one person; sent (or delivered to the outbox) by a job after the commit."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: a `CATEGORIES` code
    category: Mapped[str] = mapped_column(String(32))
    #: what it is about, e.g. "ballot:12": one 48-hour reminder per voter and ballot is found by it
    topic: Mapped[str] = mapped_column(String(64), default="")
    #: the subject line, in the recipient's language when it was written
    subject: Mapped[str] = mapped_column(String(300))
    #: the plain-text body, ending with the absolute link
    body: Mapped[str] = mapped_column(Text)
    #: the path on this site the notice points to (the body holds it made absolute from BASE_URL)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when a delivery job took it, and that job's token (two jobs never send the same notice)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    claim: Mapped[str | None] = mapped_column(String(32))
    #: when it was sent by SMTP or delivered to the outbox; None while waiting or after a failure
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    #: "smtp" or "outbox" once delivered
    delivery: Mapped[str] = mapped_column(String(16), default="")
    #: the last delivery failure, for the administrator ("" when none)
    error: Mapped[str] = mapped_column(Text, default="")
    #: delivery attempts so far
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()

    @property
    def category_label(self) -> str:
        return str(next((c.label for c in CATEGORIES if c.code == self.category), self.category))

    def __repr__(self) -> str:
        return f"<Notice {self.id} {self.category} → {self.user_id}>"


class NoticeOptOut(db.Model):
    """A category a user turned off on their account page: `notify` writes them none of it."""

    __tablename__ = "notice_opt_outs"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)


def link_path(endpoint: str, **values: object) -> str:
    """The path of `endpoint` on this site, built the same in a request, a command or a job (a notice
    is written where there may be no request, and its host comes from BASE_URL, not from one)."""
    adapter = current_app.url_map.bind("notice.invalid", url_scheme="https")
    return adapter.build(endpoint, values)


def absolute(path: str) -> str:
    """`path` on the configured BASE_URL."""
    return str(current_app.config["BASE_URL"]).rstrip("/") + path


def opted_out(user_ids: Iterable[int], category: str) -> set[int]:
    """Which of `user_ids` turned `category` off."""
    ids = list(user_ids)
    if not ids:
        return set()
    rows = db.session.scalars(
        select(NoticeOptOut.user_id).where(NoticeOptOut.user_id.in_(ids), NoticeOptOut.category == category)
    )
    return set(rows)


def notify(
    recipients: Iterable[User | None],
    category: str,
    words: Words,
    link: str,
    *,
    now: datetime,
    topic: str = "",
) -> list[Notice]:
    """Write `category` notices to `recipients` (once each; inactive accounts and those who turned the
    category off get none), worded by `words()` in each recipient's language, in the caller's unit
    of work. The caller flushes and commits; the delivery job runs after the commit."""
    if category not in CATEGORY_CODES:
        raise ValueError(f"unknown notice category {category!r}")
    people: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.id is not None and user.is_active_account:
            people.setdefault(user.id, user)
    skipped = opted_out(people, category)
    languages = tuple(current_app.config.get("LANGUAGES", ("zh_CN", "en")))
    url = absolute(link)
    made = []
    for user in people.values():
        if user.id in skipped:
            continue
        locale = user.locale if user.locale in languages else languages[0]
        with force_locale(locale):
            subject, body = words()
            subject, body = str(subject), str(body)
        notice = Notice(
            user=user,
            category=category,
            topic=topic,
            subject=subject[:300],
            body=f"{body}\n\n{url}\n",
            link=link,
            created_at=now,
        )
        db.session.add(notice)
        made.append(notice)
    if made:
        db.session.info[PENDING_KEY] = True
    return made


def recent_notices(user: User, limit: int = 8) -> list[Notice]:
    """The user's latest notices, newest first: the desk lists the same items the mail carried."""
    return list(
        db.session.scalars(
            select(Notice).where(Notice.user_id == user.id).order_by(Notice.id.desc()).limit(limit)
        )
    )


def enabled_categories(user: User) -> set[str]:
    """The categories `user` receives (all but those turned off)."""
    return set(CATEGORY_CODES) - _off(user)


def _off(user: User) -> set[str]:
    return set(db.session.scalars(select(NoticeOptOut.category).where(NoticeOptOut.user_id == user.id)))


def set_preferences(actor: Actor, user: User, enabled: Iterable[str]) -> set[str]:
    """Keep the categories `user` wants (only the user themself may choose); the rest are turned off.
    Returns the categories now off."""
    if not isinstance(actor, User) or actor.id != user.id:
        raise Refused("forbidden", _("Only the account's owner chooses its notices."))
    wanted = set(enabled)
    unknown = wanted - CATEGORY_CODES
    if unknown:
        raise Refused("invalid", _("There is no such kind of notice."))
    off = set(CATEGORY_CODES) - wanted
    current = _off(user)
    for code in current - off:
        row = db.session.get(NoticeOptOut, (user.id, code))
        if row is not None:
            db.session.delete(row)
    for code in off - current:
        db.session.add(NoticeOptOut(user_id=user.id, category=code))
    db.session.flush()
    return off


# -- after the commit -------------------------------------------------------------------------


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    """The unit of work that wrote notices is committed: start their delivery (never before)."""
    if not session.info.pop(PENDING_KEY, False):
        return
    from accounts.notice_delivery import dispatch

    dispatch(current_app._get_current_object())  # type: ignore[attr-defined]


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    """A rolled-back unit of work sends nothing: its notices are gone with it."""
    session.info.pop(PENDING_KEY, None)
