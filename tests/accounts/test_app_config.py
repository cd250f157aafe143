"""Start-up configuration: a clear error without SECRET_KEY in production, safe cookies, URL normalising."""

from __future__ import annotations

import pytest

from accounts.database import normalise_database_url
from wsgi import ConfigError, create_app

PRODUCTION_ENV = {
    "SECRET_KEY": "",
    "DEMO": "",
    "FLASK_DEBUG": "",
    "BASE_URL": "https://standards.example.org",
}


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))


def test_production_refuses_to_start_without_secret_key(production_env):
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_refuses_to_start_without_base_url(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("BASE_URL", "")
    with pytest.raises(ConfigError, match="BASE_URL is not set"):
        create_app()


def test_production_cookies_are_secure_httponly_and_lax(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    config = create_app().config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_demo_generates_a_secret_key_and_keeps_it(production_env, monkeypatch, tmp_path):
    monkeypatch.setenv("DEMO", "1")
    first = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite3'}"})
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").read_text() == first.config["SECRET_KEY"]
    assert first.config["SESSION_COOKIE_SECURE"] is False  # the demo runs over http on loopback


def test_redis_url_becomes_the_limiter_storage(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_without_redis_the_limiter_keeps_counts_in_memory(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "memory-swept://"


def test_settings_are_read_once_at_start_up_not_from_the_environment_later(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("FIGURE_MAX_BYTES", "123456")
    app = create_app()
    monkeypatch.setenv("FIGURE_MAX_BYTES", "1")
    assert app.config["FIGURE_MAX_BYTES"] == 123456


def test_a_setting_that_is_not_a_number_stops_the_start_up_with_its_name(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("EXPORT_WORKERS", "two")
    with pytest.raises(ConfigError, match="EXPORT_WORKERS"):
        create_app()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_database_urls_are_normalised_to_psycopg(given, expected):
    assert normalise_database_url(given) == expected


def test_pages_send_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_nothing_is_loaded_from_outside(client):
    page = client.get("/login").get_data(as_text=True)
    assert "http://" not in page.replace('xmlns="http://', "")
    assert "https://" not in page


def test_a_request_body_beyond_the_cap_is_refused_before_it_is_read(app, client):
    """Anyone may post to the login page: a body of any size must not be read into memory."""
    cap = app.config["MAX_CONTENT_LENGTH"]
    assert cap >= app.config.get("FIGURE_MAX_BYTES", 5 * 1024 * 1024) + 1024 * 1024
    response = client.post(
        "/login", data=b"email=" + b"x" * cap, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "内容太大" in response.get_data(as_text=True)
