"""A ballot's life through the pages: open, vote, change, close early, the result and the gate; a
due ballot closed by the first request after its time and by `flask workflow close-due`; a cast
after the close refused with the close time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from accounts.database import utcnow
from extensions import db
from workflow.ballots import operations
from workflow.ballots.models import Ballot, BallotVoter, VoteCast
from workflow.transitions import next_transitions


def _as(app, login, user):
    """A client of its own, logged in as `user`."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _open(client, login, secretariat, standard, **form):
    data = {
        "kind": "review",
        "rule": "cn-tc",
        "closes_at": (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(form)
    response = client.post(f"/standards/{standard.id}/ballots", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Ballot).where(Ballot.standard_id == standard.id))


def test_open_vote_change_close_and_the_gate_opens(app, client, login, secretariat, in_review, voters):
    client = _as(app, login, secretariat)
    ballot = _open(client, login, secretariat, in_review)
    assert ballot.electorate_size == 5 and ballot.rule_json["preset"] == "cn-tc"
    page = client.get(f"/standards/{in_review.id}").get_data(as_text=True)
    assert ("ballots-panel" in page and "open until" in page) or "截止" in page or "开放至" in page

    for voter, choice in zip(
        voters[:4], ("approve", "approve_with_comments", "disapprove", "abstain"), strict=True
    ):
        client = _as(app, login, voter)
        desk = client.get("/").get_data(as_text=True)
        assert f"/ballots/{ballot.id}" in desk
        answer = client.post(f"/ballots/{ballot.id}/votes", data={"choice": choice, "reasons": "理由"})
        assert answer.status_code == 302
    client = _as(app, login, voters[2])  # changes disapprove to approve
    client.post(f"/ballots/{ballot.id}/votes", data={"choice": "approve", "reasons": ""})
    page = client.get(f"/ballots/{ballot.id}").get_data(as_text=True)
    assert "ballot-receipt" in page

    assert db.session.scalar(select(db.func.count(VoteCast.id)).where(VoteCast.ballot_id == ballot.id)) == 5
    gate = {n.transition.name: n for n in next_transitions(in_review, secretariat, utcnow())}
    assert not gate["approve"].allowed

    client = _as(app, login, secretariat)
    assert client.post(f"/ballots/{ballot.id}/close", data={"reason": ""}).status_code == 302
    assert db.session.get(Ballot, ballot.id).is_open  # early close needs a reason
    assert client.post(f"/ballots/{ballot.id}/close", data={"reason": "会议表决完成"}).status_code == 302
    db.session.expire_all()
    closed = db.session.get(Ballot, ballot.id)
    assert not closed.is_open and closed.passed is True
    zh = closed.result["zh"]
    assert zh["counts"] == {
        "electorate": 5,
        "for": 3,
        "against": 0,
        "against_without_reasons": 0,
        "abstain": 1,
    }
    result_page = client.get(f"/ballots/{ballot.id}").get_data(as_text=True)
    assert result_page.count('class="ballot-bar"') == 3 and "bar-threshold" in result_page
    assert "ballot-record" in result_page
    gate = {n.transition.name: n for n in next_transitions(in_review, secretariat, utcnow())}
    assert gate["approve"].allowed

    client = _as(app, login, voters[0])
    late = client.post(f"/ballots/{ballot.id}/votes", data={"choice": "disapprove", "reasons": "迟到"})
    assert late.status_code == 302
    assert "本表决已于" in client.get(f"/ballots/{ballot.id}").get_data(
        as_text=True
    )  # the flash, with the time
    assert db.session.scalar(select(db.func.count(VoteCast.id)).where(VoteCast.ballot_id == ballot.id)) == 5


def test_a_failed_review_ballot_offers_to_send_the_project_back(app, secretariat, in_review, voters):
    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="consensus", closes_at=now + timedelta(days=3), now=now
    )
    for voter in voters[:3]:
        operations.cast_vote(ballot, voter, "approve", now=now + timedelta(hours=1))
    operations.cast_vote(ballot, voters[3], "disapprove", "不同意", now=now + timedelta(hours=2))
    operations.close_ballot(ballot, secretariat, now=now + timedelta(hours=3), reason="提前结束")
    db.session.commit()
    assert ballot.passed is False
    moves = {n.transition.name: n for n in next_transitions(in_review, secretariat, now + timedelta(hours=4))}
    assert not moves["approve"].allowed
    assert any("反对票 1/4 超过 0" in r for r in moves["approve"].reasons)
    assert moves["redraft"].allowed and moves["reconsult"].allowed


def test_a_due_ballot_closes_on_the_first_request_and_refuses_casts_with_its_time(
    app, client, login, secretariat, in_review, voters
):
    now = utcnow()
    ballot = operations.open_ballot(
        in_review,
        secretariat,
        kind="review",
        rule="majority",
        closes_at=now + timedelta(seconds=30),
        now=now - timedelta(minutes=1),
    )
    earlier = now - timedelta(seconds=20)
    operations.cast_vote(ballot, voters[0], "approve", now=earlier)
    operations.cast_vote(ballot, voters[1], "approve", now=earlier)
    operations.cast_vote(ballot, voters[2], "disapprove", "x", now=earlier)
    ballot.closes_at = now - timedelta(seconds=1)  # its time has come
    db.session.commit()
    client = _as(app, login, voters[3])
    refused = client.post(f"/ballots/{ballot.id}/votes", data={"choice": "approve"})
    assert refused.status_code == 302
    db.session.expire_all()
    closed = db.session.get(Ballot, ballot.id)
    assert closed.closed_at == ballot.closes_at and closed.passed is True
    assert "本表决已于" in client.get(f"/ballots/{ballot.id}").get_data(as_text=True)
    voter = db.session.scalar(
        select(BallotVoter).where(BallotVoter.ballot_id == ballot.id, BallotVoter.user_id == voters[3].id)
    )
    assert voter.choice is None


def test_close_due_says_what_it_closed(app, secretariat, in_review, voters):
    now = utcnow()
    ballot = operations.open_ballot(
        in_review,
        secretariat,
        kind="review",
        rule="iso",
        closes_at=now + timedelta(seconds=5),
        now=now - timedelta(hours=1),
    )
    operations.cast_vote(ballot, voters[0], "approve", now=now - timedelta(minutes=1))
    ballot.closes_at = now - timedelta(seconds=1)
    db.session.commit()
    output = app.test_cli_runner().invoke(args=["workflow", "close-due"]).output
    assert f"Closed ballot {ballot.id} (review)" in output and "passed" in output
    assert (
        "No ballot was due to close." in app.test_cli_runner().invoke(args=["workflow", "close-due"]).output
    )


def test_the_api_refuses_a_cast_after_the_close_with_409_closed(
    app, make_token, secretariat, in_review, voters
):
    now = utcnow()
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="iso", closes_at=now + timedelta(days=1), now=now
    )
    db.session.commit()
    client = app.test_client()
    voter_token = {"Authorization": f"Bearer {make_token(voters[0])}"}
    cast = client.post(
        f"/api/v1/ballots/{ballot.id}/votes", json={"choice": "disapprove"}, headers=voter_token
    )
    assert cast.status_code == 422 and "reasons" in cast.get_json()["error"]["fields"]
    cast = client.post(f"/api/v1/ballots/{ballot.id}/votes", json={"choice": "approve"}, headers=voter_token)
    assert cast.status_code == 201 and set(cast.get_json()) == {"receipt", "choice", "reasons", "cast_at"}
    shown = client.get(f"/api/v1/ballots/{ballot.id}", headers=voter_token).get_json()
    assert shown["my_vote"]["receipt"] == cast.get_json()["receipt"] and shown["result"] is None
    assert shown["rule"]["approval"] == "2/3" and shown["votes_cast"] == 1
    record = client.get(f"/api/v1/ballots/{ballot.id}/record", headers=voter_token)
    assert record.status_code == 409
    boss = {"Authorization": f"Bearer {make_token(secretariat)}", "Accept-Language": "en"}
    closed = client.post(
        f"/api/v1/ballots/{ballot.id}/close", json={"reason": "done"}, headers=boss
    ).get_json()
    assert closed["status"] == "closed" and closed["result"]["passed"] is True
    assert closed["result"]["reasons"][0] == "The ballot passed"
    late = client.post(f"/api/v1/ballots/{ballot.id}/votes", json={"choice": "approve"}, headers=voter_token)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "closed"
    assert late.get_json()["error"]["message"].startswith("本表决已于")
    items = client.get(f"/api/v1/ballots/{ballot.id}/record", headers=voter_token).get_json()["items"]
    assert len(items) == 5 and sum(1 for i in items if i["choice"] == "approve") == 1
    outsider = {"Authorization": f"Bearer {make_token(secretariat)}"}
    assert (
        client.post(
            f"/api/v1/ballots/{ballot.id}/votes", json={"choice": "approve"}, headers=outsider
        ).status_code
        == 409
    )
