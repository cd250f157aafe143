"""1,000 save races between real processes: one revision per number, and not one text lost.

Eight processes, each with its own application and connection pool on the same database (a SQLite
file, and PostgreSQL when TEST_DATABASE_URL is set), save 125 times each (RACE_SAVES=N runs another
total) from bases that are often stale. Afterwards every submitted text is accounted for exactly:
saved as a revision (byte for byte), merged into one (its paragraph is in that revision), or
answered as a conflict to its sender with the text handed back intact.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from save_race import SHARED_PREFIX, paragraph_line, run_worker
from sqlalchemy import select

from accounts.models import Role
from authoring import operations
from authoring.models import Revision
from extensions import db

WORKERS = 8
SAVES = int(os.environ.get("RACE_SAVES", "1000"))
SAVES_EACH = SAVES // WORKERS

pytestmark = pytest.mark.slow


def _race_text(workers: int) -> str:
    paragraphs = "\n\n".join(paragraph_line(w, "初稿") for w in range(workers))
    return f"""---
title:
  zh: 并发保存测试
association: 测试协会
language: zh
---

# 前言 {{#foreword .foreword}}

本文件按照GB/T 1.1—2020的规定起草。

# 范围 {{#scope}}

本文件规定了并发保存的要求。

# 规范性引用文件 {{#normative-references}}

本文件没有规范性引用文件。

# 术语和定义 {{#terms}}

本文件没有需要界定的术语和定义。

# 要求 {{#c-requirements}}

{SHARED_PREFIX}初稿。

{paragraphs}
"""


def test_concurrent_saves_lose_no_text(
    app, database_url, association, secretariat, make_member, clock, tmp_path: Path
):
    drafters = [make_member(association, Role.DRAFTER) for _ in range(WORKERS)]
    standard = operations.create_standard(
        association,
        secretariat,
        title_zh="并发保存测试",
        title_en=None,
        committee=None,
        drafters=[d.membership_in(association) for d in drafters],
        text=_race_text(WORKERS),
        now=clock.tick(),
    )
    db.session.commit()
    standard_id, drafter_ids = standard.id, [d.id for d in drafters]
    db.session.remove()

    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(
            target=run_worker,
            args=(
                database_url,
                dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"]),
                standard_id,
                drafter_ids[w],
                w,
                SAVES_EACH,
                str(tmp_path),
            ),
        )
        for w in range(WORKERS)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
        assert process.exitcode == 0, "a save process failed; see its traceback above"

    results = [
        r for w in range(WORKERS) for r in json.loads((tmp_path / f"worker-{w}.json").read_text("utf-8"))
    ]
    assert len(results) == WORKERS * SAVES_EACH == SAVES

    revisions = {
        r.number: r for r in db.session.scalars(select(Revision).where(Revision.standard_id == standard_id))
    }
    by_status = {
        status: [r for r in results if r["status"] == status]
        for status in ("saved", "merged", "conflict", "refused", "unchanged")
    }

    # one revision per number, no gaps, and exactly one per accepted save
    assert sorted(revisions) == list(range(1, len(revisions) + 1))
    assert len(revisions) - 1 == len(by_status["saved"]) + len(by_status["merged"])
    assert len({r["revision"] for r in by_status["saved"] + by_status["merged"]}) == len(revisions) - 1
    assert not by_status["unchanged"]  # every submission carried a new token
    assert sum(map(len, by_status.values())) == SAVES

    lost = []
    for record in results:
        worker, token = record["worker"], record["token"]
        if record["status"] == "saved":
            if revisions[record["revision"]].text != record["submitted"]:
                lost.append(record)
        elif record["status"] == "merged":
            if paragraph_line(worker, token) not in revisions[record["revision"]].text:
                lost.append(record)
        elif not record["returned_mine_identical"]:  # conflict or refusal: the sender has the text back
            lost.append(record)
    assert lost == []

    # the latest text still holds each process's last accepted paragraph: no stale save undid it
    final = revisions[max(revisions)].text
    for worker in range(WORKERS):
        accepted = [r for r in results if r["worker"] == worker and r["status"] in ("saved", "merged")]
        if accepted:
            last = max(accepted, key=lambda r: r["revision"])
            assert paragraph_line(worker, last["token"]) in final

    # the race really raced: stale saves were merged and overlapping ones refused
    assert by_status["merged"], "no stale save was merged: the test did not race"
    assert by_status["conflict"], "no overlapping save was refused: the test did not race"
    print(
        f"\n{SAVES} saves: {len(by_status['saved'])} saved, {len(by_status['merged'])} merged, "
        f"{len(by_status['conflict'])} conflicts and {len(by_status['refused'])} refusals returned to their "
        f"senders; {len(revisions)} revisions"
    )
