"""Each gunicorn worker warms the document core and tunes the garbage collector once (gunicorn.conf.py)."""

from __future__ import annotations

import subprocess
import sys

from app_testing import ROOT

PROBE = """
import gc, runpy
settings = runpy.run_path("gunicorn.conf.py")
settings["post_worker_init"](None)
print(gc.get_threshold()[0], gc.get_freeze_count() > 0)
"""


def test_a_gunicorn_worker_is_tuned_for_parsing_large_texts_once_it_starts():
    answer = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=120
    )
    from wsgi import SERVER_GC_THRESHOLD

    assert answer.stdout.split() == [str(SERVER_GC_THRESHOLD), "True"]
