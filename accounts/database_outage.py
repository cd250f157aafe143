"""When the database is away (restarted, stopped, failed over): a clean 503 at once, never a 500.

PostgreSQL ends every session when it restarts, and refuses connections while it is down or starting
up. SQLAlchemy reports both as a `DBAPIError`: a statement on a connection that died is marked
`connection_invalidated` (the pool drops it), and a connection that could not be opened is an
`OperationalError` with no statement. Either way the request's unit of work is lost as a whole (the
database rolled it back, or never saw it), so the honest answer is "unavailable, try again": a 503
with `Retry-After`, the API's error body (`unavailable`) for JSON clients and a translated page for
browsers. The pool checks each connection before lending it (`pool_pre_ping`, set in wsgi.py), so
once the database is back the next request reconnects: the same processes serve again.

The page is made without the database: the session is rolled back and `current_user` becomes
anonymous for the rest of the request (the logged-in user would be expired by the rollback, and
reloading them would fail again). A connection lost after the answer was made (the session's
rollback at the end of the request) costs nothing but that connection: the answer stands.
"""

from __future__ import annotations

import contextlib

from flask import Response, current_app, g, has_request_context, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from accounts.json_errors import json_error, wants_json
from extensions import db, login_manager

#: what a client is told to wait before trying again, in seconds: a restart takes about this long
RETRY_AFTER_SECONDS = 5


def is_database_outage(error: BaseException | None) -> bool:
    """True when `error` says the database could not be reached, not that a statement was wrong:
    a connection lost under a statement, or one that could not be opened."""
    if not isinstance(error, DBAPIError):
        return False
    return error.connection_invalidated or (isinstance(error, OperationalError) and error.statement is None)


def outage_answer(error: DBAPIError) -> Response:
    """The 503 for a request whose database went away; logs one line for the operator."""
    _log(error)
    with contextlib.suppress(SQLAlchemyError):  # the rollback of a lost connection may fail as well
        db.session.rollback()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's cache of `current_user`
    g.database_unavailable = True
    message = _("The database cannot be reached just now. Try again in a few seconds.")
    if wants_json():
        response, _status = json_error(503, message, code="unavailable")
    else:
        response = Response(render_template("errors/unavailable.html", message=message), mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def end_request_session(_error: BaseException | None) -> None:
    """Close the request's session even when its connection was lost meanwhile (a teardown hook,
    run before Flask-SQLAlchemy's).

    The close rolls back, and on a connection the database has ended that rollback raises: the
    answer, already made, would become a 500, and the scoped session would stay registered under the
    finished request (a later request could inherit it, broken). The lost connection is dropped, the
    registry emptied.
    """
    try:
        db.session.remove()
    except DBAPIError as error:
        if not is_database_outage(error):
            raise
        _log(error)
        with contextlib.suppress(SQLAlchemyError):
            db.session.close()  # the connection is invalidated now: this only gives it back
    finally:
        db.session.registry.clear()


def _log(error: DBAPIError) -> None:
    """One line for the operator: no traceback, the database's own words."""
    words = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
    where = f"{request.method} {request.path}" if has_request_context() else "the end of a request"
    current_app.logger.warning("database unavailable during %s: %s", where, words)
