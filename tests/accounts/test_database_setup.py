"""The SQLite set-up (WAL, foreign keys, BEGIN IMMEDIATE) and UTC timestamps on every backend."""

from __future__ import annotations

import threading
import time
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


# -- a read transaction that then writes: the request that loaded current_user and logs out ---------


@pytest.fixture
def sqlite_file_engine(tmp_path):
    """An engine on a SQLite file with the app's set-up, and a table of counters."""
    from sqlalchemy import create_engine

    from accounts.database import configure_sqlite_engine, sqlite_engine_options

    engine = create_engine(f"sqlite:///{tmp_path / 'writers.sqlite3'}", **sqlite_engine_options())
    configure_sqlite_engine(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counters (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO counters (id, value) VALUES (1, 0), (2, 0)"))
    yield engine
    engine.dispose()


def test_a_read_transaction_may_write_after_another_writer_committed(sqlite_file_engine):
    """SQLite refuses to upgrade a stale read snapshot (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout:
    the first write of a deferred transaction must start a fresh write transaction instead."""
    with Session(sqlite_file_engine) as reader, Session(sqlite_file_engine) as other:
        assert reader.execute(text("SELECT value FROM counters WHERE id = 1")).scalar() == 0
        other.execute(text("UPDATE counters SET value = value + 1 WHERE id = 2"))
        other.commit()
        reader.execute(text("UPDATE counters SET value = value + 1 WHERE id = 1"))
        reader.commit()
    with sqlite_file_engine.connect() as connection:
        values = connection.execute(text("SELECT value FROM counters ORDER BY id")).scalars().all()
    assert values == [1, 1]


def test_a_write_waits_for_the_writer_holding_the_lock_instead_of_failing(sqlite_file_engine):
    holding = threading.Event()
    finished: list[float] = []

    def hold_the_lock_for_a_second() -> None:
        with Session(sqlite_file_engine) as session:
            begin_immediate(session)
            session.execute(text("UPDATE counters SET value = 10 WHERE id = 2"))
            holding.set()
            threading.Event().wait(1.0)
            session.commit()
            finished.append(time.monotonic())

    with Session(sqlite_file_engine) as reader:
        reader.execute(text("SELECT value FROM counters")).all()  # the read transaction begins here
        holder = threading.Thread(target=hold_the_lock_for_a_second)
        holder.start()
        holding.wait(5)
        reader.execute(text("UPDATE counters SET value = 20 WHERE id = 1"))
        written_at = time.monotonic()
        reader.commit()
        holder.join()
    assert finished and written_at >= finished[0]
    with sqlite_file_engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM counters ORDER BY id")).scalars().all() == [20, 10]


def test_reads_alone_never_take_the_write_lock(sqlite_file_engine):
    import sqlite3

    with Session(sqlite_file_engine) as reader:
        reader.execute(text("SELECT value FROM counters")).all()
        other = sqlite3.connect(sqlite_file_engine.url.database, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # "database is locked" at once if the reader held the lock
            other.execute("ROLLBACK")
        finally:
            other.close()
        reader.commit()


# -- one read on a connection of its own: the kept read page's query --------------------------------


def _statements_of(engine, run) -> list[str]:
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements


def test_a_single_read_runs_without_begin_and_a_later_transaction_begins_again(sqlite_file_engine):
    from accounts.database import SQLITE_BEGIN_OPTION

    def one_read() -> None:
        with sqlite_file_engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "NONE"}) as connection:
            assert connection.execute(text("SELECT value FROM counters WHERE id = 1")).scalar() == 0

    assert not any(s.startswith("BEGIN") for s in _statements_of(sqlite_file_engine, one_read))

    def a_write() -> None:  # the same pooled connection, now in an ordinary transaction
        with Session(sqlite_file_engine) as session:
            session.execute(text("UPDATE counters SET value = 5 WHERE id = 1"))
            session.commit()

    assert any(s.startswith("BEGIN") for s in _statements_of(sqlite_file_engine, a_write))
    with sqlite_file_engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM counters WHERE id = 1")).scalar() == 5


def test_a_connection_begun_for_one_read_refuses_to_write(sqlite_file_engine):
    from accounts.database import SQLITE_BEGIN_OPTION

    read_only = sqlite_file_engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "NONE"})
    with read_only as connection, pytest.raises(ValueError, match="only reads"):
        connection.execute(text("UPDATE counters SET value = 7 WHERE id = 1"))
    with sqlite_file_engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM counters WHERE id = 1")).scalar() == 0
