"""Errors answered as JSON to whoever asked for JSON: the API, the editor's and the exports' scripts.

The shape is the API's (`{"error": {"code", "message"}}`, docs of the API conventions), with the
`status` and `message` the page scripts already read beside it, so one body serves both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Response, jsonify, request

#: the `error.code` of each status, as the API conventions name them
ERROR_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    """True for the API, a request with a JSON body, or a client that prefers JSON to HTML.

    Reads only the path and headers, never the body: an error page for a body too large (413)
    must not read it.
    """
    if request.path.startswith("/api/") or request.is_json:
        return True
    return request.accept_mimetypes.best_match(("text/html", "application/json")) == "application/json"


def json_error(
    status: int,
    message: str,
    *,
    code: str | None = None,
    reasons: Sequence[str] = (),
    fields: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> tuple[Response, int]:
    """The JSON answer for an error `status` with `message` (translated already); a refusal's own
    `code`, `reasons`, `fields` and `extra` members when it has them (`accounts.refusals.Refused`)."""
    error: dict[str, object] = {
        "code": code or ERROR_CODES.get(status, "server_error" if status >= 500 else "invalid"),
        "message": message,
    }
    if reasons:
        error["reasons"] = list(reasons)
    if fields:
        error["fields"] = dict(fields)
    for key, value in (extra or {}).items():
        error.setdefault(key, value)
    return jsonify({"status": "error", "message": message, "error": error}), status
