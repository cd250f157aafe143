"""Who may open which accounts page, in their own organisation and in another one.

Other packages extend the matrix in their own test files with the same harness (see
tests/permission_matrix.py); the accounts routes are listed here.
"""

from __future__ import annotations

import io

import pytest
from permission_matrix import Route, cells, everyone, own_members


def _membership_path(suffix: str = ""):
    return lambda world, side: f"/orgs/{side.org.id}/members/{side.membership('member').id}{suffix}"


def _membership_form(world, side):
    prefix = f"m{side.membership('member').id}-"
    return {prefix + "role": "member", prefix + "voting": "y", prefix + "weight": "1"}


def _admin_only(status: int) -> dict[str, int]:
    return {**everyone(403), "admin": status}


def _org_admin_path(suffix: str = ""):
    return lambda world, side: f"/admin/organisations/{side.org.id}{suffix}"


def _add_member_import(world, side) -> None:
    """A stored import preview of each association (one new person), for the preview and confirm routes."""
    from accounts import operations
    from accounts.database import utcnow
    from accounts.permissions import OPERATOR
    from extensions import db

    data = f"email,name,role\r\nbulk-{side.org.code.lower()}@example.org,名单,member\r\n".encode()
    side.extra["member_import"] = operations.preview_member_import(
        OPERATOR, side.org, "m.csv", data, now=utcnow()
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_member_import,)


def _member_list(world, side):
    return {"file": (io.BytesIO(b"email,name,role\r\nsomeone.listed@example.org,x,member\r\n"), "m.csv")}


def _member_import_path(world, side):
    return f"/orgs/{side.org.id}/members/import/{side.member_import.token}"


def _signed_in_elsewhere() -> dict[str, int]:
    """The login page: a visitor sees it, a signed-in user is sent on to the desk."""
    return {**everyone(302), "anonymous": 200}


ROUTES = [
    Route("desk", "GET", lambda w, s: "/", everyone(200), scoped=False),
    Route("password page", "GET", lambda w, s: "/account/password", everyone(200), scoped=False),
    # e-mail notices: everyone chooses their own categories; the outbox is the administrator's
    Route("account page", "GET", lambda w, s: "/account", everyone(200), scoped=False),
    Route(
        "notice settings",
        "POST",
        lambda w, s: "/account/notices",
        everyone(302),
        data=lambda w, s: {"category": ["ballot_result"]},
        scoped=False,
    ),
    Route("outbox", "GET", lambda w, s: "/admin/outbox", _admin_only(200), scoped=False),
    Route("audit log", "GET", lambda w, s: "/admin/audit", _admin_only(200), scoped=False),
    # signing in and out, the account's password, tokens and language, invitations
    Route("login page", "GET", lambda w, s: "/login", _signed_in_elsewhere(), scoped=False),
    Route(
        "login with a wrong password",
        "POST",
        lambda w, s: "/login",
        _signed_in_elsewhere(),
        data=lambda w, s: {"email": "nobody@example.org", "password": "wrong"},
        scoped=False,
    ),
    Route("logout", "POST", lambda w, s: "/logout", everyone(302), scoped=False, to_login=False),
    Route(
        "password change with a wrong current password",
        "POST",
        lambda w, s: "/account/password",
        everyone(200),
        data=lambda w, s: {"current_password": "wrong", "new_password": "x", "confirm": "y"},
        scoped=False,
    ),
    Route(
        "new API token",
        "POST",
        lambda w, s: "/account/tokens",
        everyone(200),
        data=lambda w, s: {"name": "矩阵"},
        scoped=False,
    ),
    Route(
        "revoke a token not yours",
        "POST",
        lambda w, s: "/account/tokens/999999/revoke",
        everyone(404),
        scoped=False,
    ),
    Route(
        "language",
        "POST",
        lambda w, s: "/language",
        everyone(302, anonymous=302),
        data=lambda w, s: {"locale": "en"},
        scoped=False,
        to_login=False,
    ),
    Route(
        "unknown invitation",
        "GET",
        lambda w, s: "/invitations/not-a-token",
        everyone(404, anonymous=404),
        scoped=False,
    ),
    Route(
        "accept an unknown invitation",
        "POST",
        lambda w, s: "/invitations/not-a-token",
        everyone(404, anonymous=404),
        data=lambda w, s: {"name": "某人", "password": "password-123", "confirm": "password-123"},
        scoped=False,
    ),
    Route("organisation page", "GET", lambda w, s: f"/orgs/{s.org.id}", own_members(200)),
    Route(
        "members page",
        "GET",
        lambda w, s: f"/orgs/{s.org.id}/members",
        own_members(200, drafter=403, member=403),
    ),
    Route(
        "invite",
        "POST",
        lambda w, s: f"/orgs/{s.org.id}/invitations",
        own_members(200, drafter=403, member=403),
        data=lambda w, s: {
            "email": "someone.new@example.org",
            "role": "member",
            "voting": "y",
            "weight": "1",
        },
    ),
    Route(
        "withdraw invitation",
        "POST",
        lambda w, s: f"/orgs/{s.org.id}/invitations/{s.invitation.id}/withdraw",
        own_members(302, drafter=403, member=403),
    ),
    Route(
        "change membership",
        "POST",
        _membership_path(),
        own_members(302, drafter=403, member=403),
        data=_membership_form,
    ),
    Route("remove member", "POST", _membership_path("/remove"), own_members(302, drafter=403, member=403)),
    # members in bulk: the association's secretariat (and the administrator) only
    Route(
        "member import page",
        "GET",
        lambda w, s: f"/orgs/{s.org.id}/members/import",
        own_members(200, drafter=403, member=403),
    ),
    Route(
        "upload member list",
        "POST",
        lambda w, s: f"/orgs/{s.org.id}/members/import",
        own_members(302, drafter=403, member=403),
        data=_member_list,
    ),
    Route("member import preview", "GET", _member_import_path, own_members(200, drafter=403, member=403)),
    Route("apply member import", "POST", _member_import_path, own_members(200, drafter=403, member=403)),
    # the administrator's organisation pages: 403 for anyone else, 404 for an organisation not theirs to see
    Route("organisations page", "GET", lambda w, s: "/admin/organisations", _admin_only(200), scoped=False),
    Route(
        "create organisation",
        "POST",
        lambda w, s: "/admin/organisations",
        _admin_only(302),
        data=lambda w, s: {"kind": "agency", "name": "新建的局"},
        scoped=False,
    ),
    Route("organisation admin page", "GET", _org_admin_path(), own_members(403, admin=200)),
    Route(
        "rename organisation",
        "POST",
        _org_admin_path("/name"),
        own_members(403, admin=302),
        data=lambda w, s: {"name": "改名协会"},
    ),
    Route(
        "set association code",
        "POST",
        _org_admin_path("/code"),
        own_members(403, admin=302),
        data=lambda w, s: {"code": f"NEW{s.org.id}"},
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)
