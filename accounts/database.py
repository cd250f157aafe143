"""Database plumbing shared by every package: URLs, the SQLite set-up, UTC timestamps.

SQLite is the embedded default, and Python's sqlite3 module handles transactions in a way that loses
updates under concurrent writers (PITFALLS.md: 349 of 400 increments lost; a deferred BEGIN raised
"database is locked" 352 times). Following SQLAlchemy's recipe for pysqlite we switch the driver's
own transaction handling off and emit BEGIN ourselves, so that a unit of work that reads and then
writes (a vote, a stage change) can ask for `BEGIN IMMEDIATE` and hold the write lock from its first
read. PostgreSQL needs none of this: there, lock the row you decide on (`SELECT … FOR UPDATE`).

Every other transaction begins deferred, as a read, and takes the write lock at its first write:
SQLite cannot upgrade a read transaction once another writer has committed since it began (it
answers "database is locked" at once, whatever the busy timeout: SQLITE_BUSY_SNAPSHOT), and a request
that loaded `current_user` and then writes (logout, login, the language switch) is exactly such a
transaction. So the first statement that is not a read ends the read transaction, which wrote
nothing, and starts `BEGIN IMMEDIATE`, which queues behind the current writer for the busy timeout.
What was read before stays as read, as under PostgreSQL's READ COMMITTED; a unit that decides on
what it read calls `begin_immediate` first.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Session, object_session, scoped_session
from sqlalchemy.types import TypeDecorator

#: milliseconds a SQLite connection waits for a lock before it gives up ("database is locked"): far
#: longer than any write transaction (a save prepares before the lock and holds it for milliseconds),
#: so writers queue behind one another instead of failing
SQLITE_BUSY_TIMEOUT_MS = 15_000

#: seconds a new PostgreSQL connection may take before it fails (libpq's `connect_timeout`, at least 2):
#: a database host that accepts the connection and then says nothing (a hung server, a half-open
#: network path) costs a request this long and then a 503, never a worker held until gunicorn kills it
POSTGRESQL_CONNECT_TIMEOUT_SECONDS = 3

#: the execution option read by the "begin" listener: "DEFERRED" (default), "IMMEDIATE", or "NONE"
#: for a connection that runs one read statement, which SQLite makes consistent by itself
SQLITE_BEGIN_OPTION = "sqlite_begin"

#: the key in a connection's `info` that is True while its transaction holds the write lock
_HOLDS_WRITE_LOCK = "sqlite_holds_write_lock"

#: the key in a connection's `info` that is True while it runs without a transaction (mode "NONE")
_READ_ONLY = "sqlite_read_only"

#: the first words of statements that only read: any other statement needs the write lock
_READ_STATEMENTS = ("SELECT", "PRAGMA", "EXPLAIN")

#: the key in a connection's `info` holding its place at the head of the writers' queue
_QUEUED = "sqlite_writer_queue"


#: seconds a process lets another process's waiting writer take the lock before its own next writer
#: tries (a little more than the waiting writer's polling interval)
_TURN_SECONDS = 0.0008
#: seconds between a waiting writer's tries of the file lock
_POLL_SECONDS = 0.0005


class WriterQueue:
    """Writers of one SQLite file wait their turn here before `BEGIN IMMEDIATE`, and are woken the
    moment the previous writer's transaction ends.

    SQLite's own busy handler makes a waiting writer sleep 1, 2, 5, … up to 100 ms between tries, so
    with a few threads in each of a few processes the write lock stands idle between writers and the
    unlucky wait for hundreds of milliseconds (casting a vote: 180 a second through gunicorn, p99
    600 ms). Here the threads of a process queue on a lock, and the processes on an exclusive
    `flock` of `<database>-writers.lock`, both of which the kernel hands on at once. SQLite's lock
    stays the truth: a writer that did not queue still waits for it, only less promptly.

    Processes take turns: a process's waiting writer marks itself with a shared `flock` of
    `<database>-writers.lock.waiting`, and a writer that leaves while another process waits lets
    it go first. Without turns the process that held the lock kept it (its next thread was already
    queued on the thread lock and tried the file at once, the other process's writer only every
    half millisecond), so one worker wrote while the other's threads all waited, and the holder
    shared its worker's interpreter lock with that worker's other requests: 190 casts a second
    through gunicorn's 2 workers × 4 threads where 2 single-threaded workers made 390.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.thread_lock = threading.Lock()
        self._fd: int | None = None
        self._waiting_fd: int | None = None
        self._pid = 0
        #: until when this process's next writer leaves the file lock to another process's
        self._turn_until = 0.0

    def _files(self) -> tuple[int, int]:
        if self._fd is None or self._waiting_fd is None or self._pid != os.getpid():
            # never share a descriptor across a fork: a flock belongs to the open file
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._waiting_fd = os.open(self.path + ".waiting", os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
            self._turn_until = 0.0
        return self._fd, self._waiting_fd

    def enter(self, info: dict[str, Any]) -> None:
        if info.get(_QUEUED) is not None:
            return
        if not self.thread_lock.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            return  # SQLite's busy timeout decides
        if not self._lock_file():
            self.thread_lock.release()
            return  # SQLite's busy timeout decides
        info[_QUEUED] = self

    def _lock_file(self) -> bool:
        """The file lock, waited for no longer than SQLite's busy timeout: a writer stuck in another
        process must cost the others their write (a clear "busy" answer), never a hung worker."""
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        try:
            writers, waiting = self._files()
            pause = self._turn_until - time.monotonic()
            if pause > 0:
                time.sleep(pause)  # another process's writer was waiting: its turn first
            marked = False
            while True:
                try:
                    fcntl.flock(writers, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        return False
                    if not marked:
                        marked = _try_flock(waiting, fcntl.LOCK_SH)
                    time.sleep(_POLL_SECONDS)
            if marked:
                fcntl.flock(waiting, fcntl.LOCK_UN)
            return True
        except OSError:
            return False

    @staticmethod
    def leave(info: dict[str, Any]) -> None:
        queue = info.pop(_QUEUED, None)
        if queue is None:
            return
        try:
            writers, waiting = queue._files()
            fcntl.flock(writers, fcntl.LOCK_UN)
            # nobody holds the shared mark if the exclusive one can be had: no other process waits
            if _try_flock(waiting, fcntl.LOCK_EX):
                fcntl.flock(waiting, fcntl.LOCK_UN)
                queue._turn_until = 0.0
            else:
                queue._turn_until = time.monotonic() + _TURN_SECONDS
        finally:
            queue.thread_lock.release()


def _try_flock(fd: int, kind: int) -> bool:
    """Take `kind` (shared or exclusive) on `fd` if it can be had at once."""
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


_QUEUES: dict[str, WriterQueue] = {}
_QUEUES_LOCK = threading.Lock()


def _writer_queue(engine: Engine) -> WriterQueue | None:
    """The queue of `engine`'s database file (None for an in-memory database)."""
    database = engine.url.database
    if database in (None, "", ":memory:"):
        return None
    path = str(Path(database).resolve()) + "-writers.lock"
    with _QUEUES_LOCK:
        return _QUEUES.setdefault(path, WriterQueue(path))


def utcnow() -> datetime:
    """The current time as an aware UTC datetime: the only kind of time the models store."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and read back as aware UTC, the same on SQLite and PostgreSQL.

    SQLite has no time zones, so an aware datetime would come back naive and fail comparisons
    with `utcnow()`; storing naive UTC everywhere avoids both surprises.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use accounts.database.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3 (the only driver installed), whatever the host gave us.

    Hosting platforms hand out `postgres://…`; SQLAlchemy would pick psycopg2 for `postgresql://`.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_sqlite_url(instance_path: str) -> str:
    """The embedded database: a file in the instance folder, so `make run` works on a bare machine."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(instance_path) / "standardforge.sqlite3")


def sqlite_engine_options() -> dict[str, Any]:
    """Engine options for SQLite: connections may move between threads (the dev server, tests)."""
    return {"connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}


def postgresql_engine_options(options: dict[str, Any]) -> dict[str, Any]:
    """Engine options for PostgreSQL, given what the configuration already sets: the pool checks
    each connection before lending it (a restarted server ended them all) and a connection attempt
    is bounded (accounts.database_outage answers what still fails)."""
    options.setdefault("pool_pre_ping", True)
    options.setdefault("connect_args", {}).setdefault("connect_timeout", POSTGRESQL_CONNECT_TIMEOUT_SECONDS)
    return options


def configure_sqlite_engine(engine: Engine) -> None:
    """Install the pysqlite recipe on `engine`: our own BEGIN, WAL, a busy timeout, foreign keys."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # stop pysqlite from emitting BEGIN (and COMMIT before DDL) itself; "begin" below does it
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")  # durable in WAL mode, and commits need no fsync
        cursor.close()

    queue = _writer_queue(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE", "NONE"):
            raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
        if mode == "NONE":  # one read, consistent by itself; `_before_write` refuses a write
            connection.info[_HOLDS_WRITE_LOCK] = False
            connection.info[_READ_ONLY] = True
            return
        connection.info.pop(_READ_ONLY, None)
        if mode == "IMMEDIATE" and queue is not None:
            queue.enter(connection.info)
        connection.info[_HOLDS_WRITE_LOCK] = True  # the BEGIN itself must pass the listener below
        connection.exec_driver_sql(f"BEGIN {mode}")
        connection.info[_HOLDS_WRITE_LOCK] = mode == "IMMEDIATE"

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(
        connection: Any, cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
    ) -> None:
        if connection.info.get(_HOLDS_WRITE_LOCK, True) or not connection.in_transaction():
            return
        if statement.lstrip()[:8].upper().startswith(_READ_STATEMENTS):
            return
        if connection.info.get(_READ_ONLY):
            raise ValueError("a connection begun with sqlite_begin='NONE' only reads")
        # the read transaction wrote nothing: end it, and queue for the write lock instead of
        # failing with SQLITE_BUSY_SNAPSHOT when another writer committed since it began
        cursor.connection.execute("COMMIT")
        if queue is not None:
            queue.enter(connection.info)
        cursor.connection.execute("BEGIN IMMEDIATE")
        connection.info[_HOLDS_WRITE_LOCK] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection: Any) -> None:
        # the transaction ends now (its COMMIT or ROLLBACK follows at once): the next writer may go
        WriterQueue.leave(connection.info)

    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    def _on_checkin(_dbapi_connection: Any, record: Any, *_args: Any) -> None:
        if record is not None:  # a connection given back mid-transaction gives up its place too
            WriterQueue.leave(record.info)


def begin_immediate(session: Session | scoped_session[Session]) -> None:
    """Make the session's transaction hold SQLite's write lock from now until the commit; nothing
    elsewhere (on PostgreSQL lock the row you decide on: `write_lock`).

    Call it before a unit of work that reads a row and then writes depending on what it read: two
    such units run one after the other instead of one losing its update. It commits nothing: a
    transaction that already holds the lock (it wrote, or began IMMEDIATE) keeps it; a read
    transaction, which wrote nothing, is ended and replaced by `BEGIN IMMEDIATE` (SQLite cannot
    upgrade it), so rows read before are re-read under the lock by whoever decides on them.
    """
    if isinstance(session, scoped_session):  # Flask-SQLAlchemy's db.session
        session = session()
    if session.get_bind().dialect.name != "sqlite":
        return
    if not session.in_transaction():
        session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        return
    connection = session.connection()
    if connection.info.get(_HOLDS_WRITE_LOCK):
        return
    connection.info[_HOLDS_WRITE_LOCK] = True  # these two statements must pass `_before_write`
    connection.exec_driver_sql("COMMIT")
    queue = _writer_queue(connection.engine)
    if queue is not None:
        queue.enter(connection.info)
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def write_lock(row: Any) -> None:
    """Hold the write lock for a decision about `row` until the commit, and re-read `row` under it.

    The one lock every verb that reads, decides and writes takes (a save's next number, the last
    secretariat, a vote before the close, a publication number): `BEGIN IMMEDIATE` on SQLite, where
    SQLAlchemy drops FOR UPDATE and the database has one write lock; `SELECT … FOR UPDATE` on the row
    on PostgreSQL, which under READ COMMITTED returns it as the previous holder committed it. Take it
    before the unit decides (`begin_immediate` commits nothing: a verb still only flushes), and keep
    slow work (diffs, renders, typesetting) before it: writers queue here.
    """
    session = object_session(row)
    if session is None:
        raise ValueError("write_lock needs a row loaded in a session")
    begin_immediate(session)
    session.refresh(row, with_for_update=True)
