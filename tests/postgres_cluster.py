"""A PostgreSQL cluster of a test's own: made with initdb, served on a free port, stopped and
restarted at will, and always stopped at the end.

Importable by name (`from postgres_cluster import PostgresCluster`). The shared server on 5432 is
never touched: this cluster listens on its own port (TCP on 127.0.0.1, and a Unix socket in its own
folder). initdb refuses to run as root, so under root every PostgreSQL program runs as the
`postgres` account, in a folder under /tmp that it owns (pytest's tmp_path is closed to others).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from gunicorn_server import free_port

#: where Debian puts PostgreSQL 15's programs (POSTGRES_BIN overrides it)
POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))


class PostgresCluster:
    """One cluster in a temporary folder; `url` reaches its `postgres` database as user postgres."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="sf-postgres-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log_path = self.root / "postgres.log"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._account = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        self.socket_dir.mkdir()
        if self._account is not None:
            for path in (self.root, self.socket_dir):
                os.chown(path, self._account.pw_uid, self._account.pw_gid)

    def _run(self, *command: str, timeout: float = 60) -> None:
        extra: dict[str, Any] = {}
        if self._account is not None:
            extra = {"user": self._account.pw_uid, "group": self._account.pw_gid, "extra_groups": []}
        completed = subprocess.run(
            [str(POSTGRES_BIN / command[0]), *command[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
            **extra,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{command[0]} failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}\n"
                + self.log_tail()
            )

    def init(self) -> None:
        """initdb: trust on loopback, UTF-8, fsync off (a test cluster need not survive a power cut)."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")

    def _pg_ctl(self, action: str, *options: str) -> None:
        server_options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.log_path), "-w", "-t", "60",
            "-o", server_options, *options,
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every session is ended (its transaction rolled back), then it starts."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        """`pg_ctl stop -m fast`: every session is ended, and nothing answers until `start`."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def destroy(self) -> None:
        """Stop the cluster however it is (immediate shutdown, else SIGKILL) and delete its folder."""
        pid = self.postmaster_pid()
        if pid is not None:
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", "-t", "20")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, 0)
                os.kill(pid, signal.SIGKILL)  # still there: the postmaster's children die with it
                time.sleep(0.5)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, characters: int = 4000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]
        except OSError:
            return ""
