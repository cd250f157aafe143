"""Who may propose and decide: role × route × own/other association → HTTP status.

Each association side gets one open proposal by its member. Every member proposes; only the
secretariat lists and decides (others 403); another association's people and the administrator (who
is no member of an association) 404.
"""

from __future__ import annotations

import pytest
from permission_matrix import Route, Side, World, cells, own_members

from accounts.database import utcnow
from extensions import db
from workflow import proposals


def _add_proposal(world: World, side: Side) -> None:
    side.extra["proposal"] = proposals.propose(
        side.org,
        side.people["member"],
        title_zh=f"{side.org.name}的提案",
        scope="范围",
        reason="理由",
        drafting_units="",
        now=utcnow(),
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_proposal,)

PROPOSER = own_members(200, reviewer=404, admin=404)
DECIDER = own_members(302, drafter=403, member=403, admin=404)

ROUTES = [
    Route("proposal form", "GET", lambda w, s: f"/associations/{s.org.id}/proposals/new", PROPOSER),
    Route(
        "propose",
        "POST",
        lambda w, s: f"/associations/{s.org.id}/proposals/new",
        own_members(302, admin=404),
        data=lambda w, s: {"title_zh": "新提案", "scope": "", "reason": "", "drafting_units": ""},
    ),
    Route(
        "proposals list",
        "GET",
        lambda w, s: f"/associations/{s.org.id}/proposals",
        own_members(200, drafter=403, member=403, admin=404),
    ),
    Route("accept proposal", "POST", lambda w, s: f"/proposals/{s.proposal.id}/accept", DECIDER),
    Route(
        "decline proposal",
        "POST",
        lambda w, s: f"/proposals/{s.proposal.id}/decline",
        DECIDER,
        data=lambda w, s: {"reason": "重复"},
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)
