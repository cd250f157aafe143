"""The can_* predicates deny by default: nobody, a stranger and an inactive account get False."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from werkzeug.exceptions import Forbidden, NotFound

from accounts.models import Role
from accounts.permissions import (
    can_create_org,
    can_manage_members,
    can_view_org,
    load_org,
    load_org_to_manage,
    role_in,
)


@pytest.fixture
def association(make_org):
    return make_org()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.DRAFTER, Role.MEMBER])
def test_members_see_their_association(association, make_member, role):
    assert can_view_org(make_member(association, role), association)


@pytest.mark.parametrize("role", [Role.DRAFTER, Role.MEMBER])
def test_only_the_secretariat_manages_members(association, make_member, role):
    assert not can_manage_members(make_member(association, role), association)
    assert can_manage_members(make_member(association, Role.SECRETARIAT), association)


def test_nobody_and_strangers_are_refused(association, make_user):
    for actor in (None, AnonymousUserMixin(), make_user()):
        assert not can_view_org(actor, association)
        assert not can_manage_members(actor, association)
        assert not can_create_org(actor)
        assert role_in(actor, association) is None


def test_an_inactive_account_loses_every_right(association, make_member, db):
    secretariat = make_member(association, Role.SECRETARIAT)
    secretariat.is_active_account = False
    db.session.commit()
    assert not can_view_org(secretariat, association)
    assert not can_manage_members(secretariat, association)


def test_the_administrator_sees_and_manages_everything(association, make_user):
    admin = make_user(is_admin=True)
    assert (
        can_view_org(admin, association) and can_manage_members(admin, association) and can_create_org(admin)
    )


def test_load_org_answers_404_for_strangers_and_403_for_members_without_the_right(
    association, make_member, make_user
):
    with pytest.raises(NotFound):
        load_org(association.id, make_user())
    with pytest.raises(NotFound):
        load_org(association.id + 1000, make_user(is_admin=True))
    member = make_member(association, Role.MEMBER)
    assert load_org(association.id, member) is association
    with pytest.raises(Forbidden):
        load_org_to_manage(association.id, member)
