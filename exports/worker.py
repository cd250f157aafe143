"""`flask --app wsgi worker`: an RQ worker on the exports queue (production runs one or more per host).

Each job runs in a forked work horse (RQ's default), so a crash or a memory blow-up of one export
never takes the worker down; `--burst` stops when the queue is empty (tests, cron).
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked one.")
@with_appcontext
def worker_command(burst: bool, simple: bool) -> None:
    """Run export jobs from the Redis queue named by REDIS_URL."""
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    from exports.jobs import queue_name, use_app

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError(
            "REDIS_URL is not set: without Redis the web process runs exports itself and needs no worker. "
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for the web app and the worker alike."
        )
    use_app(current_app._get_current_object())  # type: ignore[attr-defined]
    connection = Redis.from_url(url)
    worker_class = SimpleWorker if simple else Worker
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = worker_class([Queue(queue_name(app), connection=connection)], connection=connection)
    worker.work(burst=burst)
