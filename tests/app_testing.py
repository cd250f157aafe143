"""Helpers shared by the tests of every package: importable by name (`from app_testing import …`).

conftest.py holds the fixtures; what a test module may need to import itself lives here, because
several folders have a conftest.py and `from conftest import …` would find the wrong one.
"""

from __future__ import annotations

import contextvars
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from accounts.models import User
from extensions import db as _db

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

#: the password every factory-made user has
PASSWORD = "correct horse 42"


def make_test_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """The configuration of a test application; CSRF off unless a test turns it on."""
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "https://standards.example.org",
        "RATELIMIT_STORAGE_URI": "memory-swept://",
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


def _pg_schema() -> str:
    """One schema per pytest-xdist worker, so workers never see each other's rows."""
    return "test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")


def postgresql_url_and_options() -> tuple[str, dict[str, Any]]:
    from accounts.database import normalise_database_url

    url = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    # synchronous_commit off: a test database need not survive a power cut, and commits get fast
    options = f"-csearch_path={_pg_schema()} -csynchronous_commit=off"
    return url, {"connect_args": {"options": options}, "pool_size": 2}


class _PostgresState:
    #: the schema was dropped and created from the models in this session
    ready = False


def reset_postgresql_schema(fresh: bool) -> None:
    """Empty the test schema: recreated from the models once per session, emptied after that."""
    schema = _pg_schema()
    if fresh or not _PostgresState.ready:
        with _db.engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        _db.create_all()
        _PostgresState.ready = True
        return
    # DELETE is much faster than TRUNCATE on tables this small; then the ids start at 1 again
    with _db.engine.begin() as connection:
        # the audit log's triggers refuse DELETE (accounts.audit): off while it is emptied, on again
        audited = connection.execute(text("SELECT EXISTS (SELECT 1 FROM audit_log)")).scalar()
        if audited:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        for table in reversed(_db.metadata.sorted_tables):
            connection.execute(table.delete())
        if audited:
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER USER"))
        sequences = connection.execute(
            text(
                "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()"
            )
        ).scalars()
        for sequence in sequences:
            connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))


def forget_postgresql_schema() -> None:
    """Tell the fixtures that a test changed the schema (e.g. ran the migrations)."""
    _PostgresState.ready = False


class IsolatedClient(FlaskClient):
    """A test client whose requests each run in a fresh context, like separate production requests.

    Without this, the application context the `app` fixture keeps pushed would be shared by every
    request: one `g` (Flask-Login caches the user there) and one database session for the whole test.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            _db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


_CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str | None:
    """The CSRF token of the first form on `path`, when CSRF is on."""
    match = _CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    return match.group(1) if match else None


def login(client: FlaskClient, user: User | str, password: str = PASSWORD) -> Any:
    """Log in through the login form; returns the response (302 to the desk when it worked)."""
    email = user if isinstance(user, str) else user.email
    data = {"email": email, "password": password}
    token = csrf_token(client, "/login")
    if token:
        data["csrf_token"] = token
    return client.post("/login", data=data)


def bearer(token: str | None, **headers: str) -> dict[str, str]:
    """The headers of an API call with `token` (none without one), plus `headers`
    (`bearer(t, **{"Accept-Language": "en"})`)."""
    return {**({"Authorization": f"Bearer {token}"} if token else {}), **headers}


@dataclass
class LiveServer:
    url: str
    app: Flask
    password: str


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


#: anything on a page that looks like a formatted date, in any of the shapes Babel or a browser writes
_DATE_LIKE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
    r"(?:,? (?:at )?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)?"
    r"|\b\d{1,4}/\d{1,2}/\d{1,4}(?:,? (?:上午|下午)?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)?"
    r"|\d{4}年\d{1,2}月\d{1,2}日(?:\s*(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?"
)

#: the one shape of a date and of a date with time in each interface language (accounts/dates.py)
DATE_SHAPES = {
    "zh_CN": (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日"), re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")),
    "en": (
        re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4}"),
        re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}"),
    ),
}


def dates_on_page(html: str) -> list[str]:
    """Every date-like text of `html`, whatever its shape."""
    return [match.group(0) for match in _DATE_LIKE.finditer(html)]


def off_pattern_dates(html: str, locale: str) -> list[str]:
    """The dates of `html` that are neither the date nor the date-and-time shape of `locale`."""
    shapes = DATE_SHAPES[locale]
    return [found for found in dates_on_page(html) if not any(s.fullmatch(found) for s in shapes)]
