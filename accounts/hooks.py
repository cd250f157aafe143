"""How later packages plug into pages and commands that accounts owns, without accounts importing them.

`wsgi.create_app` resolves the optional hooks of every package (e.g. `workflow.desk:desk_items`,
`authoring.demo:load_demo`) and stores them here; accounts only calls what it finds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

if TYPE_CHECKING:
    from accounts.models import Organisation, User

EXTENSION_KEY = "stdforge.hooks"


@dataclass(frozen=True)
class DeskItem:
    """One thing that waits for the user on "my desk": a ballot to vote, comments to dispose, …"""

    #: what kind of work, already translated ("Ballot", "Consultation")
    kind: str
    #: the line the user reads, e.g. "T/SZYL 3—2025 养老机构服务规范: review ballot"
    title: str
    #: where the work is done
    url: str
    #: the association or agency it belongs to, shown as context
    org_name: str | None = None
    #: a deadline, when there is one (shown in the reader's locale)
    due_at: datetime | None = None


@dataclass(frozen=True)
class OrgLink:
    """A page another package keeps for an organisation (its standards, its ballots), shown on its page."""

    #: the link text, already translated ("Standards")
    label: str
    url: str
    #: how many things are behind it, when that helps the reader choose
    count: int | None = None


#: `load_demo(app)`: called inside an application context after the accounts demo data exist
DemoLoader = Callable[[Flask], None]
#: `desk_items(user)`: what waits for `user` in this package
DeskSource = Callable[["User"], Iterable[DeskItem]]
#: `org_links(org, user)`: this package's pages for `org` that `user` may open
OrgLinkSource = Callable[["Organisation", "User"], Iterable[OrgLink]]
#: `revision_saved(standard, revision, now=…)`: called in a save's unit of work, under its write lock,
#: after a revision is written (workflow's comments are placed again in the new text)
RevisionSaved = Callable[[Any, Any], None]
#: `standard_fields(standard)`: members a package adds to (or refines in) the API's Standard object
StandardFieldSource = Callable[[Any], Mapping[str, Any]]
#: `check(session, recompute=…)`: named values a backup records and a restore recomputes
#: (accounts.backup: what the original stores when False, what the restored data gives when True)
BackupCheck = Callable[..., Mapping[str, Any]]


@dataclass
class Hooks:
    demo_loaders: list[DemoLoader] = field(default_factory=list)
    desk_sources: list[DeskSource] = field(default_factory=list)
    org_link_sources: list[OrgLinkSource] = field(default_factory=list)
    api_standard_fields: list[StandardFieldSource] = field(default_factory=list)
    revision_saved: list[RevisionSaved] = field(default_factory=list)
    backup_checks: list[BackupCheck] = field(default_factory=list)


def hooks(app: Flask | None = None) -> Hooks:
    """The hooks registered on `app` (the current application by default)."""
    return (app or current_app).extensions.setdefault(EXTENSION_KEY, Hooks())


def revision_saved(standard: Any, revision: Any, *, now: datetime) -> None:
    """Tell every package that `revision` of `standard` was just written (inside the save's lock)."""
    app = current_app
    for hook in hooks(app).revision_saved:
        hook(standard, revision, now=now)


def desk_items(user: User) -> list[DeskItem]:
    """Everything that waits for `user`, soonest deadline first, undated last."""
    items = [item for source in hooks().desk_sources for item in source(user)]
    return sorted(items, key=lambda item: (item.due_at is None, item.due_at or datetime.max))


def org_links(org: Organisation, user: User) -> list[OrgLink]:
    """The other packages' pages for `org` that `user` may open, in registration order."""
    return [link for source in hooks().org_link_sources for link in source(org, user)]
