"""Who may move a standard's stages, in the browser and through the API with their own token:
role × route × own/other association → HTTP status.

Each association side gets a standard in drafting (to release) and one in consultation (to close
early). Only the secretariat moves stages (302 back to the standard); other members get 403, another
association's people and the administrator (who reads but does not run an association) 404 or 403.
"""

from __future__ import annotations

import pytest
from permission_matrix import ROLES, Route, Side, World, api_members, cells, own_members

from accounts.database import utcnow
from authoring.models import Stage
from extensions import db
from workflow import operations as workflow


def _add_stage_standards(world: World, side: Side) -> None:
    for name in ("to_release", "in_consultation"):
        standard = side.new_standard(f"{side.org.name}的{name}")
        side.extra[name] = standard
    db.session.flush()
    workflow.transition(
        side.extra["in_consultation"],
        side.people["secretariat"],
        Stage.CONSULTATION,
        now=utcnow(),
        closes_at="2999-12-31",
        audience="members",
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_stage_standards,)

#: the secretariat moves; the association's other members may read but not move; the admin reads
MOVER = own_members(302, drafter=403, member=403, admin=403)

ROUTES = [
    Route(
        "release for consultation",
        "POST",
        lambda w, s: f"/standards/{s.to_release.id}/stages",
        MOVER,
        data=lambda w, s: {"move": "release", "closes_at": "2999-12-31", "audience": "members"},
    ),
    Route(
        "close consultation early",
        "POST",
        lambda w, s: f"/standards/{s.in_consultation.id}/consultation/close",
        MOVER,
        data=lambda w, s: {"reason": "意见已足够"},
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


# -- the same through the API, with each actor's bearer token ------------------------------------------

#: the API answers the moved Standard (200); a member is refused (403) before the gate is looked at
API_MOVER = api_members(200, drafter=403, member=403, admin=403)


def _public(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


API_ROUTES = [
    Route(
        "api transitions",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.to_release.id}/transitions",
        api_members(200),
        api=True,
    ),
    Route(
        "api release for consultation",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.to_release.id}/transitions",
        API_MOVER,
        data=lambda w, s: {"to": "consultation", "closes_at": "2999-12-31", "audience": "members"},
        api=True,
    ),
    Route(
        "api close consultation early",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.in_consultation.id}/comment-period/close",
        API_MOVER,
        data=lambda w, s: {"reason": "意见已足够"},
        api=True,
    ),
    Route("api registry", "GET", lambda w, s: "/api/v1/registry", _public(200), scoped=False, api=True),
    Route(
        "api registry entry of a draft",
        "GET",
        # a draft has no number: an unassigned one (the registry matrix publishes number 1)
        lambda w, s: f"/api/v1/registry/T%2F{s.org.code}%20999%E2%80%942026",
        _public(404),
        expect_other=_public(404),
        api=True,
    ),
]


@pytest.mark.parametrize("cell", cells(API_ROUTES), ids=str)
def test_api_permission(cell, matrix):
    cell.check(matrix)


def test_a_refused_gate_comes_back_to_the_page_in_words(client, login, make_standard, secretariat, db):
    standard = make_standard(stage=Stage.REVIEW)
    login(client, secretariat)
    response = client.post(f"/standards/{standard.id}/stages", data={"move": "approve"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "审查表决尚未通过" in page or "review ballot has not passed" in page
    assert db.session.get(type(standard), standard.id).stage == "review"


def test_a_bad_date_comes_back_in_words(client, login, make_standard, secretariat, db):
    standard = make_standard()
    login(client, secretariat)
    response = client.post(
        f"/standards/{standard.id}/stages",
        data={"move": "release", "closes_at": "明天", "audience": "members"},
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "YYYY-MM-DD" in page
    assert db.session.get(type(standard), standard.id).stage == "drafting"


def test_the_page_confirms_an_adopted_standard_back_to_adopted(
    client, login, make_standard, publish, adopt, secretariat, db
):
    standard = publish(make_standard())
    adopt(standard, built=False)
    login(client, secretariat)
    client.post(f"/standards/{standard.id}/stages", data={"move": "periodic_review", "note": ""})
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    opened = 'class="stage-move-item stage-move-open" data-move="confirm"'
    assert "→ 已采信" in page[page.index(opened) :].split("</li>")[0], "confirm leads back to adopted"
    response = client.post(f"/standards/{standard.id}/stages", data={"move": "confirm", "note": "继续有效"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "该标准现处于“已采信”阶段。" in page
    assert 'data-stage="adopted" aria-current="step"' in page
    assert db.session.get(type(standard), standard.id).stage == "adopted"
