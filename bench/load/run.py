"""The load of issue 15: voters, editors, exporters and readers at once against gunicorn, for minutes.

    .venv/bin/python bench/load/run.py --backend sqlite --minutes 5
    .venv/bin/python bench/load/run.py --backend postgresql --minutes 5   # with Redis and an RQ worker

Builds the world (bench/load/world.py) into a fresh database (a SQLite file in the output folder, or
the PostgreSQL database `standardforge_load` dropped and made again), starts gunicorn as `make serve`
does (2 workers × 4 threads, access log on) and, on PostgreSQL, an RQ worker (`flask --app wsgi
worker`) on Redis at 127.0.0.1:6379 (database 15, a queue of its own), checks that pages and JSON
come compressed, then runs locust headless (bench/load/locustfile.py, FastHttpUser, each class's
fixed count) and prints per endpoint the requests, req/s, p50/p95/p99 and failures, the issue's
targets met or missed, and locust's own CPU (one core is its ceiling: near 100 % the numbers
measure locust, not the app). The login limit per client address is raised for the run: every
user logs in from 127.0.0.1. Everything runs on loopback and stops by itself.

The other target, the cached standard page at 16 connections against a trivial Flask page, is
wrk's measurement: `.venv/bin/python bench/bench_pages.py` (or `--pages` here, after the load).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_pages import free_port, gunicorn_command  # noqa: E402
from bench.load import world as world_builder  # noqa: E402

BIN = Path(sys.executable).parent
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
POSTGRESQL_ADMIN = "postgresql://postgres@127.0.0.1/postgres"
POSTGRESQL_DATABASE = "standardforge_load"
REDIS_URL = "redis://127.0.0.1:6379/15"
#: the issue's targets
WRITE_P95_MS = 300
#: the rows whose p95 the target bounds: casting and saving
WRITES = (
    "voter POST /api/v1/ballots/{id}/votes",
    "voter POST /ballots/{id}/votes",
    "editor POST /api/v1/standards/{id}/revisions",
)
CLASSES = ("voter", "editor", "exporter", "reader")


@dataclass(frozen=True)
class Row:
    """One line of locust's stats CSV."""

    name: str
    requests: int
    failures: int
    rate: float
    p50: float
    p95: float
    p99: float


def postgresql_database() -> str:
    """The load's own PostgreSQL database, dropped and made again: the URL the app is given."""
    import psycopg

    with psycopg.connect(POSTGRESQL_ADMIN, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {POSTGRESQL_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {POSTGRESQL_DATABASE}")
    return f"postgresql+psycopg://postgres@127.0.0.1/{POSTGRESQL_DATABASE}"


def server_environment(database_url: str, folder: Path, port: int, backend: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EXPORT_RUNNER", "TEST_DATABASE_URL"}
    }
    env.update(
        DEMO="1",  # plain http on loopback: cookies without the Secure flag
        FLASK_APP="wsgi",
        DATABASE_URL=database_url,
        SECRET_KEY="load-" + os.urandom(8).hex(),
        BASE_URL=f"http://127.0.0.1:{port}",
        INSTANCE_PATH=str(folder / "instance"),
        # every simulated user logs in from 127.0.0.1
        LOGIN_LIMIT_PER_ADDRESS="100000 per minute",
    )
    if backend == "postgresql":
        env.update(REDIS_URL=REDIS_URL, EXPORT_QUEUE=f"load-exports-{os.getpid()}")
    return env


@contextlib.contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`command` in a session of its own, its output in `log`; SIGTERM'd (then killed) at the end."""
    with log.open("ab") as output:
        started = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield started
    finally:
        if started.poll() is None:
            os.killpg(started.pid, signal.SIGTERM)
            try:
                started.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(started.pid, signal.SIGKILL)
                started.wait()


def group_cpu_seconds(group_id: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a process group, from /proc:
    gunicorn's master and workers, or the RQ worker and its work horses."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group_id:
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return total / ticks


def group_waiting_seconds(group_id: int) -> float:
    """Seconds the live threads of a process group spent runnable but waiting for a core (the run
    queue, /proc/…/task/…/schedstat): how much the machine's other work held the server back."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[2]) != group_id:
                continue
            for task in (stat.parent / "task").glob("*/schedstat"):
                total += int(task.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def ballot_closer(url: str, world: world_builder.World) -> Callable[[], None]:
    """Closing the load's ballot early as its secretariat does (the API), with a reason."""

    def close() -> None:
        request = urllib.request.Request(
            f"{url}/api/v1/ballots/{world.ballot_id}/close",
            data=json.dumps({"reason": "负载测试：提前结束表决"}).encode(),
            headers={
                "Authorization": f"Bearer {world.secretariat_token}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            print(f"ballot {world.ballot_id} closed during the load: {response.status}", flush=True)

    return close


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/api/v1/registry?per_page=1", timeout=5).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + log.read_text()[-4000:]) from None
            time.sleep(0.2)


def compression(url: str, world: world_builder.World) -> list[tuple[str, str, int]]:
    """(path, Content-Encoding, bytes sent) of a page and of JSON answers, asked as a browser asks."""
    token = next(iter(world.edited.values()))[0]
    standard_id = next(iter(world.edited))
    checks = [
        ("/registry", {}),
        ("/api/v1/registry", {}),
        (f"/api/v1/standards/{standard_id}/revisions/1", {"Authorization": f"Bearer {token}"}),
    ]
    seen = []
    for path, headers in checks:
        request = urllib.request.Request(url + path, headers={"Accept-Encoding": "gzip, br", **headers})
        with urllib.request.urlopen(request, timeout=10) as response:
            seen.append((path, response.headers.get("Content-Encoding") or "none", len(response.read())))
    return seen


def run_locust(
    url: str,
    world_path: Path,
    counts: dict[str, int],
    seconds: int,
    spawn_rate: float,
    prefix: Path,
    log: Path,
    close_ballot: Callable[[], None] | None = None,
    close_after: float = 0.0,
) -> tuple[int, float]:
    """locust headless for `seconds`; its exit code and its own CPU seconds (user + system).
    `close_ballot` is called `close_after` seconds after locust starts, while it runs."""
    env = dict(os.environ)
    env.update(
        LOAD_WORLD=str(world_path),
        LOAD_VOTERS=str(counts["voter"]),
        LOAD_EDITORS=str(counts["editor"]),
        LOAD_EXPORTERS=str(counts["exporter"]),
        LOAD_READERS=str(counts["reader"]),
    )
    command = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        url,
        "-u",
        str(sum(counts.values())),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(prefix),
        "--only-summary",
        "--exit-code-on-error",
        "1",
    ]
    with log.open("ab") as output:
        started = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        timer = threading.Timer(close_after, close_ballot) if close_ballot else None
        if timer:
            timer.start()
        _pid, status, usage = os.wait4(started.pid, 0)
        if timer:
            timer.cancel()
    started.returncode = os.waitstatus_to_exitcode(status)
    return started.returncode, usage.ru_utime + usage.ru_stime


def read_stats(prefix: Path) -> list[Row]:
    rows = []
    with Path(f"{prefix}_stats.csv").open(newline="", encoding="utf-8") as stats:
        for line in csv.DictReader(stats):
            if line["Request Count"] == "0":
                continue  # a row emptied by the reset (a login made before it)
            rows.append(
                Row(
                    name=line["Name"],
                    requests=int(line["Request Count"]),
                    failures=int(line["Failure Count"]),
                    rate=float(line["Requests/s"]),
                    p50=float(line["50%"] or 0),
                    p95=float(line["95%"] or 0),
                    p99=float(line["99%"] or 0),
                )
            )
    return rows


def read_failures(prefix: Path) -> list[tuple[str, str, int]]:
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as failures:
        return [(line["Name"], line["Error"], int(line["Occurrences"])) for line in csv.DictReader(failures)]


def table(rows: list[Row]) -> str:
    lines = [f"{'endpoint':<58} {'requests':>9} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'fail':>5}"]
    for row in rows:
        lines.append(
            f"{row.name:<58} {row.requests:>9,} {row.rate:>7.1f} {row.p50:>6.0f} {row.p95:>6.0f} "
            f"{row.p99:>6.0f} {row.failures:>5}"
        )
    return "\n".join(lines)


def verdicts(rows: list[Row]) -> list[tuple[str, bool]]:
    """The issue's targets this run can judge: no errors, casting and saving p95 ≤ 300 ms, and every
    class of user served."""
    total = next(r for r in rows if r.name == "Aggregated")
    found = [
        (f"zero errors ({total.failures} of {total.requests:,} failed)", total.failures == 0),
    ]
    for name in WRITES:
        row = next((r for r in rows if r.name == name), None)
        found.append(
            (
                f"{name}: p95 {row.p95:.0f} ms ≤ {WRITE_P95_MS} ms" if row else f"{name}: no request",
                row is not None and row.p95 <= WRITE_P95_MS,
            )
        )
    for role in CLASSES:
        made = sum(r.requests for r in rows if r.name.startswith(role + " "))
        found.append((f"{role}s made {made:,} requests", made > 0))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--voters", type=int, default=200)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--exporters", type=int, default=5)
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20.0, help="users started per second")
    parser.add_argument("--out", type=Path, default=None, help="folder for the CSVs and logs (kept)")
    parser.add_argument(
        "--close-ballot-after",
        type=float,
        default=None,
        help="close the ballot this many seconds into the load: later votes must be refused (409)",
    )
    parser.add_argument("--pages", action="store_true", help="then bench_pages: cached page vs trivial")
    args = parser.parse_args(argv)
    counts = {
        "voter": args.voters,
        "editor": args.editors,
        "exporter": args.exporters,
        "reader": args.readers,
    }
    folder = args.out or Path(tempfile.mkdtemp(prefix=f"load-{args.backend}-"))
    folder.mkdir(parents=True, exist_ok=True)
    database_url = (
        postgresql_database() if args.backend == "postgresql" else f"sqlite:///{folder / 'load.sqlite3'}"
    )
    started = time.monotonic()
    world = world_builder.build(
        database_url,
        folder / "instance",
        voters=args.voters,
        editors=args.editors,
        exporters=args.exporters,
        readers=args.readers,
    )
    world_path = folder / "world.json"
    world.save(world_path)
    print(f"world built in {time.monotonic() - started:.1f} s ({args.backend}, {folder})", flush=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = server_environment(database_url, folder, port, args.backend)
    gunicorn = gunicorn_command(port, "wsgi:create_app()", access_log=str(folder / "access.log"))
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(process(gunicorn, env, folder / "gunicorn.log"))
        groups = {"gunicorn": server.pid}
        if args.backend == "postgresql":
            worker = stack.enter_context(process([str(BIN / "flask"), "worker"], env, folder / "worker.log"))
            groups["RQ worker"] = worker.pid
        wait_until_serving(url, server, folder / "gunicorn.log")
        for path, encoding, size in compression(url, world):
            print(f"compression: {path}: Content-Encoding {encoding}, {size:,} bytes sent")
        load_before = os.getloadavg()[0]
        cpu_before = {name: group_cpu_seconds(pid) for name, pid in groups.items()}
        waiting_before = group_waiting_seconds(server.pid)
        seconds = round(args.minutes * 60)
        print(f"locust: {counts} for {seconds} s, load average {load_before:.2f}", flush=True)
        code, locust_cpu = run_locust(
            url,
            world_path,
            counts,
            seconds,
            args.spawn_rate,
            folder / "locust",
            folder / "locust.log",
            close_ballot=ballot_closer(url, world) if args.close_ballot_after is not None else None,
            close_after=args.close_ballot_after or 0.0,
        )
        load_after = os.getloadavg()[0]
        cpu = {name: group_cpu_seconds(pid) - cpu_before[name] for name, pid in groups.items()}
        waiting = group_waiting_seconds(server.pid) - waiting_before
    rows = read_stats(folder / "locust")
    print(table(rows))
    for name, error, occurrences in read_failures(folder / "locust"):
        print(f"failure: {name}: {error} ×{occurrences}")
    outcomes = folder / "locust_outcomes.json"
    for what, count in sorted(json.loads(outcomes.read_text()).items() if outcomes.exists() else []):
        print(f"outcome: {what}: {count:,}")
    met = verdicts(rows)
    for words, ok in met:
        print(f"{'met   ' if ok else 'MISSED'} {words}")
    share = locust_cpu / seconds
    print(
        f"locust's own CPU: {locust_cpu:.0f} s in {seconds} s ({share:.0%} of one core"
        f"{', the bottleneck: the figures measure locust' if share > 0.9 else ''}); "
        f"load average {load_before:.2f} before, {load_after:.2f} after; logs in {folder}"
    )
    for name, seconds_used in cpu.items():
        print(f"{name}'s CPU: {seconds_used:.0f} s in {seconds} s ({seconds_used / seconds:.2f} cores)")
    print(
        f"gunicorn's threads waited {waiting:.0f} s for a core (runnable, not running): "
        f"{waiting / max(cpu['gunicorn'], 1):.2f} s per CPU second"
    )
    server_log = (folder / "gunicorn.log").read_text(errors="replace")
    errors = server_log.count("Traceback") + server_log.count("WORKER TIMEOUT")
    if errors:
        print(f"gunicorn.log has {errors} tracebacks or worker timeouts")
    print(
        "cached standard page at 16 connections vs a trivial Flask page: "
        + ("below" if args.pages else "`.venv/bin/python bench/bench_pages.py`")
    )
    if args.pages:
        subprocess.run([sys.executable, str(ROOT / "bench" / "bench_pages.py")], cwd=ROOT, check=False)
    return 0 if code == 0 and all(ok for _words, ok in met) else 1


if __name__ == "__main__":
    sys.exit(main())
