"""The `<int:…>` of every route, bounded by what an id column holds.

Werkzeug's integer converter takes any number of digits, and the database refuses one above its
INTEGER (SQLite: 2⁶³−1, raised as an OverflowError by the driver; PostgreSQL: 2³¹−1): a path such as
`/api/v1/standards/9223372036854775808` was a 500. An id no row can have names nothing, so the rule
does not match at all and the answer is the 404 of a path that names nothing, on every page and in
the API. The bound is in the rule's regular expression, not only in a check after the match:
Werkzeug refuses a wrong method before it converts, so a POST to a path whose GET rule matched by
its pattern would answer 405 instead.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

#: the largest id a row may have: PostgreSQL's INTEGER, the smaller of the two databases
LARGEST_ID = 2**31 - 1


def digits_up_to(largest: int) -> str:
    """A regular expression of the decimal numbers from 0 to `largest` (leading zeros allowed):
    every shorter number, then for each digit of `largest` the same start and a smaller digit there."""
    digits = str(largest)
    choices = [rf"\d{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(map(int, digits)):
        lowest = 1 if position == 0 and len(digits) > 1 else 0
        if digit > lowest:
            rest = len(digits) - position - 1
            choices.append(f"{digits[:position]}[{lowest}-{digit - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    choices.append(digits)
    return "0*(?:" + "|".join(choices) + ")"


class IdConverter(IntegerConverter):
    """`<int:name>` from 0 to `LARGEST_ID`."""

    regex = digits_up_to(LARGEST_ID)

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def bound_ids(url_map: Map) -> None:
    """Make `<int:…>` the bounded `IdConverter` in `url_map`: before any route is added."""
    url_map.converters["int"] = IdConverter
