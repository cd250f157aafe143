"""The API's ballots (docs/api.md): open, read, vote, close early, and the ballot record after the
close; a second door to `workflow.ballots.operations`, answering the Ballot, Vote and Tally objects."""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.api import (
    ApiOperation,
    JsonBody,
    api_blueprint,
    api_route,
    api_user,
    iso_time,
    nullable,
    ref,
    schema,
    user_json,
)
from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.api import load_api_standard
from extensions import db
from workflow.ballots import operations
from workflow.ballots.models import Ballot, BallotVoter, VoteCast
from workflow.ballots.permissions import can_run_ballots, can_see_ballot, can_see_record, voter_of
from workflow.ballots.rules import PRESETS
from workflow.transitions import reader_language

bp = api_blueprint("ballots_api", __name__)

FRACTION = {"type": ["string", "null"], "description": 'a fraction such as "2/3"; null: not checked'}
BASIS = {"type": "string", "enum": ["for_against", "cast", "electorate"]}
schema(
    "VoteRule",
    {
        "type": "object",
        "properties": {
            "preset": {"type": "string", "enum": [*PRESETS, "custom"]},
            "quorum": FRACTION,
            "approval": FRACTION,
            "approval_basis": BASIS,
            "approval_strict": {"type": "boolean"},
            "max_against": FRACTION,
            "against_basis": BASIS,
            "abstentions_count": {"type": "boolean"},
            "negative_needs_reasons": {"type": "boolean"},
            "exclude_drafters": {"type": "boolean"},
        },
    },
)
schema(
    "Vote",
    {
        "type": "object",
        "required": ["receipt", "choice", "reasons", "cast_at"],
        "properties": {
            "receipt": {"type": "string"},
            "choice": {
                "type": "string",
                "enum": ["approve", "approve_with_comments", "disapprove", "abstain"],
            },
            "reasons": {"type": "string"},
            "cast_at": {"type": "string", "format": "date-time"},
        },
    },
)
schema(
    "Tally",
    {
        "type": "object",
        "required": ["passed", "rule", "counts", "checks", "reasons"],
        "properties": {
            "passed": {"type": "boolean"},
            "rule": {"type": "string"},
            "counts": {"type": "object"},
            "checks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "enum": ["quorum", "approval", "against"]},
                        "numerator": {"type": "integer"},
                        "denominator": {"type": "integer"},
                        "threshold": {"type": "string"},
                        "met": {"type": "boolean"},
                    },
                },
            },
            "reasons": {"type": "array", "items": {"type": "string"}},
        },
    },
)
schema(
    "Ballot",
    {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "standard_id": {"type": "integer"},
            "revision": {"type": "integer"},
            "kind": {"type": "string", "enum": ["project", "review", "approval", "withdrawal"]},
            "rule": ref("VoteRule"),
            "status": {"type": "string", "enum": ["open", "closed"]},
            "opens_at": {"type": "string", "format": "date-time"},
            "closes_at": {"type": "string", "format": "date-time"},
            "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "close_reason": {"type": "string"},
            "electorate_size": {"type": "integer"},
            "votes_cast": {"type": "integer"},
            "my_vote": nullable("Vote"),
            "result": nullable("Tally"),
        },
    },
)
schema(
    "NewBallot",
    {
        "type": "object",
        "required": ["kind", "closes_at"],
        "properties": {
            "revision": {"type": "integer"},
            "kind": {"type": "string", "enum": ["project", "review", "approval", "withdrawal"]},
            "rule": {
                "description": "a preset's name or a VoteRule object",
                "oneOf": [{"type": "string"}, ref("VoteRule")],
            },
            "closes_at": {"type": "string", "format": "date-time"},
            "electorate": {"type": "array", "items": {"type": "string", "format": "email"}},
        },
    },
)
schema(
    "NewVote",
    {
        "type": "object",
        "required": ["choice"],
        "properties": {
            "choice": {
                "type": "string",
                "enum": ["approve", "approve_with_comments", "disapprove", "abstain"],
            },
            "reasons": {"type": "string"},
        },
    },
)
schema(
    "BallotRecord",
    {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object"}}}},
)


def vote_json(voter: BallotVoter | None) -> dict[str, Any] | None:
    if voter is None or voter.choice is None:
        return None
    return {
        "receipt": voter.receipt,
        "choice": voter.choice,
        "reasons": voter.reasons,
        "cast_at": iso_time(voter.cast_at),
    }


def ballot_json(ballot: Ballot, actor: Any) -> dict[str, Any]:
    voted = db.session.scalar(
        select(func.count(BallotVoter.id)).where(
            BallotVoter.ballot_id == ballot.id, BallotVoter.choice.is_not(None)
        )
    )
    return {
        "id": ballot.id,
        "standard_id": ballot.standard_id,
        "revision": ballot.revision,
        "kind": ballot.kind,
        "rule": ballot.rule_json,
        "status": "open" if ballot.is_open else "closed",
        "opens_at": iso_time(ballot.opens_at),
        "closes_at": iso_time(ballot.closes_at),
        "closed_at": iso_time(ballot.closed_at),
        "close_reason": ballot.close_reason,
        "electorate_size": ballot.electorate_size,
        "votes_cast": voted,
        "my_vote": vote_json(voter_of(ballot, actor)),
        "result": ballot.result_in(reader_language()),
    }


def load_api_ballot(ballot_id: int) -> Ballot:
    """The ballot if the token's user may see it (404 otherwise), closed first if its time has come."""
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or not can_see_ballot(api_user(), ballot):
        raise Refused("not_found", _("There is no such ballot, or it is not yours to see."))
    if operations.settle(ballot, utcnow()):
        db.session.commit()
    return ballot


@api_route(
    bp,
    "/standards/<int:standard_id>/ballots",
    "POST",
    ApiOperation(
        "Open a ballot on a revision (the secretariat)",
        description="The electorate defaults to the association's voting members and is fixed now; `rule` "
        "defaults to the association's rule. 422 `invalid` with `fields` for a bad kind, rule or close time.",
        body="NewBallot",
        responses={201: ("the Ballot", "Ballot")},
        errors=(403, 404, 409, 422),
    ),
)
def open_ballot(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    actor = api_user()
    can_run_ballots(actor, standard).require("forbidden")
    body = JsonBody.read()
    kind = body.string("kind", required=True, max_length=20)
    closes_at = body.string("closes_at", required=True, max_length=40)
    revision = body.integer("revision", minimum=1)
    electorate = body.strings("electorate")
    rule = body.data.get("rule")
    body.done()
    ballot = operations.open_ballot(
        standard,
        actor,
        kind=kind or "",
        rule=rule,
        closes_at=closes_at,
        electorate=electorate,
        revision=revision,
        now=utcnow(),
    )
    db.session.commit()
    return jsonify(ballot_json(ballot, actor)), 201


@api_route(
    bp,
    "/ballots/<int:ballot_id>",
    "GET",
    ApiOperation(
        "A ballot, with your vote and, once closed, its result",
        responses={200: ("the Ballot", "Ballot")},
        errors=(404,),
    ),
)
def ballot(ballot_id: int) -> ResponseReturnValue:
    return jsonify(ballot_json(load_api_ballot(ballot_id), api_user()))


@api_route(
    bp,
    "/ballots/<int:ballot_id>/votes",
    "POST",
    ApiOperation(
        "Cast or change your vote (the electorate)",
        description="409 `closed` with the close time after the close; 403 outside the electorate; 422 "
        "`invalid` for a negative without the reasons the rule asks for.",
        body="NewVote",
        responses={201: ("your Vote (a receipt)", "Vote")},
        errors=(403, 404, 409, 422),
    ),
)
def cast(ballot_id: int) -> ResponseReturnValue:
    actor = api_user()
    body = JsonBody.read()
    choice = body.string("choice", required=True, max_length=40)
    reasons = body.string("reasons", max_length=operations.MAX_REASONS)
    body.done()
    found = db.session.get(Ballot, ballot_id)
    if found is None:
        raise Refused("not_found", _("There is no such ballot, or it is not yours to see."))
    if found.due(utcnow()) and operations.settle(found, utcnow()):
        db.session.commit()
    try:
        # the hot path: the verb finds the voter under the lock, so a voter costs no visibility check
        voter = operations.cast_vote(found, actor, choice, reasons or "", now=utcnow())
    except Refused as refused:
        if refused.kind in ("forbidden", "closed") and not can_see_ballot(actor, found):
            db.session.rollback()
            raise Refused("not_found", _("There is no such ballot, or it is not yours to see.")) from None
        raise
    answer = vote_json(voter)
    db.session.commit()
    return jsonify(answer), 201


@api_route(
    bp,
    "/ballots/<int:ballot_id>/close",
    "POST",
    ApiOperation(
        "Close the ballot early with a reason (the secretariat)",
        body="CloseReason",
        responses={200: ("the Ballot with its result", "Ballot")},
        errors=(403, 404, 409, 422),
    ),
)
def close(ballot_id: int) -> ResponseReturnValue:
    found = load_api_ballot(ballot_id)
    actor = api_user()
    can_run_ballots(actor, found.standard).require("forbidden")
    body = JsonBody.read()
    reason = body.string("reason", max_length=2000)
    body.done()
    operations.close_ballot(found, actor, now=utcnow(), reason=reason or "")
    db.session.commit()
    return jsonify(ballot_json(found, actor))


@api_route(
    bp,
    "/ballots/<int:ballot_id>/record",
    "GET",
    ApiOperation(
        "Every voter's counted vote, after the close",
        description="Before the close a 409 `gate`: the record is shown once the ballot has closed.",
        responses={200: ("the ballot record", "BallotRecord")},
        errors=(404, 409),
    ),
)
def record(ballot_id: int) -> ResponseReturnValue:
    found = load_api_ballot(ballot_id)
    can_see_record(api_user(), found).require("gate")
    voters = db.session.scalars(
        select(BallotVoter).where(BallotVoter.ballot_id == found.id).order_by(BallotVoter.id)
    ).all()
    casts = dict(
        db.session.execute(
            select(VoteCast.voter_id, func.count(VoteCast.id))
            .where(VoteCast.ballot_id == found.id)
            .group_by(VoteCast.voter_id)
        ).all()
    )
    items = [
        {
            "voter": user_json(v.user, context=found.standard.association),
            "organisation": v.organisation,
            "weight": v.weight,
            "choice": v.choice,
            "reasons": v.reasons,
            "cast_at": iso_time(v.cast_at),
            "casts": casts.get(v.id, 0),
        }
        for v in voters
    ]
    return jsonify({"items": items})
