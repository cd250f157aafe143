"""The editor's JSON endpoints answer every error in JSON, CSRF and size refusals included."""

from __future__ import annotations

import pytest

CSRF_ON = {"WTF_CSRF_ENABLED": True}


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_a_json_save_without_csrf_token_answers_json_400(client, login, make_standard, drafter):
    standard = make_standard()
    assert login(client, drafter).status_code == 302
    response = client.post(
        f"/standards/{standard.id}/save",
        json={"text": "x", "base_revision": 1},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400 and response.is_json
    assert response.json["error"]["code"] == "invalid"
    assert "请刷新页面" in response.json["message"]
    assert standard.latest_number == 1


def test_a_json_save_to_an_unknown_standard_answers_json_404(client, login, drafter):
    login(client, drafter)
    response = client.post("/standards/999999/save", json={"text": "x", "base_revision": 1})
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("app_config", [CSRF_ON])
def test_a_json_save_over_the_request_cap_answers_json_413(app, client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    body = b'{"text": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'", "base_revision": 1}'
    response = client.post(
        f"/standards/{standard.id}/save",
        data=body,
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_the_editors_own_refusals_carry_the_error_object(client, login, make_standard, drafter):
    standard = make_standard()
    login(client, drafter)
    response = client.post(f"/standards/{standard.id}/save", json={"base_revision": 1})
    assert response.status_code == 400
    assert response.json["error"] == {"code": "invalid", "message": response.json["message"]}
