"""The load's four kinds of user, for locust (headless, `bench/load/run.py` starts it).

    LOAD_WORLD=world.json locust -f bench/load/locustfile.py --headless --host http://127.0.0.1:PORT ...

- Voter (an API token each): casts and changes their vote on the open ballot, now and then reads it;
- Editor (an API token each, four on each edited standard): reads the latest revision, changes their
  own line of it (sometimes the line all four share) and saves it on that base revision;
- Exporter (logged in through the form): asks for an export of the latest revision of an edited
  standard and polls its job until it is done;
- Reader (logged in through the form): the cached standard pages, the registry, the history.

Each request is named after its user class and route (`voter POST /api/v1/ballots/{id}/votes`), so
the CSV's rows are per endpoint and per class. An answer is a failure unless it is the right one:
a 409 conflict on a save whose base went stale meanwhile is the right answer, and so is a 409
"closed" on a vote once the ballot has closed; the same 409 otherwise is a failure. Every page and
JSON answer above Flask-Compress's minimum size must come compressed (Content-Encoding). How many
users of each class: LOAD_VOTERS, LOAD_EDITORS, LOAD_EXPORTERS, LOAD_READERS (200, 20, 5, 100).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from geventhttpclient.response import HTTPConnectionClosed
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load.world import World  # noqa: E402

WORLD = World.load(Path(os.environ.get("LOAD_WORLD", "world.json")))
#: what Chromium and Firefox ask for; Flask-Compress picks from it
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
#: answers smaller than this are sent as they are (Flask-Compress's COMPRESS_MIN_SIZE)
COMPRESS_MIN_SIZE = 500
#: seconds an exporter waits for its job before the export counts as failed
EXPORT_PATIENCE = 120.0
#: the formats the exporters ask for (PDF typesetting is the heavy one: one in five)
EXPORT_FORMATS = ("html", "docx", "docx", "html", "pdf")
CHOICES = ("approve", "approve_with_comments", "disapprove", "abstain")
CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')

_voters = itertools.cycle(range(len(WORLD.voter_tokens)))
_editors = itertools.cycle(
    [(int(standard_id), token) for standard_id, tokens in WORLD.edited.items() for token in tokens]
)
_exporters = itertools.cycle(zip(WORLD.exporter_emails, WORLD.exporter_tokens, strict=True))
_readers = itertools.cycle(WORLD.reader_emails)
_serial = itertools.count(1)
#: how the writes went, beyond right or wrong: merged saves, conflicts, votes refused after the close,
#: POSTs sent again; written beside the CSVs as `<prefix>_outcomes.json` when the test stops
OUTCOMES: Counter[str] = Counter()


#: users whose start (a login through the form, for most) is over
_ready = 0


def _user_ready(environment: Any) -> None:
    """Once the last user has started, the statistics and the outcomes start afresh: the figures are
    the steady state. Under load 205 scrypt logins take longer than the spawning (which is when
    locust's --reset-stats resets), and would be most of the tail."""
    global _ready
    _ready += 1
    runner = environment.runner
    if runner is not None and _ready == runner.target_user_count:
        runner.stats.reset_all()
        OUTCOMES.clear()
        logging.getLogger(__name__).info("every user has started: statistics reset")


@events.test_stop.add_listener
def _write_outcomes(environment: Any, **_kwargs: Any) -> None:
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        Path(f"{prefix}_outcomes.json").write_text(json.dumps(OUTCOMES, ensure_ascii=False, indent=1))


def _count(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _uncompressed(response: Any) -> bool:
    """A body big enough to compress that came without a Content-Encoding."""
    encoding = response.headers.get("Content-Encoding") or ""
    return not encoding and len(response.content or b"") >= COMPRESS_MIN_SIZE


def _what_came(response: Any) -> str:
    """A failure's words: the status and the start of the body, or the client's error when none came."""
    if not response.status_code:
        return f"no answer: {response.error!r}"
    return f"{response.status_code}: {(response.text or '')[:200]}"


def _error_code(response: Any) -> str:
    try:
        return str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


class _ClosedWhileIdle(Exception):
    """The server closed the kept-alive connection as the request went out: nothing was answered."""


class Member(FastHttpUser):
    """What every kind of user shares: compression asked for, answers checked."""

    abstract = True
    default_headers: ClassVar[dict[str, str]] = {
        "Accept-Encoding": ACCEPT_ENCODING,
        "Accept-Language": "zh-CN",
    }
    #: a connection each, kept alive, as a browser or an API client keeps it
    concurrency = 1
    network_timeout = 60.0
    connection_timeout = 60.0
    role = "member"

    def name(self, route: str) -> str:
        return f"{self.role} {route}"

    def get_checked(self, path: str, route: str, **kwargs: Any) -> Any:
        """GET that must answer 200 itself (a redirect to the login page is a failure), compressed."""
        with self.client.get(
            path, name=self.name(route), catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(_what_came(response))
            elif _uncompressed(response):
                response.failure("not compressed")
            else:
                response.success()
            return response

    @contextlib.contextmanager
    def post(self, path: str, route: str, **kwargs: Any) -> Iterator[Any]:
        """A POST whose answer the block judges (catch_response).

        gunicorn closes a kept-alive connection after 2 s idle (its `keepalive`); a request sent as
        it closes gets no answer and was never read (the access log has no line for it). geventhttpclient
        sends a GET again then, and a POST never (RFC 9110 §9.2.2); browsers send it again too, on a
        reused connection with no byte of answer. So does this, once, and counts each in a row of its
        own ("… sent again"): a closed connection on the second try, or any other lost answer, fails.
        """
        for attempt in range(2):
            try:
                with self.client.post(path, name=self.name(route), catch_response=True, **kwargs) as response:
                    if (
                        attempt == 0
                        and not response.status_code
                        and isinstance(response.error, HTTPConnectionClosed)
                    ):
                        raise _ClosedWhileIdle
                    yield response
                    return
            except _ClosedWhileIdle:
                OUTCOMES[self.name(f"{route} sent again (kept-alive connection closed)")] += 1

    def on_start(self) -> None:
        self.start_up()
        _user_ready(self.environment)

    def start_up(self) -> None:
        """What a user does before their tasks (log in, for most)."""

    def log_in(self, email: str) -> None:
        """Through the real form, CSRF token and all, as a browser does."""
        form = self.client.get("/login", name=self.name("GET /login"))
        token = CSRF.search(form.text or "")
        fields = {"email": email, "password": WORLD.password, "csrf_token": token.group(1) if token else ""}
        with self.client.post(
            "/login", data=fields, name=self.name("POST /login"), allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (302, 303) or "/login" in response.headers.get("Location", ""):
                response.failure(f"login of {email} answered {response.status_code}")


class Voter(Member):
    """Casts and changes a vote: half through the API, as a member's own tools would, half through
    the ballot page's form, as a member in a browser does (logged in, the page read after each vote)."""

    fixed_count = _count("LOAD_VOTERS", 200)
    wait_time = between(2, 8)
    role = "voter"

    def start_up(self) -> None:
        n = next(_voters)
        self.headers = {"Authorization": f"Bearer {WORLD.voter_tokens[n]}"}
        self.in_browser = n % 2 == 1 and n < len(WORLD.voter_emails)
        self.csrf = ""
        if self.in_browser:
            self.log_in(WORLD.voter_emails[n])
            self.read_ballot()

    @task(4)
    def cast(self) -> None:
        choice = random.choice(CHOICES)
        body = {"choice": choice, "reasons": f"负载测试理由{next(_serial)}"}
        if self.in_browser:
            self.cast_in_browser(body)
            return
        with self.post(
            f"/api/v1/ballots/{WORLD.ballot_id}/votes",
            "POST /api/v1/ballots/{id}/votes",
            json=body,
            headers=self.headers,
        ) as response:
            if response.status_code == 201 and response.json().get("choice", choice) == choice:
                response.success()
                OUTCOMES["vote recorded"] += 1
            elif response.status_code == 409 and _error_code(response) == "closed" and self._ballot_closed():
                response.success()  # the right answer to a vote after the close
                OUTCOMES["vote refused: the ballot closed (409)"] += 1
            else:
                response.failure(_what_came(response))

    def cast_in_browser(self, fields: dict[str, str]) -> None:
        """The form's POST: recorded, it redirects to the page's "#my-vote"; refused, to "#vote" with
        the reason flashed (right only once the ballot has closed)."""
        with self.post(
            f"/ballots/{WORLD.ballot_id}/votes",
            "POST /ballots/{id}/votes",
            data={**fields, "csrf_token": self.csrf},
            allow_redirects=False,
        ) as response:
            location = response.headers.get("Location", "") if response.status_code in (302, 303) else ""
            if location.endswith("#my-vote"):
                response.success()
                OUTCOMES["vote recorded"] += 1
            elif location.endswith("#vote") and self._ballot_closed():
                response.success()
                OUTCOMES["vote refused: the ballot closed (flashed)"] += 1
            else:
                response.failure(f"{_what_came(response)} → {location!r}")
                return
        self.read_ballot()

    @task(1)
    def read_ballot(self) -> None:
        if not self.in_browser:
            self.get_checked(
                f"/api/v1/ballots/{WORLD.ballot_id}", "GET /api/v1/ballots/{id}", headers=self.headers
            )
            return
        page = self.get_checked(f"/ballots/{WORLD.ballot_id}", "GET /ballots/{id}")
        token = CSRF.search(page.text or "") if page.status_code == 200 else None
        if token:
            self.csrf = token.group(1)

    def _ballot_closed(self) -> bool:
        answer = self.client.get(
            f"/api/v1/ballots/{WORLD.ballot_id}",
            headers=self.headers,
            name=self.name("GET /api/v1/ballots/{id}"),
        )
        return answer.status_code == 200 and answer.json().get("status") == "closed"


class Editor(Member):
    """Saves revisions of one standard through the API on the base revision they read."""

    fixed_count = _count("LOAD_EDITORS", 20)
    wait_time = between(2, 6)
    role = "editor"
    #: share of the saves that change the line every editor of the standard changes (conflicts)
    SHARED = 0.25

    def start_up(self) -> None:
        self.standard_id, token = next(_editors)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.mark = f"编辑{next(_serial)}："
        self.saves = 0

    @task
    def save(self) -> None:
        standard = self.get_checked(
            f"/api/v1/standards/{self.standard_id}", "GET /api/v1/standards/{id}", headers=self.headers
        )
        if standard.status_code != 200:
            return
        base = standard.json()["latest_revision"]
        revision = self.get_checked(
            f"/api/v1/standards/{self.standard_id}/revisions/{base}",
            "GET /api/v1/standards/{id}/revisions/{n}",
            headers=self.headers,
        )
        if revision.status_code != 200:
            return
        self.saves += 1
        shared = random.random() < self.SHARED
        mark = "共同修改：" if shared else self.mark
        line = f"{mark}第{self.saves}次保存，{time.time():.6f}。"
        lines = revision.json()["text"].split("\n")
        mine = [i for i, text in enumerate(lines) if text.startswith(mark)]
        if mine:
            lines[mine[0]] = line
        else:
            lines += ["", line]
        body = {"text": "\n".join(lines), "base_revision": base, "message": line}
        with self.post(
            f"/api/v1/standards/{self.standard_id}/revisions",
            "POST /api/v1/standards/{id}/revisions",
            json=body,
            headers=self.headers,
        ) as response:
            answer = response.json() if response.status_code in (200, 201, 409) else {}
            if response.status_code == 201 and answer.get("number", 0) > base:
                response.success()
                OUTCOMES[f"save {answer.get('status')}"] += 1
            elif response.status_code == 409 and _error_code(response) == "conflict":
                # right only when someone saved on the same base meanwhile: the latest moved on
                latest = answer.get("error", {}).get("latest_revision", answer.get("latest_revision", 0))
                if latest > base:
                    response.success()
                    OUTCOMES["save refused: conflict on a stale base (409)"] += 1
                else:
                    response.failure(f"409 conflict on the latest revision {base}: {response.text[:200]}")
            else:
                response.failure(_what_came(response))


class Exporter(Member):
    """Asks for an export of the latest revision of an edited standard and follows its job."""

    fixed_count = _count("LOAD_EXPORTERS", 5)
    wait_time = between(2, 5)
    role = "exporter"

    def start_up(self) -> None:
        email, token = next(_exporters)
        self.api_headers = {"Authorization": f"Bearer {token}"}
        self.log_in(email)

    @task
    def export(self) -> None:
        standard_id = random.choice(list(WORLD.edited))
        page = self.get_checked(f"/standards/{standard_id}", "GET /standards/{id}")
        token = CSRF.search(page.text or "") if page.status_code == 200 else None
        standard = self.client.get(
            f"/api/v1/standards/{standard_id}",
            headers=self.api_headers,
            name=self.name("GET /api/v1/standards/{id}"),
        )
        if token is None or standard.status_code != 200:
            return
        fields = {
            "revision": str(standard.json()["latest_revision"]),
            "format": random.choice(EXPORT_FORMATS),
            "csrf_token": token.group(1),
        }
        asked = time.monotonic()
        with self.post(
            f"/standards/{standard_id}/exports",
            "POST /standards/{id}/exports",
            data=fields,
            headers={"Accept": "application/json"},
        ) as response:
            if response.status_code not in (200, 202):
                response.failure(_what_came(response))
                return
            job = response.json()
            OUTCOMES[f"export {'kept, already made' if job['finished'] else 'job started'}"] += 1
        while not job["finished"]:
            if time.monotonic() - asked > EXPORT_PATIENCE:
                self._job_done(
                    fields["format"], asked, f"job {job['id']} not done in {EXPORT_PATIENCE:.0f} s"
                )
                return
            time.sleep(0.5)
            polled = self.get_checked(f"/exports/{job['id']}/status", "GET /exports/{id}/status")
            if polled.status_code != 200:
                return
            job = polled.json()
        self._job_done(
            fields["format"],
            asked,
            None if job["status"] == "done" else f"job {job['status']}: {job['error']}",
        )

    def _job_done(self, fmt: str, asked: float, error: str | None) -> None:
        """The whole export as one row, from the request to its file ready (or its failure)."""
        events.request.fire(
            request_type="JOB",
            name=self.name(f"export {fmt}: asked → done"),
            response_time=(time.monotonic() - asked) * 1000,
            response_length=0,
            exception=RuntimeError(error) if error else None,
            context={},
        )


class Reader(Member):
    """Reads as members do: the standard pages (kept whole per reader), the registry, the history."""

    fixed_count = _count("LOAD_READERS", 100)
    wait_time = between(1, 4)
    role = "reader"

    def start_up(self) -> None:
        self.log_in(next(_readers))

    @task(4)
    def quiet_standard(self) -> None:
        self.get_checked(f"/standards/{WORLD.quiet_standard_id}", "GET /standards/{id} (quiet)")

    @task(3)
    def ballot_standard(self) -> None:
        self.get_checked(f"/standards/{WORLD.ballot_standard_id}", "GET /standards/{id} (in ballot)")

    @task(2)
    def registry(self) -> None:
        self.get_checked("/registry", "GET /registry")

    @task(1)
    def history(self) -> None:
        self.get_checked(f"/standards/{WORLD.ballot_standard_id}/history", "GET /standards/{id}/history")
