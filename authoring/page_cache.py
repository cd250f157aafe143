"""Whole read pages kept per reader and per state of the standard: a reload costs one query.

A member's read page is built from a dozen things (the text's fragment, the stage, the events, the
export jobs, the figures, the reader's role and language, the header's forms), so building it costs
twenty times a trivial page. Most loads of it are reloads of a page that has not changed, so each
worker keeps the finished page, compressed once, under a key of everything it shows that can change:

- the reader: their account id, the session's CSRF secret (the page's forms carry a token of it),
  their language, name, memberships (role, voting right, weight) and whether the session is still
  theirs (the "id:token" Flask-Login holds, checked as `load_user` checks it);
- the standard: its row (stage, revision, titles, number), its newest event (every change is one),
  its drafting group, and what each package that fills a place of the page says its panel shows
  (`wsgi.STANDARD_PAGE_VERSIONS`: export jobs, figures …).

All of it is read in one query (`page_state`). A page is kept at most `PAGE_SECONDS`, which bounds
what no key can see (a gate that opens with the clock, an association renamed) and the age of the
CSRF tokens it carries. A request with a flashed message, a remember-me login not yet in the session,
or a query string other than the page's own is built as before and not kept. Losing this cache
changes nothing but speed, and nothing here decides who may read: a page is only served again to
the reader it was built for, in the same state that let them read it.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response, current_app, request, session
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal, select

from accounts.database import SQLITE_BEGIN_OPTION
from accounts.models import Membership, User
from authoring.events import StandardEvent
from authoring.models import Standard, StandardDrafter
from extensions import db

#: seconds a kept page is served again at most
PAGE_SECONDS = 60.0
#: pages kept per worker process (a member's page of a 27 KB standard is about 15 KB compressed)
MAX_PAGES = 512
#: a package's contribution to the key: given the standard's id column, scalar subqueries of what
#: its panels show (`max(updated_at)` of its rows, a count …)
VersionSource = Callable[[ColumnElement[int]], Sequence[ColumnElement[Any]]]


@dataclass(frozen=True)
class KeptPage:
    """A finished page as it was sent, and its gzip form."""

    body: bytes
    gzipped: bytes
    content_type: str
    kept_at: float
    #: the body's digest, sent as ETag (computed once, not per request)
    etag: str = ""


@dataclass
class PageCache:
    """This process's kept pages of one application, least recently used first."""

    sources: list[VersionSource] = field(default_factory=list)
    pages: OrderedDict[tuple[Any, ...], KeptPage] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    statement: Select[Any] | None = None

    def get(self, key: tuple[Any, ...]) -> KeptPage | None:
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if time.monotonic() - page.kept_at > PAGE_SECONDS:
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: KeptPage) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > MAX_PAGES:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


def registered(app: Flask) -> PageCache:
    """The application's page cache (wsgi fills `sources` from STANDARD_PAGE_VERSIONS)."""
    return app.extensions.setdefault("standardforge_page_cache", PageCache())  # type: ignore[no-any-return]


def _statement(cache: PageCache) -> Select[Any]:
    """The one query of `page_state`, built once per application (SQLAlchemy caches its SQL)."""
    if cache.statement is not None:
        return cache.statement
    standard_id = Standard.id
    user_id = bindparam("user_id", type_=db.Integer)
    memberships = (
        select(
            func.aggregate_strings(
                Membership.id.cast(db.String)
                + literal(":")
                + Membership.org_id.cast(db.String)
                + literal(":")
                + Membership.role.cast(db.String)
                + literal(":")
                + Membership.voting.cast(db.Integer).cast(db.String)
                + literal(":")
                + Membership.weight.cast(db.String),
                ",",
            )
        )
        .where(Membership.user_id == user_id)
        .scalar_subquery()
    )
    drafter_count = select(func.count()).where(StandardDrafter.standard_id == standard_id).scalar_subquery()
    drafter_sum = (
        select(func.coalesce(func.sum(StandardDrafter.membership_id), 0))
        .where(StandardDrafter.standard_id == standard_id)
        .scalar_subquery()
    )
    newest_event = select(func.max(StandardEvent.id)).where(StandardEvent.standard_id == standard_id)
    columns: list[ColumnElement[Any]] = [
        Standard.stage,
        Standard.latest_number,
        Standard.title_zh,
        Standard.title_en,
        Standard.committee,
        Standard.number,
        Standard.association_id,
        newest_event.scalar_subquery(),
        drafter_count,
        drafter_sum,
        User.session_token,
        User.is_active_account,
        User.is_admin,
        User.locale,
        User.name,
        memberships,
    ]
    for source in cache.sources:
        columns.extend(source(standard_id))
    cache.statement = (
        select(*columns)
        .select_from(Standard)
        .outerjoin(User, and_(User.id == user_id))
        .where(Standard.id == bindparam("standard_id", type_=db.Integer))
    )
    return cache.statement


#: positions in `page_state`'s row
_TOKEN, _ACTIVE, _LOCALE = 10, 11, 13


def _session_user() -> tuple[int | None, str] | None:
    """(user id, session token) of the session without loading the user; (None, "") for a visitor;
    None when only Flask-Login could tell (a remember-me cookie about to log someone in)."""
    session_id = session.get("_user_id")
    if session_id is None:
        cookie_name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        return None if request.cookies.get(cookie_name) else (None, "")
    user_id, _sep, token = str(session_id).partition(":")
    if not user_id.isdigit() or not token:
        return None
    return int(user_id), token


def page_key(standard_id: int, languages: Sequence[str]) -> tuple[Any, ...] | None:
    """The key of this request's page of `standard_id`, or None when it must be built and not kept."""
    if request.query_string or session.get("_flashes"):
        return None
    reader = _session_user()
    if reader is None:
        return None
    user_id, token = reader
    cache = registered(current_app)
    params = {"standard_id": standard_id, "user_id": user_id or 0}
    # one statement on a connection of its own, without the ORM session or a BEGIN: a kept page
    # is answered without a session ever being made (a third of the request's time otherwise)
    with db.engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "NONE"}) as connection:
        row = connection.execute(_statement(cache), params).one_or_none()
    if row is None:
        return None
    if user_id is not None and not (
        row[_TOKEN] and row[_ACTIVE] and secrets.compare_digest(row[_TOKEN], token)
    ):
        return None  # logged out elsewhere or deactivated: Flask-Login will say so
    locale = row[_LOCALE] if user_id is not None else None
    if locale not in languages:
        cookie = request.cookies.get("locale")
        locale = cookie if cookie in languages else languages[0]
    return (request.path, user_id, locale, *row[:_TOKEN], *row[_TOKEN + 1 :])


def kept_response(key: tuple[Any, ...] | None) -> Response | None:
    """The kept page for `key`, compressed when the reader accepts gzip, or None."""
    if key is None:
        return None
    csrf = session.get("csrf_token")
    if csrf is None:
        return None
    page = registered(current_app).get((*key, csrf))
    if page is None:
        return None
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    response = current_app.response_class(
        page.gzipped if gzipped else page.body, content_type=page.content_type
    )
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.headers["ETag"] = page.etag
    return response


def keep(key: tuple[Any, ...] | None, response: Response) -> Response:
    """Keep a page just built for `key` (only a plain 200 page), and return it unchanged."""
    csrf = session.get("csrf_token")
    if key is None or csrf is None or response.status_code != 200 or session.get("_flashes"):
        return response
    body = response.get_data()
    page = KeptPage(
        body=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0),
        content_type=response.content_type or "text/html; charset=utf-8",
        kept_at=time.monotonic(),
        etag=hashlib.sha256(body).hexdigest()[:32],
    )
    registered(current_app).put((*key, csrf), page)
    return response
