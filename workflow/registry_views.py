"""The public registry's pages: the list with search and filters, and one standard's full text.

Nobody needs to log in here, and nothing unpublished is ever listed or reachable: every page reads
through `workflow.registry_search`, whose `in_registry` is the one definition of what is listed.
The downloads are the exports package's (`exports.registry_download`), linked by endpoint name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import defer

from authoring.editor_page import language_of
from authoring.models import RenderCache, Revision, Standard
from authoring.read_fragments import build_fragment, cached_fragment
from extensions import db
from workflow.registry_search import (
    STATUS_LABELS,
    RegistryQuery,
    Status,
    registry_associations,
    registry_standard,
    search_registry,
)

bp = Blueprint("registry", __name__)

#: where wsgi.create_app keeps the `registry_panels(standard)` hooks of wsgi.REGISTRY_PANELS
PANELS_KEY = "stdforge.registry_panels"
#: `registry_panels(standard)`: HTML (Markup) a later package adds under a registry entry
RegistryPanelSource = Callable[[Standard], Iterable[Markup]]


def registered_panels(app: Flask | None = None) -> list[RegistryPanelSource]:
    """The registry page's panel hooks (self-declarations …), in the order wsgi lists them."""
    return (app or current_app).extensions.setdefault(PANELS_KEY, [])


#: the formats a registry page offers for download (exports makes them)
DOWNLOAD_FORMATS = ("docx", "pdf")


@bp.get("/registry")
def index() -> ResponseReturnValue:
    """Published and adopted standards, newest first, or ranked by a search; a page at a time."""
    query = RegistryQuery.from_args(request.args)
    result = search_registry(query)
    return render_template(
        "workflow/registry.html",
        result=result,
        query=query,
        associations=registry_associations(),
        statuses=[(status.value, STATUS_LABELS[status]) for status in Status],
    )


@bp.get("/registry/<path:number>")
def standard(number: str) -> ResponseReturnValue:
    """One listed standard by its number (URL-encoded): its details, downloads and full text."""
    listed = registry_standard(number)
    if listed is None:
        abort(404)
    found = listed.standard
    revision = _published_revision(found)
    fragment = None
    if revision is not None:
        language = language_of(get_locale())
        fragment = cached_fragment(revision.content_hash, language)
        if fragment is None:
            row = db.session.get(RenderCache, revision.content_hash)
            fragment = build_fragment(row, language) if row is not None else None
    return render_template(
        "workflow/registry_standard.html",
        listed=listed,
        standard=found,
        revision=revision,
        fragment=fragment,
        replaces=_listed_replaced(found),
        download_formats=DOWNLOAD_FORMATS,
        panels=[html for source in registered_panels() for html in source(found)],
    )


def _published_revision(standard: Standard) -> Revision | None:
    """The published revision without its text (the page shows its stored render)."""
    number = standard.published_revision or standard.latest_number
    return db.session.scalar(
        select(Revision)
        .options(defer(Revision.text))
        .where(Revision.standard_id == standard.id, Revision.number == number)
    )


def _listed_replaced(standard: Standard) -> str | None:
    """The number of the standard this one replaces, when the registry lists it (for a link)."""
    old = standard.replaces if standard.replaces_id else None
    if old is None or not old.number:
        return None
    return old.number if registry_standard(old.number) is not None else None
