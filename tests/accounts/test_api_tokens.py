"""Personal API tokens: made on the account page or by `flask create-token`, shown once, stored as a
hash, revocable, their last use recorded at most once a minute outside the request's own writes."""

from __future__ import annotations

from datetime import timedelta

from app_testing import bearer
from sqlalchemy import select

from accounts import tokens
from accounts.database import utcnow
from accounts.models import ApiToken
from accounts.operations import hash_token
from accounts.permissions import OPERATOR
from extensions import db


def test_a_token_acts_as_its_user_and_only_its_hash_is_stored(client, make_user, make_token):
    user = make_user()
    token = make_token(user, "CI")
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert token.startswith("sf_") and len(token) >= 40
    answer = client.get("/api/v1/agencies", headers=bearer(token))
    assert answer.status_code == 200


def test_without_a_token_the_api_answers_401_unauthenticated(client):
    answer = client.get("/api/v1/agencies")
    assert answer.status_code == 401
    assert answer.json["error"]["code"] == "unauthenticated"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_or_malformed_token_is_401(client):
    for header in ("Bearer sf_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "sf_abc"):
        answer = client.get("/api/v1/agencies", headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.json["error"]["code"] == "unauthenticated"


def test_a_revoked_token_no_longer_works_even_on_a_public_route(client, make_user, make_token):
    user = make_user()
    token = make_token(user)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    tokens.revoke_token(user, row, now=utcnow())
    db.session.commit()
    assert client.get("/api/v1/agencies", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/openapi.json", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_a_disabled_account_s_token_is_401(client, make_user, make_token):
    user = make_user()
    token = make_token(user)
    user.is_active_account = False
    db.session.commit()
    assert client.get("/api/v1/agencies", headers=bearer(token)).status_code == 401


def test_the_api_ignores_the_session_cookie(client, make_user, login):
    user = make_user()
    assert login(client, user).status_code == 302
    assert client.get("/").status_code == 200  # logged in in the browser
    assert client.get("/api/v1/agencies").status_code == 401


def test_the_last_use_is_written_once_a_minute_in_its_own_transaction(client, make_user, make_token):
    user = make_user()
    token = make_token(user)
    assert client.get("/api/v1/agencies", headers=bearer(token)).status_code == 200
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    first = row.last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    # a second call within the minute writes nothing
    assert client.get("/api/v1/agencies", headers=bearer(token)).status_code == 200
    db.session.commit()  # ends the read transaction: the next read sees the other connection's write
    assert db.session.get(ApiToken, row.id).last_used_at == first
    # a minute later it is written again
    tokens.note_use(row, now=first + timedelta(seconds=61))
    db.session.commit()  # ends the read transaction: the next read sees the other connection's write
    assert db.session.get(ApiToken, row.id).last_used_at == first + timedelta(seconds=61)


def test_a_use_noted_by_another_process_meanwhile_is_not_written_again(make_user, make_token):
    user = make_user()
    make_token(user)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    now = utcnow()
    stale = db.session.get(ApiToken, row.id)
    tokens.note_use(stale, now=now)
    tokens.note_use(stale, now=now + timedelta(seconds=10))  # stale copy says "never used"
    db.session.commit()  # ends the read transaction: the next read sees the other connection's write
    assert db.session.get(ApiToken, row.id).last_used_at == now


def test_only_the_owner_or_the_operator_makes_a_token(make_user):
    import pytest

    from accounts.refusals import Refused

    owner, other = make_user(), make_user()
    with pytest.raises(Refused) as refused:
        tokens.create_token(other, owner, "x", now=utcnow())
    assert refused.value.kind == "forbidden"
    assert tokens.create_token(OPERATOR, owner, "x", now=utcnow()).token.user is owner


# -- the account page ------------------------------------------------------------------------------


def test_the_account_page_makes_a_token_shows_it_once_and_revokes_it(client, make_user, login):
    user = make_user()
    login(client, user)
    made = client.post("/account/tokens", data={"name": "起草组CI"})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    page = made.get_data(as_text=True)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    secret = next(word for word in page.replace('"', " ").split() if word.startswith("sf_"))
    assert hash_token(secret) == row.token_hash
    assert client.get("/api/v1/agencies", headers=bearer(secret)).status_code == 200
    again = client.get("/account").get_data(as_text=True)
    assert "起草组CI" in again and secret not in again  # shown once
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/agencies", headers=bearer(secret)).status_code == 401
    assert db.session.get(ApiToken, row.id).revoked_at is not None


def test_a_token_without_a_name_is_refused_on_the_page(client, make_user, login):
    login(client, make_user())
    answer = client.post("/account/tokens", data={"name": "  "})
    assert answer.status_code in (400, 422)
    assert db.session.scalar(select(ApiToken)) is None


def test_nobody_revokes_another_person_s_token(client, make_user, make_token, login):
    owner, other = make_user(), make_user()
    secret = make_token(owner)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    login(client, other)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert client.get("/api/v1/agencies", headers=bearer(secret)).status_code == 200


# -- the command line ------------------------------------------------------------------------------


def test_create_token_prints_one_line_per_address(app, make_user):
    first, second = make_user("a@example.org"), make_user("b@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-token", "--email", "A@example.org", "--email", "b@example.org", "--name", "sync"]
    )
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.strip().splitlines()]
    assert [email for email, _token in lines] == ["a@example.org", "b@example.org"]
    client = app.test_client()
    for (_email, secret), user in zip(lines, (first, second), strict=True):
        assert client.get("/api/v1/agencies", headers=bearer(secret)).status_code == 200
        assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)).name == "sync"


def test_create_token_for_an_unknown_address_fails_and_makes_none(app, make_user):
    make_user("a@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-token", "--email", "a@example.org", "--email", "nobody@example.org", "--name", "x"]
    )
    assert result.exit_code != 0
    assert "nobody@example.org" in result.output
    assert db.session.scalar(select(ApiToken)) is None
