"""A secretariat manages its members in the browser; nobody else does, and other associations see 404."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from accounts import operations
from accounts.models import Membership, Role
from accounts.permissions import OPERATOR
from accounts.refusals import Refused


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def secretariat(association, make_member):
    return make_member(association, Role.SECRETARIAT, name="陈秘书")


def test_the_organisation_page_lists_the_members(client, login, association, secretariat, make_member):
    make_member(association, Role.MEMBER, name="张一")
    login(client, secretariat)
    page = client.get(f"/orgs/{association.id}").get_data(as_text=True)
    assert "深圳市养老服务业协会" in page
    assert "张一" in page and "陈秘书" in page
    assert "管理成员" in page


def test_a_member_sees_the_page_without_the_management_link(client, login, association, make_member):
    login(client, make_member(association, Role.MEMBER))
    page = client.get(f"/orgs/{association.id}").get_data(as_text=True)
    assert "管理成员" not in page
    assert client.get(f"/orgs/{association.id}/members").status_code == 403


def test_secretariat_changes_role_voting_and_weight(client, login, association, secretariat, make_member, db):
    member = make_member(association, Role.MEMBER)
    membership = member.membership_in(association)
    login(client, secretariat)
    prefix = f"m{membership.id}-"
    response = client.post(
        f"/orgs/{association.id}/members/{membership.id}",
        data={prefix + "role": "drafter", prefix + "weight": "2"},  # voting unticked
    )
    assert response.status_code == 302
    db.session.refresh(membership)
    assert (membership.role, membership.voting, membership.weight) == (Role.DRAFTER, False, 2)


def test_secretariat_removes_a_member(client, login, association, secretariat, make_member, db):
    member = make_member(association, Role.MEMBER)
    membership_id = member.membership_in(association).id
    login(client, secretariat)
    assert client.post(f"/orgs/{association.id}/members/{membership_id}/remove").status_code == 302
    assert db.session.get(Membership, membership_id) is None
    assert "已不再是本组织成员" in client.get(f"/orgs/{association.id}/members").get_data(as_text=True)


def test_the_last_secretariat_cannot_be_removed_or_demoted(client, login, association, secretariat, db):
    membership = secretariat.membership_in(association)
    login(client, secretariat)
    client.post(f"/orgs/{association.id}/members/{membership.id}/remove")
    prefix = f"m{membership.id}-"
    client.post(
        f"/orgs/{association.id}/members/{membership.id}",
        data={prefix + "role": "member", prefix + "weight": "1"},
    )
    db.session.refresh(membership)
    assert membership.role == Role.SECRETARIAT
    assert "协会至少需要一名秘书处成员" in client.get(f"/orgs/{association.id}/members").get_data(
        as_text=True
    )


def test_another_associations_membership_id_is_not_found(
    client, login, association, secretariat, make_org, make_member, db
):
    other = make_org()
    stranger = make_member(other, Role.MEMBER)
    stranger_membership = stranger.membership_in(other)
    login(client, secretariat)
    # the secretariat's own organisation in the URL, another one's membership id
    assert client.post(f"/orgs/{association.id}/members/{stranger_membership.id}/remove").status_code == 404
    # another organisation's id in the URL
    assert client.get(f"/orgs/{other.id}").status_code == 404
    assert client.get(f"/orgs/{other.id}/members").status_code == 404
    assert client.post(f"/orgs/{other.id}/members/{stranger_membership.id}/remove").status_code == 404
    assert db.session.get(Membership, stranger_membership.id) is not None


def test_an_unknown_organisation_is_not_found(client, login, secretariat):
    login(client, secretariat)
    assert client.get("/orgs/99999").status_code == 404


def test_the_administrator_manages_any_organisation(client, login, association, make_user):
    login(client, make_user(is_admin=True))
    assert client.get(f"/orgs/{association.id}/members").status_code == 200


def test_operations_refuse_an_actor_without_the_right(association, make_member):
    drafter = make_member(association, Role.DRAFTER)
    member = make_member(association, Role.MEMBER)
    with pytest.raises(Refused) as refused:
        operations.remove_member(drafter, member.membership_in(association))
    assert refused.value.kind == "forbidden"


def test_desk_lists_my_organisations_and_roles(
    client, login, association, make_member, make_org, make_membership
):
    agency = make_org("agency", name="深圳市市场监督管理局")
    user = make_member(association, Role.MEMBER)
    make_membership(user, agency, Role.REVIEWER)
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert "深圳市养老服务业协会" in page and "深圳市市场监督管理局" in page
    assert "审查员" in page and "成员" in page
    assert "目前没有待办事项" in page


def test_two_secretaries_removed_at_once_leave_one(app, association, secretariat, make_member, db):
    """Each removal decides on the count of secretaries; the second must decide after the first."""
    other = make_member(association, Role.SECRETARIAT)
    ids = [secretariat.membership_in(association).id, other.membership_in(association).id]
    first_flushed, second_started = threading.Event(), threading.Event()
    outcomes: dict[int, object] = {}

    def remove(index: int) -> None:
        with app.app_context():
            if index == 1:
                first_flushed.wait(10)
                second_started.set()
            try:
                operations.remove_member(OPERATOR, db.session.get(Membership, ids[index]))
                if index == 0:
                    first_flushed.set()
                    second_started.wait(10)
                    time.sleep(0.3)  # the second removal is waiting for the lock meanwhile
                db.session.commit()
                outcomes[index] = "removed"
            except Exception as error:  # the outcome is what the test checks
                db.session.rollback()
                outcomes[index] = error
            finally:
                first_flushed.set()
                db.session.remove()

    threads = [threading.Thread(target=remove, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes[0] == "removed"
    assert isinstance(outcomes[1], Refused)
    db.session.rollback()  # end this session's snapshot, taken before the threads ran
    remaining = db.session.scalars(
        select(Membership).where(Membership.org_id == association.id, Membership.role == Role.SECRETARIAT)
    ).all()
    assert [m.id for m in remaining] == [ids[1]]


def test_an_agency_page_shows_no_voting_right_or_weight(client, login, make_org, make_member, make_user):
    agency = make_org("agency", name="深圳市市场监督管理局")
    make_member(agency, Role.REVIEWER, name="周审查")
    login(client, make_user(is_admin=True))
    for path in (f"/orgs/{agency.id}", f"/orgs/{agency.id}/members"):
        page = client.get(path).get_data(as_text=True)
        assert "周审查" in page, path
        assert "表决权" not in page and "表决权重" not in page, path
        assert 'name="voting"' not in page and 'name="weight"' not in page, path


def test_an_association_page_still_shows_voting_right_and_weight(client, login, association, secretariat):
    login(client, secretariat)
    assert "表决权重" in client.get(f"/orgs/{association.id}").get_data(as_text=True)
    members = client.get(f"/orgs/{association.id}/members").get_data(as_text=True)
    assert 'name="voting"' in members and 'name="weight"' in members


def test_a_reviewer_gets_no_vote_whatever_the_form_sends(make_org, make_user, db):
    agency = make_org("agency")
    membership = operations.add_member(
        make_user(is_admin=True), agency, make_user(), Role.REVIEWER, voting=True, weight=5
    )
    assert (membership.voting, membership.weight) == (False, 1)
