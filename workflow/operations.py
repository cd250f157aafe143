"""The verbs that move a standard between stages: `transition`, `close_comment_period`, and the
publication `transition` performs on the way to published.

Each takes the acting user and the time, checks `can_move_stages` and the gate of the move in
`workflow.stages.TRANSITIONS` (the same `Decision` the page shows), takes the standard's write lock
before deciding, records what happened in the standard's event list and only flushes: the view, the
API route or the command commits once. They say no with `Refused`: "forbidden" (403) for someone who
is not the secretariat, "gate" (409, with the gate's reasons) for a stage that may not be left yet,
"invalid" (422, with `fields`) for a bad end date, audience, reason or date.

Publication numbers the standard `T/{code} {n}—{year}`: n is the association's next free sequence
number, taken under the association row's lock (SQLite: the database's one write lock) with the
unique constraint on `Standard.number` behind it, so two publications at the same instant never
share one. Its final revision (the cover with number, dates and `replaces`, without the draft
label) is prepared and analysed before the lock, as a save is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from accounts.database import write_lock
from accounts.models import User
from accounts.permissions import Actor
from accounts.refusals import Refused
from authoring import analysis
from authoring import operations as authoring
from authoring.events import StandardEvent, record
from authoring.models import Revision, Stage, Standard
from authoring.revision_changes import RevisionDraft, draft_revision
from extensions import db
from workflow import notices, registry_index, rules
from workflow.cover import with_cover
from workflow.models import Audience, CommentPeriod, current_period
from workflow.permissions import can_move_stages
from workflow.stages import Transition, find_transition
from workflow.transitions import entered_from, gate_inputs, local_today, reader_language

#: how often a publication prepares its final revision outside the lock when others keep publishing
#: or saving first; the last attempt prepares under the lock, so a publication always ends
PREPARE_ATTEMPTS = 3

#: the longest reason or note kept (the event's note holds 2,000 characters)
MAX_NOTE = 2000


def transition(
    standard: Standard,
    actor: Actor,
    to: Stage | str,
    *,
    now: datetime,
    note: str = "",
    closes_at: date | str | None = None,
    audience: Audience | str | None = None,
    publish_date: date | str | None = None,
    implement_date: date | str | None = None,
    first_revision_follows: bool = False,
) -> StandardEvent:
    """Move `standard` out of its stage to `to` (a `Stage`, or a move's name such as "revise" or
    "cancel") as `actor`, with the parameters that move takes; returns the "stage_changed" event.

    Releasing for consultation opens a `CommentPeriod` on the latest revision until `closes_at` for
    `audience`; closing it (consultation → disposition) before its last day needs a reason in `note`;
    publishing assigns the number and writes the final revision; "revise" opens a new project in
    drafting that will replace this standard. Confirming or revising after a periodic review returns
    the standard to the stage it entered the review from (adopted or published). A project without a
    revision (a member's proposal) moves to drafting only with `first_revision_follows`
    (`workflow.proposals.accept` writes its skeleton). This may end the request's transaction and start
    a new one (a publication that others overtook prepares again), so it must be the first thing a
    request writes.
    """
    can_move_stages(actor, standard).require("forbidden")  # first: a stranger learns nothing of the moves
    move = _move(standard, to)
    if move.target == Stage.DRAFTING and standard.latest_number == 0 and not first_revision_follows:
        # a proposal without text is accepted by `workflow.proposals.accept`, which writes revision 1
        raise Refused("gate", _("Accept this proposal on the association's proposals page."))
    values = _checked_values(move, now, note=note, closes_at=closes_at, audience=audience)
    if move.name == "publish":
        return _publish(
            standard, actor, move, now=now, note=values["note"], dates=(publish_date, implement_date)
        )
    write_lock(standard)
    _require_gate(standard, _move_under_lock(standard, move), now, early_reason=values["note"])
    return _apply(standard, actor, move, now=now, **values)


def close_comment_period(standard: Standard, actor: Actor, reason: str, *, now: datetime) -> StandardEvent:
    """Close `standard`'s consultation and move it to disposition; before the period's last day only
    with `reason` (kept on the period and in the events)."""
    return transition(standard, actor, Stage.DISPOSITION, now=now, note=reason)


# -- checks -----------------------------------------------------------------------------------------


def _move(standard: Standard, to: Stage | str) -> Transition:
    """The standard's own move `to`: out of periodic review, the one back to where it came from."""
    move = find_transition(standard.stage, to, entered_from(standard))
    if move is None:
        raise Refused(
            "gate",
            _(
                "A standard in the stage “%(stage)s” cannot move to “%(target)s”.",
                stage=standard.stage_enum.label,
                target=_target_words(to),
            ),
        )
    return move


def _target_words(to: Stage | str) -> str:
    try:
        return Stage(to).label
    except ValueError:
        return str(to)[:40]


def _move_under_lock(standard: Standard, move: Transition) -> Transition:
    """The move again on the row re-read under the lock: someone may have moved the standard meanwhile
    (out of its stage, or out and back in from elsewhere, where the same name leads elsewhere)."""
    if standard.stage != move.source.value or _move(standard, move.name) is not move:
        raise Refused(
            "conflict",
            _(
                "The standard was moved to the stage “%(stage)s” meanwhile. Reload the page.",
                stage=standard.stage_enum.label,
            ),
        )
    return move


def _require_gate(standard: Standard, move: Transition, now: datetime, *, early_reason: str = "") -> None:
    decision = rules.gate(move, gate_inputs(standard, now, early_reason=early_reason))
    decision.require("gate", _("The standard cannot move to “%(stage)s” yet.", stage=move.target.label))


def _checked_values(
    move: Transition, now: datetime, *, note: str, closes_at: Any, audience: Any
) -> dict[str, Any]:
    """The move's parameters, checked: a refusal names every wrong field at once."""
    fields: dict[str, str] = {}
    values: dict[str, Any] = {"note": (note or "").strip()[:MAX_NOTE]}
    if "closes_at" in move.parameters:
        day = _as_date(closes_at)
        if day is None:
            fields["closes_at"] = _("Give the last day of the comment period as a date (YYYY-MM-DD).")
        elif day < local_today(now):
            fields["closes_at"] = _(
                "The comment period cannot end in the past (%(date)s).", date=day.isoformat()
            )
        values["closes_at"] = day
        try:
            values["audience"] = Audience(audience or "")
        except ValueError:
            fields["audience"] = _("Choose who is consulted: the members, or the members and the public.")
    needs_reason = "reason" in move.required
    if needs_reason and not values["note"]:
        fields["reason"] = _("Give a reason.")
    if fields:
        raise Refused(
            "invalid", _("Some of the details are missing or wrong."), list(fields.values()), fields=fields
        )
    return values


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# -- effects ----------------------------------------------------------------------------------------


def _apply(
    standard: Standard,
    actor: Actor,
    move: Transition,
    *,
    now: datetime,
    note: str,
    closes_at: date | None = None,
    audience: Audience | None = None,
) -> StandardEvent:
    """Change the stage and record it, with what this move does besides (under the lock)."""
    revision = standard.latest_number or None
    if move.target == Stage.CONSULTATION:
        assert closes_at is not None and audience is not None
        db.session.add(
            CommentPeriod(
                standard=standard,
                revision=standard.latest_number,
                opens_at=now,
                closes_at=closes_at,
                audience=audience.value,
            )
        )
        record(
            standard,
            actor,
            "consultation_opened",
            now=now,
            revision=revision,
            note=_(
                "Comments until %(date)s; consulted: %(audience)s.",
                date=closes_at.isoformat(),
                audience=audience.label,
            ),
        )
        notices.consultation_opened(standard, closes_at, now=now)
    elif move.source == Stage.CONSULTATION and move.target == Stage.DISPOSITION:
        _close_period(standard, actor, now=now, reason=note)
    elif move.name == "revise":
        _open_revision_project(standard, actor, now=now)
    standard.stage = move.target.value
    event = record(
        standard,
        actor,
        "stage_changed",
        now=now,
        revision=revision,
        from_stage=move.source.value,
        to_stage=move.target.value,
        note=note,
    )
    db.session.flush()
    return event


def _close_period(standard: Standard, actor: Actor, *, now: datetime, reason: str) -> None:
    period = current_period(standard)
    if period is None or not period.is_open:
        return
    ended = local_today(now) > period.closes_at
    period.closed_at = now
    period.close_reason = "" if ended else reason
    period.closed_by = actor if isinstance(actor, User) else None
    words = (
        _("The comment period ended on %(date)s.", date=period.closes_at.isoformat())
        if ended
        else _(
            "Closed before its end (%(date)s): %(reason)s", date=period.closes_at.isoformat(), reason=reason
        )
    )
    record(standard, actor, "consultation_closed", now=now, revision=period.revision, note=words)


def _open_revision_project(standard: Standard, actor: Actor, *, now: datetime) -> Standard:
    """A new project in drafting that will replace `standard`, whose first revision is its published text."""
    source = standard.revision(standard.published_revision or standard.latest_number)
    if not isinstance(actor, User) or source is None:
        raise Refused("forbidden", _("Only the association's secretariat opens a revision project."))
    project = authoring.create_standard(
        standard.association,
        actor,
        title_zh=standard.title_zh,
        title_en=standard.title_en,
        committee=standard.committee,
        drafters=list(standard.drafters),
        text=source.text,
        now=now,
        kind="revision",
    )
    project.replaces_id = standard.id
    record(standard, actor, "revision_opened", now=now, note=project.title_zh)
    db.session.flush()
    return project


# -- publication ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """A final revision ready to insert: made before the lock from revision `base` and number `number`."""

    base: int
    number: str
    sequence: int
    draft: RevisionDraft


def _publish(
    standard: Standard,
    actor: Actor,
    move: Transition,
    *,
    now: datetime,
    note: str,
    dates: tuple[Any, Any],
) -> StandardEvent:
    publish_on, implement_on = _publication_dates(now, *dates)
    prepared: _Prepared | None = None
    for attempt in range(PREPARE_ATTEMPTS):
        guess = _prepare_publication(standard, publish_on, implement_on)
        _lock_for_publication(standard)
        if (standard.latest_number, *_number_of(standard, publish_on.year)) == (
            guess.base,
            guess.number,
            guess.sequence,
        ):
            prepared = guess
            break
        if attempt + 1 < PREPARE_ATTEMPTS:
            db.session.rollback()  # someone published or saved meanwhile: prepare again on what they left
    if prepared is None:
        prepared = _prepare_publication(standard, publish_on, implement_on)
    _move_under_lock(standard, move)
    _require_gate(standard, move, now)
    result = prepared.draft.result
    if result.errors:  # the final text itself (its new cover included) must be clean
        findings = [f for f in result.findings_in(reader_language()) if f["severity"] == "error"]
        inputs = rules.GateInputs(
            today=publish_on,
            lint_errors=result.errors,
            lint_messages=tuple(f"{f['line']}: {f['message']}" for f in findings),
        )
        rules.gate_lint_clean(inputs).require("gate", _("The standard cannot be published yet."))
    author = actor if isinstance(actor, User) else None
    revision = authoring.add_revision(standard, author, prepared.draft, prepared.number, now=now)
    standard.number = prepared.number
    standard.sequence = prepared.sequence
    standard.published_on = publish_on
    standard.implemented_on = implement_on
    standard.published_revision = revision.number
    if standard.replaces is not None:
        record(standard.replaces, actor, "replaced", now=now, note=prepared.number)
    standard.stage = move.target.value
    event = record(
        standard,
        actor,
        "stage_changed",
        now=now,
        revision=revision.number,
        from_stage=move.source.value,
        to_stage=move.target.value,
        note=note,
    )
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Refused(
            "conflict",
            _(
                "The number %(number)s was given to another standard at the same moment. Publish again.",
                number=prepared.number,
            ),
        ) from error
    registry_index.index_published(standard, revision.text)
    return event


def _publication_dates(now: datetime, publish: Any, implement: Any) -> tuple[date, date]:
    fields: dict[str, str] = {}
    publish_on = local_today(now) if publish in (None, "") else _as_date(publish)
    if publish_on is None:
        fields["publish_date"] = _("Give the publication date as a date (YYYY-MM-DD).")
    implement_on = publish_on if implement in (None, "") else _as_date(implement)
    if implement_on is None and implement not in (None, ""):
        fields["implement_date"] = _("Give the implementation date as a date (YYYY-MM-DD).")
    if publish_on is not None and implement_on is not None:
        order = rules.check_publication_dates(publish_on, implement_on)
        if not order:
            fields["implement_date"] = order.reasons[0]
    if fields:
        raise Refused(
            "invalid", _("Some of the details are missing or wrong."), list(fields.values()), fields=fields
        )
    assert publish_on is not None and implement_on is not None
    return publish_on, implement_on


def _lock_for_publication(standard: Standard) -> None:
    """The standard's write lock, then its association's: publications of one association queue
    there, so the next sequence number is read after the previous publication committed."""
    write_lock(standard)
    write_lock(standard.association)


def _number_of(standard: Standard, year: int) -> tuple[str, int]:
    """The number `standard` gets if published in `year`: a revision keeps the old sequence."""
    code = standard.association.code
    if not code:
        raise Refused("invalid", _("The association has no code yet; the platform administrator sets it."))
    old = standard.replaces
    if old is not None and old.sequence is not None:
        sequence = old.sequence
    else:
        used = db.session.scalar(
            select(func.max(Standard.sequence)).where(
                Standard.association_id == standard.association_id, Standard.number.is_not(None)
            )
        )
        sequence = rules.next_sequence([used] if used else [])
    return rules.publication_number(code, sequence, year), sequence


def _prepare_publication(standard: Standard, publish_on: date, implement_on: date) -> _Prepared:
    """The final revision for the number `standard` would get now: cover edited, parsed, analysed."""
    latest = standard.latest_revision()
    if latest is None:
        raise Refused("gate", _("The standard has no revision to publish."))
    number, sequence = _number_of(standard, publish_on.year)
    cover: dict[str, str | None] = {
        "number": number,
        "publish_date": publish_on.isoformat(),
        "implement_date": implement_on.isoformat(),
        "draft": None,
    }
    if standard.replaces is not None and standard.replaces.number:
        cover["replaces"] = standard.replaces.number
    text, parsed = analysis.prepare(with_cover(latest.text, cover))
    draft = draft_revision(text, "published", latest, analysis.cached(text, parsed))
    return _Prepared(base=latest.number, number=number, sequence=sequence, draft=draft)


def published_text(standard: Standard) -> Revision | None:
    """The revision that was published (the registry's full text), or None before publication."""
    return standard.revision(standard.published_revision) if standard.published_revision else None
