"""The processes of the audit log race: each appends entries through the app's own units of work.

Run by `multiprocessing` (fork) from test_audit_race.py, so it imports nothing from pytest. Half
the units only read before they record (a failed login: on SQLite the read transaction must give
way to the write lock), the other half change a row under a verb's lock and record with it (an
organisation renamed). Each process writes the subjects it saw committed to a JSON file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def append_entries(
    database_url: str,
    engine_options: dict[str, Any],
    org_id: int,
    count: int,
    worker: int,
    barrier: Any,
    out_dir: str,
) -> None:
    from sqlalchemy import select

    from accounts import audit, operations
    from accounts.models import Organisation, User
    from accounts.permissions import OPERATOR
    from extensions import db
    from wsgi import create_app

    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "race",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BASE_URL": "http://race.test",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    if engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    app = create_app(config)
    committed: list[str] = []
    with app.app_context():
        db.session.commit()
        barrier.wait(timeout=120)
        for number in range(count):
            subject = f"race:{worker}:{number}"
            if number % 2:
                org = db.session.get(Organisation, org_id)
                assert org is not None
                operations.rename_org(OPERATOR, org, f"协会 {subject}")
                audit.record("race_renamed", OPERATOR, subject=subject, organisation=org)
            else:
                db.session.scalar(select(User).where(User.email == f"nobody{worker}@example.org"))
                audit.record(
                    "login_failed", None, subject=subject, details={"email": f"nobody{worker}@example.org"}
                )
            db.session.commit()
            committed.append(subject)
    Path(out_dir, f"audit-{worker}.json").write_text(json.dumps(committed), "utf-8")
