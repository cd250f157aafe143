"""The registry's full-text index of published standards, kept in step by the publishing verb.

`index_published(standard, text)` is called by `workflow.operations.publish` in the same unit of work
that gives the standard its number, so a standard is findable exactly when its publication commits.

One row of `registry_entries` per published standard holds what a search looks in: the number, both
titles, the association's name (as it was at publication) and the plain text of the published
revision. Each database indexes it its own way, behind the one interface of `workflow.registry_search`:

- SQLite: an FTS5 table with the trigram tokenizer (`registry_fts`, external content: it reads the
  columns of `registry_entries`, which triggers keep in step), so any substring of three characters
  or more, Chinese included, is found through the index;
- PostgreSQL: a GIN trigram index (pg_trgm) on the columns joined into one text (`haystack()`),
  which serves `ILIKE '%…%'` for patterns of three characters or more.

Migration 0007_registry creates both for `flask db upgrade`; the DDL below runs after `create_all`
(the tests) through the table's `after_create` event, so both paths build the same schema.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, mapped_column

from accounts.database import UTCDateTime, utcnow
from authoring.models import RenderCache, Standard, content_hash
from extensions import db


class RegistryEntry(db.Model):
    """What the registry searches of one published standard (written once, at publication)."""

    __tablename__ = "registry_entries"

    #: the published standard (also the FTS5 rowid on SQLite)
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    #: "T/ABC 12—2025", as on the standard
    number: Mapped[str] = mapped_column(String(64))
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    #: the association's name at publication
    association: Mapped[str] = mapped_column(String(200))
    #: the published revision as plain text: one line per block (heading, paragraph, cell …)
    body: Mapped[str] = mapped_column(Text)
    #: when the entry was written
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


#: the columns a PostgreSQL search reads as one text, in this order
HAYSTACK_COLUMNS = ("number", "title_zh", "title_en", "association", "body")


def haystack(prefix: str = "") -> str:
    """The SQL of the columns joined into one text; the trigram index is on exactly this expression
    (PostgreSQL uses an expression index only for the same expression). A newline separates the fields,
    so no match runs from one field into the next (a search term never holds whitespace)."""
    return "(" + " || E'\\n' || ".join(prefix + name for name in HAYSTACK_COLUMNS) + ")"


SQLITE_DDL = (
    "CREATE VIRTUAL TABLE registry_fts USING fts5(number, title_zh, title_en, association, body, "
    "content='registry_entries', content_rowid='standard_id', tokenize='trigram')",
    "CREATE TRIGGER registry_entries_ai AFTER INSERT ON registry_entries BEGIN "
    "INSERT INTO registry_fts(rowid, number, title_zh, title_en, association, body) "
    "VALUES (new.standard_id, new.number, new.title_zh, new.title_en, new.association, new.body); END",
    "CREATE TRIGGER registry_entries_ad AFTER DELETE ON registry_entries BEGIN "
    "INSERT INTO registry_fts(registry_fts, rowid, number, title_zh, title_en, association, body) "
    "VALUES ('delete', old.standard_id, old.number, old.title_zh, old.title_en, old.association, old.body); END",
    "CREATE TRIGGER registry_entries_au AFTER UPDATE ON registry_entries BEGIN "
    "INSERT INTO registry_fts(registry_fts, rowid, number, title_zh, title_en, association, body) "
    "VALUES ('delete', old.standard_id, old.number, old.title_zh, old.title_en, old.association, old.body); "
    "INSERT INTO registry_fts(rowid, number, title_zh, title_en, association, body) "
    "VALUES (new.standard_id, new.number, new.title_zh, new.title_en, new.association, new.body); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS registry_entries_au",
    "DROP TRIGGER IF EXISTS registry_entries_ad",
    "DROP TRIGGER IF EXISTS registry_entries_ai",
    "DROP TABLE IF EXISTS registry_fts",
)


def postgresql_ddl(connection: Connection) -> None:
    """pg_trgm (once per database, in the `public` schema) and the trigram index on the haystack.

    The extension is pinned to `public` so that it outlives any one schema (the tests give each
    worker a schema of their own and drop it); an advisory lock keeps two processes creating it at
    once from colliding. The operator class is named with the schema the extension lives in.
    """
    connection.execute(text("SELECT pg_advisory_xact_lock(7007)"))
    schema = connection.scalar(
        text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'")
    )
    if schema is None:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
        schema = "public"
    connection.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS ix_registry_entries_trgm ON registry_entries "
            f"USING gin ({haystack()} {schema}.gin_trgm_ops)"
        )
    )


#: what the DDL above makes beside the models: the FTS5 table (and its shadow tables), the trigram index
DDL_TABLE_PREFIX = "registry_fts"
DDL_INDEX = "ix_registry_entries_trgm"


def made_by_models(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic's `include_name`: leave out what the DDL above makes, so that autogenerate neither
    drops it nor reports it as a difference from the models."""
    if type_ == "table":
        return not (name or "").startswith(DDL_TABLE_PREFIX)
    return not (type_ == "index" and name == DDL_INDEX)


def create_search_index(connection: Connection) -> None:
    """The database's own index over `registry_entries` (the table exists already)."""
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DDL:
            connection.execute(text(statement))
    elif connection.dialect.name == "postgresql":
        postgresql_ddl(connection)


@event.listens_for(RegistryEntry.__table__, "after_create")
def _after_create(_table: Any, connection: Connection, **_kw: Any) -> None:
    create_search_index(connection)


@event.listens_for(RegistryEntry.__table__, "before_drop")
def _before_drop(_table: Any, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.execute(text(statement))


# -- the plain text of a published revision ---------------------------------------------------------

#: closing tags (and <br>) after which the text of a new block begins
_BLOCK_END = re.compile(
    r"</(?:p|h[1-6]|li|dt|dd|td|th|tr|caption|figcaption|div|section|blockquote|pre|table|ol|ul)\s*>"
    r"|<br\s*/?>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def plain_text(rendered_html: str) -> str:
    """The rendered text without markup: one line per block, so a match never spans two blocks."""
    marked = _BLOCK_END.sub("\n", rendered_html)
    stripped = html.unescape(_TAG.sub("", marked))
    lines = (_SPACES.sub(" ", line).strip() for line in stripped.split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def _rendered(text_value: str) -> str:
    """The sanitised HTML of `text_value`: its stored render (made at save), else a fresh one."""
    row = db.session.get(RenderCache, content_hash(text_value))
    if row is not None:
        return row.html
    from authoring.analysis import analyse

    return analyse(text_value).html


def index_published(standard: Standard, text: str) -> None:
    """Make `standard` (just published, `text` its final revision) findable in the registry."""
    body = plain_text(_rendered(text))  # before the entry joins the session (a query autoflushes)
    entry = db.session.get(RegistryEntry, standard.id)
    if entry is None:
        entry = RegistryEntry(standard_id=standard.id)
        db.session.add(entry)
    entry.number = standard.number or ""
    entry.title_zh = standard.title_zh
    entry.title_en = standard.title_en or ""
    entry.association = standard.association.name
    entry.body = body
    entry.indexed_at = utcnow()
    db.session.flush()
