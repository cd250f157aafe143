"""A secretariat invites a person by a one-time link that expires; the person joins with the role."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from accounts import operations
from accounts.database import utcnow
from accounts.models import Invitation, Membership, Role
from accounts.permissions import OPERATOR
from accounts.refusals import Refused

LINK = re.compile(r'value="(https://standards\.example\.org/invitations/[^"]+)"')


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def secretariat(association, make_member):
    return make_member(association, Role.SECRETARIAT, name="陈秘书")


def invite_through_the_page(client, org, email, role="member", voting="y", weight="1") -> str:
    response = client.post(
        f"/orgs/{org.id}/invitations", data={"email": email, "role": role, "voting": voting, "weight": weight}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    links = LINK.findall(response.get_data(as_text=True))
    assert len(links) == 1
    return links[0].removeprefix("https://standards.example.org")


def test_the_link_comes_from_base_url_not_from_the_host_header(app):
    from accounts.views import invitation_url

    with app.test_request_context("/", headers={"Host": "evil.example"}):
        link = invitation_url("TOKEN")
    assert link == "https://standards.example.org/invitations/TOKEN"


def test_a_new_person_joins_with_the_role_of_the_invitation(app, client, login, association, secretariat, db):
    login(client, secretariat)
    path = invite_through_the_page(client, association, "New.Person@example.org", role="member", weight="3")
    client.post("/logout")

    assert "为 new.person@example.org 创建账号" in client.get(path).get_data(as_text=True)
    response = client.post(
        path, data={"name": "新成员", "password": "long enough 1", "confirm": "long enough 1"}
    )
    assert response.status_code == 302
    assert response.location == f"/orgs/{association.id}"
    membership = db.session.scalar(
        select(Membership).where(Membership.org_id == association.id).order_by(Membership.id.desc())
    )
    assert (membership.user.email, membership.role, membership.voting, membership.weight) == (
        "new.person@example.org",
        Role.MEMBER,
        True,
        3,
    )
    assert "新成员" in client.get("/").get_data(as_text=True)  # logged in as the new account


def test_a_used_invitation_does_not_work_again(client, login, association, secretariat):
    login(client, secretariat)
    path = invite_through_the_page(client, association, "once@example.org")
    client.post("/logout")
    client.post(path, data={"name": "一次", "password": "long enough 1", "confirm": "long enough 1"})
    client.post("/logout")

    again = client.get(path)
    assert again.status_code == 410
    assert "该邀请已被使用" in again.get_data(as_text=True)
    assert (
        client.post(
            path, data={"name": "二次", "password": "long enough 2", "confirm": "long enough 2"}
        ).status_code
        == 410
    )


def test_an_expired_invitation_is_refused(client, association, secretariat, db):
    issued = operations.invite(
        secretariat,
        association,
        "late@example.org",
        Role.MEMBER,
        voting=True,
        weight=1,
        now=utcnow() - timedelta(days=15),
        valid_for=timedelta(days=14),
    )
    db.session.commit()
    response = client.get(f"/invitations/{issued.token}")
    assert response.status_code == 410
    assert "该邀请已过期" in response.get_data(as_text=True)
    assert (
        client.post(
            f"/invitations/{issued.token}",
            data={"name": "迟到", "password": "long enough 1", "confirm": "long enough 1"},
        ).status_code
        == 410
    )
    assert (
        db.session.scalar(
            select(Membership)
            .join(Membership.user)
            .where(Membership.org_id == association.id, Membership.user.has(email="late@example.org"))
        )
        is None
    )


def test_an_unknown_token_is_not_found(client):
    assert client.get("/invitations/not-a-token").status_code == 404


def test_only_a_hash_of_the_token_is_stored(association, secretariat, db):
    issued = operations.invite(
        secretariat,
        association,
        "x@example.org",
        Role.DRAFTER,
        voting=False,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=1),
    )
    db.session.commit()
    stored = db.session.scalar(select(Invitation))
    assert issued.token not in stored.token_hash
    assert stored.token_hash == operations.hash_token(issued.token)


def test_an_existing_account_logs_in_then_joins(client, login, association, secretariat, make_user, db):
    person = make_user(email="known@example.org")
    issued = operations.invite(
        secretariat,
        association,
        person.email,
        Role.DRAFTER,
        voting=False,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=1),
    )
    db.session.commit()
    path = f"/invitations/{issued.token}"
    response = client.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    login(client, person)
    assert client.post(path).status_code == 302
    assert person.membership_in(association).role == Role.DRAFTER


def test_another_logged_in_person_cannot_use_the_link(client, login, association, secretariat, make_user, db):
    issued = operations.invite(
        secretariat,
        association,
        "meant@example.org",
        Role.MEMBER,
        voting=True,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=1),
    )
    db.session.commit()
    login(client, make_user(email="other@example.org"))
    assert client.post(f"/invitations/{issued.token}").status_code == 403
    assert issued.invitation.accepted_at is None


def test_a_withdrawn_invitation_is_refused(client, login, association, secretariat, db):
    login(client, secretariat)
    path = invite_through_the_page(client, association, "maybe@example.org")
    invitation = db.session.scalar(select(Invitation))
    assert client.post(f"/orgs/{association.id}/invitations/{invitation.id}/withdraw").status_code == 302
    client.post("/logout")
    assert client.get(path).status_code == 410


def test_inviting_someone_already_in_the_organisation_is_refused(client, login, association, secretariat):
    login(client, secretariat)
    response = client.post(
        f"/orgs/{association.id}/invitations",
        data={"email": secretariat.email, "role": "member", "voting": "y", "weight": "1"},
    )
    assert response.status_code == 400
    assert "已在本组织中" in response.get_data(as_text=True)


def test_an_agency_only_offers_the_reviewer_role(make_org, make_user, db):
    agency = make_org("agency")
    admin = make_user(is_admin=True)
    with pytest.raises(Refused):
        operations.invite(
            admin,
            agency,
            "x@example.org",
            Role.MEMBER,
            voting=True,
            weight=1,
            now=utcnow(),
            valid_for=timedelta(days=1),
        )
    assert (
        operations.invite(
            admin,
            agency,
            "x@example.org",
            Role.REVIEWER,
            voting=False,
            weight=1,
            now=utcnow(),
            valid_for=timedelta(days=1),
        ).invitation.role
        == Role.REVIEWER
    )


def _invite(secretariat, org, email, role=Role.MEMBER):
    return operations.invite(
        secretariat,
        org,
        email,
        role,
        voting=role == Role.MEMBER,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=14),
    )


def test_inviting_an_address_again_withdraws_its_older_invitation(client, login, association, secretariat):
    login(client, secretariat)
    first = invite_through_the_page(client, association, "twice@example.org", role="member")
    response = client.post(
        f"/orgs/{association.id}/invitations",
        data={"email": "Twice@example.org", "role": "drafter", "weight": "1"},
    )
    page = response.get_data(as_text=True)
    assert "之前发给 twice@example.org 的邀请" in page and "已撤回" in page  # it names the older one
    assert page.count("<span>twice@example.org</span>") == 1  # one open invitation listed
    second = LINK.findall(page)[0].removeprefix("https://standards.example.org")
    client.post("/logout")

    assert client.get(first).status_code == 410
    assert "该邀请已被撤回" in client.get(first).get_data(as_text=True)
    assert "起草人" in client.get(second).get_data(as_text=True)


def test_a_second_invitation_names_the_one_it_replaces(association, secretariat, db):
    first = _invite(secretariat, association, "again@example.org")
    second = _invite(secretariat, association, "again@example.org", Role.DRAFTER)
    db.session.commit()
    assert second.replaced == (first.invitation,)
    assert first.invitation.revoked_at is not None
    assert operations.open_invitations(association, "again@example.org", now=utcnow()) == [second.invitation]


def test_a_member_who_opens_an_invitation_to_their_organisation_is_told_so(
    client, login, association, secretariat, make_user, db
):
    person = make_user(email="already@example.org")
    issued = _invite(secretariat, association, person.email)
    operations.add_member(OPERATOR, association, person, Role.DRAFTER)  # e.g. from the command line
    db.session.commit()
    login(client, person)
    path = f"/invitations/{issued.token}"

    opened = client.get(path)
    assert opened.status_code == 409
    assert f"您已是 {association.name} 的成员，无需此邀请" in opened.get_data(as_text=True)
    assert "加入 深圳市养老服务业协会</button>" not in opened.get_data(as_text=True)
    assert client.post(path).status_code == 409
    memberships = db.session.scalars(select(Membership).where(Membership.user_id == person.id)).all()
    assert [m.role for m in memberships] == [Role.DRAFTER]


def test_accepting_one_of_two_old_invitations_withdraws_the_other(client, association, secretariat, db):
    first = _invite(secretariat, association, "dup@example.org")
    second = _invite(secretariat, association, "dup@example.org")
    first.invitation.revoked_at = None  # two open invitations, as made before an address had only one
    db.session.commit()
    response = client.post(
        f"/invitations/{second.token}",
        data={"name": "重复", "password": "long enough 1", "confirm": "long enough 1"},
    )
    assert response.status_code == 302
    assert client.post(f"/invitations/{first.token}").status_code == 410
    members = db.session.scalars(
        select(Membership).join(Membership.user).where(Membership.user.has(email="dup@example.org"))
    ).all()
    assert len(members) == 1
