"""The API's standards, revisions and history (docs/api.md): a second door to authoring's verbs.

Each route loads and authorises like the page it mirrors (`load_standard`: 404 for what the token's
user may not see), calls the same operation (`create_standard`, `save_revision`: the editor's save
and three-way merge) and commits once.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from accounts.api import (
    PAGE_PARAMETERS,
    ApiOperation,
    JsonBody,
    api_blueprint,
    api_route,
    api_user,
    iso_date,
    iso_time,
    nullable,
    organisation_json,
    page_of,
    paginate,
    schema,
    user_json,
)
from accounts.database import utcnow
from accounts.hooks import hooks
from accounts.models import Membership, Organisation, OrgKind, Role, User
from accounts.permissions import is_administrator, role_in
from accounts.refusals import Refused
from authoring import operations
from authoring.events import StandardEvent
from authoring.models import Revision, Stage, Standard
from authoring.permissions import can_list_standards, load_standard
from extensions import db

bp = api_blueprint("authoring_api", __name__)

#: a save's body may hold the largest text, JSON-escaped (as the editor's save)
MAX_BODY_BYTES = operations.MAX_TEXT_BYTES * 2 + 10_000


def _sees_emails(user: User | None, standard: Standard) -> bool:
    """E-mail addresses go only to the association's secretariat (and the platform administrator)."""
    return is_administrator(user) or role_in(user, standard.association) == Role.SECRETARIAT


def standard_json(standard: Standard) -> dict[str, Any]:
    """The API's Standard object; packages add members through `API_STANDARD_FIELDS`."""
    answer: dict[str, Any] = {
        "id": standard.id,
        "association": organisation_json(standard.association),
        "title_zh": standard.title_zh,
        "title_en": standard.title_en,
        "committee": standard.committee,
        "stage": standard.stage,
        # the workflow package's stage table fills it in (wsgi.API_STANDARD_FIELDS: workflow.api)
        "stage_code": None,
        "number": standard.number,
        "latest_revision": standard.latest_number or None,
        "published_on": iso_date(standard.published_on),
        "implemented_on": iso_date(standard.implemented_on),
        "replaces": standard.replaces.number if standard.replaces is not None else None,
        "adopted": standard.stage == Stage.ADOPTED.value,
        "created_at": iso_time(standard.created_at),
        "url": current_app.config["BASE_URL"].rstrip("/")
        + url_for("authoring.standard_page", standard_id=standard.id),
    }
    for source in hooks().api_standard_fields:
        answer.update(source(standard))
    return answer


def revision_json(revision: Revision, standard: Standard, *, with_text: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "number": revision.number,
        "content_hash": revision.content_hash,
        "author": user_json(
            revision.author, context=standard.association, with_email=_sees_emails(api_user(), standard)
        ),
        "created_at": iso_time(revision.created_at),
        "message": revision.message,
        "kind": revision.kind,
        "restored_from": revision.restored_from,
    }
    if with_text:
        answer["text"] = revision.text
    return answer


def event_json(event: StandardEvent, standard: Standard) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": iso_time(event.at),
        "actor": user_json(
            event.actor, context=standard.association, with_email=_sees_emails(api_user(), standard)
        ),
        "kind": event.kind,
        "label": event.label,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "revision": event.revision,
        "note": event.note,
    }


_DATE = {"type": ["string", "null"], "format": "date"}
schema(
    "Standard",
    {
        "type": "object",
        "required": [
            "id",
            "association",
            "title_zh",
            "title_en",
            "stage",
            "stage_code",
            "number",
            "latest_revision",
            "published_on",
            "implemented_on",
            "replaces",
            "adopted",
            "url",
        ],
        "properties": {
            "id": {"type": "integer"},
            "association": {"$ref": "#/components/schemas/Organisation"},
            "title_zh": {"type": "string"},
            "title_en": {"type": ["string", "null"]},
            "committee": {"type": ["string", "null"]},
            "stage": {"type": "string", "enum": [s.value for s in Stage]},
            "stage_code": {
                "type": ["string", "null"],
                "description": "ISO harmonized stage code, e.g. 40.20",
            },
            "number": {"type": ["string", "null"], "description": "T/CODE n—year; null until published"},
            "latest_revision": {"type": ["integer", "null"]},
            "published_on": _DATE,
            "implemented_on": _DATE,
            "replaces": {"type": ["string", "null"], "description": "the number of the standard it replaces"},
            "adopted": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "url": {"type": "string", "format": "uri", "description": "its page in the browser"},
        },
    },
)
_REVISION_PROPERTIES = {
    "number": {"type": "integer"},
    "content_hash": {"type": "string", "description": "SHA-256 of the text (UTF-8), hex"},
    "author": nullable("User"),
    "created_at": {"type": "string", "format": "date-time"},
    "message": {"type": "string"},
    "kind": {"type": "string", "enum": ["created", "uploaded", "saved", "merged", "restored"]},
    "restored_from": {"type": ["integer", "null"]},
}
_REVISION_REQUIRED = ["number", "content_hash", "author", "created_at", "message", "kind"]
schema("Revision", {"type": "object", "required": _REVISION_REQUIRED, "properties": _REVISION_PROPERTIES})
schema(
    "RevisionWithText",
    {
        "type": "object",
        "required": [*_REVISION_REQUIRED, "text"],
        "properties": {
            **_REVISION_PROPERTIES,
            "text": {"type": "string", "description": "Standard Markdown"},
        },
    },
)
schema(
    "Event",
    {
        "type": "object",
        "required": ["id", "at", "actor", "kind", "from_stage", "to_stage", "revision", "note"],
        "properties": {
            "id": {"type": "integer"},
            "at": {"type": "string", "format": "date-time"},
            "actor": nullable("User"),
            "kind": {"type": "string"},
            "label": {"type": "string", "description": "the kind in the reader's language"},
            "from_stage": {"type": ["string", "null"]},
            "to_stage": {"type": ["string", "null"]},
            "revision": {"type": ["integer", "null"]},
            "note": {"type": "string"},
        },
    },
)
schema(
    "NewStandard",
    {
        "type": "object",
        "required": ["title_zh"],
        "properties": {
            "title_zh": {"type": "string", "description": "may be left out when `text` has title.zh"},
            "title_en": {"type": "string"},
            "committee": {"type": "string"},
            "text": {"type": "string", "description": "Standard Markdown; default the blank skeleton"},
            "drafters": {"type": "array", "items": {"type": "string", "format": "email"}},
        },
    },
)
schema(
    "NewRevision",
    {
        "type": "object",
        "required": ["text", "base_revision"],
        "properties": {
            "text": {"type": "string"},
            "base_revision": {
                "type": "integer",
                "minimum": 1,
                "description": "the revision the text was written from",
            },
            "message": {"type": "string", "maxLength": 500},
        },
    },
)
schema(
    "SavedRevision",
    {
        "type": "object",
        "required": ["number", "merged"],
        "properties": {
            "number": {"type": "integer", "description": "the new revision (the latest, when unchanged)"},
            "merged": {"type": "boolean", "description": "a save made meanwhile was merged in"},
            "status": {"type": "string", "enum": ["saved", "merged", "unchanged"]},
        },
    },
)

READERS = "readers: whoever may see the standard in the browser; 404 for another organisation's private work"


def load_api_standard(standard_id: int) -> Standard:
    """The standard if the token's user may read it; 404 otherwise (as `load_standard`)."""
    return load_standard(standard_id, api_user(), options=(joinedload(Standard.association),))


def _association(code: str) -> Organisation:
    """The association with this code, if the token's user may see its projects; else 404."""
    org = db.session.scalar(select(Organisation).where(Organisation.code == code.upper()))
    if org is None or org.kind != OrgKind.ASSOCIATION or not can_list_standards(api_user(), org):
        raise Refused("not_found", _("There is no association with the code %(code)s.", code=code))
    return org


def _drafters(association: Organisation, emails: list[str]) -> list[Membership]:
    """The memberships of `association` with these e-mail addresses; an unknown one is refused."""
    by_email = {m.user.email: m for m in association.memberships}
    unknown = [email for email in emails if email.strip().lower() not in by_email]
    if unknown:
        message = _("Not a member of the association: %(emails)s.", emails=", ".join(unknown))
        raise Refused("invalid", message, fields={"drafters": message})
    return [by_email[email.strip().lower()] for email in emails]


@api_route(
    bp,
    "/associations/<code>/standards",
    "POST",
    ApiOperation(
        "Start a project in drafting (the association's secretariat)",
        body="NewStandard",
        responses={201: ("the new Standard", "Standard")},
        errors=(403, 404, 422),
    ),
)
def create_standard(code: str) -> ResponseReturnValue:
    association = _association(code)
    body = JsonBody.read(MAX_BODY_BYTES)
    title_zh = body.string("title_zh", max_length=300)
    title_en = body.string("title_en", max_length=300)
    committee = body.string("committee", max_length=200)
    text = body.string("text")
    emails = body.strings("drafters") or []
    if title_zh is None and text is None and "title_zh" not in body.errors:
        body.errors["title_zh"] = _("This field is required.")
    body.done()
    user = api_user()
    assert user is not None
    standard = operations.create_standard(
        association,
        user,
        title_zh=(title_zh or "").strip(),
        title_en=(title_en or "").strip() or None,
        committee=committee,
        drafters=_drafters(association, emails),
        text=operations.normalise_newlines(text) if text is not None else None,
        now=utcnow(),
    )
    db.session.commit()
    return jsonify(standard_json(standard)), 201


@api_route(
    bp,
    "/standards/<int:standard_id>",
    "GET",
    ApiOperation(
        "One standard", description=READERS, responses={200: ("the Standard", "Standard")}, errors=(404,)
    ),
)
def standard(standard_id: int) -> ResponseReturnValue:
    return jsonify(standard_json(load_api_standard(standard_id)))


@api_route(
    bp,
    "/standards/<int:standard_id>/revisions",
    "GET",
    ApiOperation(
        "A standard's revisions, oldest first",
        description=READERS,
        query=PAGE_PARAMETERS,
        responses={200: ("a page of Revisions", page_of("Revision"))},
        errors=(400, 404),
    ),
)
def revisions(standard_id: int) -> ResponseReturnValue:
    found = load_api_standard(standard_id)
    query = (
        select(Revision)
        .where(Revision.standard_id == found.id)
        .options(joinedload(Revision.author))
        .order_by(Revision.number)
    )
    return jsonify(paginate(query, lambda revision: revision_json(revision, found)))


@api_route(
    bp,
    "/standards/<int:standard_id>/revisions/<int:number>",
    "GET",
    ApiOperation(
        "One revision, with its text",
        description=READERS,
        responses={200: ("the Revision with its text", "RevisionWithText")},
        errors=(404,),
    ),
)
def revision(standard_id: int, number: int) -> ResponseReturnValue:
    found = load_api_standard(standard_id)
    row = found.revision(number)
    if row is None:
        raise Refused("not_found", _("This standard has no revision %(number)s.", number=number))
    return jsonify(revision_json(row, found, with_text=True))


@api_route(
    bp,
    "/standards/<int:standard_id>/revisions",
    "POST",
    ApiOperation(
        "Save a revision (drafters and the secretariat), merged like the editor's save",
        description=(
            "The text is saved on top of `base_revision`; when someone saved meanwhile the two edits are "
            "merged three ways (201, `merged: true`), and when they overlap nothing is saved: 409 "
            "`conflict` with `latest_revision` and `merged_text` (both sides marked). 409 `closed` when "
            "the stage does not allow editing. An unchanged text makes no revision (200, `status: unchanged`)."
        ),
        body="NewRevision",
        responses={
            201: ("the revision saved", "SavedRevision"),
            200: ("nothing changed: no revision made", "SavedRevision"),
        },
        errors=(403, 404, 409, 422),
    ),
)
def save_revision(standard_id: int) -> ResponseReturnValue:
    found = load_api_standard(standard_id)
    user = api_user()
    assert user is not None
    operations.require_may_save(found, user)  # before the body is read or parsed
    body = JsonBody.read(MAX_BODY_BYTES)
    text = body.string("text", required=True)
    base = body.integer("base_revision", required=True, minimum=1)
    message = body.string("message", max_length=500)
    body.done()
    assert text is not None and base is not None
    outcome = operations.save_revision(found, user, text, message or "", base, now=utcnow())
    db.session.commit()
    if isinstance(outcome, operations.Conflict):
        raise Refused(
            "conflict",
            _(
                "Revision %(number)s was saved meanwhile and your changes overlap with it. Nothing was saved: merge with revision %(number)s and save again.",
                number=outcome.latest.number,
            ),
            extra={
                "latest_revision": outcome.latest.number,
                "base_revision": outcome.base_number,
                "merged_text": outcome.merged_text,
            },
        )
    answer = {
        "number": outcome.revision.number,
        "merged": outcome.status == "merged",
        "status": outcome.status,
    }
    return jsonify(answer), (200 if outcome.status == "unchanged" else 201)


@api_route(
    bp,
    "/standards/<int:standard_id>/events",
    "GET",
    ApiOperation(
        "A standard's history, oldest first",
        description=READERS,
        query=PAGE_PARAMETERS,
        responses={200: ("a page of Events", page_of("Event"))},
        errors=(400, 404),
    ),
)
def events(standard_id: int) -> ResponseReturnValue:
    found = load_api_standard(standard_id)
    query = (
        select(StandardEvent)
        .where(StandardEvent.standard_id == found.id)
        .options(joinedload(StandardEvent.actor))
        .order_by(StandardEvent.id)
    )
    return jsonify(paginate(query, lambda event: event_json(event, found)))
