"""The audit log: an append-only, hash-chained list of the security-relevant things that happened.

Logins (failed and throttled ones too), logouts, accounts created, password changes (and wrong
current passwords), token changes, memberships and organisations, stage changes, ballots and votes,
decisions: issue 15 asks that each leave a trace that cannot be quietly rewritten. Each entry carries the SHA-256 of the one before it (`prev_hash`) and its own (`hash`,
over a canonical JSON of its fields and `prev_hash`), so changing or deleting a row breaks the chain
at that row and `flask --app wsgi audit verify` names it. The ORM refuses to update or delete an
entry and the database's triggers refuse raw UPDATE and DELETE; someone with the database's owner
rights can drop those, which is exactly what the chain is for.

A verb calls `record()` in its own unit of work; the entry joins the chain when that unit commits
(`_append_pending`, a `before_commit` listener), so an entry exists exactly when its change was
committed. Appending then takes the chain's lock (PostgreSQL: a transaction-level advisory lock;
SQLite: the database's write lock, `BEGIN IMMEDIATE`), reads the head and adds the entry with the
next id: two processes never chain onto the same previous hash, and the lock is held only for the
last milliseconds before COMMIT, after every row lock the verb took, so it cannot deadlock with them.
This module imports nothing of authoring or later packages: they call `record()` (authoring.events
does for the event kinds named in its `AUDITED_EVENT_KINDS`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, Integer, String, Text, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from accounts.database import UTCDateTime, begin_immediate, utcnow
from accounts.models import Organisation, User
from accounts.permissions import Operator
from extensions import db

#: the `prev_hash` of the first entry: there is nothing before it
GENESIS_HASH = "0" * 64

#: the key of PostgreSQL's advisory lock that serialises appends (any constant other code does not use)
ADVISORY_LOCK_KEY = 0x5346_4155_4449_5400  # "SFAUDIT\0"

#: the longest text a detail keeps: the log says what happened, it is not a copy of the change
MAX_DETAIL_LENGTH = 300

#: the key in `Session.info` of the entries recorded in the current unit of work, not yet appended
_PENDING = "audit_pending"

#: the triggers that refuse UPDATE and DELETE in the database, as the migration writes them too
SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
)


#: how the administrator's page names each action (the code is what is stored and hashed); a
#: package that records actions of its own adds their words with `describe_actions`
ACTION_LABELS: dict[str, Any] = {
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "login_throttled": _l("Login attempts throttled"),
    "logout": _l("Logged out"),
    "user_created": _l("Account created"),
    "password_changed": _l("Password changed"),
    "password_change_failed": _l("Failed password change"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "org_created": _l("Organisation created"),
    "org_renamed": _l("Organisation renamed"),
    "org_code_set": _l("Organisation code set"),
    "member_added": _l("Member added"),
    "membership_changed": _l("Membership changed"),
    "member_removed": _l("Member removed"),
    "invited": _l("Invitation sent"),
    "invitation_revoked": _l("Invitation withdrawn"),
    "invitation_accepted": _l("Invitation accepted"),
    "member_import_applied": _l("Member list imported"),
}


def describe_actions(labels: Mapping[str, Any]) -> None:
    """Name the actions a package records (called once, when its module is imported)."""
    ACTION_LABELS.update(labels)


class AuditEntry(db.Model):
    """One security-relevant event: who, when, from where, what, on what; chained to the one before.

    No foreign keys: an entry must outlive the account, organisation or standard it names (a
    cascade or SET NULL would be an update the triggers refuse), so it keeps the ids and the
    actor's e-mail as they were.
    """

    __tablename__ = "audit_log"

    #: the place in the chain: 1, 2, 3 … with no gaps (the appender assigns it under the lock)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: when it happened, UTC (the verb's `now`)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: what happened, a short code: "login", "login_failed", "membership_changed", "stage_changed" …
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: the acting account's id (None for the operator, an anonymous visitor, a failed login)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: who acted, as they were called then: the account's e-mail, "operator", or "" for nobody
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    #: the organisation it happened in, when it happened in one
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: what it happened to: "standard:12", "ballot:3", "membership:7", "" for the actor themselves
    subject: Mapped[str] = mapped_column(String(80), default="")
    #: the particulars, canonical JSON text (hashed as stored): roles, stages, the e-mail tried …
    details: Mapped[str] = mapped_column(Text, default="{}")
    #: the client's address, when it happened in a request
    remote_addr: Mapped[str | None] = mapped_column(String(45))
    #: the hash of the entry before (GENESIS_HASH for the first); unique, so the chain cannot fork
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: SHA-256 of `canonical_fields()`
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def canonical_fields(self) -> dict[str, Any]:
        """What the hash covers: every column but the hash itself (`HASHED_FIELDS`)."""
        fields = {name: getattr(self, name) for name in HASHED_FIELDS}
        fields["at"] = _timestamp(self.at)
        return fields

    def computed_hash(self) -> str:
        return entry_hash(self.canonical_fields())

    @property
    def details_dict(self) -> dict[str, Any]:
        try:
            value = json.loads(self.details or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.subject}>"


#: the columns the hash covers: all but `hash`
HASHED_FIELDS = (
    "id",
    "at",
    "action",
    "actor_id",
    "actor_label",
    "organisation_id",
    "subject",
    "details",
    "remote_addr",
    "prev_hash",
)

for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(AuditEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(
    AuditEntry.__table__,
    "after_drop",
    DDL("DROP FUNCTION IF EXISTS audit_log_refuse_change()").execute_if(dialect="postgresql"),
)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _entries_are_append_only(_mapper: Any, _connection: Any, row: AuditEntry) -> None:
    """The log is never rewritten: what happened next is a new entry."""
    raise ValueError(f"{row!r} is append-only: record a new entry instead")


def _timestamp(at: datetime) -> str:
    """`at` as the hash reads it: UTC to the microsecond, the same whichever database gave it back."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """SHA-256 of `fields` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def canonical_details(details: Mapping[str, Any] | None) -> str:
    """`details` as the JSON text an entry stores: sorted keys, long strings cut."""
    kept = {
        key: (value[:MAX_DETAIL_LENGTH] if isinstance(value, str) else value)
        for key, value in (details or {}).items()
        if value is not None
    }
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


@dataclass
class _Pending:
    """An entry recorded in a unit of work, appended to the chain when the unit commits; the
    actor and subject are kept as objects because a new row gets its id only at the flush."""

    action: str
    actor: object
    subject: object
    organisation: object
    details: str
    remote_addr: str | None
    at: datetime


def record(
    action: str,
    actor: object,
    *,
    subject: object = "",
    organisation: Organisation | int | None = None,
    details: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Add an entry to the audit log in the current unit of work: it joins the chain when the unit
    commits and is dropped with it when it rolls back.

    `actor` is a `User`, the operator, or None (nobody: a failed login names the e-mail tried in
    `details`); `subject` a "kind:id" string or a row (its table and id, read at the commit);
    `now` the verb's time (UTC; the current time when the verb has none).
    """
    at = now or utcnow()
    if at.tzinfo is None:
        raise ValueError("naive datetime given; use accounts.database.utcnow()")
    remote_addr = request.remote_addr if has_request_context() else None
    pending = _Pending(action, actor, subject, organisation, canonical_details(details), remote_addr, at)
    db.session().info.setdefault(_PENDING, []).append(pending)


def _actor_fields(actor: object) -> tuple[int | None, str]:
    if isinstance(actor, User):
        return actor.id, actor.email
    if isinstance(actor, Operator):
        return None, actor.name
    return None, ""


def _subject_text(subject: object) -> str:
    if isinstance(subject, str):
        return subject
    table = getattr(subject, "__tablename__", type(subject).__name__.lower())
    return f"{table.removesuffix('s')}:{getattr(subject, 'id', '')}"[:80]


def _organisation_id(organisation: object) -> int | None:
    if isinstance(organisation, Organisation):
        return organisation.id
    return organisation if isinstance(organisation, int) else None


def lock_chain(session: Session) -> None:
    """Hold the chain's lock until the transaction ends: appends happen one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    else:
        begin_immediate(session)


def head(session: Session) -> tuple[int, str]:
    """The id and hash of the last entry, (0, GENESIS_HASH) for an empty log."""
    row = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS_HASH)


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    """Chain the unit's entries onto the head, under the chain's lock, just before it commits."""
    pending: list[_Pending] = session.info.get(_PENDING) or []
    if not pending or session.in_nested_transaction():
        return
    session.flush()  # new accounts, memberships and standards get their ids
    lock_chain(session)
    last_id, last_hash = head(session)
    for item in pending:
        actor_id, actor_label = _actor_fields(item.actor)
        last_id += 1
        entry = AuditEntry(
            id=last_id,
            at=item.at,
            action=item.action,
            actor_id=actor_id,
            actor_label=actor_label,
            organisation_id=_organisation_id(item.organisation),
            subject=_subject_text(item.subject),
            details=item.details,
            remote_addr=item.remote_addr,
            prev_hash=last_hash,
        )
        entry.hash = last_hash = entry.computed_hash()
        session.add(entry)
    pending.clear()


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction: Any) -> None:
    """A unit of work that ended (committed, or rolled back) leaves nothing to append."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


# -- reading and verifying ------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """The first place the chain does not hold: the entry's id (or the id missing) and why."""

    entry_id: int
    reason: str


@dataclass(frozen=True)
class Verification:
    """What `verify` found: how many entries it read, the last hash, and the first fault if any."""

    count: int
    head_hash: str
    fault: Fault | None = None

    @property
    def intact(self) -> bool:
        return self.fault is None


def _row_hash(row: Mapping[str, Any]) -> str:
    """The hash of a row as read back, over the same fields as `AuditEntry.canonical_fields`."""
    fields = {name: row[name] for name in HASHED_FIELDS}
    fields["at"] = _timestamp(row["at"])
    return entry_hash(fields)


def _rows(session: Session, *, batch: int = 1000) -> Iterator[Mapping[str, Any]]:
    """Every entry in id order, as plain rows read in batches: the log grows without bound, and the
    ORM would keep every entry it read in the session."""
    table = AuditEntry.__table__
    after = 0
    while True:
        query = select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)
        rows = [row._mapping for row in session.execute(query)]
        if not rows:
            return
        yield from rows
        after = rows[-1]["id"]


def verify(session: Session) -> Verification:
    """Walk the chain in id order and recompute every hash; stop at the first fault.

    A changed row fails its own hash; a deleted row leaves a gap in the ids (the appender numbers
    them 1, 2, 3 … under its lock); a row moved, replaced or inserted by hand no longer follows the
    hash before it. Deleting the newest entries leaves a shorter chain that holds: compare the head
    hash with one noted earlier (`audit verify` prints it, `--head` checks it) to see that.
    """
    count, prev_hash = 0, GENESIS_HASH
    for row in _rows(session):
        expected_id = count + 1
        if row["id"] != expected_id:
            last = row["id"] - 1
            missing = str(expected_id) if last == expected_id else f"{expected_id}-{last}"
            reason = f"entry {missing} is missing (deleted): the chain goes on at {row['id']}"
            return Verification(count, prev_hash, Fault(expected_id, reason))
        if _row_hash(row) != row["hash"]:
            return Verification(
                count, prev_hash, Fault(row["id"], "its content was changed: the hash does not match")
            )
        if row["prev_hash"] != prev_hash:
            reason = "it does not follow the entry before it (moved, replaced or inserted by hand)"
            return Verification(count, prev_hash, Fault(row["id"], reason))
        count, prev_hash = count + 1, row["hash"]
    return Verification(count, prev_hash)


def recent(session: Session, limit: int = 50) -> list[AuditEntry]:
    """The newest `limit` entries, newest first (the administrator's page, `audit show`)."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def contains_hash(session: Session, entry_hash_value: str) -> bool:
    """Whether some entry has this hash (a head noted earlier is still in the chain)."""
    return (
        session.scalar(select(AuditEntry.id).where(AuditEntry.hash == entry_hash_value.strip().lower()))
        is not None
    )
