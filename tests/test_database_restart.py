"""PostgreSQL restarted, then stopped for a few seconds, under load: every request fails cleanly
while it is away, and the same gunicorn processes serve again as soon as it is back.

The test starts a PostgreSQL cluster of its own (tests/postgres_cluster.py: initdb into a temporary
folder, its own port; the shared server is never touched), migrates it and loads the demo with the
real commands, makes API tokens with `flask create-token`, and serves the app with real gunicorn
(tests/gunicorn_server.py: 2 workers × 4 threads). Client threads read pages in a logged-in browser
and anonymously, read through the API, save revisions and cast votes through the API and vote
through the ballot page's form, writing down every answer and how long it took. Meanwhile the
cluster is (a) restarted with `pg_ctl restart -m fast` and (b) stopped for DOWN_SECONDS, then
started. Then:

- no answer is a 500 or a broken connection, none carries a traceback, none took longer than
  ANSWER_BOUND, and the server's log holds no traceback;
- every request made while PostgreSQL was stopped is a 503 with `Retry-After`: the API's error body
  (`{"error": {"code": "unavailable", …}}`) for JSON clients, a translated page for browsers;
- every request begun RECOVERY_SECONDS after PostgreSQL came back succeeds, served by the very
  gunicorn master and workers that served before (same PIDs);
- every acknowledged save and vote is in the database.
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from app_testing import ROOT
from gunicorn_server import BIN, Gunicorn, child_subreaper
from postgres_cluster import PostgresCluster
from sqlalchemy import create_engine, select

from authoring.models import Revision, Standard
from workflow.ballots.models import Ballot, BallotVoter, VoteCast

pytestmark = pytest.mark.slow

#: how long the clients work before the first fault, and after each recovery, in seconds
STEADY_SECONDS = 2.5
#: how long PostgreSQL stays stopped in (b)
DOWN_SECONDS = 4.0
#: once PostgreSQL answers again, requests begun this much later must all succeed ("a few seconds")
RECOVERY_SECONDS = 3.0
#: no answer may take longer than this, in seconds, whatever the database does
ANSWER_BOUND = 5.0
#: the page a browser is shown while the database is away (the Chinese of its message)
UNAVAILABLE_PAGE_TEXT = "数据库暂时无法访问"
CHOICES = ("approve", "approve_with_comments", "disapprove", "abstain")
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


# -- the cluster and the server -------------------------------------------------------------------


@dataclass
class Served:
    cluster: PostgresCluster
    server: Gunicorn
    standard_id: int
    ballot_id: int
    drafter_token: str
    voter_tokens: list[str]
    password: str


def _flask(server: Gunicorn, *arguments: str) -> str:
    completed = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *arguments],
        cwd=ROOT,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, f"flask {' '.join(arguments)}:\n{completed.stdout}\n{completed.stderr}"
    return completed.stdout


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """A SIGTERM (a CI job's timeout) interrupts the test like Ctrl-C, so that its fixtures still
    stop PostgreSQL and gunicorn; only SIGKILL leaves them behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signal: int, _frame: Any) -> None:
        raise KeyboardInterrupt("SIGTERM")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The demo on a cluster of its own, served by gunicorn; both stopped however the test ends."""
    cluster = PostgresCluster()
    server: Gunicorn | None = None
    with child_subreaper(), _terminated_as_interrupted():
        try:
            cluster.init()
            cluster.start()
            # DEMO: cookies without `Secure`, as over the plain http of loopback
            server = Gunicorn(cluster.url, tmp_path, env={"DEMO": "1"})
            _flask(server, "db", "upgrade")
            _flask(server, "demo")
            emails = ["drafter@demo.test", *(f"member{n}@demo.test" for n in range(1, 5))]
            lines = _flask(server, "create-token", *(f"--email={e}" for e in emails), "--name=restart")
            tokens = dict(line.split("\t") for line in lines.strip().splitlines())
            engine = create_engine(cluster.url)
            with engine.connect() as connection:
                standard_id = connection.scalar(select(Standard.id).where(Standard.stage == "drafting"))
                ballot_id = connection.scalar(select(Ballot.id).where(Ballot.closed_at.is_(None)))
            engine.dispose()
            assert standard_id and ballot_id, "the demo has no standard in drafting or no open ballot"
            server.start()
            yield Served(
                cluster,
                server,
                standard_id,
                ballot_id,
                drafter_token=tokens["drafter@demo.test"],
                voter_tokens=[tokens[e] for e in emails[1:]],
                password="demo",
            )
        finally:
            if server is not None:
                server.stop()
            cluster.destroy()


# -- the clients, and every answer they got -------------------------------------------------------


@dataclass
class Answer:
    """One request: who sent it (`kind`), when (monotonic seconds), and what came back
    (status 0: the connection failed)."""

    kind: str
    path: str
    started: float
    ended: float
    status: int
    headers: dict[str, str]
    body: str

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass
class Log:
    answers: list[Answer] = field(default_factory=list)
    #: acknowledged writes: (kind, what the database must hold)
    saves: list[dict[str, Any]] = field(default_factory=list)
    casts: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A form's 302 is its acknowledgement: keep it, do not follow it."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


class Client:
    """An API client (a bearer token) or a browser (cookies, CSRF tokens, HTML pages)."""

    def __init__(self, url: str, kind: str, log: Log, token: str | None = None) -> None:
        self.url, self.kind, self.log, self.token = url, kind, log, token
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def request(self, method: str, path: str, body: Any = None, form: dict[str, str] | None = None) -> Answer:
        headers = {"Accept-Language": "en"} if self.token else {"Accept": "text/html"}
        data = None
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, answer_headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, answer_headers, raw = error.code, dict(error.headers), error.read()
        except OSError as error:  # refused, reset, timed out: the server failed this request
            status, answer_headers, raw = 0, {}, repr(error).encode()
        answer = Answer(
            self.kind, path, started, time.monotonic(), status, answer_headers, raw.decode("utf-8", "replace")
        )
        with self.log.lock:
            self.log.answers.append(answer)
        return answer

    def json(self, answer: Answer) -> Any:
        return json.loads(answer.body)

    def log_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login")
        token = _CSRF.search(page.body)
        assert token, f"no CSRF token on the login page: {page.status}"
        form = {"email": email, "password": password, "next": "", "csrf_token": token.group(1)}
        answer = self.request("POST", "/login", form=form)
        assert answer.status == 302, f"{email} could not log in: {answer.status}"


def _until_stopped(stop: threading.Event, log: Log, work: Callable[[], None]) -> None:
    """Do `work` until told to stop; a bug in a client is written down, so it fails the test."""
    try:
        while not stop.is_set():
            work()
            time.sleep(0.01)
    except Exception as error:
        with log.lock:
            log.failures.append(repr(error))


def api_reader(client: Client, served: Served) -> Callable[[], None]:
    paths = [
        f"/api/v1/standards/{served.standard_id}",
        f"/api/v1/ballots/{served.ballot_id}",
        "/api/v1/registry?per_page=5",
    ]

    def read() -> None:
        for path in paths:
            client.request("GET", path)

    return read


def api_saver(client: Client, served: Served) -> Callable[[], None]:
    """Read the latest revision, change this client's own line, save it."""
    serial = 0
    standard = f"/api/v1/standards/{served.standard_id}"

    def save() -> None:
        nonlocal serial
        answer = client.request("GET", standard)
        if answer.status != 200:
            return
        base = client.json(answer)["latest_revision"]
        answer = client.request("GET", f"{standard}/revisions/{base}")
        if answer.status != 200:
            return
        serial += 1
        line = f"重启测试 第{serial}次保存。"
        lines = [text for text in client.json(answer)["text"].split("\n") if not text.startswith("重启测试 ")]
        text = "\n".join([*lines, "", line])
        body = {"text": text, "base_revision": base, "message": f"restart {serial}"}
        answer = client.request("POST", f"{standard}/revisions", body)
        if answer.status == 201:
            with client.log.lock:
                client.log.saves.append({"line": line, "text": text, "answer": client.json(answer)})

    return save


def api_voter(clients: list[Client], served: Served) -> Callable[[], None]:
    """Each voter in turn casts a new choice."""
    serial = 0

    def cast() -> None:
        nonlocal serial
        for client in clients:
            serial += 1
            choice = CHOICES[serial % len(CHOICES)]
            body = {"choice": choice, "reasons": f"API理由{serial}"}
            answer = client.request("POST", f"/api/v1/ballots/{served.ballot_id}/votes", body)
            if answer.status == 201:
                receipt = client.json(answer)["receipt"]
                with client.log.lock:
                    client.log.casts.append(
                        {"receipt": receipt, "choice": choice, "reasons": body["reasons"]}
                    )

    return cast


def browser_reader(client: Client, paths: list[str]) -> Callable[[], None]:

    def read() -> None:
        for path in paths:
            client.request("GET", path)

    return read


def browser_voter(client: Client, served: Served) -> Callable[[], None]:
    """Open the ballot page and vote through its form; the 302 back to the page acknowledges it."""
    serial = 0

    def vote() -> None:
        nonlocal serial
        page = client.request("GET", f"/ballots/{served.ballot_id}")
        token = _CSRF.search(page.body) if page.status == 200 else None
        if token is None:
            return
        serial += 1
        choice = CHOICES[serial % len(CHOICES)]
        form = {"choice": choice, "reasons": f"浏览器理由{serial}", "csrf_token": token.group(1)}
        answer = client.request("POST", f"/ballots/{served.ballot_id}/votes", form=form)
        if answer.status == 302:
            with client.log.lock:
                client.log.casts.append({"receipt": None, "choice": choice, "reasons": form["reasons"]})

    return vote


# -- the faults -----------------------------------------------------------------------------------


@dataclass
class Timeline:
    """When PostgreSQL was away (monotonic seconds): the restart, and the stop."""

    restart_began: float = 0.0
    restart_ended: float = 0.0
    stop_began: float = 0.0
    stopped: float = 0.0  # `pg_ctl stop` returned: nothing answers from here
    starting: float = 0.0  # `pg_ctl start` is called: until here nothing answered
    started: float = 0.0  # `pg_ctl start` returned: it answers again


def _run(served: Served, log: Log) -> Timeline:
    url, standard, ballot = served.server.url, served.standard_id, served.ballot_id
    stop = threading.Event()
    browser = Client(url, "browser page", log)
    browser.log_in("secretariat@demo.test", served.password)
    voter = Client(url, "browser form", log)
    voter.log_in("member5@demo.test", served.password)
    work = [
        api_reader(Client(url, "api read", log, served.drafter_token), served),
        api_saver(Client(url, "api save", log, served.drafter_token), served),
        api_voter([Client(url, "api cast", log, t) for t in served.voter_tokens[:2]], served),
        api_voter([Client(url, "api cast", log, t) for t in served.voter_tokens[2:]], served),
        browser_reader(browser, ["/", f"/standards/{standard}", f"/ballots/{ballot}", "/registry"]),
        browser_reader(
            Client(url, "browser page", log), ["/registry", "/registry?q=%E5%85%BB%E8%80%81"]
        ),  # anonymous
        browser_voter(voter, served),
    ]
    threads = [threading.Thread(target=_until_stopped, args=(stop, log, w)) for w in work]
    timeline = Timeline()
    for thread in threads:
        thread.start()
    try:
        time.sleep(STEADY_SECONDS)
        timeline.restart_began = time.monotonic()
        served.cluster.restart()
        timeline.restart_ended = time.monotonic()
        time.sleep(RECOVERY_SECONDS + STEADY_SECONDS)
        timeline.stop_began = time.monotonic()
        served.cluster.stop()
        timeline.stopped = time.monotonic()
        time.sleep(DOWN_SECONDS)
        timeline.starting = time.monotonic()
        served.cluster.start()
        timeline.started = time.monotonic()
        time.sleep(RECOVERY_SECONDS + STEADY_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a client was still waiting for an answer"
    return timeline


# -- the checks -----------------------------------------------------------------------------------


def _phases(answers: list[Answer], timeline: Timeline) -> str:
    """The answers by phase, kind and status: what a failing run shows."""
    marks = [
        ("before", timeline.restart_began),
        ("restart", timeline.restart_ended + RECOVERY_SECONDS),
        ("after restart", timeline.stop_began),
        ("stopped", timeline.started + RECOVERY_SECONDS),
        ("after start", float("inf")),
    ]
    counts = Counter(
        (next(name for name, end in marks if a.started < end), a.kind, a.status) for a in answers
    )
    return "\n".join(f"  {phase:>13} {kind:>12} {status}: {n}" for (phase, kind, status), n in counts.items())


def _clean_refusal(answer: Answer) -> str | None:
    """What is wrong with a 503 (None when it is the clean answer its client expects)."""
    if not answer.headers.get("Retry-After", "").isdigit():
        return f"no Retry-After: {answer.headers}"
    if answer.kind.startswith("api"):
        try:
            error = json.loads(answer.body)["error"]
        except (ValueError, KeyError, TypeError):
            return f"not the API's error body: {answer.body[:200]!r}"
        if error.get("code") != "unavailable" or not error.get("message"):
            return f"error {error!r}"
        return None
    if "text/html" not in answer.headers.get("Content-Type", ""):
        return f"not a page: {answer.headers.get('Content-Type')}"
    if UNAVAILABLE_PAGE_TEXT not in answer.body:
        return f"not the translated page: {answer.body[:300]!r}"
    return None


def _succeeded(answer: Answer) -> bool:
    return answer.status in (200, 201) or (answer.kind == "browser form" and answer.status == 302)


def _recovery(answers: list[Answer], since: float, until: float) -> float:
    """Seconds from `since` to the start of the last failed request among those that began after
    `since` and ended before `until`."""
    failed = [a.started for a in answers if since <= a.started and a.ended < until and not _succeeded(a)]
    return max(failed, default=since) - since


def test_postgresql_restarted_and_stopped_under_load_fails_cleanly_and_recovers(served: Served) -> None:
    before = served.server.pids()
    log = Log()

    timeline = _run(served, log)

    after = served.server.pids()
    answers = log.answers
    assert not log.failures, log.failures
    statuses = Counter(f"{a.kind} {a.status}" for a in answers)
    phases = _phases(answers, timeline)
    broken = [a for a in answers if a.status not in (200, 201, 302, 503)]
    assert not broken, f"{[(a.kind, a.path, a.status, a.body[:200]) for a in broken[:3]]}\n{phases}"
    slow = sorted((a for a in answers if a.seconds > ANSWER_BOUND), key=lambda a: -a.seconds)
    assert not slow, f"answers slower than {ANSWER_BOUND} s: {[(a.path, a.seconds) for a in slow[:5]]}"
    unclean = [
        (a.kind, a.path, problem) for a in answers if a.status == 503 and (problem := _clean_refusal(a))
    ]
    assert not unclean, unclean[:5]
    assert not [a for a in answers if "Traceback" in a.body], "an answer shows a traceback"
    assert "Traceback" not in served.server.log_tail(10**7), served.server.log_tail()

    # while PostgreSQL was stopped, every request was refused, each kind of client's at least once
    down = [a for a in answers if a.started >= timeline.stopped and a.ended <= timeline.starting]
    assert [a for a in down if a.status != 503] == [], "answered while the database was stopped"
    kinds = {a.kind for a in answers}
    assert {a.kind for a in down} == kinds, f"clients refused while down: {Counter(a.kind for a in down)}"

    # soon after each fault, every request succeeds again, served by the same processes
    settled_restart = timeline.restart_ended + RECOVERY_SECONDS
    settled_start = timeline.started + RECOVERY_SECONDS
    after_restart = [a for a in answers if settled_restart <= a.started and a.ended < timeline.stop_began]
    after_start = [a for a in answers if a.started >= settled_start]
    for name, settled in (("restart", after_restart), ("start", after_start)):
        failed = [(a.kind, a.path, a.status) for a in settled if not _succeeded(a)]
        assert settled and not failed, f"after the {name}: {failed[:5]} of {len(settled)}"
        assert {a.kind for a in settled} == kinds, f"after the {name}: {Counter(a.kind for a in settled)}"
    assert after == before, f"gunicorn's processes changed: {before} → {after}\n{served.server.log_tail()}"

    _check_writes(served, log)
    restart_failures = [
        a for a in answers if timeline.restart_began <= a.started < settled_restart and not _succeeded(a)
    ]
    back = min(
        (a.ended for a in answers if a.started >= timeline.starting and _succeeded(a)), default=float("nan")
    )
    print(
        f"\n{len(answers)} answers, {statuses}\n"
        f"restart: pg_ctl {timeline.restart_ended - timeline.restart_began:.2f} s, "
        f"{len(restart_failures)} refused, last refusal "
        f"{_recovery(answers, timeline.restart_ended, timeline.stop_began):.2f} s after it\n"
        f"stop: {len(down)} requests while stopped, all 503; pg_ctl start "
        f"{timeline.started - timeline.starting:.2f} s, first success {back - timeline.starting:.2f} s "
        f"after it began, last refusal {_recovery(answers, timeline.started, float('inf')):.2f} s after it\n"
        f"slowest answer {max(a.seconds for a in answers):.3f} s, slowest 503 "
        f"{max((a.seconds for a in answers if a.status == 503), default=0):.3f} s; "
        f"{len(log.saves)} saves and {len(log.casts)} casts acknowledged"
    )


def _check_writes(served: Served, log: Log) -> None:
    """Every acknowledged save is its revision with its text, every acknowledged vote a cast; and
    nothing is half-done: revisions numbered 1…latest, counters equal to the casts kept."""
    assert log.saves and log.casts, (
        f"nothing was acknowledged: {len(log.saves)} saves, {len(log.casts)} casts"
    )
    engine = create_engine(served.cluster.url)
    try:
        with engine.connect() as connection:
            revisions = dict(
                connection.execute(
                    select(Revision.number, Revision.text).where(Revision.standard_id == served.standard_id)
                ).all()
            )
            latest = connection.scalar(
                select(Standard.latest_number).where(Standard.id == served.standard_id)
            )
            casts = connection.execute(
                select(VoteCast.receipt, VoteCast.choice, VoteCast.reasons, VoteCast.voter_id).where(
                    VoteCast.ballot_id == served.ballot_id
                )
            ).all()
            counted = connection.scalar(select(Ballot.cast_count).where(Ballot.id == served.ballot_id))
            voters = connection.execute(
                select(BallotVoter.id, BallotVoter.casts).where(BallotVoter.ballot_id == served.ballot_id)
            ).all()
    finally:
        engine.dispose()
    assert sorted(revisions) == list(range(1, latest + 1)), f"revisions {sorted(revisions)}, latest {latest}"
    for save in log.saves:
        number, status = save["answer"]["number"], save["answer"]["status"]
        assert number in revisions, f"acknowledged revision {number} lost"
        if status == "saved":
            assert revisions[number] == save["text"], f"revision {number} is not the text saved"
        else:
            assert save["line"] in revisions[number].split("\n"), f"revision {number} lost its line"
    by_receipt = {receipt: (choice, reasons) for receipt, choice, reasons, _voter in casts}
    by_reasons = {reasons: choice for _receipt, choice, reasons, _voter in casts}
    for cast in log.casts:
        if cast["receipt"] is not None:
            assert by_receipt.get(cast["receipt"]) == (cast["choice"], cast["reasons"]), f"lost: {cast}"
        else:
            assert by_reasons.get(cast["reasons"]) == cast["choice"], f"lost: {cast}"
    assert counted == len(casts), f"the ballot counts {counted} casts, {len(casts)} kept"
    kept = Counter(voter for *_cast, voter in casts)
    assert {v: n for v, n in voters if n} == dict(kept), f"voters count {voters}, kept {kept}"
