"""Pages of a Word import: a new project from a Word file, a new revision from a Word file, the report.

The secretariat uploads; the report lists what could not be mapped and the lint findings; the text
opens in the editor for review. A new project gets the import as revision 1; a new revision is saved
only when the drafter saves it from the editor. Slow work (pandoc) runs before any write.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from accounts.database import utcnow
from accounts.hooks import OrgLink
from accounts.models import Organisation, User
from accounts.refusals import Refused
from authoring.editor_page import language_of
from authoring.editor_views import render_editor
from authoring.operations import check_size
from authoring.page_places import Panel, StandardPage
from authoring.permissions import can_create_standard, load_association, load_standard
from extensions import db
from imports import operations
from imports.api import Imported, import_docx
from imports.docx_file import MAX_DOCX_BYTES, DocxRejected
from imports.forms import ReviewForm, WordUploadForm

bp = Blueprint("imports", __name__)


def _read_upload(form: WordUploadForm) -> Imported | None:
    """The imported file, or None with the reason set on the form's field."""
    upload = form.upload.data
    data = upload.read(MAX_DOCX_BYTES + 1)
    language = language_of(get_locale())
    try:
        return import_docx(data, upload.filename or "")
    except DocxRejected as rejected:
        form.upload.errors = [*form.upload.errors, rejected.message(language)]
        return None


def _report(imported: Imported, **context: object) -> str:
    language = language_of(get_locale())
    return render_template(
        "imports/report.html",
        imported=imported,
        findings=[(f, f.message(language)) for f in imported.findings],
        unmapped=[(u, u.reason(language)) for u in imported.unmapped],
        **context,
    )


@bp.route("/associations/<int:org_id>/standards/import", methods=["GET", "POST"])
@login_required
def new_project(org_id: int) -> ResponseReturnValue:
    association = load_association(org_id, current_user)
    if not can_create_standard(current_user, association):
        abort(403)
    form = WordUploadForm()
    if form.validate_on_submit() and (imported := _read_upload(form)) is not None:
        try:
            standard = operations.create_from_word(association, current_user, imported, now=utcnow())
        except Refused as refused:
            db.session.rollback()
            form.upload.errors = [*form.upload.errors, refused.message]
        else:
            db.session.commit()
            return _report(imported, standard=standard, association=association, created=True)
    status = 422 if form.upload.errors else 200
    return render_template("imports/upload.html", form=form, association=association, standard=None), status


@bp.route("/standards/<int:standard_id>/import", methods=["GET", "POST"])
@login_required
def new_revision(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    decision = operations.can_import_revision(current_user, standard)
    if not decision:
        abort(403)
    form = WordUploadForm()
    if form.validate_on_submit() and (imported := _read_upload(form)) is not None:
        try:
            operations.store_figures(standard, current_user, imported, now=utcnow())
        except Refused as refused:
            db.session.rollback()
            form.upload.errors = [*form.upload.errors, refused.message]
        else:
            db.session.commit()
            review = ReviewForm(formdata=None, text=imported.text)
            return _report(
                imported, standard=standard, association=standard.association, created=False, review=review
            )
    status = 422 if form.upload.errors else 200
    return render_template(
        "imports/upload.html", form=form, association=standard.association, standard=standard
    ), status


@bp.post("/standards/<int:standard_id>/import/review")
@login_required
def review(standard_id: int) -> ResponseReturnValue:
    """The imported text in the editor, unsaved, on top of the latest revision."""
    standard = load_standard(standard_id, current_user)
    if not operations.can_import_revision(current_user, standard):
        abort(403)
    form = ReviewForm()
    if not form.validate_on_submit() or not isinstance(form.text.data, str):
        abort(400)
    check_size(form.text.data)
    revision = standard.latest_revision()
    if revision is None:
        abort(404)
    return render_editor(standard, revision, text=form.text.data.replace("\r\n", "\n"))


# -- places on other pages ---------------------------------------------------------------------------


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """ "New revision from a Word file" beside a standard, for the secretariat while it may be edited."""
    if page.name != "read" or page.revision is None:
        return
    if not operations.can_import_revision(page.user, page.standard):
        return
    href = url_for("imports.new_revision", standard_id=page.standard.id)
    yield Panel(
        "side",
        Markup('<section class="card"><a class="button" href="{}">{}</a></section>').format(
            href, _("New revision from a Word file")
        ),
    )


def org_links(org: Organisation, user: User) -> Iterator[OrgLink]:
    """ "New project from a Word file" on an association's page, for its secretariat."""
    if org.is_association and can_create_standard(user, org):
        yield OrgLink(_("New project from a Word file"), url_for("imports.new_project", org_id=org.id), None)
