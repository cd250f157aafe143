"""One process of the publication race: its own application on the shared database, publishing one
standard the moment every process is ready (a barrier).

Run by `multiprocessing` (spawn) from test_publication_race.py, so it imports nothing from pytest;
the outcome goes to a JSON file that the test reads back and checks against the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def run_publisher(
    database_url: str,
    engine_options: dict[str, Any],
    standard_id: int,
    user_id: int,
    worker: int,
    barrier: Any,
    out_dir: str,
) -> None:
    from accounts.database import utcnow
    from accounts.models import User
    from accounts.refusals import Refused
    from authoring.models import Stage, Standard
    from extensions import db
    from workflow import operations
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
    result: dict[str, Any] = {"worker": worker, "standard": standard_id}
    with app.app_context():
        standard = db.session.get(Standard, standard_id)
        user = db.session.get(User, user_id)
        standard.latest_revision()  # warm: the race is the publication, not the first query
        db.session.commit()
        barrier.wait(timeout=60)
        try:
            operations.transition(standard, user, Stage.PUBLISHED, now=utcnow())
            db.session.commit()
            result.update(status="published", number=standard.number, sequence=standard.sequence)
        except Refused as refused:
            db.session.rollback()
            result.update(status="refused", kind=refused.kind, message=refused.message)
        db.session.remove()
    Path(out_dir, f"publisher-{worker}.json").write_text(
        json.dumps(result, ensure_ascii=False), encoding="utf-8"
    )
