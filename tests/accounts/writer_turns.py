"""One process of `test_writer_turns.py`: THREADS threads, each taking SQLite's write lock through the
app's writer queue ROUNDS times, noting its process in the `turns` table, working a little under the
lock (as a vote's statements do) and committing.

    python tests/accounts/writer_turns.py DATABASE_FILE START_AT
"""

from __future__ import annotations

import os
import sys
import threading
import time

from sqlalchemy import create_engine, text

from accounts.database import SQLITE_BEGIN_OPTION, configure_sqlite_engine, sqlite_engine_options

THREADS = 3
ROUNDS = 40
#: seconds of work under the lock, and of work between two writes of one thread (a request's reads)
HELD, BETWEEN = 0.001, 0.0005


def main(path: str, start_at: float) -> None:
    engine = create_engine(f"sqlite:///{path}", **sqlite_engine_options())
    configure_sqlite_engine(engine)
    pid = os.getpid()

    def writer() -> None:
        for _ in range(ROUNDS):
            with engine.connect() as connection:
                connection = connection.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
                with connection.begin():
                    connection.execute(text("INSERT INTO turns (pid) VALUES (:pid)"), {"pid": pid})
                    time.sleep(HELD)
            time.sleep(BETWEEN)

    time.sleep(max(0.0, start_at - time.time()))  # both processes start writing together
    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
