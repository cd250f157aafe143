"""The API's comments (spec/api.md): list, make, reply, withdraw, dispose, and the two tables; a
second door to `workflow.comments.operations` with the same refusals (409 `closed` after the period,
422 for words that are not in the clause). The tables' API routes are exports' (exports.comment_views)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from accounts.api import (
    PAGE_PARAMETERS,
    ApiOperation,
    JsonBody,
    api_blueprint,
    api_route,
    api_user,
    iso_time,
    nullable,
    page_arguments,
    page_of,
    ref,
    schema,
    user_json,
)
from accounts.database import utcnow
from accounts.refusals import Refused
from authoring.api import load_api_standard
from extensions import db
from workflow.comments import operations
from workflow.comments.models import Comment, CommentAnchor, CommentType, Decision, Status
from workflow.comments.permissions import can_see_comment
from workflow.comments.reading import Filters, anchored_in, clause_numbers

bp = api_blueprint("comments_api", __name__)

schema(
    "CommentAnchor",
    {
        "type": "object",
        "required": ["revision", "clause", "exact", "prefix", "suffix", "start", "end", "state"],
        "properties": {
            "revision": {"type": "integer"},
            "clause": {"type": "string"},
            "exact": {"type": "string"},
            "prefix": {"type": "string"},
            "suffix": {"type": "string"},
            "start": {"type": "integer", "description": "offset in the clause's own source"},
            "end": {"type": "integer"},
            "state": {"type": "string", "enum": ["placed", "edited", "outdated"]},
        },
    },
)
schema(
    "Disposition",
    {
        "type": "object",
        "required": ["decision", "reason", "by", "at", "applied_in_revision"],
        "properties": {
            "decision": {"type": "string", "enum": [d.value for d in Decision]},
            "reason": {"type": "string"},
            "by": nullable("User"),
            "at": {"type": "string", "format": "date-time"},
            "applied_in_revision": {"type": ["integer", "null"]},
        },
    },
)
schema(
    "Reply",
    {
        "type": "object",
        "required": ["id", "author", "text", "at"],
        "properties": {
            "id": {"type": "integer"},
            "author": nullable("User"),
            "text": {"type": "string"},
            "at": {"type": "string", "format": "date-time"},
        },
    },
)
schema(
    "Comment",
    {
        "type": "object",
        "required": [
            "id",
            "author",
            "organisation",
            "type",
            "comment",
            "proposed_change",
            "made_on_revision",
            "status",
            "anchor",
            "disposition",
            "replies",
        ],
        "properties": {
            "id": {"type": "integer"},
            "author": nullable("User"),
            "organisation": {"type": "string"},
            "type": {"type": "string", "enum": [t.value for t in CommentType]},
            "comment": {"type": "string"},
            "proposed_change": {"type": "string"},
            "made_on_revision": {"type": "integer"},
            "status": {"type": "string", "enum": [s.value for s in Status]},
            "anchor": nullable("CommentAnchor"),
            "disposition": nullable("Disposition"),
            "replies": {"type": "array", "items": ref("Reply")},
        },
    },
)
schema(
    "NewComment",
    {
        "type": "object",
        "required": ["revision", "clause", "exact", "type", "comment"],
        "properties": {
            "revision": {"type": "integer"},
            "clause": {"type": "string"},
            "exact": {"type": "string", "description": 'the words commented on; "" for the whole clause'},
            "prefix": {"type": "string"},
            "suffix": {"type": "string"},
            "type": {"type": "string", "enum": [t.value for t in CommentType]},
            "comment": {"type": "string"},
            "proposed_change": {"type": "string"},
        },
    },
)
schema("NewReply", {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}})
schema(
    "NewDisposition",
    {
        "type": "object",
        "required": ["decision", "reason"],
        "properties": {
            "decision": {"type": "string", "enum": [d.value for d in Decision]},
            "reason": {"type": "string"},
            "applied_in_revision": {"type": "integer"},
        },
    },
)


def anchor_json(anchor: CommentAnchor | None) -> dict[str, Any] | None:
    if anchor is None:
        return None
    return {
        "revision": anchor.revision,
        "clause": anchor.clause,
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
        "state": anchor.state,
    }


def comment_json(comment: Comment, revision: int | None = None) -> dict[str, Any]:
    """The Comment object of spec/api.md, anchored in `revision` (default the latest)."""
    standard = comment.standard
    number = revision if revision is not None else standard.latest_number
    disposition = None
    if comment.decision:
        disposition = {
            "decision": comment.decision,
            "reason": comment.reason,
            "by": user_json(comment.disposed_by, context=standard.association),
            "at": iso_time(comment.disposed_at),
            "applied_in_revision": comment.applied_in_revision,
        }
    return {
        "id": comment.id,
        "author": user_json(comment.author, context=standard.association) if comment.author else None,
        "organisation": comment.organisation,
        "type": comment.type,
        "comment": comment.comment,
        "proposed_change": comment.proposed_change,
        "made_on_revision": comment.made_on_revision,
        "status": comment.status,
        "anchor": anchor_json(comment.anchor_in(number)),
        "disposition": disposition,
        "replies": [
            {
                "id": r.id,
                "author": user_json(r.author, context=standard.association),
                "text": r.text,
                "at": iso_time(r.created_at),
            }
            for r in comment.replies
        ],
    }


def load_api_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise Refused("not_found", _("There is no comment %(number)s.", number=comment_id))
    load_api_standard(comment.standard_id)
    if not can_see_comment(api_user(), comment):
        raise Refused("not_found", _("There is no comment %(number)s.", number=comment_id))
    return comment


LIST_QUERY = (
    ("revision", {"type": "integer"}, "anchors in this revision (default the latest)"),
    ("status", {"type": "string", "enum": [s.value for s in Status]}, ""),
    ("type", {"type": "string", "enum": [t.value for t in CommentType]}, ""),
    ("clause", {"type": "string"}, "a clause id"),
    *PAGE_PARAMETERS,
)


@api_route(
    bp,
    "/standards/<int:standard_id>/comments",
    "GET",
    ApiOperation(
        "Comments anchored in a revision, filtered",
        query=LIST_QUERY,
        responses={200: ("a page of Comments", page_of("Comment"))},
        errors=(400, 404),
    ),
)
def list_comments(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    raw = request.args.get("revision", "").strip()
    wrong: dict[str, str] = {}
    if raw and (not raw.isdigit() or not 1 <= int(raw) <= standard.latest_number):
        wrong["revision"] = _("This standard has no revision %(number)s.", number=raw[:12])
    status, kind = request.args.get("status", ""), request.args.get("type", "")
    if status and status not in Status._value2member_map_:
        wrong["status"] = _("Choose open, disposed or withdrawn.")
    if kind and kind not in CommentType._value2member_map_:
        wrong["type"] = _("Choose ge, te or ed.")
    if wrong:
        raise Refused("malformed", _("Some parameters of the request are wrong."), fields=wrong)
    number = int(raw) if raw else standard.latest_number
    page, per_page = page_arguments()
    filters = Filters(clause=request.args.get("clause", "")[:200], type=kind, status=status)
    items = anchored_in(
        standard, number, api_user(), filters, order=clause_numbers(standard.revision(number))
    )
    shown = items[(page - 1) * per_page : page * per_page]
    return jsonify(
        {
            "items": [comment_json(item.comment, number) for item in shown],
            "page": page,
            "per_page": per_page,
            "total": len(items),
        }
    )


@api_route(
    bp,
    "/standards/<int:standard_id>/comments",
    "POST",
    ApiOperation(
        "Comment on words of a clause of a revision",
        description="422 when the quote is not in that clause of that revision; 409 `closed` after the period.",
        body="NewComment",
        responses={201: ("the Comment", "Comment")},
        errors=(400, 403, 404, 409, 422),
    ),
)
def create_comment(standard_id: int) -> ResponseReturnValue:
    standard = load_api_standard(standard_id)
    body = JsonBody.read(max_bytes=200_000)
    revision = body.integer("revision", required=True, minimum=1)
    clause = body.string("clause", required=True, max_length=200)
    exact = body.string("exact", required=True, max_length=operations.MAX_QUOTE)
    prefix = body.string("prefix", max_length=200)
    suffix = body.string("suffix", max_length=200)
    kind = body.string("type", required=True, max_length=2)
    text = body.string("comment", required=True, max_length=operations.MAX_TEXT)
    proposed = body.string("proposed_change", max_length=operations.MAX_TEXT)
    body.done()
    assert revision is not None and clause is not None and kind is not None and text is not None
    comment = operations.create_comment(
        standard,
        api_user(),
        operations.Selector(revision, clause, exact or "", prefix or "", suffix or ""),
        operations.CommentFields(kind, text, proposed or ""),
        now=utcnow(),
    )
    db.session.commit()
    return jsonify(comment_json(comment)), 201


@api_route(
    bp,
    "/comments/<int:comment_id>/replies",
    "POST",
    ApiOperation(
        "Reply in a comment's thread (drafters, secretariat, the author)",
        body="NewReply",
        responses={201: ("the Comment with its replies", "Comment")},
        errors=(400, 403, 404, 422),
    ),
)
def reply(comment_id: int) -> ResponseReturnValue:
    comment = load_api_comment(comment_id)
    body = JsonBody.read(max_bytes=200_000)
    text = body.string("text", required=True, max_length=operations.MAX_TEXT)
    body.done()
    operations.reply(comment, api_user(), text or "", now=utcnow())
    db.session.commit()
    return jsonify(comment_json(comment)), 201


@api_route(
    bp,
    "/comments/<int:comment_id>/withdraw",
    "POST",
    ApiOperation(
        "Withdraw your own open comment",
        responses={200: ("the Comment, withdrawn", "Comment")},
        errors=(403, 404, 409),
    ),
)
def withdraw(comment_id: int) -> ResponseReturnValue:
    comment = load_api_comment(comment_id)
    operations.withdraw_comment(comment, api_user(), now=utcnow())
    db.session.commit()
    return jsonify(comment_json(comment))


@api_route(
    bp,
    "/comments/<int:comment_id>/disposition",
    "POST",
    ApiOperation(
        "Dispose of a comment (drafters, secretariat)",
        body="NewDisposition",
        responses={200: ("the Comment with its disposition", "Comment")},
        errors=(400, 403, 404, 422),
    ),
)
def disposition(comment_id: int) -> ResponseReturnValue:
    comment = load_api_comment(comment_id)
    body = JsonBody.read(max_bytes=200_000)
    decision = body.string("decision", required=True, max_length=40)
    reason = body.string("reason", required=True, max_length=operations.MAX_TEXT)
    applied = body.integer("applied_in_revision", minimum=1)
    body.done()
    operations.dispose(
        comment, api_user(), decision or "", reason or "", applied_in_revision=applied, now=utcnow()
    )
    db.session.commit()
    return jsonify(comment_json(comment))
