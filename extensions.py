"""The Flask extension objects, created once and bound to an application by `wsgi.create_app`.

They live in their own module so that models, forms and views of every package can import them
without importing the application (which imports those packages in turn).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: constraint names that Alembic can find again on every backend (SQLite needs named constraints
#: to alter a table in batch mode)
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The typed declarative base every model of every package derives from (through `db.Model`)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _client_address() -> str:
    """The client's address as the WSGI server (or ProxyFix, when configured) reports it."""
    return request.remote_addr or "unknown"


def user_or_address() -> str:
    """A rate limit's key for routes anyone may use: the logged-in user, else the client address."""
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else f"addr:{request.remote_addr}"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
#: limits are declared on the routes that need them (login); storage comes from RATELIMIT_STORAGE_URI
limiter = Limiter(key_func=_client_address)
compress = Compress()

#: Flask-Compress settings, defaults of `init_compression`. Pages are rendered per request, so the
#: levels are the fast ones (a 50 KB read page: zstd 3 in 0.09 ms, brotli 2 in 0.2 ms, gzip 2 in
#: 0.35 ms, each within 11 % of gzip 6's size, which costs 0.7 ms). Streamed responses (send_file
#: downloads, exports, figures) pass untouched: their Content-Length and range requests stay as
#: they are, and pictures and packed formats would not shrink anyway.
COMPRESSION_DEFAULTS: dict[str, Any] = {
    "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
    "COMPRESS_LEVEL": 2,
    "COMPRESS_BR_LEVEL": 2,
    "COMPRESS_ZSTD_LEVEL": 3,
    "COMPRESS_STREAMS": False,
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/javascript", "application/json"],
}


def init_compression(app: Flask) -> None:
    """Compress the responses that clients accept compressed (see COMPRESSION_DEFAULTS)."""
    for key, value in COMPRESSION_DEFAULTS.items():
        app.config.setdefault(key, value)
    compress.init_app(app)
