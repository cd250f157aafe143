"""The API's stages: every next stage with its gate and reasons, moving a standard (the secretariat
only, 409 gate with reasons), releasing for consultation and closing it early, and the ISO stage code
of the stage table in every Standard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from app_testing import bearer

from authoring.models import Stage, Standard
from extensions import db


def _in_a_month() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


def _post(client, path, token, body, **headers):
    return client.post(f"/api/v1{path}", json=body, headers=bearer(token, **headers))


def test_the_next_stages_come_with_their_gates_for_every_reader(
    client, make_standard, member, secretariat, make_token
):
    standard = make_standard()
    for_member = client.get(
        f"/api/v1/standards/{standard.id}/transitions",
        headers=bearer(make_token(member), **{"Accept-Language": "en"}),
    ).json["items"]
    by_target = {t["to"]: t for t in for_member}
    assert {"consultation", "cancelled"} <= set(by_target)
    assert by_target["consultation"]["allowed"] is False and by_target["consultation"]["reasons"]
    assert {"closes_at", "audience"} <= set(by_target["consultation"]["parameters"])
    for_secretariat = client.get(
        f"/api/v1/standards/{standard.id}/transitions", headers=bearer(make_token(secretariat))
    ).json["items"]
    assert {t["to"]: t for t in for_secretariat}["consultation"] == {
        **by_target["consultation"],
        "allowed": True,
        "reasons": [],
    }


def test_the_secretariat_releases_for_consultation_and_closes_it_early(
    client, make_standard, secretariat, make_token
):
    standard = make_standard()
    token = make_token(secretariat)
    moved = _post(
        client,
        f"/standards/{standard.id}/transitions",
        token,
        {"to": "consultation", "closes_at": _in_a_month(), "audience": "public"},
    )
    assert moved.status_code == 200, moved.json
    assert (moved.json["stage"], moved.json["stage_code"]) == ("consultation", "40.20")
    no_reason = _post(client, f"/standards/{standard.id}/comment-period/close", token, {})
    assert no_reason.status_code in (409, 422) and no_reason.json["error"]["code"] in ("gate", "invalid")
    closed = _post(client, f"/standards/{standard.id}/comment-period/close", token, {"reason": "意见已充分"})
    assert closed.status_code == 200 and (closed.json["stage"], closed.json["stage_code"]) == (
        "disposition",
        "40.60",
    )
    events = client.get(f"/api/v1/standards/{standard.id}/events", headers=bearer(token)).json["items"]
    changes = [(e["from_stage"], e["to_stage"]) for e in events if e["kind"] == "stage_changed"]
    assert changes == [("drafting", "consultation"), ("consultation", "disposition")]
    assert "意见已充分" in events[-1]["note"] or any("意见已充分" in e["note"] for e in events)


def test_a_member_may_not_move_stages(client, make_standard, member, make_token):
    standard = make_standard()
    answer = _post(
        client,
        f"/standards/{standard.id}/transitions",
        make_token(member),
        {"to": "consultation", "closes_at": _in_a_month(), "audience": "members"},
    )
    assert answer.status_code == 403 and answer.json["error"]["code"] == "forbidden"
    assert db.session.get(Standard, standard.id).stage == "drafting"


def test_a_closed_gate_is_409_gate_with_its_reasons(client, make_standard, secretariat, make_token):
    standard = make_standard(stage=Stage.REVIEW)
    answer = _post(
        client,
        f"/standards/{standard.id}/transitions",
        make_token(secretariat),
        {"to": "approval"},
        **{"Accept-Language": "en"},
    )
    assert answer.status_code == 409
    error = answer.json["error"]
    assert error["code"] == "gate" and error["reasons"] and "ballot" in " ".join(error["reasons"])


def test_bad_details_of_a_move_are_refused_with_fields(client, make_standard, secretariat, make_token):
    standard = make_standard()
    answer = _post(
        client,
        f"/standards/{standard.id}/transitions",
        make_token(secretariat),
        {"to": "consultation", "closes_at": "next week", "audience": "everyone"},
    )
    assert answer.status_code == 422
    assert {"closes_at", "audience"} <= set(answer.json["error"]["fields"])
    malformed = _post(client, f"/standards/{standard.id}/transitions", make_token(secretariat), {"to": 3})
    assert malformed.status_code == 400 and set(malformed.json["error"]["fields"]) == {"to"}


def test_another_association_s_draft_has_no_transitions(
    client, make_standard, make_org, make_member, make_token
):
    standard = make_standard()
    stranger = make_token(make_member(make_org(code="OTHER"), "secretariat"))
    assert (
        client.get(f"/api/v1/standards/{standard.id}/transitions", headers=bearer(stranger)).status_code
        == 404
    )
    assert (
        _post(client, f"/standards/{standard.id}/transitions", stranger, {"to": "cancelled"}).status_code
        == 404
    )
    assert (
        _post(client, f"/standards/{standard.id}/comment-period/close", stranger, {"reason": "x"}).status_code
        == 404
    )


def test_a_cancelled_project_has_the_x98_code_of_the_stage_it_left(
    client, make_standard, secretariat, make_token
):
    standard = make_standard()
    token = make_token(secretariat)
    answer = _post(
        client, f"/standards/{standard.id}/transitions", token, {"to": "cancel", "note": "不再需要"}
    )
    assert answer.status_code == 200, answer.json
    assert (answer.json["stage"], answer.json["stage_code"]) == ("cancelled", "20.98")


@pytest.mark.parametrize(
    ("stage", "code"), [(Stage.DRAFTING, "20.00"), (Stage.APPROVAL, "50.60"), (Stage.ADOPTED, None)]
)
def test_every_standard_carries_the_stage_table_s_iso_code(
    client, make_standard, drafter, make_token, stage, code
):
    standard = make_standard(stage=stage)
    assert (
        client.get(f"/api/v1/standards/{standard.id}", headers=bearer(make_token(drafter))).json["stage_code"]
        == code
    )


def test_an_adopted_standard_goes_through_periodic_review_and_comes_back_adopted(
    client, make_standard, publish, adopt, secretariat, make_token
):
    standard = publish(make_standard())
    adopt(standard)
    token = make_token(secretariat)
    offered = client.get(f"/api/v1/standards/{standard.id}/transitions", headers=bearer(token)).json["items"]
    assert [(t["name"], t["to"], t["allowed"]) for t in offered] == [
        ("periodic_review", "periodic_review", True)
    ]
    started = _post(client, f"/standards/{standard.id}/transitions", token, {"to": "periodic_review"})
    assert started.status_code == 200 and (started.json["stage"], started.json["stage_code"]) == (
        "periodic_review",
        "90.20",
    )
    offered = client.get(f"/api/v1/standards/{standard.id}/transitions", headers=bearer(token)).json["items"]
    assert {t["name"]: t["to"] for t in offered} == {
        "confirm": "adopted",
        "revise": "adopted",
        "withdraw": "withdrawn",
    }
    into_published = _post(client, f"/standards/{standard.id}/transitions", token, {"to": "published"})
    assert into_published.status_code == 409 and into_published.json["error"]["code"] == "gate"
    confirmed = _post(
        client, f"/standards/{standard.id}/transitions", token, {"to": "confirm", "note": "继续有效"}
    )
    assert confirmed.status_code == 200, confirmed.json
    assert (confirmed.json["stage"], confirmed.json["adopted"], confirmed.json["number"]) == (
        "adopted",
        True,
        standard.number,
    )
    events = client.get(f"/api/v1/standards/{standard.id}/events", headers=bearer(token)).json["items"]
    moves = [(e["kind"], e["from_stage"], e["to_stage"]) for e in events if e["to_stage"]]
    assert moves[-3:] == [
        ("adopted", "adoption_review", "adopted"),
        ("stage_changed", "adopted", "periodic_review"),
        ("stage_changed", "periodic_review", "adopted"),
    ]
    registry = client.get("/api/v1/registry?adopted=true").json
    assert [item["number"] for item in registry["items"]] == [standard.number]
    assert registry["items"][0]["stage"] == "adopted"
    page = client.get(f"/registry/{standard.number}").get_data(as_text=True)
    assert "status-adopted" in page
