"""The audit log's account events: accounts created (by the operator, by an invited person, by the
demo loader), wrong current passwords on the password page, and throttled logins, one entry per
limit's key and window however many requests the limiter turns away."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, text

from accounts import operations
from accounts.audit import ACTION_LABELS, AuditEntry
from accounts.database import utcnow
from accounts.demo import DEMO_PEOPLE
from accounts.models import Role, User
from accounts.permissions import OPERATOR
from extensions import db

NEW_ACTIONS = ("user_created", "password_change_failed", "login_throttled")


def _entries(action: str | None = None) -> list[AuditEntry]:
    db.session.expire_all()
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


def _verify_passes(app) -> None:
    db.session.commit()  # the command shares the test's session: let it read what was written since
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "audit log intact" in result.output


def _post_login(client, email: str, password: str = "a wrong guess"):
    return client.post("/login", data={"email": email, "password": password})


# -- accounts created ------------------------------------------------------------------------------


def test_create_user_records_the_operator_the_email_and_never_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "Ann@Example.org", "--name", "安", "--password", "secret words 9"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ann@example.org"))
    (entry,) = _entries()
    assert (entry.action, entry.actor_id, entry.actor_label, entry.remote_addr) == (
        "user_created",
        None,
        "operator",
        None,
    )
    assert entry.subject == f"user:{user.id}"
    assert entry.details_dict == {"email": "ann@example.org", "is_admin": False}
    assert "secret words 9" not in entry.details
    _verify_passes(app)


def test_an_administrator_made_at_the_command_line_is_recorded_as_one(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "root@example.org", "--name", "管", "--password", "x" * 12, "--admin"]
    )
    assert result.exit_code == 0, result.output
    (entry,) = _entries("user_created")
    assert entry.details_dict == {"email": "root@example.org", "is_admin": True}


def test_a_refused_create_user_leaves_no_entry(app, make_user):
    make_user("taken@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-user", "--email", "taken@example.org", "--name", "重", "--password", "x" * 12]
    )
    assert result.exit_code != 0
    assert _entries("user_created") == []


def test_an_invited_person_making_their_account_is_its_actor(app, client, make_org):
    org = make_org()
    issued = operations.invite(
        OPERATOR,
        org,
        "New.Person@example.org",
        Role.MEMBER,
        voting=True,
        weight=1,
        now=utcnow(),
        valid_for=timedelta(days=7),
    )
    db.session.commit()
    response = client.post(
        f"/invitations/{issued.token}",
        data={"name": "新成员", "password": "long enough 1", "confirm": "long enough 1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.email == "new.person@example.org"))
    (created,) = _entries("user_created")
    assert (created.actor_id, created.actor_label) == (user.id, user.email)
    assert created.subject == f"user:{user.id}"
    assert created.details_dict == {"email": "new.person@example.org", "is_admin": False}
    assert created.remote_addr == "127.0.0.1"
    assert "long enough 1" not in created.details
    # the account first, then the membership it joined with, in the same unit of work
    assert [e.action for e in _entries()][-2:] == ["user_created", "invitation_accepted"]
    _verify_passes(app)


def test_the_demo_loader_records_each_demo_account_by_the_operator(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    created = _entries("user_created")
    assert sorted(e.details_dict["email"] for e in created) == sorted(p[0] for p in DEMO_PEOPLE)
    assert {e.actor_label for e in created} == {"operator"}
    assert [e.details_dict["email"] for e in created if e.details_dict["is_admin"]] == ["admin@demo.test"]
    _verify_passes(app)


# -- a wrong current password ----------------------------------------------------------------------


def test_a_wrong_current_password_is_recorded_once_without_the_text(app, client, login, make_user, password):
    user = make_user()
    login(client, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": "my wrong guess",
            "new_password": "a new password 7",
            "confirm": "a new password 7",
        },
    )
    assert response.status_code == 200
    assert "当前密码不正确" in response.get_data(as_text=True)
    (entry,) = _entries("password_change_failed")
    assert (entry.actor_id, entry.actor_label, entry.subject) == (user.id, user.email, f"user:{user.id}")
    assert entry.remote_addr == "127.0.0.1"
    assert entry.details_dict == {}
    assert "my wrong guess" not in entry.details and "a new password 7" not in entry.details
    assert db.session.get(User, user.id).check_password(password)  # nothing else was committed
    _verify_passes(app)


def test_a_short_new_password_with_the_right_current_one_is_not_a_failed_change(
    app, client, login, make_user, password
):
    login(client, make_user())
    response = client.post(
        "/account/password",
        data={"current_password": password, "new_password": "short", "confirm": "short"},
    )
    assert response.status_code == 200
    assert [e.action for e in _entries()] == ["login"]


# -- throttled logins ------------------------------------------------------------------------------


def test_thirty_throttled_logins_of_one_email_leave_one_entry(app, client, make_user):
    user = make_user("chen@example.org")
    for _attempt in range(5):  # LOGIN_LIMIT: 5 failures a minute
        assert _post_login(client, user.email).status_code == 200
    for _attempt in range(30):
        assert _post_login(client, "Chen@Example.org").status_code == 429
    (entry,) = _entries("login_throttled")
    assert (entry.actor_id, entry.actor_label, entry.remote_addr) == (None, "", "127.0.0.1")
    assert entry.details_dict["email"] == "chen@example.org"
    assert entry.details_dict["limit"] == "5 per 1 minute"
    assert "a wrong guess" not in entry.details
    assert len(_entries("login_failed")) == 5
    _verify_passes(app)


def test_another_email_throttled_from_the_same_address_has_its_own_entry(app, client):
    for email in ("a@example.org", "b@example.org"):
        for _attempt in range(5):
            _post_login(client, email)
        for _attempt in range(3):
            assert _post_login(client, email).status_code == 429
    throttled = [e.details_dict["email"] for e in _entries("login_throttled")]
    assert throttled == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize(
    "app_config", [{"LOGIN_LIMIT": "100 per minute", "LOGIN_LIMIT_PER_ADDRESS": "3 per minute"}]
)
def test_an_address_throttled_over_many_emails_leaves_one_entry(app, client):
    for number in range(3):
        assert _post_login(client, f"guess{number}@example.org").status_code == 200
    for number in range(30):
        assert _post_login(client, f"spray{number}@example.org").status_code == 429
    (entry,) = _entries("login_throttled")
    assert (entry.remote_addr, entry.details_dict["email"]) == ("127.0.0.1", "spray0@example.org")
    assert entry.details_dict["limit"] == "3 per 1 minute"
    _verify_passes(app)


@pytest.mark.parametrize(
    "app_config",
    # without the fallback Flask-Limiter re-raises whatever its callback raises: a 500
    [{"RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False}, {"RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True}],
    ids=["no-fallback", "fallback"],
)
def test_a_log_that_cannot_be_written_still_answers_429_not_500(app, client):
    for _attempt in range(5):
        _post_login(client, "chen@example.org")
    db.session.commit()
    with db.engine.begin() as connection:  # the table is away: every append fails
        connection.execute(text("ALTER TABLE audit_log RENAME TO audit_log_away"))
    try:
        response = _post_login(client, "chen@example.org")
    finally:
        db.session.rollback()
        with db.engine.begin() as connection:
            connection.execute(text("ALTER TABLE audit_log_away RENAME TO audit_log"))
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)
    assert _entries("login_throttled") == []
    # and the limiter goes on counting as before
    assert _post_login(client, "chen@example.org").status_code == 429
    assert _post_login(client, "other@example.org").status_code == 200
    _verify_passes(app)


# -- the administrator's page ------------------------------------------------------------------------


def test_every_new_action_has_a_chinese_label(app):
    with app.test_request_context("/"), force_locale("zh_Hans_CN"):
        for action in NEW_ACTIONS:
            assert re.search(r"[\u4e00-\u9fff]", str(ACTION_LABELS[action])), action


def test_the_administrator_reads_a_throttled_login_in_words(app, client, login, make_user):
    admin = make_user(is_admin=True)
    for _attempt in range(6):
        _post_login(client, "chen@example.org")
    login(client, admin)
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "login_throttled" in body and str(_label("login_throttled", app)) in body


def _label(action: str, app) -> str:
    with app.test_request_context("/"), force_locale("zh_Hans_CN"):
        return str(ACTION_LABELS[action])
