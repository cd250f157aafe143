"""One process of the save race: its own application on the shared database, saving in a loop.

Run by `multiprocessing` (spawn) from test_concurrent_saves.py, so it imports nothing from pytest.
Each worker owns one paragraph (line "P<w>: …") and sometimes also rewrites the shared line, so
stale saves of other paragraphs merge and stale saves of the shared line conflict. Every outcome
is written to a JSON file that the test reads back and checks against the database.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

SHARED_PREFIX = "共同段落："


def paragraph_line(worker: int, token: str) -> str:
    return f"P{worker}: 第{worker}段由进程{worker}维护，最近一次保存为{token}。"


def with_line(text: str, prefix: str, new_line: str) -> str:
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    lines[index] = new_line
    return "\n".join(lines)


def run_worker(
    database_url: str,
    engine_options: dict[str, Any],
    standard_id: int,
    user_id: int,
    worker: int,
    saves: int,
    out_dir: str,
) -> None:
    from accounts.database import utcnow
    from accounts.models import User
    from accounts.refusals import Refused
    from authoring import operations
    from authoring.models import Standard
    from extensions import db
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
    app = create_app(config)
    rng = random.Random(worker * 7919)
    results: list[dict[str, Any]] = []
    with app.app_context():
        standard = db.session.get(Standard, standard_id)
        user = db.session.get(User, user_id)
        base = standard.latest_revision()
        base_number, base_text = base.number, base.text
        db.session.commit()
        for index in range(saves):
            token = f"w{worker}-s{index}"
            text = with_line(base_text, f"P{worker}:", paragraph_line(worker, token))
            touches_shared = rng.random() < 0.2
            if touches_shared:
                text = with_line(
                    text, SHARED_PREFIX, f"{SHARED_PREFIX}由进程{worker}在第{index}次保存时改写（{token}）。"
                )
            record: dict[str, Any] = {
                "worker": worker,
                "token": token,
                "base": base_number,
                "shared": touches_shared,
                "submitted": text,
            }
            try:
                outcome = operations.save_revision(standard, user, text, token, base_number, now=utcnow())
                db.session.commit()
            except Refused:  # the unique constraint refused it (a "conflict"): the editor keeps the text
                db.session.rollback()
                record.update(status="refused", returned_mine_identical=True)
                results.append(record)
                continue
            record["status"] = outcome.status
            if isinstance(outcome, operations.Conflict):
                record["returned_mine_identical"] = outcome.mine == text
                record["latest"] = outcome.latest.number
                # the drafter resolves by starting again from the latest revision
                base_number, base_text = outcome.latest.number, outcome.latest.text
            else:
                record["revision"] = outcome.revision.number
                # like the editor: usually keep writing on what was saved, sometimes fall behind
                if rng.random() < 0.7:
                    base_number, base_text = outcome.revision.number, outcome.text
            db.session.commit()
            results.append(record)
        db.session.remove()
    Path(out_dir, f"worker-{worker}.json").write_text(
        json.dumps(results, ensure_ascii=False), encoding="utf-8"
    )
