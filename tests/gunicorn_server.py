"""The app under real gunicorn for the tests that need real processes (kills, database restarts).

Importable by name (`from gunicorn_server import Gunicorn`) like app_testing. gunicorn runs as
production runs it (2 workers × 4 threads, gunicorn.conf.py read from the working folder) in a
process group of its own, so that one signal reaches the master and every worker, and a test that
fails still leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from app_testing import ROOT

BIN = Path(sys.executable).parent
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_group(group_id: int) -> list[tuple[int, str, int]]:
    """The processes of a process group: (pid, state, parent pid), read from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[2]) == group_id:
            members.append((int(stat.parent.name), fields[0], int(fields[1])))
    return members


@contextlib.contextmanager
def child_subreaper() -> Iterator[None]:
    """Make this process the one orphans are given to (Linux), so killed workers get reaped: the
    init of a container often reaps nobody."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)


class Gunicorn:
    """The app under gunicorn in a process group of its own, so one signal reaches every process."""

    def __init__(self, database_url: str, tmp_path: Path, env: Mapping[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "gunicorn.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TEST_DATABASE_URL")}
        self.env.update(
            DATABASE_URL=database_url,
            SECRET_KEY="gunicorn-test",
            BASE_URL=self.url,
            INSTANCE_PATH=str(tmp_path / "instance"),
            EXPORT_RUNNER="thread",
            API_LIMIT="100000 per minute",
        )
        self.env.update(env or {})

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--preload",  # the app is imported once, then forked: a restart costs one import
                    "wsgi:create_app()",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/api/v1/registry?per_page=1", timeout=5).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start:\n" + self.log_tail()) from None
                time.sleep(0.05)

    def pids(self) -> tuple[int, frozenset[int]]:
        """The master's pid and its live workers' pids."""
        assert self.process is not None
        master = self.process.pid
        workers = frozenset(
            pid for pid, state, parent in process_group(master) if parent == master and state != "Z"
        )
        return master, workers

    def kill(self) -> None:
        """SIGKILL the master and its workers at once: no worker finishes its request."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        # the orphaned workers come to this process (a subreaper): reap them, so that none is left
        # holding the port or the database, and no zombie is left behind
        deadline = time.monotonic() + 30
        while (members := process_group(self.process.pid)) and time.monotonic() < deadline:
            for pid, state, parent in members:
                if state == "Z" and parent == os.getpid():
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(pid, os.WNOHANG)
            if all(state == "Z" and parent != os.getpid() for _pid, state, parent in members):
                return  # zombies another process must reap: dead, which is all that matters here
            time.sleep(0.01)

    def stop(self, grace: float = 15) -> None:
        """Stop gracefully (SIGTERM: the master stops its workers), and kill what is still there
        after `grace` seconds; nothing of the group is left either way."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        if self.process.poll() is None or process_group(self.process.pid):
            self.kill()

    def log_tail(self, characters: int = 6000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]
