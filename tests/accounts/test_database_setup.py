"""The SQLite set-up (WAL, foreign keys, BEGIN IMMEDIATE) and UTC timestamps on every backend."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from accounts.database import begin_immediate, utcnow
from accounts.models import Organisation


def test_timestamps_come_back_as_aware_utc(db, make_org):
    org = make_org()
    db.session.expire_all()
    assert org.created_at.tzinfo is UTC
    assert abs((utcnow() - org.created_at).total_seconds()) < 60


def test_a_naive_datetime_is_refused(db, make_org):
    org = make_org()
    org.created_at = datetime(2026, 1, 1)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError from either backend
        db.session.execute(
            text(
                "INSERT INTO memberships (user_id, org_id, role, voting, weight, created_at) "
                "VALUES (999, 999, 'member', false, 1, '2026-01-01 00:00:00')"
            )
        )
        db.session.commit()
    db.session.rollback()


def test_sqlite_runs_in_wal_mode(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_begin_immediate_keeps_every_concurrent_increment(app, db, make_org):
    """PITFALLS.md: without BEGIN IMMEDIATE, concurrent read-then-write units lose updates on SQLite."""
    org = make_org(name="0")
    org_id = org.id
    db.session.remove()
    engine = db.engine
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                with Session(engine) as session:
                    begin_immediate(session)
                    row = session.get(Organisation, org_id, with_for_update=True)
                    row.name = str(int(row.name) + 1)
                    session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert db.session.get(Organisation, org_id).name == "80"


def test_begin_immediate_emits_begin_immediate_on_sqlite(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    statements: list[str] = []
    from sqlalchemy import event

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with Session(db.engine) as session:
            begin_immediate(session)
            session.execute(text("SELECT 1"))
            session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert "BEGIN IMMEDIATE" in statements
