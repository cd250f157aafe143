"""Pages that import members in bulk: upload a CSV or XLSX, read the preview, confirm it.

The upload is read once (`operations.preview_member_import`) and its plan kept in a `MemberImport`
named by a random token; confirming applies that stored plan, never a file sent again, and only if
the members did not change meanwhile (`operations.apply_member_import`).
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from accounts import operations
from accounts.database import utcnow
from accounts.forms import ConfirmForm, MemberImportForm
from accounts.member_files import MAX_FILE_BYTES, MAX_ROWS, megabytes
from accounts.member_import import FIELD_LABELS, KIND_LABELS, ImportPlan, Kind
from accounts.models import MemberImport, Organisation
from accounts.permissions import load_org_to_manage
from accounts.refusals import Refused
from accounts.views import acting_user, invitation_url
from extensions import db

bp = Blueprint("member_import", __name__)


def load_member_import(org: Organisation, token: str) -> MemberImport:
    """A stored import of `org` (already authorised); 404 for an unknown token or another organisation's."""
    member_import = db.session.scalar(select(MemberImport).where(MemberImport.token == token))
    if member_import is None or member_import.org_id != org.id:
        abort(404)
    return member_import


def _upload_page(org: Organisation, form: MemberImportForm, status: int = 200) -> ResponseReturnValue:
    page = render_template(
        "accounts/member_import.html",
        org=org,
        form=form,
        max_mb=megabytes(MAX_FILE_BYTES),
        max_rows=f"{MAX_ROWS:,}",
    )
    return page, status


@bp.route("/orgs/<int:org_id>/members/import", methods=["GET", "POST"])
@login_required
def upload(org_id: int) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    form = MemberImportForm()
    if request.method == "GET":
        return _upload_page(org, form)
    if (request.content_length or 0) > MAX_FILE_BYTES + 64_000:
        message = _(
            "The file is larger than %(limit)s MB, the most a member list may be.",
            limit=megabytes(MAX_FILE_BYTES),
        )
        form.file.errors = [message]
        return _upload_page(org, form, 413)
    if not form.validate_on_submit():
        return _upload_page(org, form, 400)
    upload = form.file.data
    data = upload.stream.read(MAX_FILE_BYTES + 1)
    try:
        member_import = operations.preview_member_import(
            acting_user(), org, upload.filename or "", data, now=utcnow()
        )
    except Refused as refused:
        db.session.rollback()
        form.file.errors = [refused.message, *refused.reasons]
        return _upload_page(org, form, refused.status)
    db.session.commit()
    return redirect(url_for(".preview", org_id=org.id, token=member_import.token))


def _preview_page(
    org: Organisation, member_import: MemberImport, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "accounts/member_import_preview.html",
        org=org,
        member_import=member_import,
        plan=ImportPlan.from_json(member_import.plan),
        expired=utcnow() >= member_import.expires_at,
        confirm_form=ConfirmForm(),
        kinds=Kind,
        kind_labels=KIND_LABELS,
        field_labels=FIELD_LABELS,
        error=error,
    )
    return page, status


@bp.get("/orgs/<int:org_id>/members/import/<token>")
@login_required
def preview(org_id: int, token: str) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    return _preview_page(org, load_member_import(org, token))


@bp.post("/orgs/<int:org_id>/members/import/<token>")
@login_required
def apply(org_id: int, token: str) -> ResponseReturnValue:
    org = load_org_to_manage(org_id, current_user)
    member_import = load_member_import(org, token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        applied = operations.apply_member_import(
            acting_user(),
            org,
            ImportPlan.from_json(member_import.plan),
            now=utcnow(),
            valid_for=timedelta(days=current_app.config["INVITATION_DAYS"]),
            stored=member_import,
        )
    except Refused as refused:
        db.session.rollback()
        return _preview_page(
            org, load_member_import(org, token), error=refused.message, status=refused.status
        )
    db.session.commit()
    links = [(issued, invitation_url(issued.token)) for issued in applied.invitations]
    return render_template(
        "accounts/member_import_done.html",
        org=org,
        plan=applied.plan,
        links=links,
        kinds=Kind,
        kind_labels=KIND_LABELS,
    )
