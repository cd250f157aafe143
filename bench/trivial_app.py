"""The trivial Flask page that bench_pages serves beside ours: the floor of what gunicorn can do here.

gunicorn 'bench.trivial_app:app'
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "<!doctype html><title>ok</title><p>ok</p>"
