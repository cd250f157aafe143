"""gunicorn's settings for StandardForge, read from the working folder (`make run`, production).

Each worker warms the document core once and tunes Python's cyclic garbage collector for a server
that parses large texts (`wsgi.tune_for_serving`): nothing per request, nothing toggled.
"""

from __future__ import annotations

from typing import Any


def post_worker_init(worker: Any) -> None:
    from wsgi import tune_for_serving

    tune_for_serving()
