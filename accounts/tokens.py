"""Personal tokens of the JSON API: make one (shown once), revoke it, find the user a token acts as.

A token is `sf_` and 43 characters of `secrets.token_urlsafe(32)` (256 bits); only its SHA-256 is
stored, so a copy of the database hands out no working token. Recording a token's last use must not
turn every API read into a write that queues on the write lock: `note_use` writes at most once a
minute per token, in a short transaction of its own, never in the request's unit of work.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from accounts import audit
from accounts.models import ApiToken, User
from accounts.operations import hash_token
from accounts.permissions import Actor, is_administrator
from accounts.refusals import Refused
from extensions import db

log = logging.getLogger(__name__)

#: what every token starts with, so a leaked one is recognisable (secret scanners, logs)
TOKEN_PREFIX = "sf_"

#: the longest name a token may have (the column's length)
MAX_TOKEN_NAME_LENGTH = 120

#: a token's last use is written at most this often
LAST_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A token just made: `secret` is shown to its owner once and never stored."""

    token: ApiToken
    secret: str


def create_token(actor: Actor, user: User, name: str, *, now: datetime) -> IssuedToken:
    """A new named token for `user`: by `user` themselves, or by the operator (`flask create-token`)."""
    if not (actor is user or is_administrator(actor)):
        raise Refused("forbidden", _("Only its owner makes a token for an account."))
    name = (name or "").strip()
    if not name:
        raise Refused("invalid", _("Give the token a name."), fields={"name": _("Give the token a name.")})
    if len(name) > MAX_TOKEN_NAME_LENGTH:
        message = _("A token's name has at most %(limit)s characters.", limit=MAX_TOKEN_NAME_LENGTH)
        raise Refused("invalid", message, fields={"name": message})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(secret), created_at=now)
    db.session.add(token)
    db.session.flush()
    audit.record(
        "token_created",
        actor,
        subject=token,
        details={"user_id": user.id, "email": user.email, "name": name},
        now=now,
    )
    return IssuedToken(token, secret)


def revoke_token(actor: Actor, token: ApiToken, *, now: datetime) -> None:
    """Make `token` stop working for good; revoking twice keeps the first time."""
    if not (isinstance(actor, User) and actor.id == token.user_id) and not is_administrator(actor):
        raise Refused("not_found", _("There is no such token."))
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record(
            "token_revoked",
            actor,
            subject=token,
            details={"user_id": token.user_id, "name": token.name},
            now=now,
        )
    db.session.flush()


def tokens_of(user: User) -> list[ApiToken]:
    """`user`'s tokens, newest first, revoked ones included (the account page shows them greyed)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(db.session.scalars(query))


def token_user(secret: str) -> tuple[ApiToken, User] | None:
    """The active token with this secret and its active user, or None (unknown, revoked, disabled)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    query = select(ApiToken).options(joinedload(ApiToken.user))  # one query: every request asks it
    token = db.session.scalar(query.where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    return token, token.user


def note_use(token: ApiToken, *, now: datetime) -> None:
    """Record that `token` was used at `now`, at most once per `LAST_USE_RESOLUTION`.

    It writes in a transaction of its own on another connection and commits at once, so the
    request's own unit of work stays a read (an API read takes no write lock) and a failure here
    (a busy database) costs the request nothing but a stale "last used".
    """
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_RESOLUTION:
        return
    table = ApiToken.__table__
    before = now - LAST_USE_RESOLUTION
    statement = (
        update(table)
        .where(table.c.id == token.id)
        .where(or_(table.c.last_used_at.is_(None), table.c.last_used_at < before))
        .values(last_used_at=now)
    )
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        log.warning("could not record the use of API token %s", token.id, exc_info=True)
