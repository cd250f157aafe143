"""The JSON API against its own OpenAPI document (issue 15, hostile input): schemathesis generates
valid and invalid requests for every operation of `GET /api/v1/openapi.json` and sends them, in
process over WSGI, to the application with the demo data, with the bearer token of each role and
with none. Every answer must be no 500, a status the document lists for that operation, and a body
that matches the schema it gives for that status (errors: `{"error": {"code", "message", …}}`).

Bounded: `MAX_EXAMPLES` generated requests per operation, role and mode (valid, invalid), plus
schemathesis's coverage cases, so the file runs in well under three minutes on an idle two-core
machine; `API_FUZZ_EXAMPLES=200` runs it longer.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import schemathesis
from app_testing import make_test_config, postgresql_url_and_options, reset_postgresql_schema
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import tokens
from accounts.database import utcnow
from accounts.operations import find_user_by_email
from accounts.permissions import OPERATOR
from extensions import db as _db
from wsgi import create_app

pytestmark = pytest.mark.slow

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])

#: generated requests per operation and role
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))

#: the demo's person of each role (accounts/demo.py); None sends no token at all
ROLE_EMAILS: dict[str, str | None] = {
    "secretariat": "secretariat@demo.test",
    "drafter": "drafter@demo.test",
    "member": "member1@demo.test",
    "reviewer": "reviewer@demo.test",
    "admin": "admin@demo.test",
    "none": None,
}

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, negative_data_rejection]

#: what the generator may do: valid and invalid data; the API documents 400 `invalid` for a malformed
#: request, 404 for a path that names nothing (an id that is not a number is such a path), 401 without
#: a token, 413 and 429; a 403 or 409 answers a request the schema cannot tell is refused
CONFIG = schemathesis.Config.from_dict(
    {
        # no generated Authorization header: each test sends its role's (or none)
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "database": "none",
            "with-security-parameters": False,
        },
        "checks": {"negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 409, 413, 422]}},
    }
)


class IsolatedWsgi:
    """The application as a WSGI callable whose every request runs in a fresh context (its own `g`
    and database session), as `IsolatedClient` does for the test client: `fuzzed_app` keeps an
    application context pushed that requests would otherwise share."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        _db.session.commit()
        return list(contextvars.Context().run(self.app, environ, start_response))


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 reads and renames `request.node._nodeid`, which pytest 9.2 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(params=list(ROLE_EMAILS))
def role(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module", params=BACKENDS)
def fuzzed_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application with the demo data (as `flask demo` loads them), once for every role: the
    demo takes seconds to load, and what one role's requests changed is more for the next to meet."""
    from accounts.hooks import hooks

    config: dict[str, Any] = {
        # exports at once, in the request; no rate limit in the way of the generated requests
        "EXPORT_RUNNER": "sync",
        "DEMO_PASSWORD": "demo-password-1",
        "API_LIMIT": "1000000 per minute",
    }
    if request.param == "postgresql":
        url, options = postgresql_url_and_options()
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}"
    application = create_app(make_test_config(url, **config))
    with application.app_context():
        if request.param == "postgresql":
            reset_postgresql_schema(fresh=False)
        else:
            _db.create_all()
        for load in hooks(application).demo_loaders:
            load(application)
            _db.session.commit()
        yield application
        _db.session.remove()
        for engine in _db.engines.values():
            engine.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: Flask) -> Any:
    """The application's own OpenAPI document, read from `GET /api/v1/openapi.json`."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", IsolatedWsgi(fuzzed_app), config=CONFIG)


@pytest.fixture
def role_headers(api_schema: Any, role: str) -> dict[str, str]:
    """The Authorization header of the demo person of `role` (none for "none"); uncompressed answers,
    since schemathesis reads the body as it comes out of the application (Flask-Compress would brotli it)."""
    plain = {"Accept-Encoding": "identity"}
    email = ROLE_EMAILS[role]
    if email is None:
        return plain
    user = find_user_by_email(email)
    assert user is not None, email
    secret = tokens.create_token(OPERATOR, user, "fuzz", now=utcnow()).secret
    _db.session.commit()
    return {**plain, "Authorization": f"Bearer {secret}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
# the role's parameters reach pytest through this mark: schemathesis asks for the fixture only at run time
@pytest.mark.usefixtures("role_headers")
@settings(
    deadline=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_every_answer_matches_the_openapi_document(case: Any, role_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=role_headers, checks=CHECKS)
