"""Bench rows: casting a vote, in process and through gunicorn as `make run` serves it (issue 12).

- in process: the median time of one cast through the API (`POST /api/v1/ballots/{id}/votes` with
  a member's bearer token: authentication, the ballot's write lock, the cast kept, the commit) on a
  SQLite file with the demo data, against the issue's 20 ms;
- served: wrk posts casts for DURATION seconds at 16 connections to gunicorn with 2 workers
  × 4 threads on SQLite (the demo data migrated and loaded, `bench/bench_pages.py`'s set-up), the five
  demo members' tokens in turn, each cast changing that member's vote on the demo's review ballot;
  the trivial Flask page is measured in the same run for comparison. Row: time per cast (1 /
  throughput) against 1/300 s, the issue's 300 casts per second.

The API's per-token rate limit (600 a minute) is raised for the served run, which measures casting,
not the limiter (the limiter's own cost per request is still paid).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bench_pages  # noqa: E402
from bench import run as bench_run  # noqa: E402

#: the issue's targets
CAST_SECONDS = 0.020
CASTS_PER_SECOND = 300
VOTERS = tuple(f"member{n}@demo.test" for n in range(1, 6))
CHOICES = ("approve", "approve_with_comments", "abstain")


def in_process_cast(report: Callable[[str, float, float, float], None]) -> None:
    from accounts import tokens
    from accounts.database import utcnow
    from accounts.hooks import hooks
    from accounts.operations import find_user_by_email
    from accounts.permissions import OPERATOR
    from extensions import db
    from workflow.ballots.models import Ballot
    from wsgi import create_app

    with tempfile.TemporaryDirectory(prefix="bench-ballots-") as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "BASE_URL": "http://bench.test",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'ballots.sqlite3'}",
                "RATELIMIT_STORAGE_URI": "memory-swept://",
                "API_LIMIT": "100000 per minute",
            }
        )
        with app.app_context():
            db.create_all()
            for load in hooks(app).demo_loaders:
                load(app)
                db.session.commit()
            ballot_id = db.session.scalar(db.select(Ballot.id).where(Ballot.closed_at.is_(None)))
            secrets = [
                tokens.create_token(OPERATOR, find_user_by_email(e), "bench", now=utcnow()).secret
                for e in VOTERS
            ]
            db.session.commit()
            db.session.remove()
        client = app.test_client()
        turn = iter(range(10**9))

        def cast() -> None:
            n = next(turn)
            answer = client.post(
                f"/api/v1/ballots/{ballot_id}/votes",
                json={"choice": CHOICES[n % len(CHOICES)], "reasons": "基准测试"},
                headers={"Authorization": f"Bearer {secrets[n % len(secrets)]}"},
            )
            if answer.status_code != 201:
                raise RuntimeError(f"a cast answered {answer.status_code}: {answer.get_data(as_text=True)}")

        for _ in range(10):  # warm: templates, the first queries of each connection
            cast()
        seconds = bench_run.median_time(cast, max(bench_run.REPEAT, 51))
        print(f"  cast in process: {seconds * 1000:.1f} ms median (target ≤ {CAST_SECONDS * 1000:.0f} ms)")
        report("cast in process (API, SQLite) vs 20 ms", seconds, CAST_SECONDS, 1.0)


LUA = """
local tokens = {%(tokens)s}
local choices = {"approve", "approve_with_comments", "abstain"}
local n = 0
request = function()
  n = n + 1
  local body = '{"choice": "' .. choices[(n %% #choices) + 1] .. '", "reasons": "bench"}'
  return wrk.format("POST", "%(path)s", {
    ["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1],
    ["Content-Type"] = "application/json",
  }, body)
end
"""


def served_casts(report: Callable[[str, float, float, float], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-ballots-served-") as tmp:
        folder = Path(tmp)
        env = bench_pages.demo_environment(folder)
        env["API_LIMIT"] = "1000000 per minute"
        bench_pages.load_demo(env)
        flask = str(Path(sys.executable).with_name("flask"))
        made = subprocess.run(
            [flask, "create-token", *[a for e in VOTERS for a in ("--email", e)], "--name", "bench"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        secrets = [line.split("\t")[1] for line in made.splitlines() if "\t" in line]
        with sqlite3.connect(folder / "bench.sqlite3") as connection:
            ballot_id = int(
                connection.execute("SELECT id FROM ballots WHERE closed_at IS NULL").fetchone()[0]
            )
        path = f"/api/v1/ballots/{ballot_id}/votes"
        script = folder / "cast.lua"
        script.write_text(LUA % {"tokens": ", ".join(json.dumps(s) for s in secrets), "path": path})
        with (
            bench_pages.served(bench_pages.free_port(), "wsgi:create_app()", env) as app_url,
            bench_pages.served(bench_pages.free_port(), "bench.trivial_app:app", env) as trivial_url,
        ):
            bench_pages.wrk(trivial_url + "/", seconds=bench_pages.WARM_UP)
            trivial = bench_pages.wrk(trivial_url + "/")
            wrk_casts(app_url + path, script, bench_pages.WARM_UP)
            casts = wrk_casts(app_url + path, script, bench_pages.DURATION)
        with sqlite3.connect(folder / "bench.sqlite3") as connection:
            kept = int(
                connection.execute(
                    "SELECT count(*) FROM vote_casts WHERE ballot_id = ?", (ballot_id,)
                ).fetchone()[0]
            )
        print(
            f"  casts through gunicorn (2 workers, SQLite): {casts.requests_per_second:,.0f}/s "
            f"(target ≥ {CASTS_PER_SECOND}), p99 {casts.p99_seconds * 1000:.1f} ms; trivial page "
            f"{trivial.requests_per_second:,.0f} req/s; {kept:,} casts kept"
        )
        report(
            "casts/s through gunicorn vs 300/s",
            1 / casts.requests_per_second,
            1 / CASTS_PER_SECOND,
            1.0,
        )


def wrk_casts(url: str, script: Path, seconds: int) -> bench_pages.Load:
    """wrk posting casts with `script` (bench_pages.wrk's parsing; every answer must be a 201)."""
    command = [
        "wrk",
        "-t2",
        f"-c{bench_pages.CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=seconds + 60).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw failed casts:\n{output}")
    import re

    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    count = re.search(r"(\d+) requests in", output)
    if not (p99 and rate and count):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    units = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
    return bench_pages.Load(
        float(rate.group(1)), float(p99.group(1)) * units[p99.group(2)], int(count.group(1))
    )


def run(report: Callable[[str, float, float, float], None]) -> None:
    in_process_cast(report)
    served_casts(report)


if __name__ == "__main__":
    run(bench_run.Report())
