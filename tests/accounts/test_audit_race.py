"""Four processes appending to the audit log at once leave one chain: every committed entry in it
once, no two entries chained onto the same hash, and `flask --app wsgi audit verify` passes.

On the SQLite file and on PostgreSQL (TEST_DATABASE_URL): 4 processes × 50 units of work, half of
them reads that then record (the failed login's shape), half verbs that lock and change a row.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from audit_race import append_entries
from sqlalchemy import select

from accounts import audit
from accounts.audit import AuditEntry
from extensions import db

PROCESSES, APPENDS = 4, 50


def test_four_processes_appending_at_once_leave_one_intact_chain(app, database_url, make_org, tmp_path: Path):
    org_id = make_org().id
    db.session.remove()
    for engine in db.engines.values():
        engine.dispose()  # no connection of this process crosses the fork

    # forked like gunicorn's workers (the modules are imported already: a spawned process would
    # spend seconds importing them again); each child makes its own application and engine
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    processes = [
        context.Process(
            target=append_entries,
            args=(database_url, options, org_id, APPENDS, worker, barrier, str(tmp_path)),
        )
        for worker in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0, "an appending process failed; see its traceback above"

    committed = [
        s for w in range(PROCESSES) for s in json.loads((tmp_path / f"audit-{w}.json").read_text("utf-8"))
    ]
    assert len(committed) == PROCESSES * APPENDS
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    race_subjects = Counter(e.subject for e in entries if e.subject.startswith("race:"))
    assert race_subjects == Counter(committed)  # every committed entry, each once, nothing else
    renames = [e for e in entries if e.action == "org_renamed"]
    assert len(renames) == PROCESSES * APPENDS // 2  # the verb's own entry committed with its change
    assert [e.id for e in entries] == list(range(1, len(entries) + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)
    assert audit.verify(db.session()).intact

    # the real command, as cron runs it, on the same database
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "race",
        "BASE_URL": "http://race.test",
    }
    if database_url.startswith("postgresql"):
        environment["PGOPTIONS"] = options["connect_args"]["options"]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "audit", "verify"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"audit log intact: {len(entries)} entries, head {entries[-1].hash}" in result.stdout
