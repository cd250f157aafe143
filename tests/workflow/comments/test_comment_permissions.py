"""Who may comment, change a comment, answer and dispose, in the browser and through the API:
role × route × own/other association → HTTP status.

Each association side gets a standard in consultation with a member's comment, and one in
disposition with a member's comment to dispose. Only members (the association's people) comment;
nobody but its author edits or withdraws a comment; only the drafters and the secretariat dispose
and import; the administrator reads but is no member, so may not comment.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from permission_matrix import Route, Side, World, api_members, cells, everyone, own_members

from accounts.database import utcnow
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow.comments import operations


def _add_commented_standards(world: World, side: Side) -> None:
    for name in ("consulted", "disposing"):
        standard = side.new_standard(f"{side.org.name}的{name}")
        db.session.flush()
        stages.transition(
            standard,
            side.people["secretariat"],
            Stage.CONSULTATION,
            now=utcnow(),
            closes_at="2999-12-31",
            audience="members",
        )
        comment = operations.create_comment(
            standard,
            side.people["member"],
            operations.Selector(1, "scope"),
            operations.CommentFields("te", f"{name}的意见"),
            now=utcnow(),
        )
        side.extra[name] = standard
        side.extra[f"{name}_comment"] = comment
    stages.close_comment_period(
        side.extra["disposing"], side.people["secretariat"], "意见已足够", now=utcnow()
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_commented_standards,)


def _template(world: World, side: Side) -> dict:
    book = openpyxl.Workbook()
    book.active.append(["MB/NC", "Clause/Subclause", "Type of comment", "Comments"])
    book.active.append(["外部单位", "1", "te", "外部意见"])
    data = io.BytesIO()
    book.save(data)
    return {"file": (io.BytesIO(data.getvalue()), "template.xlsx")}


def _comment_path(name: str, suffix: str = ""):
    return lambda w, s: f"/comments/{s.extra[name + '_comment'].id}{suffix}"


#: the association's people read; strangers 404
READER = own_members(200)
#: members comment (302 back to the page); the administrator is no member
COMMENTER = own_members(302, admin=403)
#: only the author (the member) changes their comment
AUTHOR = own_members(403, member=302)
#: drafters and the secretariat dispose, import
DISPOSER = own_members(302, member=403, admin=403)

NEW_COMMENT = {"revision": "1", "clause": "scope", "type": "ed", "comment": "矩阵的意见"}

ROUTES = [
    Route("comment list", "GET", lambda w, s: f"/standards/{s.consulted.id}/comments", READER),
    # the members' consultation is not public: a public comment is sent back to the form, unsaved
    Route(
        "public comment outside a public period",
        "POST",
        lambda w, s: f"/standards/{s.consulted.id}/public-comment",
        everyone(302, anonymous=302),
        expect_other=everyone(302, anonymous=302),
        data=lambda w, s: {
            "name": "某人",
            "organisation": "某单位",
            "email": "a@example.org",
            "type": "te",
            "comment": "意见",
        },
        to_login=False,
    ),
    Route(
        "ISO comment table (API)",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.consulted.id}/iso-comments.xlsx",
        {**own_members(200), "anonymous": 401},
        api=True,
    ),
    Route("comment dashboard", "GET", lambda w, s: f"/standards/{s.consulted.id}/comments/dashboard", READER),
    Route("comment page", "GET", _comment_path("consulted"), READER),
    Route(
        "comment table xlsx", "GET", lambda w, s: f"/standards/{s.consulted.id}/comment-table.xlsx", READER
    ),
    Route("iso template docx", "GET", lambda w, s: f"/standards/{s.consulted.id}/iso-comments.docx", READER),
    Route(
        "make a comment",
        "POST",
        lambda w, s: f"/standards/{s.consulted.id}/comments",
        COMMENTER,
        data=lambda w, s: NEW_COMMENT,
    ),
    Route(
        "edit a comment",
        "POST",
        _comment_path("consulted", "/edit"),
        AUTHOR,
        data=lambda w, s: {"type": "ge", "comment": "改写"},
    ),
    Route("withdraw a comment", "POST", _comment_path("consulted", "/withdraw"), AUTHOR),
    Route(
        "reply to a comment",
        "POST",
        _comment_path("consulted", "/replies"),
        own_members(302, admin=403),
        data=lambda w, s: {"text": "回复"},
    ),
    Route(
        "dispose of a comment",
        "POST",
        _comment_path("disposing", "/disposition"),
        DISPOSER,
        data=lambda w, s: {"decision": "noted", "reason": "已知悉"},
    ),
    Route(
        "import comments",
        "POST",
        lambda w, s: f"/standards/{s.consulted.id}/comments/import",
        DISPOSER,
        data=_template,
    ),
    Route(
        "moderate a comment",
        "POST",
        _comment_path("consulted", "/moderation"),
        own_members(403, secretariat=302),
        data=lambda w, s: {"publish": "1"},
    ),
    Route(
        "public comment form of a members' consultation",
        "GET",
        lambda w, s: f"/standards/{s.consulted.id}/public-comment",
        {role: 404 for role in own_members(0)},
        expect_other={role: 404 for role in own_members(0)},
    ),
    # the API: the same rules, 401 without a token, 201 for what it makes
    Route(
        "api comments",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.consulted.id}/comments",
        api_members(200),
        api=True,
    ),
    Route(
        "api make a comment",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.consulted.id}/comments",
        api_members(201, admin=403),
        data=lambda w, s: {
            "revision": 1,
            "clause": "scope",
            "exact": "",
            "type": "te",
            "comment": "接口意见",
        },
        api=True,
    ),
    Route(
        "api reply",
        "POST",
        lambda w, s: f"/api/v1/comments/{s.consulted_comment.id}/replies",
        api_members(201, admin=403),
        data=lambda w, s: {"text": "回复"},
        api=True,
    ),
    Route(
        "api withdraw another's comment",
        "POST",
        lambda w, s: f"/api/v1/comments/{s.consulted_comment.id}/withdraw",
        api_members(403, member=200),
        api=True,
    ),
    Route(
        "api dispose",
        "POST",
        lambda w, s: f"/api/v1/comments/{s.disposing_comment.id}/disposition",
        api_members(200, member=403, admin=403),
        data=lambda w, s: {"decision": "accepted", "reason": "同意"},
        api=True,
    ),
    Route(
        "api comment table",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.consulted.id}/comment-table.xlsx",
        api_members(200),
        api=True,
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)
