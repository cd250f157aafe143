"""The proposal pages: a member's "propose a standard" form, the secretariat's list with accept and
decline forms. Each route loads and authorises (404 outside the association), calls one verb of
`workflow.proposals`, commits once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.permissions import role_in
from accounts.refusals import Refused
from extensions import db
from workflow import proposals

bp = Blueprint("proposals", __name__)


class ProposalForm(FlaskForm):
    title_zh = StringField(_l("Chinese title"), validators=[DataRequired(), Length(max=300)])
    scope = TextAreaField(_l("Scope"), validators=[Optional(), Length(max=4000)])
    reason = TextAreaField(_l("Reason for the standard"), validators=[Optional(), Length(max=4000)])
    drafting_units = TextAreaField(_l("Proposed drafting units"), validators=[Optional(), Length(max=4000)])


def _association(org_id: int) -> Organisation:
    """The association if the current user is its member; 404 otherwise."""
    org = db.session.get(Organisation, org_id)
    if org is None or not org.is_association or role_in(current_user, org) is None:
        abort(404)
    return org


@bp.route("/associations/<int:org_id>/proposals/new", methods=["GET", "POST"])
@login_required
def new(org_id: int) -> ResponseReturnValue:
    association = _association(org_id)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            proposals.propose(
                association,
                current_user,
                title_zh=form.title_zh.data or "",
                scope=form.scope.data or "",
                reason=form.reason.data or "",
                drafting_units=form.drafting_units.data or "",
                now=utcnow(),
            )
        except Refused as refused:
            db.session.rollback()
            if refused.kind == "forbidden":
                abort(403)
            form.title_zh.errors = [*form.title_zh.errors, refused.message]
        else:
            db.session.commit()
            flash(_("Your proposal was sent to the secretariat."), "success")
            return redirect(url_for("accounts.desk"))
    return render_template("workflow/propose.html", association=association, form=form)


@bp.get("/associations/<int:org_id>/proposals")
@login_required
def index(org_id: int) -> ResponseReturnValue:
    association = _association(org_id)
    if not proposals.can_decide_proposals(current_user, association):
        abort(403)
    return render_template(
        "workflow/proposals.html", association=association, proposals=proposals.proposals_of(association)
    )


@bp.post("/proposals/<int:proposal_id>/accept")
@login_required
def accept(proposal_id: int) -> ResponseReturnValue:
    proposal = proposals.load_proposal(proposal_id, current_user)
    try:
        standard = proposals.accept(proposal, current_user, now=utcnow(), note=request.form.get("note", ""))
    except Refused as refused:
        return _refused(proposal, refused)
    db.session.commit()
    flash(
        _("The proposal “%(title)s” was accepted; the project is in drafting.", title=standard.title_zh),
        "success",
    )
    return redirect(url_for("proposals.index", org_id=standard.association_id))


@bp.post("/proposals/<int:proposal_id>/decline")
@login_required
def decline(proposal_id: int) -> ResponseReturnValue:
    proposal = proposals.load_proposal(proposal_id, current_user)
    try:
        proposals.decline(proposal, current_user, now=utcnow(), reason=request.form.get("reason", ""))
    except Refused as refused:
        return _refused(proposal, refused)
    db.session.commit()
    flash(_("The proposal was declined."), "success")
    return redirect(url_for("proposals.index", org_id=proposal.standard.association_id))


def _refused(proposal: proposals.Proposal, refused: Refused) -> ResponseReturnValue:
    db.session.rollback()
    if refused.kind not in ("invalid", "conflict", "gate"):
        raise refused
    flash(refused.message, "error")
    return redirect(url_for("proposals.index", org_id=proposal.standard.association_id))
