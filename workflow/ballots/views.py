"""The ballot pages: the ballots panel on a standard's page, the ballot page (vote form, receipt,
result drawn against its thresholds, the ballot record), and the routes that open, cast and close.

Every route loads and authorises, closes the ballot first if its time has come (`settle`: the first
request after the close time does it), calls one verb, commits once, and redirects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from accounts.database import utcnow
from accounts.models import Organisation, Role
from accounts.permissions import load_org, role_in
from accounts.refusals import Refused
from authoring.page_places import Panel, StandardPage
from authoring.permissions import load_standard, login_manager
from extensions import db
from workflow.ballots import operations
from workflow.ballots.chart import bars
from workflow.ballots.models import CHOICE_LABELS, KIND_LABELS, Ballot, BallotKind, BallotVoter, Choice
from workflow.ballots.permissions import can_run_ballots, can_see_ballot, can_see_record, can_vote, voter_of
from workflow.ballots.record import record_csv, record_file_name, record_voters
from workflow.ballots.rules import PRESETS, Basis
from workflow.ballots.sqltime import utc_now_sql
from workflow.transitions import reader_language

bp = Blueprint("ballots", __name__)

#: refusals a form answers beside itself (the rest go to the one error handler)
FLASHED = ("invalid", "gate", "conflict", "closed")

#: a preset's name and its words on the forms
PRESET_LABELS = {
    "iso": _l("iso: for ≥ 2/3 and against ≤ 1/4 of for + against (ISO/IEC Directives)"),
    "cn-tc": _l("cn-tc: 3/4 of the electorate vote; for ≥ 2/3, against ≤ 1/4 of votes cast"),
    "three-quarters": _l("three-quarters: for ≥ 3/4 of votes cast"),
    "majority": _l("majority: half the electorate votes; for > against"),
    "consensus": _l("consensus: half the electorate votes; no vote against"),
}


#: a fraction's basis and its words on the custom rule's form
BASIS_LABELS = {
    Basis.FOR_AGAINST: _l("votes for and against"),
    Basis.CAST: _l("all votes cast"),
    Basis.ELECTORATE: _l("the whole electorate"),
}
#: the custom rule's yes/no fields (a checkbox each: absent is no)
RULE_FLAGS = ("approval_strict", "abstentions_count", "negative_needs_reasons", "exclude_drafters")


def rule_of_form(form: Any) -> Any:
    """The rule the open form asks for: a preset's name (empty: the association's default), or with
    "custom" the API's rule object made of the form's custom fields, every one of them given."""
    name = form.get("rule", "")
    if name != "custom":
        return name or None
    return {
        "preset": "custom",
        **{field: form.get(field, "").strip() or None for field in ("quorum", "approval", "max_against")},
        **{field: form.get(field, "") for field in ("approval_basis", "against_basis")},
        **{flag: flag in form for flag in RULE_FLAGS},
    }


def load_ballot(ballot_id: int) -> Ballot:
    """The ballot if the current user may see it; 404 otherwise, the login page for a visitor."""
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or not can_see_ballot(current_user, ballot):
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    return ballot


def settled(ballot: Ballot) -> Ballot:
    """Close `ballot` now if its time has come, and commit that close on its own."""
    if operations.settle(ballot, utcnow()):
        db.session.commit()
    return ballot


#: the stages whose standard page lists the ballots: where one is held, and after them
BALLOT_STAGES = frozenset(
    {stage for stages in operations.KIND_STAGES.values() for stage in stages}
    | {"approval", "published", "adoption_review", "adopted", "periodic_review", "withdrawn"}
)


def ballots_of(standard_id: int) -> list[Ballot]:
    return list(
        db.session.scalars(select(Ballot).where(Ballot.standard_id == standard_id).order_by(Ballot.id.desc()))
    )


# -- the standard page -------------------------------------------------------------------------------


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """The standard's ballots and, for the secretariat where one may be held, the form to open one."""
    if page.name != "read":
        return
    standard = page.standard
    if standard.stage not in BALLOT_STAGES:
        return  # no query on the drafting pages (the read page's query budget); the history keeps them
    ballots = [settled(b) for b in ballots_of(standard.id)]
    kinds = [k for k, stages in operations.KIND_STAGES.items() if standard.stage in stages]
    may_open = (
        can_run_ballots(page.user, standard)
        and kinds
        and not any(b.is_open and b.kind_enum in kinds for b in ballots)
    )
    if not ballots and not may_open:
        return
    html = render_template(
        "workflow/ballots/_panel.html",
        standard=standard,
        ballots=ballots,
        may_open=may_open,
        kinds=kinds,
        kind_labels=KIND_LABELS,
        presets=PRESET_LABELS,
        default_rule=operations.association_rule(standard.association),
        bases=BASIS_LABELS,
    )
    yield Panel("actions", Markup(html))


def page_version(standard_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """What the ballots panel shows that can change: the ballots, their casts and closes, and whether
    one is due to close (so the first reader after its time sees it closed)."""
    of = Ballot.standard_id == standard_id
    return [
        select(func.count(Ballot.id)).where(of).scalar_subquery(),
        select(func.coalesce(func.sum(Ballot.cast_count), 0)).where(of).scalar_subquery(),
        select(func.count(Ballot.id)).where(of, Ballot.closed_at.is_not(None)).scalar_subquery(),
        select(func.count(Ballot.id))
        .where(of, Ballot.closed_at.is_(None), Ballot.closes_at <= utc_now_sql())
        .scalar_subquery(),
    ]


# -- the ballot page ---------------------------------------------------------------------------------


@bp.get("/ballots/<int:ballot_id>")
@login_required
def ballot_page(ballot_id: int) -> ResponseReturnValue:
    ballot = settled(load_ballot(ballot_id))
    language = reader_language()
    voter = voter_of(ballot, current_user)
    result = ballot.result_in(language)
    record = record_voters(ballot) if can_see_record(current_user, ballot) else []
    return render_template(
        "workflow/ballots/ballot.html",
        ballot=ballot,
        standard=ballot.standard,
        voter=voter,
        may_vote=can_vote(current_user, ballot) and ballot.is_open,
        may_run=can_run_ballots(current_user, ballot.standard),
        choices=CHOICE_LABELS,
        rule=ballot.rule,
        result=result,
        chart=bars(ballot, result) if result else [],
        record=record,
        voted=db.session.scalar(
            select(func.count(BallotVoter.id)).where(
                BallotVoter.ballot_id == ballot.id, BallotVoter.choice.is_not(None)
            )
        ),
    )


@bp.get("/ballots/<int:ballot_id>/record.csv")
@login_required
def record_download(ballot_id: int) -> ResponseReturnValue:
    """The ballot record as CSV (UTF-8, Excel-ready), once the ballot has closed."""
    ballot = settled(load_ballot(ballot_id))
    if not can_see_record(current_user, ballot):
        abort(404)
    return Response(
        record_csv(ballot),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={record_file_name(ballot)}"},
    )


@bp.post("/standards/<int:standard_id>/ballots")
@login_required
def open_ballot(standard_id: int) -> ResponseReturnValue:
    standard = load_standard(standard_id, current_user)
    if not can_run_ballots(current_user, standard):
        abort(403)
    form = request.form
    emails = [line for line in form.get("electorate", "").replace(",", "\n").splitlines() if line.strip()]
    try:
        ballot = operations.open_ballot(
            standard,
            current_user,
            kind=form.get("kind", ""),
            rule=rule_of_form(form),
            closes_at=form.get("closes_at", ""),
            electorate=emails or None,
            now=utcnow(),
        )
    except Refused as refused:
        return _refused(url_for("authoring.standard_page", standard_id=standard_id) + "#ballots", refused)
    db.session.commit()
    flash(_("The ballot is open; its electorate sees it on their desks."), "success")
    return redirect(url_for("ballots.ballot_page", ballot_id=ballot.id))


@bp.post("/ballots/<int:ballot_id>/votes")
@login_required
def cast(ballot_id: int) -> ResponseReturnValue:
    ballot = settled(load_ballot(ballot_id))
    if not can_vote(current_user, ballot):
        abort(403)
    here = url_for("ballots.ballot_page", ballot_id=ballot_id)
    try:
        voter = operations.cast_vote(
            ballot,
            current_user,
            request.form.get("choice", ""),
            request.form.get("reasons", ""),
            now=utcnow(),
        )
    except Refused as refused:
        return _refused(here + "#vote", refused)
    receipt, label = voter.receipt, Choice(voter.choice).label
    db.session.commit()
    flash(
        _("Your vote “%(choice)s” is recorded. Receipt: %(receipt)s", choice=label, receipt=receipt),
        "success",
    )
    return redirect(here + "#my-vote")


@bp.post("/ballots/<int:ballot_id>/close")
@login_required
def close(ballot_id: int) -> ResponseReturnValue:
    ballot = settled(load_ballot(ballot_id))
    if not can_run_ballots(current_user, ballot.standard):
        abort(403)
    here = url_for("ballots.ballot_page", ballot_id=ballot_id)
    try:
        operations.close_ballot(ballot, current_user, now=utcnow(), reason=request.form.get("reason", ""))
    except Refused as refused:
        return _refused(here, refused)
    db.session.commit()
    flash(_("The ballot is closed and its result stored."), "success")
    return redirect(here + "#result")


# -- the association's default rule ------------------------------------------------------------------


@bp.route("/orgs/<int:org_id>/ballot-rule", methods=["GET", "POST"])
@login_required
def association_rule(org_id: int) -> ResponseReturnValue:
    """The association's default vote rule: every member reads it, the secretariat picks it."""
    org = load_org(org_id, current_user)
    if not org.is_association:
        abort(404)
    may_change = role_in(current_user, org) == Role.SECRETARIAT
    if request.method == "POST":
        if not may_change:
            abort(403)
        name = request.form.get("rule", "")
        if name not in PRESETS:
            flash(_("Choose one of the vote rules listed."), "error")
        else:
            org.ballot_rule = name
            db.session.commit()
            flash(
                _(
                    "New ballots of the association follow the rule “%(rule)s” unless another is chosen.",
                    rule=name,
                ),
                "success",
            )
        return redirect(url_for("ballots.association_rule", org_id=org.id))
    return render_template(
        "workflow/ballots/association_rule.html",
        org=org,
        current=operations.association_rule(org),
        presets=PRESET_LABELS,
        rules=PRESETS,
        may_change=may_change,
    )


def org_links(org: Organisation, user: Any) -> Iterator[Any]:
    """The association's vote rule, on its page (wsgi.ORG_LINKS)."""
    from accounts.hooks import OrgLink

    if not org.is_association or (role_in(user, org) is None and not getattr(user, "is_admin", False)):
        return
    yield OrgLink(
        _("Vote rule: %(rule)s", rule=operations.association_rule(org).preset),
        url_for("ballots.association_rule", org_id=org.id),
    )


def _refused(target: str, refused: Refused) -> ResponseReturnValue:
    if refused.kind not in FLASHED:
        raise refused
    db.session.rollback()
    flash(" ".join([refused.message, *[r for r in refused.reasons if r != refused.message]]), "error")
    return redirect(target)


__all__ = ["BallotKind", "bp"]
