"""The stage bar and the next stages on a standard's page, and the two routes that move stages.

`standard_panels` (listed in wsgi.STANDARD_PANELS) fills the read view's `stage_bar` place with the
project's life (done, current, ahead, with the dates from its events) and its `actions` place with
every move out of the stage: a form for the secretariat when the gate is open, greyed with the
gate's reasons otherwise, for every reader. The routes load and authorise, call one verb of
`workflow.operations`, commit once, flash and go back to the standard.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.events import StandardEvent, events_of
from authoring.models import Stage, Standard
from authoring.page_places import Panel, StandardPage
from authoring.permissions import load_standard
from extensions import db
from workflow import operations, proposals
from workflow.models import AUDIENCE_LABELS, current_period
from workflow.permissions import can_move_stages
from workflow.stages import PATH_TO_PUBLICATION, STAGES, StageInfo, cancelled_code
from workflow.transitions import local_today, next_transitions

bp = Blueprint("workflow", __name__)

#: the refusals a form answers with a message on the standard page (the rest: the error page)
FLASHED = ("invalid", "gate", "conflict", "closed")


# -- the stage bar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One stage on the bar: its state ("done", "current", "ahead") and when it was entered."""

    info: StageInfo
    state: str
    entered: datetime | None
    iso_code: str | None


def stage_steps(standard: Standard, events: list[StandardEvent]) -> list[Step]:
    """The project's life as steps: the way to publication, then what came after, with dates."""
    entered: dict[str, datetime] = {}
    left_for_cancel: str | None = None
    for event in sorted(events, key=lambda e: e.id):
        if event.kind == "stage_changed" and event.to_stage:
            entered[event.to_stage] = event.at
            if event.to_stage == Stage.CANCELLED.value:
                left_for_cancel = event.from_stage
        elif event.kind in ("created", "uploaded", "revision") and Stage.DRAFTING.value not in entered:
            entered[Stage.DRAFTING.value] = event.at
    current = standard.stage_enum
    path = [s for s in PATH_TO_PUBLICATION if s != Stage.PROPOSAL or s.value in entered or current == s]
    if current == Stage.CANCELLED:
        stop = Stage(left_for_cancel) if left_for_cancel in {s.value for s in path} else path[0]
        path = [*path[: path.index(stop) + 1], Stage.CANCELLED]
    elif current not in path:
        path.append(current)  # periodic review, withdrawn, adoption: after publication
    index = path.index(current)
    steps = []
    for position, stage in enumerate(path):
        state = "done" if position < index else "current" if position == index else "ahead"
        code = cancelled_code(left_for_cancel) if stage == Stage.CANCELLED else STAGES[stage].iso_code
        steps.append(Step(STAGES[stage], state, entered.get(stage.value) if state != "ahead" else None, code))
    return steps


def standard_panels(page: StandardPage) -> Iterator[Panel]:
    """The stage bar and the next stages, on the read view of a standard."""
    if page.name != "read":
        return
    standard = page.standard
    now = utcnow()
    events = events_of(standard, newest_first=False)
    yield Panel(
        "stage_bar",
        Markup(
            render_template(
                "workflow/_stage_bar.html", standard=standard, steps=stage_steps(standard, events)
            )
        ),
    )
    moves = next_transitions(standard, page.user, now)
    period = current_period(standard) if standard.stage == Stage.CONSULTATION.value else None
    if not moves and period is None:
        return
    may_move = can_move_stages(page.user, standard)
    html = render_template(
        "workflow/_actions.html",
        standard=standard,
        moves=moves,
        may_move=may_move,
        period=period,
        period_running=period is not None and period.is_open and local_today(now) <= period.closes_at,
        audiences=AUDIENCE_LABELS,
        today=local_today(now),
    )
    yield Panel("actions", Markup(html))


# -- the routes ------------------------------------------------------------------------------------


@bp.post("/standards/<int:standard_id>/stages")
@login_required
def move(standard_id: int) -> ResponseReturnValue:
    """Take one move of the stage table (`move`: its name) with the parameters the form sent."""
    standard = load_standard(standard_id, current_user)
    form = request.form
    target = form.get("move", "")[:40]
    proposal = proposals.open_proposal_of(standard) if target in PROPOSAL_MOVES else None
    try:
        if proposal is not None:  # the proposal's own verbs: the skeleton on accept, the decision kept
            _decide_proposal(proposal, target, form.get("note", "") or form.get("reason", ""))
            db.session.commit()
            flash(
                _("The standard is now in the stage “%(stage)s”.", stage=standard.stage_enum.label), "success"
            )
            return redirect(url_for("authoring.standard_page", standard_id=standard_id))
        operations.transition(
            standard,
            current_user,
            target,
            now=utcnow(),
            note=form.get("note", "") or form.get("reason", ""),
            closes_at=form.get("closes_at"),
            audience=form.get("audience"),
            publish_date=form.get("publish_date"),
            implement_date=form.get("implement_date"),
        )
    except Refused as refused:
        return _refused(standard_id, refused)
    db.session.commit()
    flash(_("The standard is now in the stage “%(stage)s”.", stage=standard.stage_enum.label), "success")
    if standard.number:
        flash(_("It was published as %(number)s.", number=standard.number), "success")
    return redirect(url_for("authoring.standard_page", standard_id=standard_id))


@bp.post("/standards/<int:standard_id>/consultation/close")
@login_required
def close_consultation(standard_id: int) -> ResponseReturnValue:
    """Close the consultation early, with the secretariat's reason."""
    standard = load_standard(standard_id, current_user)
    try:
        operations.close_comment_period(standard, current_user, request.form.get("reason", ""), now=utcnow())
    except Refused as refused:
        return _refused(standard_id, refused)
    db.session.commit()
    flash(_("The consultation is closed; the comments can now be disposed of."), "success")
    return redirect(url_for("authoring.standard_page", standard_id=standard_id))


#: moves of a standard still in proposal that are the proposal's decision
PROPOSAL_MOVES = ("accept", "cancel")


def _decide_proposal(proposal: proposals.Proposal, move: str, words: str) -> None:
    """Accept or decline `proposal` from the stage page as its own page does."""
    if move == "accept":
        proposals.accept(proposal, current_user, now=utcnow(), note=words)
    else:
        proposals.decline(proposal, current_user, now=utcnow(), reason=words)


def _refused(standard_id: int, refused: Refused) -> ResponseReturnValue:
    """A refusal a form can answer: its words on the standard page; anything else to the one handler."""
    if refused.kind not in FLASHED:
        raise refused
    db.session.rollback()
    flash(" ".join([refused.message, *refused.reasons]), "error")
    return redirect(url_for("authoring.standard_page", standard_id=standard_id) + "#stage-actions")
