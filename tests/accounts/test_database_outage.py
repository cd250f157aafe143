"""A PostgreSQL that cannot be reached is a quick, clean 503, for API clients and for browsers.

No PostgreSQL is needed: the app is pointed at a port where nothing listens (refused at once) or
where a socket accepts connections and never answers (a hung server). The whole outage, a server
restarted and stopped under load, is tests/test_database_restart.py.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from app_testing import make_test_config
from flask import Flask

from accounts.database import POSTGRESQL_CONNECT_TIMEOUT_SECONDS
from accounts.database_outage import RETRY_AFTER_SECONDS
from wsgi import create_app


def _app(port: int) -> Flask:
    return create_app(make_test_config(f"postgresql+psycopg://postgres@127.0.0.1:{port}/standardforge"))


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends: refused from now on


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def test_an_api_call_without_the_database_is_503_unavailable_with_retry_after(closed_port: int) -> None:
    response = _app(closed_port).test_client().get("/api/v1/registry", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json["error"]["code"] == "unavailable"
    assert response.json["error"]["message"].startswith("The database cannot be reached")


def test_a_page_without_the_database_is_the_translated_503_page(closed_port: int) -> None:
    response = _app(closed_port).test_client().get("/registry", headers={"Accept": "text/html"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.mimetype == "text/html"
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "暂时无法使用" in page and "数据库暂时无法访问" in page
    assert "Traceback" not in page and "登录" not in page  # no way in that would fail the same way


def test_a_database_that_never_answers_is_503_after_the_connect_timeout(silent_port: int) -> None:
    client = _app(silent_port).test_client()
    answers: list[Any] = []
    started = time.monotonic()
    # in a thread, so that a connection waiting for ever fails this test instead of hanging it
    request = threading.Thread(target=lambda: answers.append(client.get("/api/v1/registry")), daemon=True)
    request.start()
    request.join(timeout=POSTGRESQL_CONNECT_TIMEOUT_SECONDS + 2)
    waited = time.monotonic() - started
    assert answers, f"no answer after {waited:.1f} s"
    assert answers[0].status_code == 503 and answers[0].json["error"]["code"] == "unavailable"
