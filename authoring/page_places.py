"""Named places on a standard's pages that later packages fill, as the desk is filled.

The standard page has a stage bar, an actions area, a side panel, a margin beside the text
(comments) and a place after the text; the
history page has a side place too. A package contributes by a `panels(page)` hook listed in
`wsgi.STANDARD_PANELS` (exports adds its export panel, workflow its stage bar and ballots), rendered
by that package with its own template. Authoring never includes another package's template by name,
and a hook that is listed but missing stops the application at start-up (`wsgi.import_hook`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from flask import Flask, current_app
from markupsafe import Markup

if TYPE_CHECKING:
    from accounts.permissions import Actor
    from authoring.models import Revision, Standard

EXTENSION_KEY = "stdforge.standard_panels"

#: where on the page a panel goes
Place = Literal["stage_bar", "actions", "side", "margin", "after"]
#: which page asks: the read view of a revision, or the history of the standard
PageName = Literal["read", "history"]


@dataclass(frozen=True)
class StandardPage:
    """What a panel hook knows of the page it fills."""

    name: PageName
    standard: Standard
    #: the revision shown (None on the history page)
    revision: Revision | None
    user: Actor


@dataclass(frozen=True)
class Panel:
    """One package's piece of a page, already rendered (its template escapes what it shows)."""

    place: Place
    html: Markup


#: `panels(page)`: the panels a package adds to `page`
PanelSource = Callable[[StandardPage], Iterable[Panel]]


@dataclass
class Panels:
    sources: list[PanelSource] = field(default_factory=list)


def registered(app: Flask | None = None) -> Panels:
    return (app or current_app).extensions.setdefault(EXTENSION_KEY, Panels())


def panels_for(page: StandardPage) -> dict[str, list[Markup]]:
    """{place: [html, …]} from every registered package, in registration order."""
    by_place: dict[str, list[Markup]] = {}
    for source in registered().sources:
        for panel in source(page):
            by_place.setdefault(panel.place, []).append(panel.html)
    return by_place
