"""Proposals: a member proposes, the secretariat accepts (drafting, skeleton with title and scope) or
declines with a reason the proposer reads on the desk; nobody else decides."""

from __future__ import annotations

import pytest

from accounts.models import Role
from accounts.refusals import Refused
from authoring.events import events_of
from authoring.models import Stage
from workflow import proposals


def _propose(association, member, clock, **overrides):
    values = {
        "title_zh": "社区居家养老服务规范",
        "scope": "本文件规定了社区居家养老服务的内容和要求。",
        "reason": "各区服务质量参差不齐。",
        "drafting_units": "深圳市养老服务业协会、某某科技有限公司",
    }
    values.update(overrides)
    return proposals.propose(association, member, now=clock.tick(), **values)


def test_a_member_proposes_a_standard_in_the_proposal_stage(association, member, clock, db):
    proposal = _propose(association, member, clock)
    db.session.commit()
    standard = proposal.standard
    assert standard.stage == Stage.PROPOSAL.value
    assert standard.latest_number == 0 and standard.latest_revision() is None
    assert proposal.proposer == member and proposal.is_open
    assert [e.kind for e in events_of(standard)] == ["proposed"]


def test_the_title_is_required(association, member, clock, db):
    with pytest.raises(Refused) as refused:
        _propose(association, member, clock, title_zh="  ")
    assert refused.value.kind == "invalid"


def test_accepting_creates_a_drafting_project_whose_skeleton_has_the_title_and_scope(
    association, member, secretariat, clock, db
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    standard = proposals.accept(proposal, secretariat, now=clock.tick())
    db.session.commit()
    assert standard.stage == Stage.DRAFTING.value
    revision = standard.latest_revision()
    assert revision is not None and revision.number == 1
    assert 'zh: "社区居家养老服务规范"' in revision.text
    assert "本文件规定了社区居家养老服务的内容和要求。" in revision.text
    assert "某某科技有限公司" in revision.text
    assert "本文件规定了……" not in revision.text
    kinds = [e.kind for e in events_of(standard)]
    assert "stage_changed" in kinds and "proposal_accepted" in kinds
    assert proposal.decision == "accepted" and proposal.decided_by == secretariat


def test_declining_needs_a_reason_and_the_proposer_reads_it_on_the_desk(
    association, member, secretariat, clock, client, login, db
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        proposals.decline(proposal, secretariat, now=clock.tick(), reason="   ")
    assert refused.value.kind == "invalid"
    db.session.rollback()

    login(client, secretariat)
    response = client.post(f"/proposals/{proposal.id}/decline", data={"reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.is_open and proposal.standard.stage == Stage.PROPOSAL.value

    response = client.post(f"/proposals/{proposal.id}/decline", data={"reason": "与现行标准重复"})
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.decision == "declined"
    assert proposal.standard.stage == Stage.CANCELLED.value
    cancel = [e for e in events_of(proposal.standard) if e.kind == "stage_changed"]
    assert cancel and cancel[-1].note == "与现行标准重复"

    client.post("/logout")
    login(client, member)
    desk = client.get("/").get_data(as_text=True)
    assert "社区居家养老服务规范" in desk and "与现行标准重复" in desk


def test_the_proposer_sees_the_accepted_project_linked_on_the_desk(
    association, member, secretariat, clock, client, login, db
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    login(client, secretariat)
    listing = client.get(f"/associations/{association.id}/proposals").get_data(as_text=True)
    assert "社区居家养老服务规范" in listing and "各区服务质量参差不齐" in listing
    assert client.post(f"/proposals/{proposal.id}/accept").status_code == 302
    client.post("/logout")
    login(client, member)
    desk = client.get("/").get_data(as_text=True)
    assert f"/standards/{proposal.standard_id}" in desk


def test_the_form_proposes_from_the_association_page(association, member, client, login, db):
    login(client, member)
    org_page = client.get(f"/orgs/{association.id}").get_data(as_text=True)
    assert f"/associations/{association.id}/proposals/new" in org_page
    response = client.post(
        f"/associations/{association.id}/proposals/new",
        data={"title_zh": "智慧养老平台接口要求", "scope": "接口", "reason": "", "drafting_units": ""},
    )
    assert response.status_code == 302
    assert [p.standard.title_zh for p in proposals.proposals_of(association)] == ["智慧养老平台接口要求"]
    empty = client.post(f"/associations/{association.id}/proposals/new", data={"title_zh": ""})
    assert empty.status_code == 200
    assert len(proposals.proposals_of(association)) == 1


@pytest.mark.parametrize("role", [Role.MEMBER, Role.DRAFTER])
def test_only_the_secretariat_decides(association, member, make_member, clock, client, login, db, role):
    proposal = _propose(association, member, clock)
    db.session.commit()
    other = make_member(association, role)
    login(client, other)
    assert client.get(f"/associations/{association.id}/proposals").status_code == 403
    assert client.post(f"/proposals/{proposal.id}/accept").status_code == 403
    assert client.post(f"/proposals/{proposal.id}/decline", data={"reason": "不需要"}).status_code == 403
    db.session.expire_all()
    assert proposal.is_open and proposal.standard.stage == Stage.PROPOSAL.value


def test_another_associations_proposal_is_not_found(
    association, member, make_org, make_member, clock, client, login, db
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    other_org = make_org("association", name="广州市标准化协会", code="GZBZ")
    stranger = make_member(other_org, Role.SECRETARIAT)
    login(client, stranger)
    assert client.post(f"/proposals/{proposal.id}/accept").status_code == 404
    assert client.post(f"/proposals/{proposal.id}/decline", data={"reason": "x"}).status_code == 404
    assert client.get(f"/associations/{association.id}/proposals").status_code == 404
    assert client.get(f"/associations/{association.id}/proposals/new").status_code == 404
    db.session.expire_all()
    assert proposal.is_open


def test_a_proposal_without_text_shows_in_the_standards_list(
    association, member, secretariat, clock, client, login, db
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    login(client, secretariat)
    listing = client.get(f"/associations/{association.id}/standards")
    assert listing.status_code == 200 and "社区居家养老服务规范" in listing.get_data(as_text=True)
    # the link leads to the project's page: its stage, why it cannot move yet, and its events
    page = client.get(f"/standards/{proposal.standard_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "提案" in html
    assert "首个版本将在秘书处接受提案时写成" in html
    assert 'name="move" value="accept"' in html


@pytest.mark.parametrize(
    ("move", "stage", "decision"), [("accept", "drafting", "accepted"), ("cancel", "cancelled", "declined")]
)
def test_the_stage_page_decides_a_proposal_as_the_proposals_page_does(
    association, member, secretariat, clock, client, login, db, move, stage, decision
):
    proposal = _propose(association, member, clock)
    db.session.commit()
    login(client, secretariat)
    response = client.post(
        f"/standards/{proposal.standard_id}/stages", data={"move": move, "reason": "范围与现行标准重复"}
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.standard.stage == stage and proposal.decision == decision
    if move == "accept":
        assert proposal.standard.latest_number == 1  # the skeleton with the title and scope
    else:
        assert proposal.decision_reason == "范围与现行标准重复"


def test_the_generic_move_does_not_accept_a_proposal_without_its_skeleton(
    association, member, secretariat, clock, db
):
    from workflow import operations

    proposal = _propose(association, member, clock)
    db.session.commit()
    with pytest.raises(Refused) as refused:
        operations.transition(proposal.standard, secretariat, "accept", now=clock.tick())
    assert refused.value.kind == "gate"
    db.session.rollback()
    assert proposal.standard.stage == Stage.PROPOSAL.value and proposal.is_open
