"""Routes of a standard's figures: upload, delete, and the pictures themselves.

A blueprint of its own (registered by wsgi.BLUEPRINTS) so the figure section joins the standard page
through `templates/authoring/_figures.html` and the `standard_figures` template function, without
the standard page's view having to know about figures.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import ColumnElement, func, select

from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.figures import (
    DEFAULT_MAX_BYTES,
    Figure,
    can_manage_figures,
    delete_figure,
    figures_of,
    find_figure,
    megabytes,
    upload_figure,
)
from authoring.models import Standard
from authoring.page_places import Panel, StandardPage
from authoring.permissions import load_standard, load_standard_to_edit
from extensions import db

bp = Blueprint("figures", __name__)


def _max_bytes() -> int:
    return int(current_app.config.get("FIGURE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def _back(standard: Standard) -> ResponseReturnValue:
    return redirect(url_for("authoring.standard_page", standard_id=standard.id) + "#figures")


def with_figure_urls(html: str, standard: Standard) -> str:
    """Point the `figures/NAME` images of rendered HTML at `standard`'s figures.

    Rendered HTML is cached per text (two standards may share one), so it keeps the relative path and
    the page that shows it supplies the standard. Only render emits ` src="figures/` (it escapes all
    user text and refuses every other image source), so a plain replacement is exact.
    """
    base = url_for("figures.figure_file", standard_id=standard.id, name="NAME").removesuffix("NAME")
    return html.replace(' src="figures/', f' src="{base}')


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """The figures below the read view: thumbnails, references, and the upload form for editors."""
    if page.name != "read" or page.revision is None:
        return
    yield Panel("after", Markup(render_template("authoring/_figures.html", standard=page.standard)))


def page_version(standard_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """What the figures panel shows that can change: how many figures, and the newest upload."""
    return [
        select(func.count()).where(Figure.standard_id == standard_id).scalar_subquery(),
        select(func.max(Figure.uploaded_at)).where(Figure.standard_id == standard_id).scalar_subquery(),
    ]


@bp.app_context_processor
def figure_helpers() -> dict[str, Any]:
    """`standard_figures(standard)` and `may_manage_figures(standard)` for the standard page."""
    return {
        "standard_figures": figures_of,
        "may_manage_figures": lambda standard: can_manage_figures(current_user, standard),
        "figure_max_mb": lambda: megabytes(_max_bytes()),
        "with_figure_urls": with_figure_urls,
    }


@bp.get("/standards/<int:standard_id>/figures/<name>")
def figure_file(standard_id: int, name: str) -> ResponseReturnValue:
    """The picture, for the thumbnails; whoever may read the standard may see its figures."""
    standard = load_standard(standard_id, current_user)
    figure = find_figure(standard, name)
    if figure is None:
        abort(404)
    return send_file(
        io.BytesIO(figure.data), mimetype=figure.media_type, etag=figure.sha256, max_age=300, conditional=True
    )


@bp.post("/standards/<int:standard_id>/figures")
@login_required
def upload(standard_id: int) -> ResponseReturnValue:
    standard = load_standard_to_edit(standard_id, current_user)
    limit = _max_bytes()
    if (request.content_length or 0) > limit + 64_000:
        flash(
            _(
                "The file is larger than %(limit)s MB, the most a figure may be.",
                limit=megabytes(limit),
            ),
            "error",
        )
        return _back(standard)
    upload = request.files.get("figure")
    if upload is None or not upload.filename:
        flash(_("Choose a PNG or JPEG file to upload."), "error")
        return _back(standard)
    data = upload.stream.read(limit + 1)
    try:
        figure = upload_figure(standard, current_user, upload.filename, data, now=utcnow(), max_bytes=limit)
    except Refused as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return _back(standard)
    db.session.commit()
    flash(
        _(
            "The figure “%(name)s” was uploaded; the text shows it as %(reference)s.",
            name=figure.name,
            reference=figure.reference,
        ),
        "success",
    )
    return _back(standard)


@bp.post("/standards/<int:standard_id>/figures/<name>/delete")
@login_required
def delete(standard_id: int, name: str) -> ResponseReturnValue:
    standard = load_standard_to_edit(standard_id, current_user)
    figure = find_figure(standard, name)
    if figure is None:
        abort(404)
    delete_figure(figure, current_user)
    db.session.commit()
    flash(_("The figure “%(name)s” was deleted.", name=name), "success")
    return _back(standard)
