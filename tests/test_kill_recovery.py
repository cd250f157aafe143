"""A server killed with SIGKILL in the middle of saves, casts and publications loses nothing it
acknowledged and leaves nothing half-written.

The app runs under real gunicorn (2 workers × 4 threads, its own process group) on the test's
database (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set). Client threads save revisions,
cast and change votes and publish standards through `/api/v1` with tokens, and write down every
answer. Meanwhile the master and its workers are killed together (`os.killpg`, SIGKILL) at random
moments and started again: 50 times in all (KILL_RECOVERY_KILLS), shared by the runs on each
database. Afterwards, straight from the database:

- every acknowledged save is the revision it was given, with its text (a merged save: its line);
- each standard's revisions are numbered 1…latest with no gap and no duplicate, and each revision's
  content hash is the hash of its text;
- every acknowledged cast is a `vote_casts` row, nothing was cast that was not sent, each voter's
  current vote is their latest acknowledged cast or a later unacknowledged one, and the counters
  (`casts` per voter, `cast_count` per ballot) equal the casts kept;
- every acknowledged publication holds its number, and no number was given twice;
- every ballot (opened and closed early by the secretariat meanwhile) has its whole electorate, and
  once closed a result equal to a recount of its current votes;
- SQLite's `PRAGMA integrity_check` is ok.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from app_testing import postgresql_url_and_options
from gunicorn_server import Gunicorn, child_subreaper
from sqlalchemy import func, select

from accounts.database import utcnow
from accounts.models import Membership, Organisation, Role
from authoring import operations as authoring
from authoring.events import StandardEvent
from authoring.examples import example_text
from authoring.models import Revision, Stage, Standard, content_hash
from extensions import db
from workflow.ballots import operations as ballots
from workflow.ballots.models import Ballot, BallotVoter, VoteCast

pytestmark = pytest.mark.slow

#: kills of the server in all (each one followed by a restart), shared by the runs on each database
KILLS_IN_ALL = int(os.environ.get("KILL_RECOVERY_KILLS", "50"))
RUNS = 2 if os.environ.get("TEST_DATABASE_URL") else 1
KILLS = max(1, KILLS_IN_ALL // RUNS)
#: how long the server lives between its start and its kill, in seconds (chosen at random)
LIFETIME = (0.1, 0.7)
#: standards being saved, two saving threads each; voters, shared by the voting threads
SAVED_STANDARDS, VOTERS, VOTING_THREADS = 2, 12, 2
#: standards to publish, and standards to open a ballot on and close it: more than a run gets through
PUBLISHABLE, BALLOTED = 60, 60
#: a bound on the killing, about 2 minutes in all, shared by the runs: a machine too busy to restart
#: gunicorn quickly kills fewer times (at least MIN_KILLS a run) rather than run on (gunicorn restarts
#: in about 2 s on 2 free cores, 3.5 s on busy ones)
KILLING_SECONDS, MIN_KILLS = 120 // RUNS, 10
CHOICES = ("approve", "approve_with_comments", "disapprove", "abstain")


# -- the server, killed and started again: tests/gunicorn_server.py ------------------------------


@pytest.fixture
def subreaper() -> Iterator[None]:
    """The killed workers are given to this process, which reaps them (gunicorn_server.Gunicorn.kill)."""
    with child_subreaper():
        yield


# -- the clients, and what they were told ---------------------------------------------------------


@dataclass
class Record:
    """Every write sent, in order per client, with what came back (status 0: no answer)."""

    saves: list[dict[str, Any]] = field(default_factory=list)
    casts: list[dict[str, Any]] = field(default_factory=list)
    publications: list[dict[str, Any]] = field(default_factory=list)
    ballots: list[dict[str, Any]] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class ApiClient:
    def __init__(self, url: str, token: str, record: Record) -> None:
        self.url, self.token, self.record = url, token, record

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        """The status and JSON answer of one call: (0, None) when the server died on it, (-1, None)
        when it was down and the call never reached it."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                time.sleep(0.02)
                return -1, None
            return 0, None
        except (OSError, http.client.HTTPException):  # refused while down, reset or cut off by the kill
            return 0, None
        try:
            answer = json.loads(raw)
        except ValueError:
            return 0, None  # an answer cut off by the kill acknowledges nothing
        with self.record.lock:
            self.record.statuses[f"{method} {status}"] += 1
            if status >= 500:
                self.record.server_errors.append(f"{method} {path}: {status} {raw[:300]!r}")
        return status, answer


def _retrying(stop: threading.Event, work: Callable[[], None], record: Record) -> None:
    """Do `work` until told to stop; a bug in a client is written down, so it fails the test."""
    try:
        while not stop.is_set():
            work()
    except Exception as error:
        with record.lock:
            record.failures.append(repr(error))


def saver(client: ApiClient, standard_id: int, name: str, stop: threading.Event) -> None:
    """Edit this client's own line of one standard: read the latest revision, change it, save."""
    serial = 0

    def save() -> None:
        nonlocal serial
        status, standard = client.call("GET", f"/api/v1/standards/{standard_id}")
        if status != 200:
            time.sleep(0.03)
            return
        base = standard["latest_revision"]
        status, revision = client.call("GET", f"/api/v1/standards/{standard_id}/revisions/{base}")
        if status != 200:
            time.sleep(0.03)
            return
        serial += 1
        line = f"{name} 第{serial}次保存。"
        lines = revision["text"].split("\n")
        mine = [i for i, text in enumerate(lines) if text.startswith(f"{name} ")]
        if mine:
            lines[mine[0]] = line
        else:
            lines += ["", line]
        text = "\n".join(lines)
        body = {"text": text, "base_revision": base, "message": f"{name} {serial}"}
        status, answer = client.call("POST", f"/api/v1/standards/{standard_id}/revisions", body)
        if status == -1:
            return
        with client.record.lock:
            client.record.saves.append(
                {"standard": standard_id, "line": line, "text": text, "status": status, "answer": answer}
            )

    _retrying(stop, save, client.record)


def voter_thread(clients: dict[int, ApiClient], ballot_id: int, stop: threading.Event) -> None:
    """Cast for each of these voters in turn, changing each vote every time."""
    rng = random.Random(ballot_id + min(clients))
    serial = 0

    def cast() -> None:
        nonlocal serial
        for user_id, client in clients.items():
            if stop.is_set():
                return
            serial += 1
            choice = rng.choice(CHOICES)
            body = {"choice": choice, "reasons": f"理由{serial}"}
            status, answer = client.call("POST", f"/api/v1/ballots/{ballot_id}/votes", body)
            if status == -1:
                return
            with client.record.lock:
                client.record.casts.append(
                    {"user": user_id, "choice": choice, "status": status, "answer": answer}
                )

    _retrying(stop, cast, next(iter(clients.values())).record)


def publisher(client: ApiClient, standard_ids: list[int], stop: threading.Event) -> None:
    """Publish the standards in approval one after another; one already published is passed over."""
    waiting = list(standard_ids)

    def publish() -> None:
        if not waiting:
            time.sleep(0.05)
            return
        standard_id = waiting[0]
        status, answer = client.call(
            "POST", f"/api/v1/standards/{standard_id}/transitions", {"to": "published"}
        )
        if status == -1:
            return
        with client.record.lock:
            client.record.publications.append({"standard": standard_id, "status": status, "answer": answer})
        if status == 200 or (status == 409 and _published(client, standard_id)):
            waiting.pop(0)
        elif status == 0:
            time.sleep(0.03)

    _retrying(stop, publish, client.record)


def ballot_runner(client: ApiClient, standard_ids: list[int], stop: threading.Event) -> None:
    """Open a ballot on each standard in review in turn, then close it early with a reason."""
    waiting = list(standard_ids)
    closes_at = (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    opened: int | None = None

    def open_or_close() -> None:
        nonlocal opened
        if opened is None and not waiting:
            time.sleep(0.05)
            return
        if opened is None:
            body = {"kind": "review", "rule": "cn-tc", "closes_at": closes_at}
            status, answer = client.call("POST", f"/api/v1/standards/{waiting[0]}/ballots", body)
            what = "open"
        else:
            status, answer = client.call("POST", f"/api/v1/ballots/{opened}/close", {"reason": "断电测试"})
            what = "close"
        if status == -1:
            return
        with client.record.lock:
            client.record.ballots.append({"what": what, "status": status, "answer": answer})
        if what == "open" and status == 201:
            opened = answer["id"]
            waiting.pop(0)
        elif what == "open" and status == 409:  # opened by a call never answered: it stays open
            waiting.pop(0)
        elif what == "close" and status in (200, 409):
            opened = None

    _retrying(stop, open_or_close, client.record)


def _published(client: ApiClient, standard_id: int) -> bool:
    status, answer = client.call("GET", f"/api/v1/standards/{standard_id}")
    return status == 200 and answer["stage"] == "published"


# -- the data the clients work on -----------------------------------------------------------------


@dataclass
class World:
    saved: list[int]
    publishable: list[int]
    ballot_id: int
    balloted: list[int]
    drafter_token: str
    secretariat_token: str
    voter_tokens: dict[int, str]


@pytest.fixture
def world(app: Any, make_org: Any, make_member: Any, make_token: Any) -> World:
    association = make_org("association", name="断电恢复测试协会", code="KILL")
    secretariat = make_member(association, Role.SECRETARIAT, name="陈秘书")
    drafter = make_member(association, Role.DRAFTER, name="林起草")
    voters = [make_member(association, Role.MEMBER, name=f"投票人{n}") for n in range(VOTERS)]
    clean = example_text("en-sample")
    drafting = [drafter.membership_in(association)]

    def standard(title: str, stage: Stage) -> Standard:
        made = authoring.create_standard(
            association,
            secretariat,
            title_zh=title,
            title_en=None,
            committee=None,
            drafters=drafting,
            text=clean,
            now=utcnow(),
        )
        made.stage = stage.value
        return made

    saved = [standard(f"保存中的标准{n}", Stage.DRAFTING) for n in range(SAVED_STANDARDS)]
    publishable = [standard(f"待发布的标准{n}", Stage.APPROVAL) for n in range(PUBLISHABLE)]
    in_review = standard("投票中的标准", Stage.REVIEW)
    balloted = [standard(f"表决的标准{n}", Stage.REVIEW) for n in range(BALLOTED)]
    db.session.flush()
    now = utcnow()
    ballot = ballots.open_ballot(
        in_review, secretariat, kind="review", rule="cn-tc", closes_at=now + timedelta(hours=2), now=now
    )
    db.session.commit()
    electorate = set(
        db.session.scalars(select(BallotVoter.user_id).where(BallotVoter.ballot_id == ballot.id))
    )
    assert {v.id for v in voters} <= electorate
    return World(
        saved=[s.id for s in saved],
        publishable=[s.id for s in publishable],
        ballot_id=ballot.id,
        balloted=[s.id for s in balloted],
        drafter_token=make_token(drafter),
        secretariat_token=make_token(secretariat),
        voter_tokens={v.id: make_token(v) for v in voters},
    )


def _server_database_url(database_url: str) -> str:
    """The URL gunicorn is given: PostgreSQL's test schema goes in the connection's options (only
    the schema: the server commits as production does, not with the tests' synchronous_commit=off)."""
    if not database_url.startswith("postgresql"):
        return database_url
    url, options = postgresql_url_and_options()
    schema = [o for o in options["connect_args"]["options"].split() if o.startswith("-csearch_path=")]
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode({"options": " ".join(schema)})


def _run(world: World, server: Gunicorn, record: Record) -> int:
    """Start the clients, then kill and restart the server KILLS times; the kills made."""
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=saver,
            args=(ApiClient(server.url, world.drafter_token, record), standard_id, f"保存者{n}", stop),
        )
        for n, standard_id in enumerate(world.saved * 2)
    ]
    share = VOTERS // VOTING_THREADS
    ids = list(world.voter_tokens)
    for n in range(VOTING_THREADS):
        mine = {
            uid: ApiClient(server.url, world.voter_tokens[uid], record)
            for uid in ids[n * share : (n + 1) * share]
        }
        threads.append(threading.Thread(target=voter_thread, args=(mine, world.ballot_id, stop)))
    threads.append(
        threading.Thread(
            target=publisher,
            args=(ApiClient(server.url, world.secretariat_token, record), world.publishable, stop),
        )
    )
    threads.append(
        threading.Thread(
            target=ballot_runner,
            args=(ApiClient(server.url, world.secretariat_token, record), world.balloted, stop),
        )
    )
    rng = random.Random(15)
    kills = 0
    server.start()
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + KILLING_SECONDS
        while kills < KILLS and time.monotonic() < deadline:
            time.sleep(rng.uniform(*LIFETIME))
            server.kill()
            kills += 1
            server.start()
        time.sleep(0.5)  # the restarted server answers the clients once more
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if server.process is not None and server.process.poll() is None:
            server.kill()
    assert not any(thread.is_alive() for thread in threads), "a client was still waiting"
    return kills


# -- the checks -----------------------------------------------------------------------------------


def _check_revisions(world: World, record: Record) -> None:
    for standard_id in [*world.saved, *world.publishable, *world.balloted]:
        standard = db.session.get(Standard, standard_id)
        rows = db.session.scalars(
            select(Revision).where(Revision.standard_id == standard_id).order_by(Revision.number)
        ).all()
        numbers = [r.number for r in rows]
        assert numbers == list(range(1, len(rows) + 1)), f"standard {standard_id}: revisions {numbers}"
        assert standard.latest_number == len(rows), f"standard {standard_id} says {standard.latest_number}"
        bad = [r.number for r in rows if r.content_hash != content_hash(r.text)]
        assert not bad, f"standard {standard_id}: revisions {bad} do not hash to their text"
        ids = {r.number: r.id for r in rows}
        orphans = [r.number for r in rows if r.number > 1 and r.parent_id != ids[r.number - 1]]
        assert not orphans, f"standard {standard_id}: revisions {orphans} do not follow the one before"
        history = select(StandardEvent.revision, StandardEvent.kind).where(
            StandardEvent.standard_id == standard_id
        )
        recorded = {(number, kind) for number, kind in db.session.execute(history)}
        unrecorded = [r.number for r in rows if (r.number, r.kind) not in recorded]
        assert not unrecorded, f"standard {standard_id}: revisions {unrecorded} are not in its history"
    acknowledged = [s for s in record.saves if s["status"] == 201]
    assert acknowledged, f"no save was acknowledged: {record.statuses}"
    for save in acknowledged:
        standard = db.session.get(Standard, save["standard"])
        revision = standard.revision(save["answer"]["number"])
        assert revision is not None, f"acknowledged save lost: {save['answer']}"
        if save["answer"]["status"] == "saved":
            assert revision.text == save["text"], f"revision {revision.number} is not the text saved"
        else:
            assert save["line"] in revision.text.split("\n"), (
                f"merged revision {revision.number} lost its line"
            )


def _check_casts(world: World, record: Record) -> None:
    ballot = db.session.get(Ballot, world.ballot_id)
    casts = db.session.scalars(
        select(VoteCast).where(VoteCast.ballot_id == ballot.id).order_by(VoteCast.id)
    ).all()
    voters = {
        v.user_id: v
        for v in db.session.scalars(select(BallotVoter).where(BallotVoter.ballot_id == ballot.id))
    }
    by_receipt = {c.receipt: c for c in casts}
    acknowledged = [c for c in record.casts if c["status"] == 201]
    assert acknowledged, f"no cast was acknowledged: {record.statuses}"
    for cast in acknowledged:
        kept = by_receipt.get(cast["answer"]["receipt"])
        assert kept is not None, f"acknowledged cast lost: {cast}"
        assert kept.choice == cast["choice"] and kept.voter_id == voters[cast["user"]].id
    unanswered = Counter(c["user"] for c in record.casts if c["status"] == 0)
    acknowledged_receipts = {c["answer"]["receipt"] for c in acknowledged}
    for user_id, voter in voters.items():
        own = [c for c in casts if c.voter_id == voter.id]
        extra = [c for c in own if c.receipt not in acknowledged_receipts]
        assert len(extra) <= unanswered[user_id], f"voter {user_id} has casts nobody sent"
        assert voter.casts == len(own), f"voter {user_id} counts {voter.casts} casts, {len(own)} kept"
        mine = [c for c in acknowledged if c["user"] == user_id]
        if not own:
            assert voter.choice is None and not mine
            continue
        assert voter.receipt == own[-1].receipt, f"voter {user_id}'s current vote is not their last cast"
        assert (voter.choice, voter.reasons) == (own[-1].choice, own[-1].reasons)
        if mine:  # the last acknowledged, or one sent after it that was never answered
            last = by_receipt[mine[-1]["answer"]["receipt"]]
            assert own[-1].id >= last.id
    assert ballot.cast_count == len(casts), f"ballot counts {ballot.cast_count} casts, {len(casts)} kept"


def _check_ballots(world: World, record: Record) -> None:
    """Every ballot whole: its electorate, its counter, and once closed its result, a recount."""
    every = db.session.scalars(select(Ballot).order_by(Ballot.id)).all()
    for ballot in every:
        voters = db.session.scalars(select(BallotVoter).where(BallotVoter.ballot_id == ballot.id)).all()
        assert len(voters) == ballot.electorate_size == VOTERS, (
            f"ballot {ballot.id}: electorate {len(voters)}"
        )
        assert sum(v.weight for v in voters) == ballot.electorate_weight
        kept = db.session.scalar(
            select(func.count()).select_from(VoteCast).where(VoteCast.ballot_id == ballot.id)
        )
        assert ballot.cast_count == kept, f"ballot {ballot.id} counts {ballot.cast_count} casts, {kept} kept"
        if ballot.closed_at is not None:
            expected = ballots.current_tally(ballot)
            assert ballot.result == {"zh": expected.to_json("zh"), "en": expected.to_json("en")}
            assert ballot.passed is expected.passed
        else:
            assert ballot.result is None and ballot.passed is None, f"ballot {ballot.id}: a result while open"
    opened = [b["answer"]["id"] for b in record.ballots if b["what"] == "open" and b["status"] == 201]
    closed = [b["answer"]["id"] for b in record.ballots if b["what"] == "close" and b["status"] == 200]
    assert opened and closed, f"no ballot was opened and closed: {record.statuses}"
    for ballot_id in opened:
        assert db.session.get(Ballot, ballot_id) is not None, f"acknowledged ballot {ballot_id} lost"
    for ballot_id in closed:
        assert db.session.get(Ballot, ballot_id).closed_at is not None, (
            f"acknowledged close of {ballot_id} lost"
        )


def _check_publications(world: World, record: Record) -> None:
    numbers = db.session.scalars(select(Standard.number).where(Standard.number.is_not(None))).all()
    assert len(numbers) == len(set(numbers)), f"a number was given twice: {sorted(numbers)}"
    acknowledged = [p for p in record.publications if p["status"] == 200]
    assert acknowledged, f"nothing was published: {record.statuses}"
    for publication in acknowledged:
        standard = db.session.get(Standard, publication["standard"])
        assert standard.stage == Stage.PUBLISHED.value and standard.number == publication["answer"]["number"]
    published = db.session.scalars(select(Standard).where(Standard.stage == Stage.PUBLISHED.value)).all()
    for standard in published:
        assert standard.number and standard.published_revision == standard.latest_number
        moves = db.session.scalar(
            select(func.count())
            .select_from(StandardEvent)
            .where(StandardEvent.standard_id == standard.id, StandardEvent.to_stage == Stage.PUBLISHED.value)
        )
        assert moves == 1, f"{standard.number} was published {moves} times in its history"
    association = db.session.scalars(select(Organisation).where(Organisation.code == "KILL")).one()
    sequences = db.session.scalars(
        select(Standard.sequence).where(
            Standard.association_id == association.id, Standard.sequence.is_not(None)
        )
    ).all()
    assert len(sequences) == len(set(sequences)), f"a sequence number was given twice: {sorted(sequences)}"


def test_sigkill_during_saves_casts_and_publications_loses_no_acknowledged_write(
    world: World, database_url: str, tmp_path: Path, subreaper: None
) -> None:
    db.session.remove()  # the server is the only writer from here on
    server = Gunicorn(_server_database_url(database_url), tmp_path)
    record = Record()

    kills = _run(world, server, record)

    assert kills == KILLS or kills >= MIN_KILLS, f"only {kills} kills in {KILLING_SECONDS} s"
    writes = (*record.saves, *record.casts, *record.publications, *record.ballots)
    unanswered = [w for w in writes if w["status"] == 0]
    assert unanswered, "no kill came while a write was being answered"
    assert not record.failures, record.failures
    assert not record.server_errors, f"{record.server_errors[:5]}\n{server.log_tail()}"
    if database_url.startswith("sqlite"):
        path = database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    _check_revisions(world, record)
    _check_casts(world, record)
    _check_publications(world, record)
    _check_ballots(world, record)
    assert db.session.scalar(select(func.count()).select_from(Membership)) == VOTERS + 2
    print(f"{kills} kills, {len(unanswered)} writes cut off; answers {dict(record.statuses)}")
