"""The ballot's verbs: open, cast, close (early, or at its time), following docs/contributing.md.

Casting and closing both take `write_lock(ballot)` (SQLite `BEGIN IMMEDIATE`, PostgreSQL
`SELECT … FOR UPDATE` on the ballot row) before they look at the clock and the ballot's state, so a
cast and the close run one after the other: a cast acknowledged before the close is counted as the
voter's latest, and one that comes after it is refused inside the transaction that saw the ballot
closed. One current vote per voter is the unique (ballot, user) row of `BallotVoter`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from accounts import audit
from accounts.database import write_lock
from accounts.dates import show_datetime
from accounts.models import Membership, Organisation, User
from accounts.permissions import OPERATOR, Actor
from accounts.refusals import Refused
from authoring.events import record
from authoring.models import Stage, Standard
from extensions import db
from workflow import notices
from workflow.ballots.models import Ballot, BallotKind, BallotVoter, Choice, VoteCast
from workflow.ballots.permissions import can_run_ballots
from workflow.ballots.rules import DEFAULT_PRESET, PRESETS, RuleError, VoteRule, rule_from_json
from workflow.ballots.tally import Counts, Tally, tally

#: the stages in which a ballot of each kind may be opened
KIND_STAGES = {
    BallotKind.PROJECT: (Stage.PROPOSAL.value,),
    BallotKind.REVIEW: (Stage.REVIEW.value,),
    BallotKind.APPROVAL: (Stage.APPROVAL.value,),
    BallotKind.WITHDRAWAL: (Stage.PUBLISHED.value, Stage.PERIODIC_REVIEW.value),
}
#: the longest reasons a vote keeps
MAX_REASONS = 5000


audit.describe_actions({"vote_cast": _l("Vote cast"), "vote_changed": _l("Vote changed")})


def association_rule(association: Organisation) -> VoteRule:
    """The association's default rule (its page picks it), cn-tc until it does."""
    name = association.ballot_rule or DEFAULT_PRESET
    return PRESETS.get(name, PRESETS[DEFAULT_PRESET])


#: the rule's fields as forms name them
RULE_FIELD_LABELS = {
    "rule": _l("Vote rule"),
    "quorum": _l("Quorum"),
    "approval": _l("Approval fraction"),
    "max_against": _l("Largest share against"),
    "approval_basis": _l("Approval counted of"),
    "against_basis": _l("Share against counted of"),
    "approval_strict": _l("More than the approval fraction"),
    "abstentions_count": _l("Abstentions are votes cast"),
    "negative_needs_reasons": _l("A negative vote needs reasons"),
    "exclude_drafters": _l("Drafters do not vote"),
}


def rule_error_message(error: RuleError) -> str:
    """A `RuleError` in the reader's language, naming the field."""
    field = str(RULE_FIELD_LABELS.get(error.field, error.field))
    if error.problem == "preset":
        return _("Choose one of the vote rules listed, or a custom rule.")
    if error.problem == "fraction":
        return _("%(field)s: give a fraction between 0 and 1, such as 2/3 or 0.75.", field=field)
    if error.problem == "basis":
        return _("%(field)s: choose one of the bases listed.", field=field)
    if error.problem == "threshold":
        return _("A rule needs an approval fraction or a largest share against, or both.")
    if error.problem == "flag":
        return _("%(field)s: true or false.", field=field)
    return _("Give the vote rule as a preset's name or as its parameters.")


def parse_close_time(value: Any) -> datetime | None:
    """A close time from a form or the API: ISO 8601 with a zone, or local (the configured zone)
    "YYYY-MM-DDTHH:MM"; a bare date closes at the end of that local day. None when unreadable."""
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    zone_name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    zone = ZoneInfo(zone_name or "Asia/Shanghai")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1), time(), zone)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def open_ballot(
    standard: Standard,
    actor: Actor,
    *,
    kind: str,
    closes_at: Any,
    now: datetime,
    rule: Any = None,
    electorate: Sequence[str] | None = None,
    revision: int | None = None,
) -> Ballot:
    """Open a ballot of `kind` on a revision (the latest by default) under `rule` (a preset's name,
    an API rule object, or the association's default) until `closes_at`, with the electorate fixed
    now: the named members (e-mails) or the association's voting members, drafters left out when
    the rule says so."""
    write_lock(standard)
    can_run_ballots(actor, standard).require()
    fields: dict[str, str] = {}
    try:
        ballot_kind = BallotKind(kind)
    except ValueError:
        ballot_kind = None
        fields["kind"] = _("Choose the kind of ballot.")
    try:
        vote_rule = association_rule(standard.association) if rule in (None, "") else rule_from_json(rule)
    except RuleError as error:
        vote_rule = None
        fields[error.field] = rule_error_message(error)
    closing = parse_close_time(closes_at)
    if closing is None:
        fields["closes_at"] = _("Give the close time as a date and time (YYYY-MM-DD HH:MM).")
    elif closing <= now:
        fields["closes_at"] = _("The close time must be in the future.")
    number = standard.latest_number if revision in (None, "") else revision
    if not isinstance(number, int) or not 1 <= number <= standard.latest_number:
        fields["revision"] = _("There is no such revision of this standard.")
    if fields:
        raise Refused("invalid", _("The ballot cannot be opened as asked."), fields.values(), fields=fields)
    assert (
        ballot_kind is not None and vote_rule is not None and closing is not None and isinstance(number, int)
    )
    if standard.stage not in KIND_STAGES[ballot_kind]:
        raise Refused(
            "gate",
            _(
                "A %(kind)s is not held in the stage “%(stage)s”.",
                kind=ballot_kind.label,
                stage=standard.stage_enum.label,
            ),
        )
    if open_ballot_of(standard, ballot_kind) is not None:
        raise Refused("conflict", _("This standard already has an open %(kind)s.", kind=ballot_kind.label))
    members = _electorate(standard, vote_rule, electorate)
    ballot = Ballot(
        standard=standard,
        revision=number,
        kind=ballot_kind.value,
        rule_json=vote_rule.to_json(),
        opened_by=actor if isinstance(actor, User) else None,
        opens_at=now,
        closes_at=closing,
        close_reason="",
        electorate_size=len(members),
        electorate_weight=sum(m.weight for m in members),
        cast_count=0,
    )
    db.session.add(ballot)
    for membership in members:
        db.session.add(
            BallotVoter(
                ballot=ballot,
                user_id=membership.user_id,
                weight=membership.weight,
                organisation=membership.unit or "",
                reasons="",
                casts=0,
            )
        )
    record(
        standard,
        actor,
        "ballot_opened",
        now=now,
        revision=number,
        note=f"{ballot_kind.label} · {vote_rule.preset} · {show_datetime(closing)}",
    )
    db.session.flush()
    notices.ballot_opened(ballot, [m.user for m in members], now=now)
    return ballot


def _electorate(standard: Standard, rule: VoteRule, emails: Sequence[str] | None) -> list[Membership]:
    """The voting memberships the ballot is fixed to; `Refused("invalid")` for a name that is not a
    member, or for an empty electorate."""
    association = standard.association
    if emails:
        wanted = {e.strip().lower() for e in emails if e and e.strip()}
        found = [m for m in association.memberships if m.user.email.lower() in wanted]
        missing = wanted - {m.user.email.lower() for m in found}
        if missing:
            message = _("Not members of the association: %(emails)s", emails=", ".join(sorted(missing)))
            raise Refused("invalid", message, fields={"electorate": message})
    else:
        found = [m for m in association.memberships if m.voting]
    if rule.exclude_drafters:
        drafting = {m.user_id for m in standard.drafters}
        found = [m for m in found if m.user_id not in drafting]
    found = [m for m in found if m.user.is_active]
    if not found:
        message = _("Nobody could vote: the association has no voting members for this ballot.")
        raise Refused("invalid", message, fields={"electorate": message})
    return found


def open_ballot_of(standard: Standard, kind: BallotKind | None = None) -> Ballot | None:
    query = select(Ballot).where(Ballot.standard_id == standard.id, Ballot.closed_at.is_(None))
    if kind is not None:
        query = query.where(Ballot.kind == kind.value)
    return db.session.scalar(query.order_by(Ballot.id.desc()).limit(1))


def closed_message(ballot: Ballot) -> str:
    moment = ballot.closed_at or ballot.closes_at
    return _("This ballot closed at %(time)s; votes are no longer taken.", time=show_datetime(moment))


# The cast's three writes as statements built once, run on the connection: every voter casting at
# once queues on the ballot's lock, and the unit of work's flush of these rows cost as much as the
# rest of the locked part together.
_KEEP_CAST = insert(VoteCast.__table__)
_MAKE_CURRENT = (
    update(BallotVoter.__table__)
    .where(BallotVoter.__table__.c.id == bindparam("voter"))
    .values(casts=BallotVoter.__table__.c.casts + 1)  # in SQL: the row was read before the lock
    .returning(BallotVoter.__table__.c.casts)
)
_COUNT_CAST = update(Ballot.__table__).where(Ballot.__table__.c.id == bindparam("ballot"))


def cast_vote(ballot: Ballot, actor: Actor, choice: Any, reasons: Any = "", *, now: datetime) -> BallotVoter:
    """Record `actor`'s vote (a new cast, which becomes their current vote) and return their voter
    row with its receipt. Refused "closed" once the ballot has closed or its time has come (decided
    under the lock), "forbidden" outside the electorate, "invalid" for a choice that is not one or a
    negative without the reasons the rule asks for.

    Everything but the close is decided before the lock, because the electorate and the rule are
    fixed when the ballot opens: every voter casting at once queues on the one ballot, so what runs
    under the lock (the close check, the cast kept, the counters) is all that limits casts a second.
    """
    if not ballot.is_open or now >= ballot.closes_at:
        raise Refused("closed", closed_message(ballot))
    text = reasons.strip() if isinstance(reasons, str) else ""
    voter = db.session.scalar(
        select(BallotVoter).where(
            BallotVoter.ballot_id == ballot.id, BallotVoter.user_id == getattr(actor, "id", None)
        )
    )
    if voter is None or not isinstance(actor, User) or not actor.is_active:
        raise Refused("forbidden", _("You are not in this ballot's electorate."))
    chosen = _valid_choice(ballot, choice, text)
    association_id = ballot.standard.association_id  # read before the lock: it re-reads the ballot
    write_lock(ballot)
    if not ballot.is_open or now >= ballot.closes_at:
        raise Refused("closed", closed_message(ballot))
    receipt = secrets.token_hex(8)
    current = {"choice": chosen.value, "reasons": text, "cast_at": now, "receipt": receipt}
    connection = db.session.connection()
    connection.execute(_KEEP_CAST, {"ballot_id": ballot.id, "voter_id": voter.id, **current})
    casts = connection.execute(_MAKE_CURRENT, {"voter": voter.id, **current}).scalar_one()
    connection.execute(_COUNT_CAST, {"ballot": ballot.id, "cast_count": ballot.cast_count + 1})
    for name, value in {**current, "casts": casts}.items():
        set_committed_value(voter, name, value)
    set_committed_value(ballot, "cast_count", ballot.cast_count + 1)
    audit.record(
        "vote_cast" if casts == 1 else "vote_changed",
        actor,
        subject=ballot,
        organisation=association_id,
        details={
            "standard_id": ballot.standard_id,
            "choice": chosen.value,
            "cast": casts,
            "receipt": receipt,
        },
        now=now,
    )
    return voter


def _valid_choice(ballot: Ballot, choice: Any, text: str) -> Choice:
    """The choice cast, or "invalid" with the field at fault (the rule's reasons requirement too)."""
    try:
        chosen = Choice(choice)
    except ValueError:
        message = _("Choose approve, approve with comments, disapprove or abstain.")
        raise Refused("invalid", message, fields={"choice": message}) from None
    if len(text) > MAX_REASONS:
        message = _("Reasons are limited to %(n)s characters.", n=MAX_REASONS)
        raise Refused("invalid", message, fields={"reasons": message})
    if chosen == Choice.DISAPPROVE and not text and ballot.rule.negative_needs_reasons:
        message = _("This ballot counts a negative vote only with its reasons: give them.")
        raise Refused("invalid", message, fields={"reasons": message})
    return chosen


def counts_of(voters: Iterable[tuple[str | None, str, int]]) -> Counts:
    """Weighted counts from (choice, reasons, weight) of the current votes."""
    totals = {"for": 0, "against": 0, "unreasoned": 0, "abstain": 0}
    for choice, reasons, weight in voters:
        if choice in (Choice.APPROVE.value, Choice.APPROVE_WITH_COMMENTS.value):
            totals["for"] += weight
        elif choice == Choice.DISAPPROVE.value:
            totals["against" if reasons.strip() else "unreasoned"] += weight
        elif choice == Choice.ABSTAIN.value:
            totals["abstain"] += weight
    return Counts(totals["for"], totals["against"], totals["unreasoned"], totals["abstain"])


def current_tally(ballot: Ballot, session: Session | None = None) -> Tally:
    """The tally of the current votes (the result once closed; a running count before), read through
    `session` (a backup's snapshot, a restored database) or the request's own."""
    rows = (
        (session or db.session)
        .execute(
            select(BallotVoter.choice, BallotVoter.reasons, BallotVoter.weight).where(
                BallotVoter.ballot_id == ballot.id
            )
        )
        .all()
    )
    return tally(ballot.rule, ballot.electorate_weight, counts_of(rows))


def close_ballot(ballot: Ballot, actor: Actor, *, now: datetime, reason: str = "") -> Ballot:
    """Close early with the secretariat's reason (or at its time when it is due, reason optional):
    count the current votes with `tally` and store the result, never to change."""
    write_lock(ballot)
    can_run_ballots(actor, ballot.standard).require()
    if not ballot.is_open:
        raise Refused("closed", closed_message(ballot))
    words = (reason or "").strip()
    if now < ballot.closes_at and not words:
        message = _("Say why the ballot closes before its time.")
        raise Refused("invalid", message, fields={"reason": message})
    _close(
        ballot, actor, at=min(now, ballot.closes_at), reason=words[:2000] if now < ballot.closes_at else ""
    )
    return ballot


def settle(ballot: Ballot, now: datetime) -> bool:
    """Close `ballot` at its time if that has come (the first request after it does this); True when
    it closed now. The caller commits."""
    if not ballot.due(now):
        return False
    write_lock(ballot)
    if not ballot.due(now):  # another request closed it meanwhile
        return False
    _close(ballot, OPERATOR, at=ballot.closes_at, reason="")
    return True


def close_due(now: datetime) -> list[Ballot]:
    """Every open ballot whose time has come, closed (for `flask workflow close-due`)."""
    due = db.session.scalars(
        select(Ballot).where(Ballot.closed_at.is_(None), Ballot.closes_at <= now).order_by(Ballot.id)
    ).all()
    return [ballot for ballot in due if settle(ballot, now)]


def _close(ballot: Ballot, actor: Actor, *, at: datetime, reason: str) -> None:
    """Store the result. Under the lock no cast can come in; the close is dated no earlier than the
    newest counted cast (whose clock may have been read a moment after the closer's)."""
    result = current_tally(ballot)
    newest = db.session.scalar(select(func.max(VoteCast.cast_at)).where(VoteCast.ballot_id == ballot.id))
    if newest is not None and newest > at:
        at = newest
    ballot.closed_at = at
    ballot.close_reason = reason
    ballot.closed_by = actor if isinstance(actor, User) else None
    ballot.result = {"zh": result.to_json("zh"), "en": result.to_json("en")}
    ballot.passed = result.passed
    verdict = "通过 / passed" if result.passed else "未通过 / failed"
    note = f"{ballot.kind_enum.label}: {verdict}" + (f" · {reason}" if reason else "")
    record(ballot.standard, actor, "ballot_closed", now=at, revision=ballot.revision, note=note)
    db.session.flush()
    notices.ballot_result(ballot, now=at)
