"""The load harness runs: bench/load/run.py, briefly and small, against real gunicorn on SQLite.

A few users of each class (voters, editors, exporters, readers) for LOAD_SMOKE_SECONDS through the
same world builder, locustfile and runner as the five-minute load of issue 15, the ballot closed by
its secretariat halfway. Every request must be answered rightly (locust's failures CSV is empty: a
409 is right only where the locustfile says so, as for the votes after the close, which must come)
and every class must have made requests, its writes among them. The latency targets are the
long run's business: a loaded CI machine would make them a coin toss here.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_testing import ROOT

pytestmark = pytest.mark.slow

SECONDS = int(os.environ.get("LOAD_SMOKE_SECONDS", "16"))
#: the secretariat closes the ballot this far into the run: the votes after it must be refused
CLOSE_AFTER = SECONDS * 0.55


def test_every_user_class_is_served_without_a_failure(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "REDIS_URL")}
    finished = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load" / "run.py"),
            "--backend",
            "sqlite",
            "--minutes",
            str(SECONDS / 60),
            "--voters",
            "10",
            "--editors",
            "4",
            "--exporters",
            "2",
            "--readers",
            "4",
            "--spawn-rate",
            "20",
            "--close-ballot-after",
            str(CLOSE_AFTER),
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    report = finished.stdout + finished.stderr
    stats = tmp_path / "locust_stats.csv"
    assert stats.exists(), f"locust left no statistics:\n{report}"
    with stats.open(newline="", encoding="utf-8") as rows:
        counts = {
            row["Name"]: (int(row["Request Count"]), int(row["Failure Count"]))
            for row in csv.DictReader(rows)
        }
    failures = (tmp_path / "locust_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert not failures, f"failed requests: {failures}\n{report}"
    assert counts["Aggregated"][1] == 0
    for name in (
        "voter POST /api/v1/ballots/{id}/votes",
        "voter POST /ballots/{id}/votes",
        "editor POST /api/v1/standards/{id}/revisions",
        "exporter POST /standards/{id}/exports",
        "reader GET /standards/{id} (quiet)",
    ):
        assert counts.get(name, (0, 0))[0] > 0, f"no {name!r}:\n{report}"
    assert any(name.startswith("exporter export ") for name in counts), f"no export finished:\n{report}"
    outcomes = json.loads((tmp_path / "locust_outcomes.json").read_text(encoding="utf-8"))
    assert outcomes.get("vote recorded", 0) > 0 and outcomes.get("save saved", 0) > 0, outcomes
    refused = [what for what in outcomes if what.startswith("vote refused: the ballot closed")]
    assert refused, f"no vote came after the close: {outcomes}\n{report}"
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text(errors="replace")
    assert "Content-Encoding none" not in report, f"an answer came uncompressed:\n{report}"
