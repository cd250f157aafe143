"""The application factory: configuration, extensions, the packages' blueprints and commands.

Nothing runs at import; gunicorn runs `"wsgi:create_app()"` and the CLI `flask --app wsgi …`.
Packages plug in by name (see BLUEPRINTS, CLI_MODULES, DEMO_LOADERS, DESK_SOURCES, ORG_LINKS,
STANDARD_PANELS, STANDARD_PAGE_VERSIONS, REGISTRY_PANELS, REVIEW_HOLDS, DOSSIER_SECTIONS, BACKUP_CHECKS): each entry names code that exists, and a missing one stops the start-up.
"""

from __future__ import annotations

import importlib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Request, abort, g, has_request_context, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from accounts.database_outage import end_request_session, is_database_outage, outage_answer
from accounts.limit_storage import SWEPT_MEMORY_URI
from accounts.refusals import Refused
from accounts.routing import bound_ids
from extensions import babel, csrf, db, init_compression, limiter, login_manager, migrate

#: "module:attribute" of each package's blueprint, registered in this order
BLUEPRINTS = (
    "accounts.views:bp",
    "accounts.admin_views:bp",
    "accounts.import_views:bp",
    "authoring.views:bp",
    "authoring.editor_views:bp",
    "authoring.figure_views:bp",
    "workflow.views:bp",
    "workflow.registry_views:bp",
    "workflow.proposal_views:bp",
    "workflow.ballots.views:bp",
    "workflow.comments.views:bp",
    "exports.views:bp",
    "exports.comment_views:bp",
    "adoption.views:bp",
    "adoption.review_views:bp",
    "adoption.catalogue:bp",
    "imports.views:bp",
    "accounts.api:bp",
    "authoring.api:bp",
    "workflow.api:bp",
    "workflow.ballots.api:bp",
    "workflow.comments.api:bp",
    "exports.comment_views:api_bp",
    "adoption.api:bp",
)
#: modules whose `flask_commands` (a list of click commands) join `flask --app wsgi …`
CLI_MODULES = (
    "accounts.cli",
    "accounts.backup_commands",
    "accounts.audit_commands",
    "workflow.ballots.commands",
)
#: `load_demo(app)` hooks that `flask demo` calls in this order on an empty database
DEMO_LOADERS = (
    "accounts.demo:load_demo",
    "authoring.demo:load_demo",
    "workflow.demo:load_demo",
    "workflow.ballots.demo:load_demo",
    "workflow.comments.demo:load_demo",
    "exports.demo:load_demo",
)
#: `desk_items(user)` hooks that fill "what waits for me" on the desk
DESK_SOURCES = (
    "authoring.desk:desk_items",
    "workflow.proposals:desk_items",
    "workflow.ballots.desk:desk_items",
    "workflow.comments.desk:desk_items",
    "adoption.review_views:desk_items",
)
#: `org_links(org, user)` hooks that list a package's pages on an organisation's page
ORG_LINKS = (
    "authoring.desk:org_links",
    "workflow.proposals:org_links",
    "workflow.ballots.views:org_links",
    "adoption.review_views:org_links",
    "imports.views:org_links",
)
#: `panels(page)` hooks that fill the named places of a standard's pages (authoring.page_places)
STANDARD_PANELS = (
    "workflow.views:standard_panels",
    "workflow.ballots.views:standard_panels",
    "exports.views:standard_panels",
    "authoring.figure_views:standard_panels",
    "workflow.comments.views:standard_panels",
    "adoption.views:standard_panels",
    "imports.views:standard_panels",
)
#: `page_version(standard_id)` hooks: what each package's panels show that can change, part of the key
#: under which a finished read page is kept (authoring.page_cache); a panel that shows more adds it here
STANDARD_PAGE_VERSIONS = (
    "exports.views:page_version",
    "authoring.figure_views:page_version",
    "workflow.ballots.views:page_version",
    "workflow.comments.reading:page_version",
    "adoption.views:page_version",
)
#: `revision_saved(standard, revision, now=…)` hooks called in a save's unit of work, under its lock,
#: after authoring writes a revision (authoring cannot import workflow: it calls what is listed here)
REVISION_SAVED = ("workflow.comments.operations:reanchor_revision",)
#: `hold(standard)` hooks: who is still deciding on a standard in force, which keeps it out of periodic
#: review (workflow.transitions; workflow cannot import adoption)
REVIEW_HOLDS = ("adoption.operations:deciding_agency",)
#: `registry_panels(standard)` hooks: HTML under a registry entry (workflow.registry_views)
REGISTRY_PANELS = ("adoption.views:registry_panels",)
#: `provider(context)` hooks that put parts into an adoption dossier: files for the ZIP and/or blocks for
#: a slot of the explanatory note (exports.dossier_sections; an unfilled slot says "not recorded")
DOSSIER_SECTIONS = (
    "exports.dossier_sections:revision_history",
    "adoption.declarations:dossier_section",
    "exports.dossier_workflow:comments",
    "exports.dossier_workflow:ballots",
)
#: `standard_fields(standard)` hooks that add members to the API's Standard object (authoring.api)
API_STANDARD_FIELDS = ("workflow.api:standard_fields",)
#: `check(session, recompute=…)` hooks whose named values `flask backup` records in the archive's
#: manifest and `flask restore` recomputes from the restored data and compares (accounts.backup)
BACKUP_CHECKS = (
    "accounts.backup_checks:organisation_counts",
    "authoring.backup_checks:revision_hashes",
    "authoring.backup_checks:figure_hashes",
    "authoring.backup_checks:organisation_counts",
    "workflow.ballots.backup_checks:tallies",
    "workflow.ballots.backup_checks:organisation_counts",
    "workflow.comments.backup_checks:organisation_counts",
    "exports.backup_checks:file_hashes",
    "adoption.backup_checks:organisation_counts",
)
#: modules imported so that their models join the metadata (migrations, create_all)
MODEL_MODULES = (
    "accounts.models",
    "accounts.audit",
    "accounts.notices",
    "authoring.models",
    "authoring.events",
    "workflow.models",
    "workflow.registry_index",
    "workflow.proposals",
    "workflow.ballots.models",
    "workflow.comments.models",
    "exports.models",
    "exports.note_sections",
    "adoption.models",
)

#: the interface languages; the first is the default
LANGUAGES = ("zh_CN", "en")


class StandardForgeRequest(Request):
    """Flask's request, refusing a NUL in any form field the moment the form is parsed.

    `refuse_nul` checks the path, the query, urlencoded forms and JSON before every view; a multipart
    body is parsed only when its view (or the CSRF check) first reads it, after the view has bounded
    it by its Content-Length, so its fields are checked here, where werkzeug parses them."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if _holds_nul([text for key, values in self.form.lists() for text in (key, *values)]):
            raise Refused("invalid", nul_message())


def nul_message() -> str:
    return _("What you sent contains a NUL character (U+0000), which no field accepts.")


class StandardForge(Flask):
    """The application: Flask, but a database outage met while an error page is being made is
    logged as one line (by `accounts.database_outage`), not as a traceback per request."""

    request_class = StandardForgeRequest

    def log_exception(self, exc_info: Any) -> None:
        if is_database_outage(exc_info[1]):
            return  # the 500 handler answers it with the 503, which logs it
        super().log_exception(exc_info)


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def import_hook(path: str) -> Any:
    """Import "module" or "module:attribute"; a listed hook that is missing stops the start-up.

    Every entry of the lists above names code that exists: a package adds its entries when it adds
    the code, so a misspelled or removed hook is an error here, never a page that silently lacks a part.
    """
    module_name, _sep, attribute = path.partition(":")
    module = importlib.import_module(module_name)
    if not attribute:
        return module
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise ConfigError(f"{path} is listed in wsgi.py but {module_name} has no {attribute!r}") from None


def _env_int(name: str) -> int | None:
    """A whole-number setting from the environment; None when unset (the package's default applies)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}.") from None


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    from accounts.database import (
        default_sqlite_url,
        normalise_database_url,
        postgresql_engine_options,
        sqlite_engine_options,
    )
    from authoring.figures import DEFAULT_MAX_BYTES as DEFAULT_FIGURE_MAX_BYTES

    env = os.environ
    app.config.from_mapping(
        DEMO=_env_flag("DEMO"),
        SECRET_KEY=env.get("SECRET_KEY"),
        SQLALCHEMY_DATABASE_URI=env.get("DATABASE_URL"),
        REDIS_URL=env.get("REDIS_URL"),
        BASE_URL=env.get("BASE_URL"),
        PORT=int(env.get("PORT", "5000")),
        DEMO_PASSWORD=env.get("DEMO_PASSWORD", "demo"),
        INVITATION_DAYS=int(env.get("INVITATION_DAYS", "14")),
        PROXY_COUNT=int(env.get("PROXY_COUNT", "0")),
        # every request body is bounded (a 413 before it is read); figures and texts fit well within
        MAX_CONTENT_LENGTH=int(env.get("MAX_CONTENT_LENGTH", str(32 * 1024 * 1024))),
        # every setting is read here, once: nothing reads os.environ after create_app
        FIGURE_MAX_BYTES=_env_int("FIGURE_MAX_BYTES") or DEFAULT_FIGURE_MAX_BYTES,
        EXPORT_RUNNER=env.get("EXPORT_RUNNER") or None,
        EXPORT_WORKERS=_env_int("EXPORT_WORKERS"),
        EXPORT_TIMEOUT=_env_int("EXPORT_TIMEOUT"),
        EXPORT_STALE_SECONDS=_env_int("EXPORT_STALE_SECONDS"),
        EXPORT_QUEUE=env.get("EXPORT_QUEUE") or None,
        EXPORT_FONT_PATHS=env.get("EXPORT_FONT_PATHS") or None,
        # e-mail notices (accounts.notice_delivery): SMTP when MAIL_SERVER is set, else the outbox page
        MAIL_SERVER=env.get("MAIL_SERVER") or None,
        MAIL_PORT=_env_int("MAIL_PORT") or 25,
        MAIL_USE_TLS=_env_flag("MAIL_USE_TLS"),
        MAIL_USE_SSL=_env_flag("MAIL_USE_SSL"),
        MAIL_USERNAME=env.get("MAIL_USERNAME") or None,
        MAIL_PASSWORD=env.get("MAIL_PASSWORD") or None,
        MAIL_FROM=env.get("MAIL_FROM") or None,
        NOTICE_RUNNER=env.get("NOTICE_RUNNER") or None,
        LOGIN_LIMIT=env.get("LOGIN_LIMIT", "5 per minute"),
        LOGIN_LIMIT_PER_ADDRESS=env.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute"),
        # every API call counts, per token (or client address without one), across the API
        API_LIMIT=env.get("API_LIMIT", "600 per minute"),
        BABEL_DEFAULT_LOCALE="zh_CN",
        #: the interface languages, the default first (authoring.page_cache keys pages by them)
        LANGUAGES=LANGUAGES,
        BABEL_DEFAULT_TIMEZONE=env.get("TIMEZONE", "Asia/Shanghai"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_HEADERS_ENABLED=False,
        # when Redis is down, count in memory rather than refuse every login
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        CONTENT_SECURITY_POLICY=(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        ),
    )
    if env.get("SERVER_NAME") and not env.get("BASE_URL"):
        app.config["BASE_URL"] = f"{env.get('PREFERRED_URL_SCHEME', 'https')}://{env['SERVER_NAME']}"
    if test_config:
        app.config.from_mapping(test_config)

    relaxed = bool(app.debug or app.config["DEMO"] or app.config.get("TESTING"))
    if not app.config["SECRET_KEY"]:
        if not relaxed:
            raise ConfigError(
                "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random value, "
                "e.g. `python3 -c 'import secrets; print(secrets.token_hex(32))'`, or run the demo "
                "with DEMO=1 (`make run` does)."
            )
        app.config["SECRET_KEY"] = _instance_secret_key(app)
    if not app.config["BASE_URL"]:
        if not relaxed:
            raise ConfigError(
                "BASE_URL is not set. Set it to the address people open, e.g. https://standards.example.org: "
                "invitation links are built from it, never from the request's Host header."
            )
        app.config["BASE_URL"] = f"http://127.0.0.1:{app.config['PORT']}"

    uri = app.config["SQLALCHEMY_DATABASE_URI"] or default_sqlite_url(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if uri.startswith("sqlite"):
        options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        for key, value in sqlite_engine_options().items():
            options.setdefault(key, value)
    else:
        postgresql_engine_options(app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}))

    # secure cookies except where the demo and development run over plain http on loopback
    if "SESSION_COOKIE_SECURE" not in (test_config or {}):
        app.config["SESSION_COOKIE_SECURE"] = not relaxed
        app.config["REMEMBER_COOKIE_SECURE"] = not relaxed
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        # in-memory limits are per worker process: production runs with Redis (PITFALLS.md)
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or SWEPT_MEMORY_URI


def _instance_secret_key(app: Flask) -> str:
    """A key generated once and kept in instance/ so that demo sessions survive a restart."""
    if app.config.get("TESTING"):
        return secrets.token_hex(32)
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


#: the Accept-Language tags the API answers in, and the interface language of each
API_LANGUAGE_TAGS = {"zh-CN": "zh_CN", "zh": "zh_CN", "en": "en"}


def selected_language() -> str:
    """The user's remembered choice (account, then cookie), else Chinese: a key of LANGUAGES.

    The API reads neither: its messages follow `Accept-Language`, Chinese when it names neither language.
    """
    if not has_request_context():
        return LANGUAGES[0]
    if request.path.startswith("/api/"):
        best = request.accept_languages.best_match(tuple(API_LANGUAGE_TAGS))
        return API_LANGUAGE_TAGS.get(best or "", LANGUAGES[0])
    if current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    cookie = request.cookies.get("locale")
    return cookie if cookie in LANGUAGES else LANGUAGES[0]


def select_locale() -> str:
    """Flask-Babel's locale selector.

    Babel reads "zh_CN" as zh_Hans_CN (likely subtags), so the Chinese catalog lives in
    translations/zh_Hans_CN/ (as Flask-Admin's does); a translations/zh_CN/ folder would be ignored.
    """
    return selected_language()


def _init_extensions(app: Flask) -> None:
    from accounts.database import configure_sqlite_engine
    from accounts.models import User

    db.init_app(app)
    # registered after Flask-SQLAlchemy's teardown, so it runs first: a lost connection ends cleanly
    app.teardown_appcontext(end_request_session)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path) / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_compression(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.unauthorized_handler
    def unauthorized() -> Any:
        """Flask-Login's answer to someone not logged in, in JSON for a JSON client (a 401 it can
        act on, not a redirect to an HTML form)."""
        from flask import flash, redirect
        from flask_login import login_url

        from accounts.json_errors import json_error, wants_json

        if wants_json():
            response, status = json_error(401, _("Please log in."), code="unauthenticated")
            response.status_code = status
            return response
        flash(_("Please log in to see this page."), "info")
        return redirect(login_url(login_manager.login_view, next_url=request.url))

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The session holds "id:token"; a token replaced at logout or password change ends it."""
        user_id, _sep, token = session_id.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or not secrets.compare_digest(user.session_token, token):
            return None
        return user

    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                configure_sqlite_engine(engine)

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]


def _register_packages(app: Flask) -> None:
    from accounts.hooks import hooks
    from authoring import page_cache, page_places
    from exports import dossier_sections
    from workflow import registry_views, transitions

    for name in MODEL_MODULES:
        import_hook(name)
    for path in BLUEPRINTS:
        app.register_blueprint(import_hook(path))
    for name in CLI_MODULES:
        for command in import_hook(f"{name}:flask_commands"):
            app.cli.add_command(command)
    registered = hooks(app)
    registered.demo_loaders = [import_hook(path) for path in DEMO_LOADERS]
    registered.desk_sources = [import_hook(path) for path in DESK_SOURCES]
    registered.org_link_sources = [import_hook(path) for path in ORG_LINKS]
    registered.api_standard_fields = [import_hook(path) for path in API_STANDARD_FIELDS]
    registered.revision_saved = [import_hook(path) for path in REVISION_SAVED]
    registered.backup_checks = [import_hook(path) for path in BACKUP_CHECKS]
    page_places.registered(app).sources = [import_hook(path) for path in STANDARD_PANELS]
    page_cache.registered(app).sources = [import_hook(path) for path in STANDARD_PAGE_VERSIONS]
    registry_views.registered_panels(app)[:] = [import_hook(path) for path in REGISTRY_PANELS]
    transitions.registered_review_holds(app)[:] = [import_hook(path) for path in REVIEW_HOLDS]
    dossier_sections.registered(app)[:] = [import_hook(path) for path in DOSSIER_SECTIONS]


def _holds_nul(value: Any) -> bool:
    """Whether a NUL is in any string of `value` (JSON: keys and values, nested), in one pass
    without recursion, so a deeply nested body cannot overflow the stack."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _switcher_entries(user: Any) -> list[tuple[Any, str]]:
    """(organisation, what the user is there) for the header's organisation switcher."""
    from sqlalchemy import select

    from accounts.models import Organisation

    if user is None:
        return []
    if user.is_admin:
        orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
        return [(org, str(_l("Administrator"))) for org in orgs]
    return [(m.org, m.role.label) for m in user.memberships]


def _register_pages(app: Flask) -> None:
    from accounts.dates import show_date, show_datetime
    from accounts.forms import LANGUAGES as LANGUAGE_NAMES
    from accounts.forms import ConfirmForm, LanguageForm
    from accounts.json_errors import json_error, wants_json
    from accounts.permissions import can_manage_members

    @app.context_processor
    def page_context() -> dict[str, Any]:
        user = current_user if current_user.is_authenticated else None
        return {
            "languages": LANGUAGE_NAMES,
            "current_locale": selected_language(),
            "make_language_form": LanguageForm,
            "make_confirm_form": ConfirmForm,
            "nav_orgs": _switcher_entries(user),
            "can_manage_members": can_manage_members,
            # one pattern per kind and language (accounts/dates.py): never format_date/format_datetime
            "show_date": show_date,
            "show_datetime": show_datetime,
        }

    @app.before_request
    def refuse_nul() -> None:
        """A NUL is in no path, query or text of ours (a file name is the usual carrier), and
        PostgreSQL refuses one in a query's text: without this, `/registry/T%00` and a form field
        with a NUL were 500s there. A JSON body nested past the parser's recursion is a 400 here.
        A multipart body is checked when it is parsed (`StandardForgeRequest`), after its view
        has bounded it."""
        if "\x00" in request.path:
            abort(404)
        if any("\x00" in value for _key, values in request.args.lists() for value in values):
            abort(400)
        if request.mimetype == "application/x-www-form-urlencoded":
            sent: Any = [value for _key, values in request.form.lists() for value in (_key, *values)]
        elif request.is_json:
            try:
                sent = request.get_json(silent=True)  # parsed once: the view reads werkzeug's cache
            except RecursionError:  # `[[[[…` deeper than the parser recurses: it was a 500
                abort(400)
        else:
            return
        if _holds_nul(sent):
            raise Refused("invalid", nul_message())

    @app.after_request
    def security_headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", app.config["CONTENT_SECURITY_POLICY"])
        return response

    messages = {
        400: (_l("Bad request"), _l("The request could not be understood.")),
        403: (_l("Not allowed"), _l("You may not do this here.")),
        404: (_l("Not found"), _l("There is no such page, or it is not yours to see.")),
        405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
        409: (_l("Not possible now"), _l("This cannot be done in the standard's present state.")),
        410: (_l("Gone"), _l("This link no longer works.")),
        413: (_l("Too large"), _l("What you sent is larger than this page accepts.")),
        422: (_l("Cannot be done"), _l("What you sent is well-formed but cannot be used.")),
        429: (_l("Too many attempts"), _l("Too many attempts. Wait a minute, then try again.")),
        500: (_l("Something went wrong"), _l("An error on our side. It has been logged; try again later.")),
    }

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        message = _("The form had expired or did not come from this site. Reload the page and try again.")
        if wants_json():
            return json_error(400, message)
        return render_template("errors/error.html", code=400, title=_("Form expired"), message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        title, message = messages.get(code, (error.name, error.description or ""))
        if wants_json():
            return json_error(code, str(message))
        g.error_page = True
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(Refused)
    def refused(error: Refused) -> Any:
        """The one place a verb's refusal becomes an answer: JSON for JSON clients, else a page."""
        db.session.rollback()
        if wants_json():
            return json_error(
                error.status,
                error.message,
                code=error.code,
                reasons=error.reasons,
                fields=error.fields,
                extra=error.extra,
            )
        g.error_page = True
        page = render_template(
            "errors/error.html",
            code=error.status,
            title=messages.get(error.status, messages[400])[0],
            message=error.message,
            reasons=error.reasons,
        )
        return page, error.status

    @app.errorhandler(DBAPIError)
    def database_error(error: DBAPIError) -> Any:
        """The database went away: a 503 to try again (accounts.database_outage); any other
        database error is a bug, left to Flask (logged with its traceback, then the 500 below)."""
        if is_database_outage(error):
            return outage_answer(error)
        raise error

    @app.errorhandler(500)
    def server_error(error: Exception) -> Any:
        original = getattr(error, "original_exception", None)
        if isinstance(original, DBAPIError) and is_database_outage(original):
            return outage_answer(original)  # lost while another error's page was being made
        title, message = messages[500]
        if wants_json():
            return json_error(500, str(message))
        return render_template("errors/error.html", code=500, title=title, message=message), 500


#: the cyclic collector's first-generation threshold in a server process (Python's default is 700)
SERVER_GC_THRESHOLD = 10_000


def tune_for_serving() -> None:
    """Warm the document core, then make the cyclic garbage collector cheap for a worker process.

    Parsing a 300 KB standard allocates about a million short-lived objects; with the default
    thresholds the collector runs hundreds of times per save and walks what the worker keeps (jieba's
    dictionary, the modules), about a third of a save's time. Once per process, after the warm-up:
    freeze what exists (it is never garbage) and collect the young generation every 10,000 new objects
    instead of 700. Cycles are still collected; no request pauses the collector for another.
    """
    import gc

    from authoring.document import parse
    from authoring.document.lint import lint

    lint(parse("---\ntitle: {zh: 预热}\n---\n\n# 范围\n\n本文件规定了预热。\n"))
    gc.collect()
    gc.freeze()
    gc.set_threshold(SERVER_GC_THRESHOLD, 10, 10)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application; `test_config` overrides the environment (tests, scripts)."""
    instance_path = os.environ.get("INSTANCE_PATH") or None  # must be absolute; default ./instance
    app = StandardForge(__name__, instance_relative_config=True, instance_path=instance_path)
    bound_ids(app.url_map)
    _load_config(app, test_config)
    _init_extensions(app)
    _register_packages(app)
    _register_pages(app)
    return app
