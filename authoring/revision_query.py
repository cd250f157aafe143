"""Which two revisions a diff URL asks for: `?old=…&new=…` read, defaulted and, when wrong, refused
with a message in the reader's language (never a silent comparison of a revision with itself)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _


@dataclass(frozen=True)
class RevisionChoice:
    """The revisions a diff URL asks for, or why it cannot be answered (with the HTTP status)."""

    old: int = 0
    new: int = 0
    #: what is wrong with the request, in the reader's language; None when old and new are usable
    problem: str | None = None
    status: int = 200
    #: a remark beside a valid comparison (the same revision on both sides)
    note: str | None = None


def _with_hint(problem: str, latest: int) -> str:
    """The problem, then which revisions there are (no space after a Chinese full stop)."""
    hint = (
        _("This standard has only revision 1.")
        if latest == 1
        else _("Choose revisions from 1 to %(latest)s.", latest=latest)
    )
    return problem + ("" if problem.endswith("。") else " ") + hint


def revision_choice(args: Mapping[str, str], latest: int) -> RevisionChoice:
    """Read `old` and `new` from the query: each defaults (to the previous and the latest revision)
    when absent; one that is empty or not a number is refused (400), one the standard lacks too (404)."""
    chosen: dict[str, int] = {"old": max(latest - 1, 1), "new": latest}
    for name in ("old", "new"):
        if name not in args:
            continue
        value = args[name].strip()
        if not value:
            return RevisionChoice(problem=_with_hint(_("No revision number was given."), latest), status=400)
        if not (value.isascii() and value.isdigit()):
            return RevisionChoice(
                problem=_with_hint(_("“%(value)s” is not a revision number.", value=value[:40]), latest),
                status=400,
            )
        number = int(value) if len(value) <= 9 else 0  # no standard has a billion revisions
        if not 1 <= number <= latest:
            return RevisionChoice(
                problem=_with_hint(
                    _("This standard has no revision %(number)s.", number=value.lstrip("0")[:40] or "0"),
                    latest,
                ),
                status=404,
            )
        chosen[name] = number
    note = None
    if chosen["old"] == chosen["new"]:
        note = (
            _("This standard has only one revision so far: there is nothing to compare yet.")
            if latest == 1
            else _(
                "Revision %(number)s is compared with itself: choose two different revisions.",
                number=chosen["old"],
            )
        )
    return RevisionChoice(chosen["old"], chosen["new"], note=note)
