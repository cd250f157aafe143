"""The processes of the ballot race: voters casting and changing votes, and the secretariat closing
the ballot meanwhile, each with its own application on the shared database.

Run by `multiprocessing` (spawn) from test_ballot_race.py, so it imports nothing from pytest; each
process writes what it was told (acknowledged receipts, refusals) to a JSON file the test checks
against the database.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

CHOICES = ("approve", "approve_with_comments", "disapprove", "abstain")


def _app(database_url: str, engine_options: dict[str, Any]) -> Any:
    from wsgi import create_app

    config = {
        "TESTING": True,
        "SECRET_KEY": "race",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://race.test",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    if engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    return create_app(config)


def run_voters(
    database_url: str,
    engine_options: dict[str, Any],
    ballot_id: int,
    user_ids: list[int],
    rounds: int,
    worker: int,
    barrier: Any,
    out_dir: str,
) -> None:
    """Cast for each voter in turn, `rounds` times over (each round changes every vote), until the
    ballot closes; log every acknowledged cast and every refusal in order."""
    from accounts.database import utcnow
    from accounts.models import User
    from accounts.refusals import Refused
    from extensions import db
    from workflow.ballots import operations
    from workflow.ballots.models import Ballot

    app = _app(database_url, engine_options)
    log: list[dict[str, Any]] = []
    with app.app_context():
        users = {uid: db.session.get(User, uid) for uid in user_ids}
        db.session.commit()
        barrier.wait(timeout=120)
        for round_number in range(rounds):
            for position, uid in enumerate(user_ids):
                choice = CHOICES[(uid + round_number + position) % len(CHOICES)]
                reasons = "" if (uid + round_number) % 5 == 0 else f"理由 {round_number}"
                try:
                    ballot = db.session.get(Ballot, ballot_id)
                    voter = operations.cast_vote(ballot, users[uid], choice, reasons, now=utcnow())
                    receipt = voter.receipt
                    db.session.commit()
                    log.append({"user": uid, "status": "ok", "receipt": receipt, "choice": choice})
                except Refused as refused:
                    db.session.rollback()
                    log.append({"user": uid, "status": "refused", "kind": refused.kind})
                except Exception as error:
                    db.session.rollback()
                    log.append({"user": uid, "status": "error", "error": repr(error)})
        db.session.remove()
    Path(out_dir, f"voters-{worker}.json").write_text(json.dumps(log), encoding="utf-8")


def run_closer(
    database_url: str,
    engine_options: dict[str, Any],
    ballot_id: int,
    secretariat_id: int,
    delay: float,
    barrier: Any,
    out_dir: str,
) -> None:
    """Close the ballot early `delay` seconds after everyone is ready."""
    from accounts.database import utcnow
    from accounts.models import User
    from extensions import db
    from workflow.ballots import operations
    from workflow.ballots.models import Ballot

    app = _app(database_url, engine_options)
    with app.app_context():
        secretariat = db.session.get(User, secretariat_id)
        db.session.commit()
        barrier.wait(timeout=120)
        time.sleep(delay)
        ballot = db.session.get(Ballot, ballot_id)
        operations.close_ballot(ballot, secretariat, now=utcnow(), reason="并发测试：提前截止")
        db.session.commit()
        result = {"closed_at": ballot.closed_at.isoformat(), "passed": ballot.passed}
        db.session.remove()
    Path(out_dir, "closer.json").write_text(json.dumps(result), encoding="utf-8")
