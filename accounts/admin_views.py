"""The platform administrator's pages: organisations (list, create, rename, set a code), the
outbox of e-mail notices and the audit log.

Only the administrator opens them (403 for anyone else; an organisation the user may not see is a
404, as everywhere). The verbs are in accounts.operations, which the create-org command calls too.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts import operations
from accounts.audit import ACTION_LABELS, AuditEntry
from accounts.forms import NewOrgForm, OrgCodeForm, RenameOrgForm
from accounts.models import Organisation, OrgKind
from accounts.notices import Notice
from accounts.permissions import load_org_to_administer, require_org_administrator
from accounts.refusals import Refused
from accounts.views import acting_user
from extensions import db

bp = Blueprint("org_admin", __name__)


@bp.get("/admin/organisations")
@login_required
def orgs() -> ResponseReturnValue:
    require_org_administrator(current_user)
    return _orgs_page(NewOrgForm(formdata=None))


def _orgs_page(form: NewOrgForm, status: int = 200) -> ResponseReturnValue:
    orgs = db.session.scalars(
        select(Organisation)
        .options(selectinload(Organisation.memberships))
        .order_by(Organisation.kind, Organisation.name)
    ).all()
    return render_template("accounts/admin_orgs.html", orgs=orgs, form=form), status


@bp.post("/admin/organisations")
@login_required
def create() -> ResponseReturnValue:
    require_org_administrator(current_user)
    form = NewOrgForm()
    if form.validate_on_submit():
        try:
            org = operations.create_org(acting_user(), form.kind.data, form.name.data, form.code.data)
        except Refused as refused:
            db.session.rollback()
            field = form.code if form.kind.data == OrgKind.ASSOCIATION else form.name
            field.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Created %(name)s.", name=org.name), "success")
            return redirect(url_for(".orgs"))
    return _orgs_page(form, status=400)


@bp.get("/admin/organisations/<int:org_id>")
@login_required
def org_page(org_id: int) -> ResponseReturnValue:
    org = load_org_to_administer(org_id, current_user)
    return _org_page(org, RenameOrgForm(formdata=None, obj=org), OrgCodeForm(formdata=None, obj=org))


def _org_page(
    org: Organisation, rename_form: RenameOrgForm, code_form: OrgCodeForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template("accounts/admin_org.html", org=org, rename_form=rename_form, code_form=code_form)
    return page, status


@bp.post("/admin/organisations/<int:org_id>/name")
@login_required
def rename(org_id: int) -> ResponseReturnValue:
    org = load_org_to_administer(org_id, current_user)
    form = RenameOrgForm()
    if form.validate_on_submit():
        try:
            operations.rename_org(acting_user(), org, form.name.data)
        except Refused as refused:
            db.session.rollback()
            form.name.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The organisation is now called %(name)s.", name=org.name), "success")
            return redirect(url_for(".org_page", org_id=org.id))
    return _org_page(org, form, OrgCodeForm(formdata=None, obj=org), status=400)


@bp.post("/admin/organisations/<int:org_id>/code")
@login_required
def set_code(org_id: int) -> ResponseReturnValue:
    org = load_org_to_administer(org_id, current_user)
    form = OrgCodeForm()
    if form.validate_on_submit():
        try:
            operations.set_org_code(acting_user(), org, form.code.data)
        except Refused as refused:
            db.session.rollback()
            form.code.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The code of %(name)s is now %(code)s.", name=org.name, code=org.code), "success")
            return redirect(url_for(".org_page", org_id=org.id))
    return _org_page(org, RenameOrgForm(formdata=None, obj=org), form, status=400)


#: notices per page of the outbox
OUTBOX_PAGE_SIZE = 50


@bp.get("/admin/outbox")
@login_required
def outbox() -> ResponseReturnValue:
    """Every notice, newest first, with its recipient and whether it was sent, delivered to this
    outbox (no MAIL_SERVER configured) or failed: where the administrator reads what was written."""
    require_org_administrator(current_user)
    page = db.paginate(
        select(Notice).options(selectinload(Notice.user)).order_by(Notice.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=OUTBOX_PAGE_SIZE,
        error_out=False,
    )
    return render_template("accounts/admin_outbox.html", page=page)


#: entries per page of the audit log
AUDIT_PAGE_SIZE = 100


@bp.get("/admin/audit")
@login_required
def audit_log() -> ResponseReturnValue:
    """The audit log, newest first, read-only: who did what, when and from where. Whether the chain
    holds is `flask --app wsgi audit verify`'s answer, not a page's (it reads every entry)."""
    require_org_administrator(current_user)
    page = db.paginate(
        select(AuditEntry).order_by(AuditEntry.id.desc()),
        page=request.args.get("page", 1, type=int),
        per_page=AUDIT_PAGE_SIZE,
        error_out=False,
    )
    org_ids = {entry.organisation_id for entry in page.items if entry.organisation_id is not None}
    org_names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids))
        ).all()
    )
    return render_template(
        "accounts/admin_audit.html", page=page, org_names=org_names, action_labels=ACTION_LABELS
    )
