"""Who may open which authoring page, and call which authoring API route with their own token: role ×
route × own/other association → HTTP status (the API answers 401 where a page sends to the login).

Each association side of the matrix world gets three standards: one in drafting (its drafter on the
drafting group), one in consultation (frozen: read view for everyone) and one published (public).
The editor answers a reader who may not edit with a redirect to the read view (302), a POST with 403.
"""

from __future__ import annotations

import pytest
from permission_matrix import ROLES, Route, Side, World, api_members, cells, everyone, own_members

from authoring.models import Stage
from extensions import db


def _add_standards(world: World, side: Side) -> None:
    for name, stage in (
        ("standard", Stage.DRAFTING),
        ("frozen", Stage.CONSULTATION),
        ("published", Stage.PUBLISHED),
    ):
        standard = side.new_standard(f"{side.org.name}的标准", stage)
        side.extra[name] = standard
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_standards,)


def _text(world: World, side: Side) -> dict[str, str]:
    """The current text unchanged: a permitted save answers "nothing changed" and redirects."""
    return {"text": side.standard.latest_revision().text, "base_revision": "1", "message": ""}


def _published(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


#: a logged-in reader who may not edit is redirected to the read view
EDITOR = own_members(200, member=302, admin=302)
EDIT_POST = own_members(302, member=403, admin=403)
READER = own_members(200)

ROUTES = [
    Route("standards list", "GET", lambda w, s: f"/associations/{s.org.id}/standards", READER),
    Route(
        "new standard page",
        "GET",
        lambda w, s: f"/associations/{s.org.id}/standards/new",
        own_members(200, drafter=403, member=403, admin=403),
    ),
    Route(
        "create standard",
        "POST",
        lambda w, s: f"/associations/{s.org.id}/standards/new",
        own_members(302, drafter=403, member=403, admin=403),
        data=lambda w, s: {"title_zh": "新标准"},
    ),
    # a Word import (imports/): the association's secretariat only, in an editable stage
    Route(
        "new project from a Word file page",
        "GET",
        lambda w, s: f"/associations/{s.org.id}/standards/import",
        own_members(200, drafter=403, member=403, admin=403),
    ),
    Route(
        "new project from a Word file without a file",
        "POST",
        lambda w, s: f"/associations/{s.org.id}/standards/import",
        own_members(422, drafter=403, member=403, admin=403),
    ),
    Route(
        "new revision from a Word file page",
        "GET",
        lambda w, s: f"/standards/{s.standard.id}/import",
        own_members(200, drafter=403, member=403, admin=403),
    ),
    Route(
        "review an imported text",
        "POST",
        lambda w, s: f"/standards/{s.standard.id}/import/review",
        own_members(200, drafter=403, member=403, admin=403),
        data=lambda w, s: {"text": "---\ntitle: {zh: 导入}\n---\n\n# 前言\n\n导入的文本。\n"},
    ),
    Route(
        "new revision from a Word file without a file",
        "POST",
        lambda w, s: f"/standards/{s.standard.id}/import",
        own_members(422, drafter=403, member=403, admin=403),
    ),
    Route(
        "new revision from a Word file in consultation",
        "GET",
        lambda w, s: f"/standards/{s.frozen.id}/import",
        own_members(403),
    ),
    Route("standard page", "GET", lambda w, s: f"/standards/{s.standard.id}", READER),
    Route("revision page", "GET", lambda w, s: f"/standards/{s.standard.id}/revisions/1", READER),
    Route("revision source", "GET", lambda w, s: f"/standards/{s.standard.id}/revisions/1.md", READER),
    Route("history", "GET", lambda w, s: f"/standards/{s.standard.id}/history", READER),
    Route("diff", "GET", lambda w, s: f"/standards/{s.standard.id}/diff?old=1&new=1", READER),
    Route("editor", "GET", lambda w, s: f"/standards/{s.standard.id}/edit", EDITOR),
    Route("save", "POST", lambda w, s: f"/standards/{s.standard.id}/save", EDIT_POST, data=_text),
    Route(
        "preview",
        "POST",
        lambda w, s: f"/standards/{s.standard.id}/preview",
        own_members(200, member=403, admin=403),
        data=_text,
    ),
    Route("restore", "POST", lambda w, s: f"/standards/{s.standard.id}/revisions/1/restore", EDIT_POST),
    # in consultation the text is frozen: everyone reads, nobody edits
    Route("editor in consultation", "GET", lambda w, s: f"/standards/{s.frozen.id}/edit", own_members(302)),
    Route(
        "save in consultation",
        "POST",
        lambda w, s: f"/standards/{s.frozen.id}/save",
        own_members(403),
        data=_text,
    ),
    # published: the public reads it, in any organisation
    Route(
        "published standard",
        "GET",
        lambda w, s: f"/standards/{s.published.id}",
        _published(200),
        expect_other=_published(200),
    ),
    Route(
        "published history",
        "GET",
        lambda w, s: f"/standards/{s.published.id}/history",
        _published(200),
        expect_other=_published(200),
    ),
    Route(
        "editor of published",
        "GET",
        lambda w, s: f"/standards/{s.published.id}/edit",
        everyone(302),
        expect_other=everyone(302),
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


# -- the same through the API, with each actor's bearer token ------------------------------------------


def _everyone(status: int) -> dict[str, int]:
    return {role: (401 if role == "anonymous" else status) for role in ROLES}


def _unchanged(world, side):
    return {"text": side.standard.latest_revision().text, "base_revision": 1}


#: another association's private standard looks like nothing; the administrator reads everything
OTHER = {**_everyone(404), "admin": 200}

API_ROUTES = [
    Route(
        "api standard", "GET", lambda w, s: f"/api/v1/standards/{s.standard.id}", api_members(200), api=True
    ),
    Route(
        "api revisions",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.standard.id}/revisions",
        api_members(200),
        api=True,
    ),
    Route(
        "api revision",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.standard.id}/revisions/1",
        api_members(200),
        api=True,
    ),
    Route(
        "api events",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.standard.id}/events",
        api_members(200),
        api=True,
    ),
    # an unchanged text saves nothing and answers 200: the permission is what is tested
    Route(
        "api save",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.standard.id}/revisions",
        api_members(200, member=403, admin=403),
        data=_unchanged,
        api=True,
    ),
    Route(
        "api save in consultation",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.frozen.id}/revisions",
        api_members(409),
        data=_unchanged,
        api=True,
    ),
    Route(
        "api published standard",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.published.id}",
        _everyone(200),
        expect_other=_everyone(200),
        api=True,
    ),
    Route(
        "api create standard",
        "POST",
        lambda w, s: f"/api/v1/associations/{s.org.code}/standards",
        api_members(201, drafter=403, member=403, admin=403),
        expect_other={**_everyone(404), "admin": 403},
        data=lambda w, s: {"title_zh": "新标准"},
        api=True,
    ),
    Route("api agencies", "GET", lambda w, s: "/api/v1/agencies", _everyone(200), scoped=False, api=True),
    Route(
        "api openapi",
        "GET",
        lambda w, s: "/api/v1/openapi.json",
        everyone(200, anonymous=200),
        scoped=False,
        api=True,
    ),
]


@pytest.mark.parametrize("cell", cells(API_ROUTES), ids=str)
def test_api_permission(cell, matrix):
    cell.check(matrix)
