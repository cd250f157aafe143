"""Logging in and out: the real form, a generic refusal, throttling, sessions that really end."""

from __future__ import annotations

import os
import uuid

import pytest
from flask import Flask
from sqlalchemy import select

from accounts.models import User


def test_login_with_the_right_password_opens_the_desk(client, make_user, login):
    user = make_user(name="陈秘书")
    response = login(client, user)
    assert response.status_code == 302
    assert response.location == "/"
    assert "陈秘书" in client.get("/").get_data(as_text=True)


def test_login_is_case_insensitive_for_the_email(client, make_user, login):
    make_user(email="mixed@example.org")
    assert login(client, "Mixed@Example.ORG").status_code == 302


def test_wrong_password_gets_the_same_message_as_an_unknown_email(client, make_user, login):
    user = make_user()
    wrong_password = login(client, user, password="not the password").get_data(as_text=True)
    unknown_email = login(client, "nobody@example.org").get_data(as_text=True)
    message = "邮箱或密码不正确"
    assert message in wrong_password
    assert message in unknown_email
    assert client.get("/").status_code == 302  # still not logged in


def test_an_inactive_account_cannot_log_in(client, make_user, db, login):
    user = make_user()
    user.is_active_account = False
    db.session.commit()
    assert login(client, user).status_code == 200


def test_repeated_failures_are_throttled_with_a_429_page(client, make_user, login):
    user = make_user()
    for _attempt in range(5):
        assert login(client, user, password="guess").status_code == 200
    throttled = login(client, user, password="guess")
    assert throttled.status_code == 429
    assert "尝试次数过多" in throttled.get_data(as_text=True)
    # even the right password waits until the minute has passed
    assert login(client, user).status_code == 429


def test_successful_logins_are_not_counted_as_failures(client, make_user, login):
    user = make_user()
    for _attempt in range(7):
        assert login(client, user).status_code == 302
        client.post("/logout")


def test_throttling_counts_per_email(client, make_user, login):
    victim, other = make_user(), make_user()
    for _attempt in range(5):
        login(client, victim, password="guess")
    assert login(client, victim, password="guess").status_code == 429
    assert login(client, other).status_code == 302


def test_next_parameter_only_redirects_within_the_site(client, make_user, password):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": password, "next": "//evil.example"}
    )
    assert response.location == "/"


def test_next_parameter_keeps_a_path_of_the_site(client, make_user, password):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": password, "next": "/standards/3?old=1&new=2"}
    )
    assert response.location == "/standards/3?old=1&new=2"


def test_logout_ends_the_session(client, make_user, login):
    login(client, make_user())
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_copied_session_cookie_stops_working_after_logout(app: Flask, client, make_user, login):
    login(client, make_user())
    stolen = _session_cookie(client)
    client.post("/logout")

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_a_copied_session_cookie_stops_working_after_a_password_change(
    app: Flask, client, make_user, login, password
):
    login(client, make_user())
    stolen = _session_cookie(client)
    response = client.post(
        "/account/password",
        data={"current_password": password, "new_password": "a new secret 7", "confirm": "a new secret 7"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the browser that changed it stays logged in

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/").status_code == 302


def test_password_change_needs_the_current_password(client, make_user, db, login, password):
    user = make_user()
    login(client, user)
    response = client.post(
        "/account/password",
        data={"current_password": "wrong", "new_password": "a new secret 7", "confirm": "a new secret 7"},
    )
    assert response.status_code == 200
    assert "当前密码不正确" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.id == user.id)).check_password(password)


def test_password_change_refuses_a_short_password(client, make_user, login, password):
    login(client, make_user())
    response = client.post(
        "/account/password", data={"current_password": password, "new_password": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert client.get("/").status_code == 200  # nothing changed, still logged in


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_form_without_csrf_token_is_refused(client, make_user, password):
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_logout_without_csrf_token_is_refused(client, make_user, login):
    login(client, make_user())  # the helper sends the form's token
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


REDIS_URL = os.environ.get("REDIS_URL", "")
KEY_PREFIX = f"test-{uuid.uuid4().hex}"


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set (.ci/run sets it)")
@pytest.mark.parametrize(
    "app_config", [{"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": KEY_PREFIX}]
)
def test_throttling_counts_in_redis_when_configured(client, make_user, login):
    """With several gunicorn workers the counts must be shared: Redis, not each worker's memory."""
    import redis

    user = make_user()
    for _attempt in range(5):
        login(client, user, password="guess")
    assert login(client, user, password="guess").status_code == 429
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{KEY_PREFIX}*")
    assert keys, "no rate-limit counters in Redis"
