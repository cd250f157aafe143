"""A busy server on the embedded SQLite queues its writers: zero 5xx while people work at once.

The app runs as `make run` serves it (gunicorn, 2 workers × 4 threads, the demo configuration, the
thread export runner; tests/gunicorn_server.py) on a SQLite file in a temporary folder, migrated and loaded with the demo by
the real commands. Several client threads, each a drafter with their own cookies, then for a bounded
time save revisions (some of 100,000 CJK characters replacing 100,000 others, the reproduction of
issue 9), request exports, switch the language, and log out and in again. Every answer must be
below 500, no connection may fail, and every save must come back saved, merged or a conflict.
"""

from __future__ import annotations

import html
import json
import random
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from app_testing import ROOT, make_test_config
from gunicorn_server import BIN, Gunicorn, child_subreaper
from werkzeug.security import generate_password_hash

pytestmark = pytest.mark.slow

#: how long the clients work at once, in seconds
WORKING_SECONDS = 18
#: drafters working at once; the first LARGE_WRITERS of them also save 100,000-character texts
CLIENTS = 6
LARGE_WRITERS = 2
LARGE_CHARACTERS = 100_000
PASSWORD = "concurrent writers 42"


@dataclass
class Server:
    url: str
    standard_ids: list[int]
    emails: list[str]
    log_path: Path

    def log_tail(self, characters: int = 6000) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-characters:]


def _add_drafters(database_url: str, emails: list[str]) -> list[int]:
    """Give the demo association `emails` as drafters of the demo standard and of a second one."""
    from accounts import operations as accounts
    from accounts.database import utcnow
    from accounts.models import Membership, Organisation, Role, User
    from accounts.permissions import OPERATOR
    from authoring import operations
    from authoring.models import Standard, StandardDrafter
    from extensions import db
    from wsgi import create_app

    app = create_app(make_test_config(database_url))
    with app.app_context():
        association = db.session.scalars(db.select(Organisation).where(Organisation.code == "SZYL")).one()
        users = []
        for number, email in enumerate(emails):
            user = User(
                email=email,
                name=f"并发起草人{number}",
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"),
            )
            db.session.add(user)
            db.session.flush()
            accounts.add_member(OPERATOR, association, user, Role.DRAFTER)
            users.append(user)
        db.session.flush()
        memberships = [user.membership_in(association) for user in users]
        # the demo's standard in drafting (the demo also has a published one, whose text is frozen)
        demo = db.session.scalars(db.select(Standard).where(Standard.stage == "drafting")).one()
        demo.drafter_links.extend(StandardDrafter(membership=m) for m in memberships)
        secretariat = db.session.scalars(
            db.select(User)
            .join(Membership)
            .where(Membership.org_id == association.id, Membership.role == Role.SECRETARIAT)
        ).first()
        second = operations.create_standard(
            association,
            secretariat,
            title_zh="并发写入测试标准",
            title_en=None,
            committee=None,
            drafters=memberships,
            text=None,
            now=utcnow(),
            first_author=users[0],
        )
        db.session.commit()
        ids = [demo.id, second.id]
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    return ids


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    database_url = f"sqlite:///{tmp_path / 'standardforge.sqlite3'}"
    server = Gunicorn(database_url, tmp_path, env={"DEMO": "1", "FLASK_APP": "wsgi"})
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [str(BIN / "flask"), *command], cwd=ROOT, env=server.env, check=True, capture_output=True
        )
    emails = [f"writer{n}@concurrent.test" for n in range(CLIENTS)]
    standard_ids = _add_drafters(database_url, emails)
    with child_subreaper():
        server.start()
        try:
            yield Server(server.url, standard_ids, emails, server.log_path)
        finally:
            server.stop()


@dataclass
class Tally:
    """What every client saw: (method path, status) of each answer, save outcomes, failures."""

    answers: list[tuple[str, int]] = field(default_factory=list)
    save_outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, what: str, status: int) -> None:
        with self.lock:
            self.answers.append((what, status))


_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_TEXTAREA = re.compile(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', re.DOTALL)
_BASE = re.compile(r'name="base_revision" value="(\d+)"')


class Client:
    """One drafter in a browser of their own: cookies, CSRF tokens, a paragraph that is theirs."""

    def __init__(self, server: Server, number: int, tally: Tally) -> None:
        self.server, self.number, self.tally = server, number, tally
        self.email = server.emails[number]
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.rng = random.Random(number)
        self.token = ""
        self.saves = 0

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        what = f"{method} {path.split('?')[0]}"
        request = urllib.request.Request(
            self.server.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=90) as response:
                status, page = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, page = error.code, error.read().decode("utf-8", "replace")
        except OSError as error:  # a reset or a timeout: a dead or stuck worker
            self.tally.failures.append(f"{what}: {error!r}")
            return 0, ""
        self.tally.answered(what, status)
        self._remember_token(page)
        return status, page

    def _remember_token(self, page: str) -> None:
        found = _TOKEN.search(page)
        if found:
            self.token = found.group(1) or found.group(2)

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**fields, "csrf_token": self.token}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def log_in(self) -> None:
        self.request("GET", "/login")
        self.post_form("/login", {"email": self.email, "password": PASSWORD, "next": ""})

    def log_out_and_in(self) -> None:
        self.post_form("/logout", {})
        self.log_in()

    def switch_language(self) -> None:
        self.post_form("/language", {"locale": self.rng.choice(["en", "zh_CN"]), "next": "/"})

    def save(self) -> None:
        standard_id = self.rng.choice(self.server.standard_ids)
        status, page = self.request("GET", f"/standards/{standard_id}/edit")
        text_found, base_found = _TEXTAREA.search(page), _BASE.search(page)
        if status != 200 or text_found is None or base_found is None:
            self.tally.failures.append(f"editor page of {standard_id} answered {status} without the text")
            return
        self.saves += 1
        large = self.number < LARGE_WRITERS and self.saves % 2 == 1
        line = f"客户端{self.number}的段落：" + (
            "".join(chr(self.rng.randrange(0x4E00, 0x9FA5)) for _ in range(LARGE_CHARACTERS))
            if large
            else f"第{self.saves}次保存。"
        )
        lines = [ln for ln in html.unescape(text_found.group(1)).split("\n")]
        mine = [i for i, ln in enumerate(lines) if ln.startswith(f"客户端{self.number}的段落：")]
        if mine:
            lines[mine[0]] = line
        else:
            lines += ["", line]
        body = json.dumps(
            {"text": "\n".join(lines), "base_revision": int(base_found.group(1)), "message": "并发"},
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.token,
        }
        status, answer = self.request("POST", f"/standards/{standard_id}/save", body, headers)
        try:
            outcome = json.loads(answer).get("status", f"HTTP {status}")
        except ValueError:
            outcome = f"HTTP {status} (not JSON)"
        with self.tally.lock:
            self.tally.save_outcomes[outcome] += 1

    def export(self) -> None:
        standard_id = self.rng.choice(self.server.standard_ids)
        status, page = self.request("GET", f"/standards/{standard_id}")
        numbers = re.findall(r'name="revision" value="(\d+)"', page)
        if status != 200 or not numbers:
            self.tally.failures.append(f"standard page of {standard_id} answered {status} without a revision")
            return
        fields = {"revision": numbers[0], "format": self.rng.choice(["docx", "html"])}
        body = urllib.parse.urlencode({**fields, "csrf_token": self.token}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        self.request("POST", f"/standards/{standard_id}/exports", body, headers)

    def work(self, until: float) -> None:
        try:
            self.log_in()
            actions = (
                [self.save] * 5 + [self.export] * 2 + [self.switch_language] * 2 + [self.log_out_and_in] * 2
            )
            while time.monotonic() < until:
                self.rng.choice(actions)()
        except Exception as error:  # a bug in the client must fail the test, not hang it
            self.tally.failures.append(f"client {self.number}: {error!r}")


def test_saves_exports_and_logins_at_once_on_sqlite_never_answer_5xx(served: Server):
    tally = Tally()
    until = time.monotonic() + WORKING_SECONDS
    clients = [Client(served, number, tally) for number in range(CLIENTS)]
    threads = [threading.Thread(target=client.work, args=(until,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WORKING_SECONDS + 240)

    server_errors = [(what, status) for what, status in tally.answers if status >= 500]
    assert not server_errors, (
        f"{len(server_errors)} answers were 5xx: {server_errors[:10]}\n{served.log_tail()}"
    )
    assert not tally.failures, f"{tally.failures[:10]}\n{served.log_tail()}"
    assert not any(thread.is_alive() for thread in threads), "a client was still waiting for an answer"
    assert set(tally.save_outcomes) <= {"saved", "merged", "conflict"}, tally.save_outcomes
    assert tally.save_outcomes["saved"] + tally.save_outcomes["merged"] >= CLIENTS
    kinds = Counter(what.split(" ")[0] + " " + what.split("/")[-1] for what, _status in tally.answers)
    for needed in ("POST logout", "POST login", "POST language", "POST exports"):
        assert kinds[needed] > 0, f"no {needed} was sent: {kinds}"
