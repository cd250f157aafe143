"""The database's own current UTC time as SQL, comparable with `UTCDateTime` columns (naive UTC).

The standard page's cache key is one statement built once per application (authoring.page_cache), so
"is a ballot due to close" cannot bind the request's time: it asks the database for its clock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import DateTime


class utc_now_sql(FunctionElement[Any]):
    """The current UTC time as the database stores `UTCDateTime` values."""

    type = DateTime()
    inherit_cache = True


@compiles(utc_now_sql)
def _default(element: Any, compiler: Any, **kw: Any) -> str:
    return "timezone('utc', now())"


@compiles(utc_now_sql, "sqlite")
def _sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff": the same shape compares as text
    return "strftime('%Y-%m-%d %H:%M:%f', 'now')"
