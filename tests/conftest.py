"""Fixtures shared by every test: the application on each database backend, factories, login, live server.

- `app` runs each test that uses it on SQLite (a temp file) and, when TEST_DATABASE_URL is set, again
  on PostgreSQL (ids "sqlite" and "postgresql"). Tests that need no database should not use it.
  The fixture keeps an application context pushed, so a test can query and use the factories.
- `client` sends each request in its own application context, as production does: its own `g`, its
  own database session. Before each request the test's session is committed (and so expired), so
  what the test reads afterwards comes fresh from the database.
- `make_user`, `make_org`, `make_membership`: factories in the style of CERN Indico's `create_user`;
  they commit, so the requests of `client` see what they made.
- `login(client, user)`: logs in through the real form (with the CSRF token when CSRF is on).
- `live_server`: the whole app served by Werkzeug on 127.0.0.1 with the demo data (browser tests).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from accounts.models import Membership, Organisation, OrgKind, Role, User
from extensions import db as _db
from wsgi import create_app

# the helper modules next to this file (app_testing, permission_matrix) import by name in any mode
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_testing import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    ROOT,
    IsolatedClient,
    LiveServer,
    login,
    make_test_config,
    postgresql_url_and_options,
    reset_postgresql_schema,
)

#: a fast hash for factory users: scrypt would cost ~50 ms per user and per login
_FAST_HASH_METHOD = "pbkdf2:sha256:1000"

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


# -- translations ---------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the .po catalogs when the .mo files are missing or older (make does it too)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


# -- application and database ---------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database each test runs on: a fresh SQLite file, or the PostgreSQL test schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return postgresql_url_and_options()[0]


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Override in a test module (or parametrize indirectly) to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any]) -> Iterator[Flask]:
    overrides = dict(app_config)
    postgresql = database_url.startswith("postgresql")
    if postgresql:
        overrides.setdefault("SQLALCHEMY_ENGINE_OPTIONS", postgresql_url_and_options()[1])
    application = create_app(make_test_config(database_url, **overrides))
    application.test_client_class = IsolatedClient
    with application.app_context():
        if postgresql:
            reset_postgresql_schema(fresh=False)
        else:
            _db.create_all()
        yield application
        _db.session.remove()
        for engine in _db.engines.values():
            engine.dispose()


@pytest.fixture
def db(app: Flask) -> Any:
    """The Flask-SQLAlchemy object, with empty tables."""
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# -- factories ------------------------------------------------------------------------------

_serial = itertools.count(1)


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """make_user(email=None, name=None, *, password=PASSWORD, is_admin=False, locale=None)."""

    def factory(
        email: str | None = None,
        name: str | None = None,
        *,
        password: str = PASSWORD,
        is_admin: bool = False,
        locale: str | None = None,
    ) -> User:
        n = next(_serial)
        user = User(
            email=(email or f"user{n}@example.org").lower(),
            name=name or f"用户{n}",
            password_hash=generate_password_hash(password, method=_FAST_HASH_METHOD),
            is_admin=is_admin,
            locale=locale,
        )
        _db.session.add(user)
        _db.session.commit()
        return user

    return factory


@pytest.fixture
def make_org(app: Flask) -> Callable[..., Organisation]:
    """make_org(kind="association", name=None, code=None): an association (with a code) or agency."""

    def factory(
        kind: str | OrgKind = OrgKind.ASSOCIATION, name: str | None = None, code: str | None = None
    ) -> Organisation:
        n = next(_serial)
        kind = OrgKind(kind)
        org = Organisation(
            kind=kind,
            name=name or (f"协会{n}" if kind == OrgKind.ASSOCIATION else f"市场监督管理局{n}"),
            code=(code or f"AS{n}") if kind == OrgKind.ASSOCIATION else None,
        )
        _db.session.add(org)
        _db.session.commit()
        return org

    return factory


@pytest.fixture
def make_membership(app: Flask) -> Callable[..., Membership]:
    """make_membership(user, org, role="member", voting=None, weight=1); members vote by default."""

    def factory(
        user: User,
        org: Organisation,
        role: str | Role = Role.MEMBER,
        voting: bool | None = None,
        weight: int = 1,
    ) -> Membership:
        role = Role(role)
        membership = Membership(
            user=user,
            org=org,
            role=role,
            voting=(role == Role.MEMBER) if voting is None else voting,
            weight=weight,
        )
        _db.session.add(membership)
        _db.session.commit()
        return membership

    return factory


@pytest.fixture
def make_member(
    make_user: Callable[..., User], make_membership: Callable[..., Membership]
) -> Callable[..., User]:
    """make_member(org, role="member", **user_fields): a new user with that role in `org`."""

    def factory(org: Organisation, role: str | Role = Role.MEMBER, **user_fields: Any) -> User:
        user = make_user(**user_fields)
        make_membership(user, org, role)
        return user

    return factory


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """make_token(user, name="test"): a new API token of `user`; returns the secret to send."""
    from accounts import tokens
    from accounts.database import utcnow
    from accounts.permissions import OPERATOR

    def factory(user: User, name: str = "test") -> str:
        issued = tokens.create_token(OPERATOR, user, name, now=utcnow())
        _db.session.commit()
        return issued.secret

    return factory


# -- logging in -----------------------------------------------------------------------------


@pytest.fixture(name="login")
def login_fixture() -> Callable[..., Any]:
    """login(client, user_or_email, password=PASSWORD): log in through the form."""
    return login


@pytest.fixture
def password() -> str:
    """The password of every user the factories make."""
    return PASSWORD


# -- live server and browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app with its demo data on a free port of 127.0.0.1, real CSRF and throttling.

    Exports and dossiers run in the server's own threads: no RQ worker runs beside it, so a REDIS_URL in
    the environment (CI sets one) must not send its jobs to a queue nobody reads.
    """
    from accounts.hooks import hooks

    database = tmp_path_factory.mktemp("live") / "live.sqlite3"
    application = create_app(
        make_test_config(
            f"sqlite:///{database}",
            TESTING=False,
            DEMO=True,
            WTF_CSRF_ENABLED=True,
            DEMO_PASSWORD="demo",
            EXPORT_RUNNER="thread",
        )
    )
    with application.app_context():
        _db.create_all()
        for load in hooks(application).demo_loaders:
            load(application)
            _db.session.commit()
        _db.session.remove()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    application.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(url=url, app=application, password="demo")
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs the chromium package (apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, 1280×800."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browser_login(live_server: LiveServer) -> Callable[..., None]:
    """browser_login(page, email, password=None): log in through the real form, wait for the desk."""

    def log_in(page: Any, email: str, password: str | None = None) -> None:
        page.goto(live_server.url + "/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password or live_server.password)
        page.click("main form button[type=submit]")
        page.wait_for_url(live_server.url + "/")

    return log_in


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """screenshot(page, name): a full-page PNG under test-artifacts/browser/."""

    def take(page: Any, name: str) -> Path:
        folder = ARTIFACTS / "browser"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# -- permission matrix ----------------------------------------------------------------------


@pytest.fixture
def matrix(
    request: pytest.FixtureRequest, app: Flask, make_org: Any, make_member: Any, make_user: Any
) -> Any:
    """The permission matrix world (tests/permission_matrix.py) with clients per actor, and what the
    requesting module's `MATRIX_SETUPS` put into each association side."""
    from permission_matrix import Matrix

    factories = {"make_org": make_org, "make_member": make_member, "make_user": make_user}
    return Matrix(app, factories, login, getattr(request.module, "MATRIX_SETUPS", ()))
