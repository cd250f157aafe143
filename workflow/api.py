"""The API's stages and registry (docs/api.md): the next stages with their gates, moving a standard,
closing a consultation early, and the public registry; a second door to `workflow.operations`,
`workflow.transitions` and `workflow.registry_search`.

`standard_fields` (wsgi.API_STANDARD_FIELDS) gives every API Standard its ISO stage code from the
stage table, so the code is written once, in `workflow.stages`.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.api import (
    PAGE_PARAMETERS,
    ApiOperation,
    JsonBody,
    api_blueprint,
    api_route,
    api_user,
    page_arguments,
    ref,
    schema,
)
from accounts.database import utcnow
from accounts.models import Organisation
from accounts.refusals import Refused
from authoring.api import load_api_standard, standard_json
from authoring.events import StandardEvent
from authoring.models import RenderCache, Stage, Standard
from extensions import db
from workflow import operations
from workflow.permissions import can_move_stages
from workflow.registry_search import RegistryQuery, Status, registry_standard, search_registry
from workflow.stages import STAGES, cancelled_code
from workflow.transitions import next_transitions

bp = api_blueprint("workflow_api", __name__)


def standard_fields(standard: Standard) -> dict[str, Any]:
    """The Standard's ISO harmonized stage code from the stage table (a cancelled project: x.98 of the
    stage it left, read from its events)."""
    stage = standard.stage_enum
    if stage != Stage.CANCELLED:
        return {"stage_code": STAGES[stage].iso_code}
    left = db.session.scalar(
        select(StandardEvent.from_stage)
        .where(StandardEvent.standard_id == standard.id, StandardEvent.to_stage == Stage.CANCELLED.value)
        .order_by(StandardEvent.id.desc())
        .limit(1)
    )
    return {"stage_code": cancelled_code(left)}


schema(
    "Transition",
    {
        "type": "object",
        "required": ["to", "allowed", "reasons"],
        "properties": {
            "to": {"type": "string", "enum": [s.value for s in Stage]},
            "name": {"type": "string", "description": "the move's name; `to` may name it (revise, cancel)"},
            "allowed": {"type": "boolean", "description": "for this token's user, now"},
            "reasons": {"type": "array", "items": {"type": "string"}},
            "parameters": {"type": "array", "items": {"type": "string"}},
            "required": {"type": "array", "items": {"type": "string"}},
        },
    },
)
schema(
    "Move",
    {
        "type": "object",
        "required": ["to"],
        "properties": {
            "to": {
                "type": "string",
                "description": "a stage, or a move's name (revise, cancel, confirm: back to where it was)",
            },
            "note": {"type": "string"},
            "closes_at": {"type": "string", "format": "date", "description": "consultation: its last day"},
            "audience": {"type": "string", "enum": ["members", "public"]},
            "publish_date": {"type": "string", "format": "date"},
            "implement_date": {"type": "string", "format": "date"},
        },
    },
)
schema(
    "CloseReason",
    {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}},
)
schema(
    "RegistryStandard",
    {
        "allOf": [
            ref("Standard"),
            {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": [s.value for s in Status]},
                    "replaced_by": {"type": ["string", "null"]},
                },
            },
        ]
    },
)
schema(
    "RegistryStandardWithText",
    {
        "allOf": [
            ref("RegistryStandard"),
            {"type": "object", "properties": {"html": {"type": ["string", "null"]}}},
        ]
    },
)


def transition_json(move: Any) -> dict[str, Any]:
    return {
        "to": move.transition.target.value,
        "name": move.transition.name,
        "allowed": move.allowed,
        "reasons": list(move.reasons),
        "parameters": list(move.transition.parameters),
        "required": list(move.transition.required),
    }


@api_route(
    bp,
    "/standards/<int:standard_id>/transitions",
    "GET",
    ApiOperation(
        "Every next stage, with its gate open or closed and why",
        description="readers; `allowed` is for this token's user (only the secretariat moves stages)",
        responses={
            200: (
                "the Transitions",
                {"type": "object", "properties": {"items": {"type": "array", "items": ref("Transition")}}},
            )
        },
        errors=(404,),
    ),
)
def transitions(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    moves = next_transitions(standard, api_user(), utcnow())
    return jsonify({"items": [transition_json(move) for move in moves]})


@api_route(
    bp,
    "/standards/<int:standard_id>/transitions",
    "POST",
    ApiOperation(
        "Move the standard to its next stage (the secretariat)",
        description=(
            "409 `gate` with `reasons` when the gate is closed; consultation takes `closes_at` and "
            "`audience`; publication `publish_date` and `implement_date`; 422 `invalid` with `fields` "
            "for a bad date or audience."
        ),
        body="Move",
        responses={200: ("the Standard in its new stage", "Standard")},
        errors=(403, 404, 409, 422),
    ),
)
def move(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    actor = api_user()
    can_move_stages(actor, standard).require("forbidden")
    body = JsonBody.read()
    to = body.string("to", required=True, max_length=40)
    values = {
        name: body.string(name, max_length=2000 if name == "note" else 40)
        for name in ("note", "closes_at", "audience", "publish_date", "implement_date")
    }
    body.done()
    assert to is not None
    operations.transition(
        standard,
        actor,
        to,
        now=utcnow(),
        note=values["note"] or "",
        closes_at=values["closes_at"],
        audience=values["audience"],
        publish_date=values["publish_date"],
        implement_date=values["implement_date"],
    )
    db.session.commit()
    return jsonify(standard_json(standard))


@api_route(
    bp,
    "/standards/<int:standard_id>/comment-period/close",
    "POST",
    ApiOperation(
        "Close the open comment period early, with a reason (the secretariat)",
        description="The standard moves to disposition; before the period's last day a reason is required.",
        body="CloseReason",
        responses={200: ("the Standard, now in disposition", "Standard")},
        errors=(403, 404, 409, 422),
    ),
)
def close_comment_period(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    actor = api_user()
    can_move_stages(actor, standard).require("forbidden")
    body = JsonBody.read()
    reason = body.string("reason", max_length=2000)
    body.done()
    operations.close_comment_period(standard, actor, reason or "", now=utcnow())
    db.session.commit()
    return jsonify(standard_json(standard))


# -- the registry --------------------------------------------------------------------------------------

REGISTRY_QUERY = (
    ("q", {"type": "string"}, "number, titles and full text; Chinese substrings too"),
    ("association", {"type": "string"}, "an association's code (or id)"),
    ("status", {"type": "string", "enum": [s.value for s in Status]}, "current, replaced or withdrawn"),
    ("adopted", {"type": "boolean"}, "only standards a government agency adopted"),
    *PAGE_PARAMETERS,
)


def _registry_query() -> tuple[RegistryQuery, int]:
    from flask import request

    page, per_page = page_arguments()
    fields: dict[str, str] = {}
    association_id = None
    association = request.args.get("association", "").strip()
    if association:
        org = db.session.scalar(
            select(Organisation).where(
                (Organisation.code == association.upper())
                | (Organisation.id == (int(association) if association.isdigit() else -1))
            )
        )
        association_id = org.id if org is not None else -1
    status = request.args.get("status", "").strip()
    if status and status not in Status._value2member_map_:
        fields["status"] = _("Choose current, replaced or withdrawn.")
    adopted = request.args.get("adopted", "").strip().lower()
    if adopted and adopted not in {"true", "false", "1", "0", "yes", "no"}:
        fields["adopted"] = _("Give true or false.")
    if fields:
        raise Refused("malformed", _("Some parameters of the request are wrong."), fields=fields)
    query = RegistryQuery(
        text=request.args.get("q", ""),
        association_id=association_id,
        status=Status(status) if status else None,
        adopted=adopted in {"true", "1", "yes"},
        page=page,
    )
    return query, per_page


def _listed_json(standard: Standard, status: Status, replaced_by: str | None) -> dict[str, Any]:
    return {**standard_json(standard), "status": status.value, "replaced_by": replaced_by}


@api_route(
    bp,
    "/registry",
    "GET",
    ApiOperation(
        "Published and adopted standards, searched and filtered",
        auth="public",
        query=REGISTRY_QUERY,
        responses={
            200: (
                "a page of RegistryStandards",
                {
                    "type": "object",
                    "required": ["items", "page", "per_page", "total"],
                    "properties": {
                        "items": {"type": "array", "items": ref("RegistryStandard")},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "total": {"type": "integer"},
                    },
                },
            )
        },
        errors=(400,),
    ),
)
def registry() -> ResponseReturnValue:
    query, per_page = _registry_query()
    result = search_registry(query, per_page=per_page)
    return jsonify(
        {
            "items": [_listed_json(hit.standard, hit.status, hit.replaced_by) for hit in result.hits],
            "page": result.page,
            "per_page": per_page,
            "total": result.total,
        }
    )


@api_route(
    bp,
    "/registry/<path:number>",
    "GET",
    ApiOperation(
        "One published standard by its number (URL-encoded), with the HTML of its text",
        auth="public",
        responses={200: ("the RegistryStandard with `html`", "RegistryStandardWithText")},
        errors=(404,),
    ),
)
def registry_entry(number: str) -> ResponseReturnValue:
    listed = registry_standard(number)
    if listed is None:
        raise Refused("not_found", _("The registry has no standard numbered %(number)s.", number=number))
    standard = listed.standard
    revision = standard.revision(standard.published_revision or standard.latest_number)
    row = db.session.get(RenderCache, revision.content_hash) if revision is not None else None
    answer = _listed_json(standard, listed.status, listed.replaced_by)
    answer["html"] = row.html if row is not None else None
    return jsonify(answer)
