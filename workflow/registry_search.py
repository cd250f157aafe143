"""The public registry: which standards it lists, their status, and search over them on either database.

The registry lists every standard that was published (it has a number) and whose stage is public:
published, in adoption review, adopted, in periodic review, and withdrawn. Nothing else is listed or
reachable here, whoever asks.

A status is read from the database, never stored: *replaced* (被代替) when another published
standard replaces it, else *withdrawn* (废止) when its stage is withdrawn, else *current* (现行).

Search (`search_registry`) splits the query into at most MAX_TERMS terms at whitespace; a standard
matches when it holds every term, each anywhere in its number, titles, association or full text.
Terms of three characters or more are looked up in the database's trigram index (SQLite FTS5 with
the trigram tokenizer, PostgreSQL pg_trgm: see `workflow.registry_index`), so any Chinese substring
is found, not only whole words. A trigram index cannot look up one or two characters, so a term that
short (a query like 养老 or 标准) is looked for in the number, titles and association only, with a
plain substring match on those short columns; the page says so. Results are ranked by where the
terms are (the whole query in the number, every term in the number, in a title, in the association,
in the text only), then newest first, and come a page at a time with a snippet of the text around the first term.

Input is never trusted: control characters are dropped, the query is cut to MAX_QUERY_CHARS, each
term goes to FTS5 as a quoted phrase (its quotes doubled, so no operator of FTS5's syntax applies)
and to LIKE with %, _ and \\ escaped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    column,
    func,
    literal_column,
    null,
    or_,
    select,
    table,
)
from sqlalchemy.orm import aliased, contains_eager

from accounts.models import Organisation
from authoring.models import PUBLIC_STAGES, Stage, Standard
from extensions import db
from workflow.registry_index import RegistryEntry, haystack

#: the stages whose published standards the registry lists
REGISTRY_STAGES = tuple(sorted(stage.value for stage in PUBLIC_STAGES))
#: a longer query is cut here (a title is at most 300 characters; nobody types more than this)
MAX_QUERY_CHARS = 100
#: terms beyond this many are ignored
MAX_TERMS = 5
#: the trigram index finds terms of at least this many characters
INDEXED_TERM_CHARS = 3
PER_PAGE = 20
#: a page number past this is read as this one (OFFSET grows with it)
MAX_PAGE = 1000
#: characters of text shown before the first term, and in all
SNIPPET_BEFORE = 40
SNIPPET_CHARS = 140


class Status(StrEnum):
    """A listed standard's status, as the registry shows it."""

    CURRENT = "current"
    REPLACED = "replaced"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.CURRENT: _l("Current"),
    Status.REPLACED: _l("Replaced"),
    Status.WITHDRAWN: _l("Abolished"),
}


# -- the query ---------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def normalise_query(raw: str | None) -> str:
    """The query as searched: NFKC (full-width letters and digits become ASCII), no control
    characters, whitespace collapsed, at most MAX_QUERY_CHARS characters."""
    if not raw:
        return ""
    text = unicodedata.normalize("NFKC", raw[: MAX_QUERY_CHARS * 4])
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def search_terms(query: str) -> tuple[str, ...]:
    """The distinct terms of a normalised query, at most MAX_TERMS, in their order."""
    return tuple(dict.fromkeys(query.split()))[:MAX_TERMS]


def whole_number(value: Any) -> int | None:
    """A positive whole number from a query string value, or None (a value that cannot be used)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


@dataclass(frozen=True)
class RegistryQuery:
    """What a visitor asked the registry for; every field has a harmless default."""

    text: str = ""
    association_id: int | None = None
    status: Status | None = None
    adopted: bool = False
    page: int = 1

    def __post_init__(self) -> None:
        # whoever builds a query (a page, the API, a test), its text is searched only as normalised
        object.__setattr__(self, "text", normalise_query(self.text))
        object.__setattr__(self, "page", min(max(int(self.page), 1), MAX_PAGE))

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> RegistryQuery:
        """From a query string: a value that cannot be used is ignored, never an error."""
        status = args.get("status") or ""
        page = whole_number(args.get("page")) or 1
        return cls(
            text=str(args.get("q") or ""),
            association_id=whole_number(args.get("association")),
            status=Status(status) if status in Status._value2member_map_ else None,
            adopted=str(args.get("adopted") or "") in {"1", "true", "yes", "on"},
            page=page,
        )

    @property
    def terms(self) -> tuple[str, ...]:
        return search_terms(self.text)

    @property
    def indexed_terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.terms if len(term) >= INDEXED_TERM_CHARS)

    @property
    def short_terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.terms if len(term) < INDEXED_TERM_CHARS)

    def args(self, **changes: Any) -> dict[str, Any]:
        """The query string of this query with `changes` (links to other pages and filters)."""
        values: dict[str, Any] = {
            "q": self.text,
            "association": self.association_id,
            "status": self.status.value if self.status else None,
            "adopted": "1" if self.adopted else None,
            "page": self.page,
        }
        values.update(changes)
        if values.get("page") == 1:
            del values["page"]
        return {key: value for key, value in values.items() if value not in (None, "")}


# -- the answer ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One listed standard, with what the list shows of it."""

    standard: Standard
    status: Status
    #: the number of the standard that replaced it, if any
    replaced_by: str | None
    #: the text around the first term, terms marked; None without a query or a match in the text
    snippet: Markup | None


@dataclass(frozen=True)
class RegistryPage:
    query: RegistryQuery
    hits: list[Hit]
    total: int
    per_page: int = PER_PAGE
    #: terms too short for the full text, looked for in numbers, titles and associations only
    short_terms: tuple[str, ...] = field(default=())

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def page(self) -> int:
        return self.query.page


# -- SQL -----------------------------------------------------------------------------------------------

_Replacement = aliased(Standard)


def _replaced_by() -> Any:
    """The number of the newest published standard that replaces the row's standard (or NULL)."""
    return (
        select(_Replacement.number)
        .where(_Replacement.replaces_id == Standard.id, _Replacement.number.is_not(None))
        .order_by(_Replacement.published_on.desc(), _Replacement.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def in_registry() -> ColumnElement[bool]:
    """The rows of `standards` the registry lists."""
    return and_(Standard.number.is_not(None), Standard.stage.in_(REGISTRY_STAGES))


def _status_filter(status: Status, replaced_by: Any) -> ColumnElement[bool]:
    withdrawn = Standard.stage == Stage.WITHDRAWN.value
    if status is Status.REPLACED:
        return replaced_by.is_not(None)
    if status is Status.WITHDRAWN:
        return and_(replaced_by.is_(None), withdrawn)
    return and_(replaced_by.is_(None), ~withdrawn)


def status_of(standard: Standard, replaced_by: str | None) -> Status:
    if replaced_by:
        return Status.REPLACED
    if standard.stage == Stage.WITHDRAWN.value:
        return Status.WITHDRAWN
    return Status.CURRENT


def like_pattern(term: str) -> str:
    """`%term%` for LIKE … ESCAPE '\\', the term's own wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(terms: tuple[str, ...]) -> str:
    """An FTS5 MATCH expression requiring every term as a phrase: "a" "b" (quotes doubled inside)."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _like(expression: Any, term: str, dialect: str) -> ColumnElement[bool]:
    """`expression` holds `term`, case-folded: SQLite's LIKE already ignores ASCII case (as its
    lower() does; CJK has none), PostgreSQL's ILIKE is the operator its trigram index serves."""
    pattern = like_pattern(term)
    if dialect == "postgresql":
        return expression.ilike(pattern, escape="\\")
    return expression.like(pattern, escape="\\")


def _short_fields() -> tuple[Any, ...]:
    """What a short term is looked for in, and what the ranking reads: the standard's own short
    columns and its association's name, never a row that carries a text."""
    return (Standard.number, Standard.title_zh, Standard.title_en, Organisation.name)


def _in_short_fields(term: str, dialect: str) -> ColumnElement[bool]:
    return or_(*(_like(field, term, dialect) for field in _short_fields()))


_fts = table("registry_fts", column("rowid"))


def _indexed_match(terms: tuple[str, ...], dialect: str) -> ColumnElement[bool]:
    """Every term somewhere in the standard's entry, found through the database's trigram index."""
    if dialect == "sqlite":
        matching = select(_fts.c.rowid).where(literal_column("registry_fts").op("MATCH")(fts_phrase(terms)))
    else:
        everything = literal_column(haystack("registry_entries."))
        matching = select(RegistryEntry.standard_id).where(
            *(_like(everything, term, dialect) for term in terms)
        )
    return Standard.id.in_(matching)


def _rank(text: str, terms: tuple[str, ...], dialect: str) -> Any:
    """0: the whole query in the number ("SZYL 2"); 1: every term in the number; 2: in a title;
    3: in the association; 4: in the text only."""
    number, title_zh, title_en, association = _short_fields()
    return case(
        (_like(number, text, dialect), 0),
        (and_(*(_like(number, t, dialect) for t in terms)), 1),
        (and_(*(or_(_like(title_zh, t, dialect), _like(title_en, t, dialect)) for t in terms)), 2),
        (and_(*(_like(association, t, dialect) for t in terms)), 3),
        else_=4,
    )


def _position(term: str, dialect: str) -> Any:
    """Where `term` first is in the entry's text (1-based, 0 when absent), case-folded."""
    body, needle = func.lower(RegistryEntry.body), func.lower(term)
    return func.strpos(body, needle) if dialect == "postgresql" else func.instr(body, needle)


def _matching(query: RegistryQuery, replaced_by: Any, dialect: str) -> Select[Any]:
    """The ids of the listed standards that match `query` (the FROM and WHERE of a page and its count)."""
    statement = select(Standard.id).where(in_registry())
    if query.association_id is not None:
        statement = statement.where(Standard.association_id == query.association_id)
    if query.adopted:
        statement = statement.where(Standard.stage == Stage.ADOPTED.value)
    if query.status is not None:
        statement = statement.where(_status_filter(query.status, replaced_by))
    if query.terms:
        statement = statement.join(Organisation, Organisation.id == Standard.association_id)
        if query.indexed_terms:
            statement = statement.where(_indexed_match(query.indexed_terms, dialect))
        for term in query.short_terms:
            statement = statement.where(_in_short_fields(term, dialect))
    return statement


def search_registry(query: RegistryQuery, per_page: int = PER_PAGE) -> RegistryPage:
    """One page of the standards the registry lists for `query`: two queries, whatever the size.

    The first ranks the matches' ids and counts them all (COUNT(*) OVER ()), reading no text; the
    second loads the page's standards with their association, status and snippet (only a page past
    the last one costs a third, plain COUNT). What grows with the registry is the index's work and
    the ranking of the matches' short columns, never a query per standard or a text read per match.
    """
    dialect = db.session.get_bind().dialect.name
    replaced_by = _replaced_by()
    matching = _matching(query, replaced_by, dialect)
    terms = query.terms
    order = [_rank(query.text, terms, dialect)] if terms else []
    order += [Standard.published_on.desc(), Standard.id.desc()]
    ranked = db.session.execute(
        matching.add_columns(func.count().over().label("total"))
        .order_by(*order)
        .limit(per_page)
        .offset((query.page - 1) * per_page)
    ).all()
    if ranked:
        total = int(ranked[0].total)
    elif query.page > 1:
        total = int(db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0)
    else:
        total = 0
    ids = [row.id for row in ranked]
    return RegistryPage(
        query=query,
        hits=_hits(ids, terms, query.indexed_terms, dialect) if ids else [],
        total=total,
        per_page=per_page,
        short_terms=query.short_terms,
    )


def _hits(ids: list[int], terms: tuple[str, ...], indexed: tuple[str, ...], dialect: str) -> list[Hit]:
    """The standards `ids` in that order, with association, status and the snippet around the first term."""
    replaced_by = _replaced_by()
    statement = (
        select(Standard, replaced_by.label("replaced_by"))
        .join(Standard.association)
        .options(contains_eager(Standard.association))
        .where(Standard.id.in_(ids))
    )
    if terms:
        position = _position((indexed or terms)[0], dialect)
        greatest = func.greatest if dialect == "postgresql" else func.max  # SQLite's max(a, b) is scalar
        start = greatest(position - SNIPPET_BEFORE, 1)
        window = case((position > 0, func.substr(RegistryEntry.body, start, SNIPPET_CHARS)), else_=null())
        statement = statement.outerjoin(RegistryEntry, RegistryEntry.standard_id == Standard.id).add_columns(
            window.label("window"), start.label("window_start")
        )
    rows = {row.Standard.id: row for row in db.session.execute(statement)}
    hits = []
    for standard_id in ids:
        row = rows[standard_id]
        window = row.window if terms else None
        hits.append(
            Hit(
                standard=row.Standard,
                status=status_of(row.Standard, row.replaced_by),
                replaced_by=row.replaced_by,
                snippet=_snippet(window, row.window_start, terms) if window else None,
            )
        )
    return hits


def _snippet(window: str, start: int | None, terms: tuple[str, ...]) -> Markup:
    """The window of text, escaped, with each term marked, and … where it was cut."""
    text = " ".join(window.split())
    if not terms:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(str(escape(text[last : match.start()])))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(str(escape(text[last:])))
    before = "…" if start and start > 1 else ""
    after = "…" if len(window) >= SNIPPET_CHARS else ""
    return Markup(before + "".join(parts) + after)


# -- one standard, the filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A standard the registry lists, with its status and the standard that replaced it."""

    standard: Standard
    status: Status
    replaced_by: str | None


def registry_standard(number: str) -> Listed | None:
    """The listed standard numbered `number` ("T/ABC 12—2025"), or None (also for every unpublished one)."""
    number = normalise_number(number)
    if not number:
        return None
    replaced_by = _replaced_by()
    row = db.session.execute(
        select(Standard, replaced_by.label("replaced_by"))
        .join(Standard.association)
        .options(contains_eager(Standard.association))
        .where(in_registry(), Standard.number == number)
    ).first()
    if row is None:
        return None
    return Listed(row.Standard, status_of(row.Standard, row.replaced_by), row.replaced_by)


def normalise_number(number: str) -> str:
    """A number as typed or linked: spaces collapsed, an ASCII hyphen or en dash before the year read as
    the em dash (U+2014) numbers carry."""
    number = " ".join(unicodedata.normalize("NFKC", number or "")[:64].split())
    return re.sub(r"(\d)\s*[-\u2013\u2014\u2015\u2212]\s*(\d{4})$", "\\1\u2014\\2", number)


def registry_associations() -> list[Organisation]:
    """Associations with at least one listed standard, by name (the association filter)."""
    listed = select(Standard.id).where(Standard.association_id == Organisation.id, in_registry()).exists()
    return list(db.session.scalars(select(Organisation).where(listed).order_by(Organisation.name)))
