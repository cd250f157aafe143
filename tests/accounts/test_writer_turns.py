"""SQLite writers of two processes take turns (accounts.database.WriterQueue), with real processes.

Without turns the process that held the write lock kept it: its next thread, already queued on the
process's thread lock, tried the file lock at once, while the other process's writer tried only every
half millisecond. One worker then wrote while the other's threads all waited (casts through gunicorn's
2 workers × 4 threads: 190 a second, against 390 with single-threaded workers)."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import writer_turns

ROOT = Path(__file__).resolve().parents[2]


def test_two_processes_writing_at_once_take_turns_and_lose_nothing(tmp_path):
    database = tmp_path / "turns.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, pid INTEGER)")
    start_at = time.time() + 2  # after both interpreters have imported SQLAlchemy
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests" / "accounts")])}
    script = str(Path(writer_turns.__file__))
    processes = [
        subprocess.Popen([sys.executable, script, str(database), str(start_at)], env=env) for _ in range(2)
    ]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    with sqlite3.connect(database) as connection:
        order = [pid for (pid,) in connection.execute("SELECT pid FROM turns ORDER BY id")]
    assert len(order) == 2 * writer_turns.THREADS * writer_turns.ROUNDS  # every write kept
    assert set(order) == {process.pid for process in processes}
    # while both processes wait, the lock goes to the other one: most writes follow the other
    # process's (without turns, about one in six did); the ends, where one process is done, count too
    handed_over = sum(1 for before, after in itertools.pairwise(order) if before != after)
    assert handed_over >= 0.4 * (len(order) - 1), (handed_over, len(order))
