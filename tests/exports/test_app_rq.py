"""Exports on RQ workers over the real Redis (REDIS_URL; .ci/run sets it): enqueued by the web app,
run by a worker, in this process (SimpleWorker) and as the real `flask --app wsgi worker --burst`."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from app_world import ask

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it)"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue_name():
    return f"exports-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def app_config(queue_name):
    """RQ on a queue of this test's own, so parallel test workers never run each other's jobs."""
    return {"EXPORT_RUNNER": "rq", "REDIS_URL": os.environ.get("REDIS_URL"), "EXPORT_QUEUE": queue_name}


@pytest.fixture
def queue(app, queue_name):
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(app.config["REDIS_URL"])
    queue = Queue(queue_name, connection=connection)
    yield queue
    queue.delete(delete_jobs=True)


def test_the_web_app_enqueues_and_a_worker_runs_the_export(drafter_client, szyl, queue):
    from rq import SimpleWorker

    answer = ask(drafter_client, szyl.standard, 2, "docx")
    assert answer.status_code == 202
    job = answer.get_json()
    assert job["status"] == "queued" and queue.count == 1

    SimpleWorker([queue], connection=queue.connection).work(burst=True)

    done = drafter_client.get(job["status_url"]).get_json()
    assert done["status"] == "done", done
    assert done["filename"] == "T-SZYL-3-2025.docx"
    download = drafter_client.get(done["download_url"])
    assert hashlib.sha256(download.data).hexdigest() == done["sha256"]
    assert queue.count == 0
    # the finished job is the cached answer: nothing more is enqueued
    assert ask(drafter_client, szyl.standard, 2, "docx").get_json()["id"] == job["id"]
    assert queue.count == 0


def test_a_failure_on_the_worker_reaches_the_page(app, drafter_client, szyl, queue, monkeypatch):
    from rq import SimpleWorker

    import exports.pdf

    monkeypatch.setattr(exports.pdf, "REQUIRED_FAMILIES", ("Noto Serif CJK SC Missing",))
    job = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
    failed = drafter_client.get(job["status_url"]).get_json()
    assert failed["status"] == "failed" and "缺少中文字体" in failed["error"]


def test_flask_worker_command_runs_the_queue(app, drafter_client, szyl, queue, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("the worker subprocess reaches the test database by URL: the SQLite file")
    job = ask(drafter_client, szyl.standard, 2, "html").get_json()
    assert job["status"] == "queued"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": app.config["REDIS_URL"],
        "EXPORT_QUEUE": queue.name,
        "DEMO": "1",
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    flask = Path(sys.executable).with_name("flask")
    finished = subprocess.run(
        [str(flask), "--app", "wsgi", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    done = drafter_client.get(job["status_url"]).get_json()
    assert done["status"] == "done", (done, finished.stderr[-2000:])
    assert drafter_client.get(done["download_url"]).data.startswith(b"<!")


def test_the_worker_command_explains_a_missing_redis_url(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DEMO="1", INSTANCE_PATH=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'w.sqlite3'}")
    flask = Path(sys.executable).with_name("flask")
    finished = subprocess.run(
        [str(flask), "--app", "wsgi", "worker", "--burst"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0 and "REDIS_URL is not set" in finished.stderr
