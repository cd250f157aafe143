"""`flask --app wsgi worker`: an RQ worker on the exports queue (production runs one or more per host).

Each job runs in a forked work horse (RQ's default), so a crash or a memory blow-up of one export
never takes the worker down; `--burst` stops when the queue is empty (tests, cron). The worker pushes
the command's application context around every job (`AppWorker`): nothing keeps an app in a global.
"""

from __future__ import annotations

import os
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from extensions import db


def app_worker(base: type[Any], app: Flask) -> type[Any]:
    """An RQ worker class (`base`: Worker or SimpleWorker) that runs each job inside `app`'s context.

    A forked work horse must not use the database connections of the worker it was forked from
    (SQLAlchemy's rule for forks): it drops them from its own pools before the job starts.
    """
    parent_pid = os.getpid()

    class AppWorker(base):  # type: ignore[misc, valid-type]
        def perform_job(self, job: Any, queue: Any, *args: Any, **kwargs: Any) -> bool:
            with app.app_context():
                if os.getpid() != parent_pid:
                    for engine in db.engines.values():
                        engine.dispose(close=False)
                return bool(super().perform_job(job, queue, *args, **kwargs))

    return AppWorker


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked one.")
@with_appcontext
def worker_command(burst: bool, simple: bool) -> None:
    """Run export jobs from the Redis queue named by REDIS_URL."""
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    from exports.jobs import queue_name

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.UsageError(
            "REDIS_URL is not set: without Redis the web process runs exports itself and needs no worker. "
            "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) for the web app and the worker alike."
        )
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    connection = Redis.from_url(url)
    worker_class = app_worker(SimpleWorker if simple else Worker, app)
    worker = worker_class([Queue(queue_name(app), connection=connection)], connection=connection)
    worker.work(burst=burst)
