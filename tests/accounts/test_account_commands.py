"""`flask --app wsgi create-user | create-org | add-member | demo`."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import Membership, Organisation, OrgKind, Role, User


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_user_org_and_membership(app, db):
    assert (
        run(
            app, "create-user", "--email", "Ann@Example.org", "--name", "安", "--password", "long enough 1"
        ).exit_code
        == 0
    )
    result = run(app, "create-org", "--kind", "association", "--name", "测试协会", "--code", "CSXH")
    assert result.exit_code == 0, result.output
    result = run(
        app, "add-member", "--email", "ann@example.org", "--org", "CSXH", "--role", "member", "--weight", "2"
    )
    assert result.exit_code == 0, result.output
    membership = db.session.scalar(select(Membership))
    assert (
        membership.user.email,
        membership.org.code,
        membership.role,
        membership.voting,
        membership.weight,
    ) == ("ann@example.org", "CSXH", Role.MEMBER, True, 2)


def test_create_org_refuses_a_bad_code(app):
    result = run(app, "create-org", "--kind", "association", "--name", "坏代号协会", "--code", "bad code")
    assert result.exit_code != 0
    assert "2 至 12" in result.output or "2 to 12" in result.output


def test_create_user_refuses_a_duplicate(app):
    run(app, "create-user", "--email", "a@example.org", "--name", "甲", "--password", "long enough 1")
    result = run(
        app, "create-user", "--email", "A@example.org", "--name", "甲", "--password", "long enough 1"
    )
    assert result.exit_code != 0


def test_add_member_refuses_a_member_role_in_an_agency(app):
    run(app, "create-user", "--email", "a@example.org", "--name", "甲", "--password", "long enough 1")
    run(app, "create-org", "--kind", "agency", "--name", "某局")
    result = run(app, "add-member", "--email", "a@example.org", "--org", "1", "--role", "member")
    assert result.exit_code != 0


def test_demo_creates_the_demo_world_once(app, db):
    first = run(app, "demo")
    assert first.exit_code == 0, first.output
    assert "secretariat@demo.test" in first.output
    association = db.session.scalar(select(Organisation).where(Organisation.code == "SZYL"))
    assert association.name == "深圳市养老服务业协会"
    roles = sorted((m.user.email, m.role.value, m.voting) for m in association.memberships)
    assert roles == sorted(
        [("secretariat@demo.test", "secretariat", False), ("drafter@demo.test", "drafter", False)]
        + [(f"member{i}@demo.test", "member", True) for i in range(1, 6)]
    )
    agency = db.session.scalar(select(Organisation).where(Organisation.kind == OrgKind.AGENCY))
    assert agency.name == "深圳市市场监督管理局"
    assert [m.user.email for m in agency.memberships] == ["reviewer@demo.test"]
    admin = db.session.scalar(select(User).where(User.email == "admin@demo.test"))
    assert admin.is_admin and admin.check_password("demo")

    count = db.session.scalar(select(func.count(User.id)))
    second = run(app, "demo")
    assert second.exit_code == 0
    assert "already" in second.output
    assert db.session.scalar(select(func.count(User.id))) == count


def test_demo_password_comes_from_the_configuration(app, db):
    app.config["DEMO_PASSWORD"] = "another one"
    run(app, "demo")
    user = db.session.scalar(select(User).where(User.email == "member3@demo.test"))
    assert user.check_password("another one")
