"""Bench rows: pages served as `make run` serves them, under load, against a trivial Flask page (issue 9).

One run starts two gunicorn servers on free ports of 127.0.0.1, both exactly as `make run` does
(2 workers × 4 threads, access log on): the app with the demo data migrated and loaded into a
temporary SQLite database, and `bench.trivial_app`. wrk (Debian's `wrk`, in the Makefile's
APT_PACKAGES) loads each page for DURATION seconds at 16 connections, one after the other, each
after a short warm-up, asking for compression as a browser does. A member logs in once through the
real form; the load reuses the cookie. Both pages are measured in the same run, so load from other
processes on the machine falls on both; still, run it on a quiet machine.

Rows, in the units of bench/run.py (milliseconds; ratio ours / base at most the target):
- time per request (1 / throughput) of the page against the trivial page's: a ratio of at most
  1 / 0.30 means the page serves at least 30 % of the trivial page's throughput;
- p99 latency of the page against the 50 ms target (ratio at most 1.0), and the trivial page's too.

Later issues add their pages (the registry, the workflow pages) to PAGES.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: seconds of load per page
DURATION = int(os.environ.get("BENCH_PAGES_SECONDS", "10"))
CONNECTIONS = 16
#: seconds of load before each measurement, unmeasured: both workers' first requests (templates
#: compiled, translations read, the page's fragment rendered) are start-up, not serving
WARM_UP = 2
#: the issue's targets: at least this share of the trivial page's throughput, and this p99
THROUGHPUT_SHARE = 0.30
P99_SECONDS = 0.050
#: who reads, with the demo's password (DEMO_PASSWORD's default)
MEMBER_EMAIL = "member1@demo.test"
#: what Chromium and Firefox ask for
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class Load:
    """What wrk measured for one page."""

    requests_per_second: float
    p99_seconds: float
    requests: int


#: (row name, the page's path given the demo standard's id); a member of its association reads them
PAGES: list[tuple[str, Callable[[int], str]]] = [
    ("read page", lambda standard_id: f"/standards/{standard_id}"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_command(port: int, application: str, access_log: str = "-") -> list[str]:
    """The `make serve` command line, on `port`, its access log to `access_log` ("-": standard output)."""
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--access-logfile",
        access_log,
        application,
    ]


@contextmanager
def served(port: int, application: str, env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving `application` on `port` until the block ends; yields its base URL."""
    server = subprocess.Popen(
        gunicorn_command(port, application),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start for {application}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def demo_environment(folder: Path) -> dict[str, str]:
    """`make run`'s environment, with the database and instance folder in `folder`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "BASE_URL"}}
    env.update(
        DEMO="1",
        FLASK_APP="wsgi",
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        INSTANCE_PATH=str(folder / "instance"),
        DEMO_PASSWORD=DEMO_PASSWORD,
    )
    return env


def load_demo(env: dict[str, str]) -> None:
    """`make migrate demo` into the environment's database."""
    flask = str(Path(sys.executable).with_name("flask"))
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)


def demo_standard_id(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT min(id) FROM standards").fetchone()[0])


def member_cookie(url: str, email: str, password: str) -> str:
    """Log in through the real form; the Cookie header that the load sends."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(url + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    fields = {"email": email, "password": password, **({"csrf_token": token.group(1)} if token else {})}
    opener.open(url + "/login", data=urllib.parse.urlencode(fields).encode(), timeout=10).close()
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def check_page(url: str, cookie: str) -> int:
    """The page answers 200 to the member (a redirect to the login would also count for wrk)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": ACCEPT_ENCODING})
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 200 or response.url != url:
            raise RuntimeError(f"{url} answered {response.status} at {response.url}")
        return len(response.read())


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def wrk(url: str, cookie: str = "", seconds: int = DURATION) -> Load:
    """`wrk` against `url` for `seconds` at CONNECTIONS connections, asking for compression."""
    command = [
        "wrk",
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Accept-Encoding: {ACCEPT_ENCODING}",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw failed requests on {url}:\n{output}")
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    count = re.search(r"(\d+) requests in", output)
    if not (p99 and rate and count):
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    return Load(float(rate.group(1)), float(p99.group(1)) * _UNITS[p99.group(2)], int(count.group(1)))


def run(report: Callable[[str, float, float, float], None], repeat: int | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        folder = Path(tmp)
        env = demo_environment(folder)
        load_demo(env)
        standard_id = demo_standard_id(folder / "bench.sqlite3")
        with (
            served(free_port(), "wsgi:create_app()", env) as app_url,
            served(free_port(), "bench.trivial_app:app", env) as trivial_url,
        ):
            cookie = member_cookie(app_url, MEMBER_EMAIL, DEMO_PASSWORD)
            wrk(trivial_url + "/", seconds=WARM_UP)
            trivial = wrk(trivial_url + "/")
            for name, path_of in PAGES:
                url = app_url + path_of(standard_id)
                size = check_page(url, cookie)
                wrk(url, cookie, seconds=WARM_UP)  # every worker has compiled its templates
                page = wrk(url, cookie)
                share = page.requests_per_second / trivial.requests_per_second
                print(
                    f"  {name}: {page.requests_per_second:,.0f} req/s, trivial page "
                    f"{trivial.requests_per_second:,.0f} req/s: {share:.0%} (target ≥ {THROUGHPUT_SHARE:.0%}); "
                    f"p99 {page.p99_seconds * 1000:.1f} ms, trivial {trivial.p99_seconds * 1000:.1f} ms "
                    f"(target ≤ {P99_SECONDS * 1000:.0f} ms); {size / 1000:.1f} KB sent compressed"
                )
                report(
                    f"{name}: 1/throughput vs trivial",
                    1 / page.requests_per_second,
                    1 / trivial.requests_per_second,
                    1 / THROUGHPUT_SHARE,
                )
                report(f"{name}: p99 vs {P99_SECONDS * 1000:.0f} ms", page.p99_seconds, P99_SECONDS, 1.0)
            report(f"trivial page: p99 vs {P99_SECONDS * 1000:.0f} ms", trivial.p99_seconds, P99_SECONDS, 1.0)


if __name__ == "__main__":
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.run import Report

    run(Report())
