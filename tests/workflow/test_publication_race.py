"""Publications at the same instant, from real processes: never the same number twice.

Each process has its own application and connection pool on the same database (a SQLite file, and
PostgreSQL when TEST_DATABASE_URL is set) and publishes as soon as all are ready. Different
standards of one association get the sequence numbers 1…n, each once; the same standard published
by two processes at once is published once, the other is refused.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from publish_race import run_publisher
from sqlalchemy import select

from authoring.models import Stage, Standard
from extensions import db

pytestmark = pytest.mark.slow

PUBLISHERS = 6


def _race(app, database_url, jobs, tmp_path):
    """Run one publisher per (standard id, user id) at once; their results, by worker."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(jobs))
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    processes = [
        context.Process(
            target=run_publisher,
            args=(database_url, options, standard_id, user_id, w, barrier, str(tmp_path)),
        )
        for w, (standard_id, user_id) in enumerate(jobs)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0, "a publisher process failed; see its traceback above"
    return [json.loads((tmp_path / f"publisher-{w}.json").read_text("utf-8")) for w in range(len(jobs))]


def _in_approval(make_standard, count):
    standards = [make_standard(stage=Stage.APPROVAL, title=f"并发发布{n}") for n in range(count)]
    db.session.commit()
    return standards


def test_simultaneous_publications_get_distinct_numbers(
    app, database_url, make_standard, secretariat, tmp_path: Path
):
    standards = _in_approval(make_standard, PUBLISHERS)
    user_id = secretariat.id
    jobs = [(s.id, user_id) for s in standards]
    db.session.remove()

    results = _race(app, database_url, jobs, tmp_path)

    assert [r["status"] for r in results] == ["published"] * PUBLISHERS, results
    numbers = [r["number"] for r in results]
    assert len(set(numbers)) == PUBLISHERS
    assert sorted(r["sequence"] for r in results) == list(range(1, PUBLISHERS + 1))
    stored = db.session.scalars(select(Standard.number).where(Standard.number.is_not(None))).all()
    assert sorted(stored) == sorted(numbers)


def test_one_standard_published_twice_at_once_is_published_once(
    app, database_url, make_standard, secretariat, tmp_path: Path
):
    (standard,) = _in_approval(make_standard, 1)
    standard_id, user_id = standard.id, secretariat.id
    db.session.remove()

    results = _race(app, database_url, [(standard_id, user_id)] * 2, tmp_path)

    statuses = sorted(r["status"] for r in results)
    assert statuses == ["published", "refused"], results
    refused = next(r for r in results if r["status"] == "refused")
    assert refused["kind"] in ("gate", "conflict")
    stored = db.session.get(Standard, standard_id)
    assert stored.number == next(r["number"] for r in results if r["status"] == "published")
    assert stored.published_revision == 2 and stored.latest_number == 2, "one final revision, not two"
