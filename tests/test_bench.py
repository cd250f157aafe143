"""The bench still runs: a verb or a module that changes under it breaks the script, not only the numbers.

Only the in-process rows (core, diff, editor save, registry search over a few generated standards); the export and serving rows run whole pandoc, typst
and gunicorn processes and are measured by `bench/run.py` itself. The verdicts (ok or SLOW) are not
asserted: speed is measured in bench/, not in timed tests.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from app_testing import ROOT

pytestmark = pytest.mark.slow


def test_the_in_process_bench_rows_run_to_the_end():
    answer = subprocess.run(
        [sys.executable, "bench/run.py", "--repeat", "1", "core", "diff", "editor", "registry", "comments"],
        cwd=ROOT,
        env={**os.environ, "BENCH_REGISTRY_STANDARDS": "300"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "Traceback" not in answer.stderr, answer.stderr[-3000:]
    assert answer.returncode in (0, 1), answer.stderr[-3000:]
    for row in ("parse+number+lint", "diff of 2 revisions", "editor save 300 KB", "registry search over 300"):
        assert row in answer.stdout, answer.stdout
