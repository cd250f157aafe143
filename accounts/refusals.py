"""The one way an operation says no, and the one shape of a decision with its reasons.

Every package raises `Refused` from its verbs and answers its `can_*` predicates and gates with a
`Decision`; `wsgi.create_app` turns an uncaught `Refused` into a page or a JSON error in one place (its
`Refused` error handler, with `accounts.json_errors.json_error` for JSON clients). A view that wants the message beside a form field may catch `Refused` (the one
type) and show `message`; nothing catches a package's own class, because there is none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

#: what kind of no: picks the HTTP status and the API error code
RefusalKind = Literal[
    "malformed",
    "forbidden",
    "not_found",
    "closed",
    "conflict",
    "gate",
    "invalid",
    "too_large",
    "rate_limited",
]

#: kind → (HTTP status, API error code of spec/api.md)
STATUS: Mapping[str, tuple[int, str]] = {
    # a request that cannot be read as asked (not JSON, a missing or mistyped field): the API's 400
    "malformed": (400, "invalid"),
    "forbidden": (403, "forbidden"),
    "not_found": (404, "not_found"),
    "closed": (409, "closed"),
    "conflict": (409, "conflict"),
    "gate": (409, "gate"),
    "invalid": (422, "invalid"),
    "too_large": (413, "too_large"),
    # too many of one thing from one sender in a while (public comments per e-mail address)
    "rate_limited": (429, "rate_limited"),
}


class Refused(Exception):
    """An operation said no: `kind` picks the status (malformed 400, forbidden 403, not_found 404,
    closed 409, conflict 409, gate 409, invalid 422, too_large 413, rate_limited 429) and `reasons`
    the words a page or the API shows.

    `message` is already translated (the verb runs in the reader's locale); `fields` names the form or
    JSON fields that were wrong, for a 400 or 422 with `"fields"`; `extra` adds members to the API's
    error object (a stale save's `latest_revision`).
    """

    def __init__(
        self,
        kind: RefusalKind,
        message: str,
        reasons: Iterable[str] = (),
        *,
        fields: Mapping[str, str] | None = None,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        if kind not in STATUS:
            raise ValueError(f"unknown refusal kind {kind!r}")
        super().__init__(message)
        self.kind: RefusalKind = kind
        self.message = message
        self.reasons: tuple[str, ...] = tuple(reasons)
        self.fields: dict[str, str] = dict(fields or {})
        self.extra: dict[str, object] = dict(extra or {})

    @property
    def status(self) -> int:
        return STATUS[self.kind][0]

    @property
    def code(self) -> str:
        return STATUS[self.kind][1]


@dataclass(frozen=True)
class Decision:
    """The answer of a `can_*` predicate or a gate: allowed, or why not in the reader's language.

    It is truthy when allowed, so `if can_edit_standard(user, s):` and `{% if may_edit %}` read as
    before, while a page can show `reasons` beside a greyed-out action and a verb can `require()` it:
    the rule is written once.
    """

    allowed: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def yes(cls) -> Decision:
        return ALLOWED

    @classmethod
    def no(cls, *reasons: str) -> Decision:
        return cls(False, tuple(reasons))

    @classmethod
    def of(cls, allowed: bool, reason: object) -> Decision:
        """Allowed, or refused for `reason`: for one-line predicates. `reason` may be a lazy string
        (`lazy_gettext`), translated only when the answer is no: predicates run on every page."""
        return ALLOWED if allowed else cls(False, (str(reason),))

    @property
    def reason(self) -> str | None:
        """The reasons as one sentence for a page, None when allowed."""
        return " ".join(self.reasons) if not self.allowed else None

    def require(self, kind: RefusalKind = "forbidden", message: str | None = None) -> None:
        """Raise `Refused(kind, …)` with these reasons unless allowed; the first reason is the message
        when none is given."""
        if self.allowed:
            return
        reasons: Sequence[str] = self.reasons
        if message is None:
            message, reasons = (reasons[0], reasons[1:]) if reasons else ("", ())
        raise Refused(kind, message, reasons)


ALLOWED = Decision(True)
