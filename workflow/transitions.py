"""What a standard may do next: every move out of its stage with its gate open or closed, and why.

`next_transitions(standard, actor, now)` is what the standard page draws and what the API's
`GET /standards/{id}/transitions` returns; `transition()` (workflow.operations) asks the same gates.
The facts the gates need are read here once (`gate_inputs`); the decisions are `workflow.rules`.

`open_comment_count`, `review_ballot_passed` and `review_ballot_failed` are the seams where the
comments and ballots packages plug in: the ballot gates ask `workflow.ballots.gates`; until the
comments package lands, no comment is open. `adoption_pending` asks the review holds wsgi registers
(the adoption package's): a standard an agency is still deciding on is not put under periodic review.

`moves_of(standard)` is the table's moves for this standard: out of periodic review, those of the
stage it entered the review from (`entered_from`, read from its history).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_app_context
from flask_babel import get_locale
from sqlalchemy import select

from accounts.permissions import Actor
from accounts.refusals import Decision
from authoring.models import Stage, Standard
from extensions import db
from workflow import rules
from workflow.models import current_period
from workflow.permissions import can_move_stages
from workflow.rules import GateInputs
from workflow.stages import ROUTED_STAGES, TRANSITIONS, Transition, transitions_from

DEFAULT_TIMEZONE = "Asia/Shanghai"


# -- the seams later packages fill ------------------------------------------------------------------


def open_comment_count(standard: Standard) -> int:
    """Comments on `standard` without a disposition (held public ones included), from the comments
    package: the disposition → review gate waits for every one."""
    from workflow.comments.operations import open_comment_count as count

    return count(standard)


def review_ballot_passed(standard: Standard) -> Decision:
    """Did the review ballot pass? The latest review ballot since the standard entered review decides
    (workflow.ballots.gates)."""
    from workflow.ballots.gates import review_ballot_passed as passed

    return passed(standard)


def review_ballot_failed(standard: Standard) -> Decision:
    """Did the review ballot fail (which sends the project back)? workflow.ballots.gates decides."""
    from workflow.ballots.gates import review_ballot_failed as failed

    return failed(standard)


#: the key under which the app keeps its review holds (wsgi.REVIEW_HOLDS)
REVIEW_HOLDS_KEY = "stdforge.review_holds"
#: `hold(standard)`: who is still deciding on a standard in force, or None (an agency on its adoption)
ReviewHold = Callable[[Standard], str | None]


def registered_review_holds(app: Flask | None = None) -> list[ReviewHold]:
    """The hooks that keep a standard out of periodic review while someone decides on it, in the
    order wsgi lists them (the adoption package's: workflow cannot import it)."""
    return (app or current_app).extensions.setdefault(REVIEW_HOLDS_KEY, [])


def adoption_pending(standard: Standard) -> str | None:
    """The agency still deciding on `standard`'s adoption, if any: an adopted standard may be
    submitted again, and the decision would move it out of a periodic review."""
    return next((name for hold in registered_review_holds() if (name := hold(standard))), None)


# -- the facts ----------------------------------------------------------------------------------------


def local_today(now: datetime) -> date:
    """The date of `now` in the configured time zone: a period's last day is a day there."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", DEFAULT_TIMEZONE) if has_app_context() else None
    return now.astimezone(ZoneInfo(name or DEFAULT_TIMEZONE)).date()


def replaced_by(standard: Standard) -> Standard | None:
    """The published standard that replaced `standard`, if any."""
    return db.session.scalar(
        select(Standard).where(Standard.replaces_id == standard.id, Standard.number.is_not(None)).limit(1)
    )


def revision_under_way(standard: Standard) -> Standard | None:
    """A revision project of `standard` not yet published (nor cancelled), if any."""
    return db.session.scalar(
        select(Standard)
        .where(
            Standard.replaces_id == standard.id,
            Standard.number.is_(None),
            Standard.stage != Stage.CANCELLED.value,
        )
        .limit(1)
    )


def entered_from(standard: Standard) -> Stage | None:
    """The stage `standard` left when it entered its current one, from its history; read only where
    the table's moves depend on it (`ROUTED_STAGES`), None elsewhere or when the history does not say."""
    from authoring.events import StandardEvent

    if standard.stage not in ROUTED_STAGES:
        return None
    left = db.session.scalar(
        select(StandardEvent.from_stage)
        .where(StandardEvent.standard_id == standard.id, StandardEvent.to_stage == standard.stage)
        .order_by(StandardEvent.id.desc())
        .limit(1)
    )
    return Stage(left) if left in Stage._value2member_map_ else None


def moves_of(standard: Standard) -> tuple[Transition, ...]:
    """The moves out of `standard`'s stage that are its own: confirm returns it where it came from."""
    return transitions_from(standard.stage, entered_from(standard))


def reader_language() -> str:
    """ "en" or "zh": the language lint findings are shown in."""
    locale = get_locale() if has_app_context() else None
    return "en" if locale is not None and locale.language == "en" else "zh"


def gate_inputs(standard: Standard, now: datetime, *, early_reason: str = "") -> GateInputs:
    """Everything the gates out of `standard`'s stage decide on, read from the database once; a fact
    no gate of this stage asks for is not read (the standard page asks on every view)."""
    gates = {t.gate for t in TRANSITIONS if t.source == standard.stage}
    period = current_period(standard) if "period_ended" in gates else None
    cache = None
    if "lint_clean" in gates:
        revision = standard.latest_revision()
        cache = revision.render() if revision is not None else None
    errors = [
        f for f in (cache.findings_in(reader_language()) if cache else []) if f.get("severity") == "error"
    ]
    under_way = revision_under_way(standard) if gates & {"not_replaced", "no_revision_under_way"} else None
    replacement = replaced_by(standard) if "not_replaced" in gates else None
    agency = adoption_pending(standard) if "not_replaced" in gates else None
    return GateInputs(
        today=local_today(now),
        latest_number=standard.latest_number,
        period_closes_on=period.closes_at if period is not None else None,
        period_closed=period is not None and not period.is_open,
        early_reason=early_reason,
        open_comments=open_comment_count(standard) if "no_open_comments" in gates else 0,
        review_ballot_passed=review_ballot_passed(standard)
        if "review_ballot_passed" in gates
        else Decision.yes(),
        review_ballot_failed=review_ballot_failed(standard)
        if "review_ballot_failed" in gates
        else Decision.yes(),
        lint_errors=cache.errors if cache is not None else 0,
        lint_messages=tuple(_finding_words(f) for f in errors),
        replaced_by=replacement.number if replacement is not None else None,
        revision_under_way=under_way.title_zh if under_way is not None else None,
        adoption_pending=agency,
    )


def _finding_words(finding: dict) -> str:
    where = f"{finding['line']}: " if finding.get("line") else ""
    return f"{where}{finding.get('message', '')} ({finding.get('rule', '')})"


# -- the answer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStage:
    """One move out of the standard's stage: allowed for this actor now, or why not."""

    transition: Transition
    #: may this actor move stages at all (the secretariat)
    permitted: Decision
    #: is the stage's gate open (the same for every reader)
    gate: Decision

    @property
    def allowed(self) -> bool:
        return bool(self.permitted) and bool(self.gate)

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why not: the gate's reasons first (everyone sees them), then the permission's."""
        return (*self.gate.reasons, *self.permitted.reasons)

    @property
    def decision(self) -> Decision:
        return Decision(self.allowed, self.reasons)


def next_transitions(standard: Standard, actor: Actor, now: datetime) -> list[NextStage]:
    """Every move out of `standard`'s stage (`moves_of`), in the table's order, with its gate and
    `actor`'s right."""
    moves = moves_of(standard)
    if not moves:
        return []
    permitted = can_move_stages(actor, standard)
    inputs = gate_inputs(standard, now)
    return [NextStage(move, permitted, rules.gate(move, inputs)) for move in moves]


#: the stages whose released revision carries the stage's draft name on its cover
RELEASE_STAGES = (Stage.CONSULTATION.value, Stage.REVIEW.value, Stage.APPROVAL.value)


def released_in(standard: Standard, revision_number: int) -> Stage | None:
    """The stage revision `revision_number` was last released in (consultation: 征求意见稿, review:
    送审稿, approval: 报批稿), read from the events; None for a working draft or the published text."""
    from authoring.events import StandardEvent

    if standard.published_revision == revision_number:
        return None
    stage = db.session.scalar(
        select(StandardEvent.to_stage)
        .where(
            StandardEvent.standard_id == standard.id,
            StandardEvent.kind == "stage_changed",
            StandardEvent.revision == revision_number,
            StandardEvent.to_stage.in_(RELEASE_STAGES),
        )
        .order_by(StandardEvent.id.desc())
        .limit(1)
    )
    return Stage(stage) if stage else None
