"""The machinery of the JSON API (docs/api.md): its blueprints, bearer tokens, request bodies,
pagination, the objects every package shares, and the OpenAPI document built from the routes.

Each package that serves API routes makes its own blueprint with `api_blueprint()` (mounted at
/api/v1, exempt from CSRF, rate limited in one shared scope, authenticated by bearer token only) and
declares each route with `api_route`, which records its summary, parameters and schemas beside the
view: `GET /api/v1/openapi.json` is built from those records and the application's URL map, so a
route cannot be served without being described. Errors go through the application's handlers
(`wsgi.py`): a `Refused` and every HTTP error under /api/ answer `{"error": {"code", "message", …}}`
in the language of `Accept-Language`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from sqlalchemy import Select, func, select
from werkzeug.routing import Rule

from accounts import tokens
from accounts.database import utcnow
from accounts.json_errors import json_error
from accounts.models import Organisation, OrgKind, User
from accounts.refusals import Refused
from extensions import csrf, db, limiter

#: where every API route lives
API_PREFIX = "/api/v1"

#: the default and the largest `per_page` of a list
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

#: component schemas of the OpenAPI document, by name (`schema()` adds one)
SCHEMAS: dict[str, dict[str, Any]] = {}


@dataclass(frozen=True)
class ApiOperation:
    """What the OpenAPI document says of one route: declared beside its view by `api_route`."""

    summary: str
    #: "token" (a bearer token is required) or "public" (a token is optional)
    auth: str = "token"
    #: query parameters: (name, JSON schema, description)
    query: tuple[tuple[str, Mapping[str, Any], str], ...] = ()
    #: the JSON body's schema (a component name or a schema), for POST routes
    body: str | Mapping[str, Any] | None = None
    #: status → (description, schema or component name or None)
    responses: Mapping[int, tuple[str, str | Mapping[str, Any] | None]] = field(default_factory=dict)
    #: the error codes this route may answer besides the ones every route may
    errors: tuple[int, ...] = ()
    description: str = ""


#: endpoint ("authoring_api.standard") → its declaration
OPERATIONS: dict[str, ApiOperation] = {}


def schema(name: str, definition: Mapping[str, Any]) -> str:
    """Register the component schema `name` and return its name (for `api_route`'s responses)."""
    SCHEMAS[name] = dict(definition)
    return name


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(definition: Mapping[str, Any] | str) -> dict[str, Any]:
    inner = ref(definition) if isinstance(definition, str) else dict(definition)
    return {"oneOf": [inner, {"type": "null"}]}


def page_of(item: str) -> dict[str, Any]:
    """The schema of a list answer whose items are the component `item`."""
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
        },
    }


# -- blueprints and routes --------------------------------------------------------------------------


def _rate_limit_key() -> str:
    """A token's hash (computed from the header, before any query), else the client address."""
    secret = bearer_secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
    return f"addr:{request.remote_addr}"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint of API routes at /api/v1: bearer tokens only (no session cookie, so no CSRF),
    and the one API rate limit shared by every API blueprint (`API_LIMIT`, per token or address)."""
    bp = Blueprint(name, import_name, url_prefix=API_PREFIX)
    bp.before_request(_authenticate)
    csrf.exempt(bp)
    limiter.shared_limit(lambda: current_app.config["API_LIMIT"], scope="api", key_func=_rate_limit_key)(bp)
    return bp


View = TypeVar("View", bound=Callable[..., ResponseReturnValue])


def api_route(
    bp: Blueprint,
    rule: str,
    method: str,
    operation: ApiOperation,
) -> Callable[[View], View]:
    """Serve the view at `rule` for `method` and record `operation` for the OpenAPI document.

    A "token" route answers 401 `unauthenticated` without a valid token; a "public" one serves
    anyone, but still refuses a token that is wrong (a client should learn its token is revoked).
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if g.get("api_token_refused") or (operation.auth == "token" and api_user() is None):
                return unauthenticated()
            return view(*args, **kwargs)

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=guarded, methods=[method])
        OPERATIONS[f"{bp.name}.{view.__name__}"] = operation
        return guarded  # type: ignore[return-value]

    return decorate


def bearer_secret() -> str | None:
    """The token of `Authorization: Bearer …`, or None when the header is absent or not a bearer."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def _authenticate() -> None:
    """Before every API request: the token's user, or nobody. The session cookie is never read, so
    Flask-Login's `current_user` is set to the token's user (or anonymous) for whatever asks it."""
    from extensions import login_manager

    g.api_user = None
    g.api_token_refused = False
    secret = bearer_secret()
    if request.headers.get("Authorization") and secret is None:
        g.api_token_refused = True
    elif secret is not None:
        found = tokens.token_user(secret)
        if found is None:
            g.api_token_refused = True
        else:
            token, user = found
            g.api_user = user
            tokens.note_use(token, now=utcnow())
    g._login_user = g.api_user or login_manager.anonymous_user()


def api_user() -> User | None:
    """The user the request's token acts as, or None."""
    return g.get("api_user")


def api_actor() -> User | AnonymousUserMixin:
    """The token's user, or anonymous, as the permission predicates take it."""
    return api_user() or AnonymousUserMixin()


def unauthenticated() -> ResponseReturnValue:
    response, status = json_error(
        401,
        _("This needs a valid API token: send it as “Authorization: Bearer <token>”."),
        code="unauthenticated",
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, status


# -- reading requests -------------------------------------------------------------------------------


class JsonBody:
    """A request's JSON object, read field by field; `done()` refuses with every wrong field at once.

    A body that is not a JSON object is a 400 `invalid` at once; a missing or mistyped field is
    collected into `fields` ({name: message}) and refused together, also as a 400.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.errors: dict[str, str] = {}

    @classmethod
    def read(cls, max_bytes: int | None = None) -> JsonBody:
        """The request's JSON object; a body above `max_bytes` is refused before it is read (413)."""
        if max_bytes is not None and (request.content_length or 0) > max_bytes:
            raise Refused(
                "too_large",
                _("The request body is larger than %(limit)s KB.", limit=max_bytes // 1000),
            )
        data = request.get_json(silent=True, force=True) if request.content_length != 0 else None
        if not isinstance(data, dict):
            message = _("The request body must be a JSON object.")
            raise Refused("malformed", message, fields={"body": message})
        return cls(data)

    def _missing(self, name: str) -> None:
        self.errors[name] = _("This field is required.")

    def string(self, name: str, *, required: bool = False, max_length: int | None = None) -> str | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self._missing(name)
            return None
        if not isinstance(value, str):
            self.errors[name] = _("This field must be a string.")
            return None
        if max_length is not None and len(value) > max_length:
            self.errors[name] = _("At most %(limit)s characters.", limit=max_length)
            return None
        return value

    def integer(self, name: str, *, required: bool = False, minimum: int | None = None) -> int | None:
        value = self.data.get(name)
        if value is None:
            if required:
                self._missing(name)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.errors[name] = _("This field must be a whole number.")
            return None
        if minimum is not None and value < minimum:
            self.errors[name] = _("This field must be at least %(minimum)s.", minimum=minimum)
            return None
        return value

    def strings(self, name: str) -> list[str] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.errors[name] = _("This field must be a list of strings.")
            return None
        return value

    def done(self) -> None:
        if self.errors:
            raise Refused(
                "malformed", _("Some fields of the request are missing or wrong."), fields=self.errors
            )


def page_arguments() -> tuple[int, int]:
    """`?page=` (from 1) and `?per_page=` (1 to 200, default 50); a bad value is a 400 with fields."""
    errors: dict[str, str] = {}
    values = {}
    for name, default, maximum in (("page", 1, None), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = request.args.get(name, "").strip()
        if not raw:
            values[name] = default
            continue
        if not re.fullmatch(r"\d{1,9}", raw) or int(raw) < 1:
            errors[name] = _("This must be a whole number from 1.")
        elif maximum is not None and int(raw) > maximum:
            errors[name] = _("At most %(limit)s.", limit=maximum)
        else:
            values[name] = int(raw)
    if errors:
        raise Refused("malformed", _("Some parameters of the request are wrong."), fields=errors)
    return values["page"], values["per_page"]


Row = TypeVar("Row")


def paginate(query: Select[tuple[Row]], serialise: Callable[[Row], Any]) -> dict[str, Any]:
    """One page of `query` (already ordered) as `{"items", "page", "per_page", "total"}`."""
    page, per_page = page_arguments()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": [serialise(row) for row in rows], "page": page, "per_page": per_page, "total": total}


# -- the objects every package shares ---------------------------------------------------------------


def iso_time(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with `Z`, to the second: "2026-03-01T08:00:00Z"."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def organisation_json(org: Organisation | None) -> dict[str, Any] | None:
    if org is None:
        return None
    answer: dict[str, Any] = {"id": org.id, "kind": org.kind.value, "name": org.name}
    if org.kind == OrgKind.ASSOCIATION:
        answer["code"] = org.code
    return answer


def user_json(user: User | None, *, context: Organisation | None = None, with_email: bool = False) -> Any:
    """A person as others see them: id, name and the organisation they act for here (their membership
    in `context` when they have one, else their first); the e-mail only when `with_email`."""
    if user is None:
        return None
    membership = (user.membership_in(context) if context is not None else None) or next(
        iter(user.memberships), None
    )
    answer: dict[str, Any] = {
        "id": user.id,
        "name": user.name,
        "organisation": organisation_json(membership.org if membership else None),
    }
    if with_email:
        answer["email"] = user.email
    return answer


schema(
    "Organisation",
    {
        "type": "object",
        "required": ["id", "kind", "name"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": [k.value for k in OrgKind]},
            "code": {"type": "string", "description": "associations only, e.g. SZYL"},
            "name": {"type": "string"},
        },
    },
)
schema(
    "User",
    {
        "type": "object",
        "required": ["id", "name", "organisation"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "organisation": nullable("Organisation"),
            "email": {"type": "string", "description": "only to the association's secretariat"},
        },
    },
)
schema(
    "Error",
    {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string", "description": "in the language of Accept-Language"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
            }
        },
    },
)

#: what every error status means, for the OpenAPI document
ERROR_DESCRIPTIONS = {
    400: "invalid: the request is malformed (`fields` says which input)",
    401: "unauthenticated: no token, or an unknown or revoked one",
    403: "forbidden: visible, but not yours to do",
    404: "not_found: no such object, or one you may not see",
    409: "conflict, closed or gate",
    413: "too_large",
    422: "invalid: well-formed but wrong",
    429: "rate_limited",
    503: "unavailable: the database cannot be reached just now; try again after `Retry-After` seconds",
}

#: the query parameters of every list
PAGE_PARAMETERS: tuple[tuple[str, Mapping[str, Any], str], ...] = (
    ("page", {"type": "integer", "minimum": 1, "default": 1}, "the page, from 1"),
    (
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
        "items per page",
    ),
)


# -- the OpenAPI document ---------------------------------------------------------------------------


def _openapi_path(rule: Rule) -> tuple[str, list[dict[str, Any]]]:
    """The rule as an OpenAPI path ("/standards/{standard_id}") and its path parameters."""
    parameters = []

    def replace(match: re.Match[str]) -> str:
        converter, name = match.group(1), match.group(2)
        kind = {"int": {"type": "integer"}}.get(converter or "", {"type": "string"})
        parameters.append({"name": name, "in": "path", "required": True, "schema": kind})
        return "{" + name + "}"

    path = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", replace, rule.rule.removeprefix(API_PREFIX))
    return path, parameters


def _schema_or_ref(value: str | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return ref(value) if isinstance(value, str) else dict(value)


def api_rules(app: Flask) -> Iterable[tuple[Rule, str]]:
    """Every (rule, method) served under /api/v1."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX):
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                yield rule, method


def openapi_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 description of every API route the application serves, from `OPERATIONS`.

    A served route without a declaration is a programming error, found here and by the tests.
    """
    paths: dict[str, dict[str, Any]] = {}
    for rule, method in api_rules(app):
        operation = OPERATIONS.get(rule.endpoint)
        if operation is None:
            raise LookupError(f"{rule.endpoint} ({rule.rule}) is served without an api_route declaration")
        path, path_parameters = _openapi_path(rule)
        # every query parameter reads an empty value (`?status=`, as a form sends it) as not given
        parameters = path_parameters + [
            {
                "name": name,
                "in": "query",
                "required": False,
                "allowEmptyValue": True,
                "schema": dict(kind),
                "description": words,
            }
            for name, kind, words in operation.query
        ]
        responses: dict[str, Any] = {}
        for status, (words, body) in operation.responses.items():
            answer: dict[str, Any] = {"description": words}
            body_schema = _schema_or_ref(body)
            if body_schema is not None:
                answer["content"] = {"application/json": {"schema": body_schema}}
            responses[str(status)] = answer
        # 401 on public routes too: a token that is wrong or revoked is refused there as well, and a
        # public route about an object someone may see only when logged in asks for one
        # 503 on every route: the database may be away for a moment (accounts.database_outage)
        errors = {401, 429, 503, *operation.errors}
        if operation.body is not None:
            errors.update({400, 413})
        if operation.query:
            # a query value that is not what the parameter takes (`per_page=x`): 400 with `fields`
            errors.add(400)
        if path_parameters:
            # a path that names nothing, or nothing the token's user may see
            errors.add(404)
        for status in sorted(errors):
            responses[str(status)] = {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": ref("Error")}},
            }
        entry: dict[str, Any] = {
            "operationId": rule.endpoint.replace(".", "_"),
            "summary": operation.summary,
            "parameters": parameters,
            "responses": responses,
            "security": [{"bearer": []}] if operation.auth == "token" else [{}, {"bearer": []}],
        }
        if operation.description:
            entry["description"] = operation.description
        if operation.body is not None:
            entry["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema_or_ref(operation.body)}},
            }
        paths.setdefault(path, {})[method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "StandardForge API",
            "version": "1",
            "description": "The JSON API of StandardForge (标准工坊): docs/api.md in the repository.",
        },
        "servers": [{"url": app.config["BASE_URL"].rstrip("/") + API_PREFIX}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(SCHEMAS.items())),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


# -- the routes of accounts -------------------------------------------------------------------------

bp = api_blueprint("accounts_api", __name__)


@api_route(
    bp,
    "/openapi.json",
    "GET",
    ApiOperation(
        "This description of the API (OpenAPI 3.1), generated from the routes",
        auth="public",
        responses={200: ("the OpenAPI document", {"type": "object"})},
    ),
)
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document(current_app))


@api_route(
    bp,
    "/agencies",
    "GET",
    ApiOperation(
        "The government agencies a dossier can be submitted to",
        query=PAGE_PARAMETERS,
        responses={200: ("a page of Organisations", page_of("Organisation"))},
    ),
)
def agencies() -> ResponseReturnValue:
    query = (
        select(Organisation)
        .where(Organisation.kind == OrgKind.AGENCY)
        .order_by(Organisation.name, Organisation.id)
    )
    return jsonify(paginate(query, organisation_json))
