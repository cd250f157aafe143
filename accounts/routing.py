"""The `<int:…>` of every route, bounded by what an id column holds.

Werkzeug's integer converter takes any number of digits, and the database refuses one above its
INTEGER (SQLite: 2⁶³−1, raised as an OverflowError by the driver; PostgreSQL: 2³¹−1): a path such as
`/api/v1/standards/9223372036854775808` was a 500. An id no row can have names nothing, so the route
does not match and the answer is the 404 of a path that names nothing, on every page and in the API.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

#: the largest id a row may have: PostgreSQL's INTEGER, the smaller of the two databases
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:name>` from 0 to `LARGEST_ID` (a route may still ask for its own `max`)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def bound_ids(url_map: Map) -> None:
    """Make `<int:…>` the bounded `IdConverter` in `url_map`: before any route is added."""
    url_map.converters["int"] = IdConverter
