"""Who may open, see, vote in and close ballots, and read their record, in the browser and through the
API: role × route × own/other association → HTTP status (tests/permission_matrix.py).

Each association side gets a standard in review with an open review ballot (its electorate: the
voting member), a closed one (for the record), and a second standard in review to open a ballot on.
Only the electorate votes (the secretariat and the drafter do not vote here: 403), only the
secretariat opens and closes, another association's people get 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from permission_matrix import Route, Side, World, api_members, cells, own_members

from accounts.database import utcnow
from authoring import operations
from authoring.models import Stage
from extensions import db
from workflow.ballots import operations as ballots


def _add_ballots(world: World, side: Side) -> None:
    secretariat = side.people["secretariat"]
    made = {}
    for name in ("voted_on", "to_ballot"):
        standard = operations.create_standard(
            side.org,
            secretariat,
            title_zh=f"{side.org.name}的{name}",
            title_en=None,
            committee=None,
            drafters=[side.membership("drafter")],
            text=None,
            now=utcnow(),
        )
        standard.stage = Stage.REVIEW.value
        made[name] = standard
    db.session.flush()
    now = utcnow()
    closed = ballots.open_ballot(
        made["voted_on"],
        secretariat,
        kind="review",
        rule="iso",
        closes_at=now + timedelta(days=1),
        now=now - timedelta(hours=1),
    )
    ballots.close_ballot(closed, secretariat, now=now - timedelta(minutes=30), reason="矩阵")
    side.extra["open_ballot"] = ballots.open_ballot(
        made["voted_on"], secretariat, kind="review", rule="iso", closes_at=now + timedelta(days=7), now=now
    )
    side.extra["closed_ballot"] = closed
    side.extra["to_ballot"] = made["to_ballot"]
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_ballots,)

#: the secretariat runs ballots (302 back to the ballot); other members and the admin may only read
RUNNER = own_members(302, drafter=403, member=403, admin=403)
#: the electorate is the voting member; everyone else who can see the ballot is refused
VOTER = own_members(302, secretariat=403, drafter=403, admin=403)
CLOSES_AT = (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

ROUTES = [
    Route("ballot page", "GET", lambda w, s: f"/ballots/{s.open_ballot.id}", own_members(200)),
    Route("result page", "GET", lambda w, s: f"/ballots/{s.closed_ballot.id}", own_members(200)),
    Route(
        "open a ballot",
        "POST",
        lambda w, s: f"/standards/{s.to_ballot.id}/ballots",
        RUNNER,
        data=lambda w, s: {"kind": "review", "rule": "iso", "closes_at": CLOSES_AT},
    ),
    Route(
        "cast",
        "POST",
        lambda w, s: f"/ballots/{s.open_ballot.id}/votes",
        VOTER,
        data=lambda w, s: {"choice": "approve"},
    ),
    Route(
        "close early",
        "POST",
        lambda w, s: f"/ballots/{s.open_ballot.id}/close",
        RUNNER,
        data=lambda w, s: {"reason": "提前"},
    ),
    Route(
        "record download", "GET", lambda w, s: f"/ballots/{s.closed_ballot.id}/record.csv", own_members(200)
    ),
    Route(
        "record download before the close",
        "GET",
        lambda w, s: f"/ballots/{s.open_ballot.id}/record.csv",
        own_members(404),
    ),
    Route("vote rule page", "GET", lambda w, s: f"/orgs/{s.org.id}/ballot-rule", own_members(200)),
    Route(
        "set the vote rule",
        "POST",
        lambda w, s: f"/orgs/{s.org.id}/ballot-rule",
        RUNNER,
        data=lambda w, s: {"rule": "majority"},
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


API_ROUTES = [
    Route(
        "api ballot", "GET", lambda w, s: f"/api/v1/ballots/{s.open_ballot.id}", api_members(200), api=True
    ),
    Route(
        "api open a ballot",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.to_ballot.id}/ballots",
        api_members(201, drafter=403, member=403, admin=403),
        api=True,
        data=lambda w, s: {"kind": "review", "rule": "iso", "closes_at": CLOSES_AT + ":00+08:00"},
    ),
    Route(
        "api cast",
        "POST",
        lambda w, s: f"/api/v1/ballots/{s.open_ballot.id}/votes",
        api_members(201, secretariat=403, drafter=403, admin=403),
        api=True,
        data=lambda w, s: {"choice": "approve"},
    ),
    Route(
        "api close early",
        "POST",
        lambda w, s: f"/api/v1/ballots/{s.open_ballot.id}/close",
        api_members(200, drafter=403, member=403, admin=403),
        api=True,
        data=lambda w, s: {"reason": "提前"},
    ),
    Route(
        "api record",
        "GET",
        lambda w, s: f"/api/v1/ballots/{s.closed_ballot.id}/record",
        api_members(200),
        api=True,
    ),
    Route(
        "api record before the close",
        "GET",
        lambda w, s: f"/api/v1/ballots/{s.open_ballot.id}/record",
        api_members(409),
        api=True,
    ),
]


@pytest.mark.parametrize("cell", cells(API_ROUTES), ids=str)
def test_api_permission(cell, matrix):
    cell.check(matrix)


class _AnyObject:
    """Stands for any object of a side in a route's path: every attribute has id 1."""

    id = 1

    def __getattr__(self, name: str) -> _AnyObject:
        return self


def test_every_ballot_route_is_in_the_matrix(app):
    """A new ballot route (browser or API) without an entry in the matrix above fails this test."""
    adapter = app.url_map.bind("localhost")
    listed = {
        (route.method, adapter.match(route.path(None, _AnyObject()), method=route.method)[0])
        for route in ROUTES + API_ROUTES
    }
    served = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("ballots.", "ballots_api."))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - listed == set()
