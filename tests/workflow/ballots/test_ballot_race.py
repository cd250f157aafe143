"""500 voters casting and changing votes from real processes while the secretariat closes the ballot.

Four voter processes (125 voters each, every vote changed on each of three rounds: 1,500 casts and
changes; RACE_VOTERS=N, a multiple of four, runs another size) and one closer run
on the same database (a SQLite file, and PostgreSQL when TEST_DATABASE_URL is set). Afterwards:
exactly one current vote per voter; every acknowledged cast is in the history and nothing else is;
each voter's current vote is their last acknowledged cast; once a voter was refused as closed no
later cast of theirs was acknowledged (so none after the close); every refusal is `closed`; and the
stored tally equals a recount from the cast history.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import timedelta
from pathlib import Path

import pytest
from ballot_race import run_closer, run_voters
from sqlalchemy import func, select

from accounts import audit
from accounts.audit import AuditEntry
from accounts.database import utcnow
from accounts.models import Membership, Role, User
from authoring.models import Stage
from extensions import db
from workflow.ballots import operations
from workflow.ballots.models import Ballot, BallotVoter, VoteCast
from workflow.ballots.tally import tally

pytestmark = pytest.mark.slow

PROCESSES, ROUNDS = 4, 3
VOTERS = int(os.environ.get("RACE_VOTERS", "500"))


def _electorate(association, count):
    users = [User(email=f"race{n}@example.org", name=f"投票人{n}", password_hash="x") for n in range(count)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        Membership(user=u, org=association, role=Role.MEMBER, voting=True, weight=2 if n % 10 == 0 else 1)
        for n, u in enumerate(users)
    )
    db.session.commit()
    return [u.id for u in users]


def test_every_voter_casts_while_the_ballot_closes(
    app, database_url, association, secretariat, make_standard, tmp_path: Path
):
    in_review = make_standard(stage=Stage.REVIEW)
    assert VOTERS % PROCESSES == 0, "RACE_VOTERS must be a multiple of four"
    user_ids = _electorate(association, VOTERS)
    now = utcnow()
    ballot = operations.open_ballot(
        in_review,
        secretariat,
        kind="review",
        rule="cn-tc",
        closes_at=now + timedelta(hours=1),
        now=now,
    )
    db.session.commit()
    ballot_id, secretariat_id = ballot.id, secretariat.id
    voting = set(db.session.scalars(select(BallotVoter.user_id).where(BallotVoter.ballot_id == ballot_id)))
    user_ids = [u for u in user_ids if u in voting]
    assert len(user_ids) == VOTERS
    db.session.remove()

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES + 1)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    share = VOTERS // PROCESSES
    processes = [
        context.Process(
            target=run_voters,
            args=(
                database_url,
                options,
                ballot_id,
                user_ids[w * share : (w + 1) * share],
                ROUNDS,
                w,
                barrier,
                str(tmp_path),
            ),
        )
        for w in range(PROCESSES)
    ]
    processes.append(
        context.Process(
            target=run_closer,
            args=(database_url, options, ballot_id, secretariat_id, 0.8, barrier, str(tmp_path)),
        )
    )
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0, "a race process failed; see its traceback above"

    logs = [json.loads((tmp_path / f"voters-{w}.json").read_text("utf-8")) for w in range(PROCESSES)]
    entries = [entry for log in logs for entry in log]
    assert [e for e in entries if e["status"] == "error"] == []
    assert {e["kind"] for e in entries if e["status"] == "refused"} <= {"closed"}
    acknowledged = [e for e in entries if e["status"] == "ok"]
    refused = [e for e in entries if e["status"] == "refused"]
    assert acknowledged and refused, "the close came before or after every cast: no race was run"

    ballot = db.session.get(Ballot, ballot_id)
    assert not ballot.is_open
    voters = db.session.scalars(select(BallotVoter).where(BallotVoter.ballot_id == ballot_id)).all()
    assert len(voters) == VOTERS and len({v.user_id for v in voters}) == VOTERS  # one current vote each

    history = db.session.scalars(
        select(VoteCast).where(VoteCast.ballot_id == ballot_id).order_by(VoteCast.id)
    ).all()
    assert sorted(c.receipt for c in history) == sorted(
        e["receipt"] for e in acknowledged
    )  # none lost, none extra
    assert all(c.cast_at <= ballot.closed_at for c in history)

    last_acknowledged: dict[int, str] = {}
    for log in logs:
        seen_closed: set[int] = set()
        for entry in log:
            if entry["status"] == "refused":
                seen_closed.add(entry["user"])
            elif entry["status"] == "ok":
                assert entry["user"] not in seen_closed, "a cast was acknowledged after the close"
                last_acknowledged[entry["user"]] = entry["receipt"]
    by_user = {v.user_id: v for v in voters}
    for uid in user_ids:
        if uid in last_acknowledged:
            assert by_user[uid].receipt == last_acknowledged[uid]
        else:
            assert by_user[uid].choice is None

    latest: dict[int, VoteCast] = {}
    for cast in history:
        latest[cast.voter_id] = cast
    weights = {v.id: v.weight for v in voters}
    recount = operations.counts_of((c.choice, c.reasons, weights[c.voter_id]) for c in latest.values())
    expected = tally(ballot.rule, ballot.electorate_weight, recount)
    assert ballot.result["zh"] == expected.to_json("zh") and ballot.result["en"] == expected.to_json("en")
    assert ballot.passed is expected.passed
    assert db.session.scalar(
        select(func.sum(BallotVoter.casts)).where(BallotVoter.ballot_id == ballot_id)
    ) == len(history)

    # the audit log (accounts.audit): one entry per acknowledged cast, in one intact chain
    votes = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(("vote_cast", "vote_changed")))
    ).all()
    assert sorted(e.details_dict["receipt"] for e in votes) == sorted(e["receipt"] for e in acknowledged)
    assert audit.verify(db.session()).intact
