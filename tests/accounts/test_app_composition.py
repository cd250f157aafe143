"""wsgi composes the packages by name: every listed part exists, and a missing or broken one stops the start-up."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import pytest
from app_testing import make_test_config

import wsgi
from accounts.hooks import DeskItem, hooks
from wsgi import ConfigError, import_hook


def test_a_listed_module_that_does_not_exist_stops_the_start_up():
    with pytest.raises(ModuleNotFoundError):
        import_hook("workflow.no_such_module:bp")


def test_a_misspelled_hook_stops_the_start_up_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setattr(wsgi, "STANDARD_PANELS", ("exports.views:standard_panel",))
    with pytest.raises(ConfigError, match=r"exports\.views:standard_panel"):
        wsgi.create_app(make_test_config(f"sqlite:///{tmp_path}/app.sqlite3"))


def test_an_import_error_inside_an_existing_module_is_raised(tmp_path, monkeypatch):
    (tmp_path / "broken_plugin.py").write_text("import a_dependency_that_is_missing\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="a_dependency_that_is_missing"):
        import_hook("broken_plugin:bp")
    sys.modules.pop("broken_plugin", None)


def test_an_attribute_is_returned():
    assert import_hook("accounts.views:bp").name == "accounts"


def test_the_accounts_parts_are_registered(app):
    assert "accounts" in app.blueprints
    assert {"create-user", "create-org", "add-member", "demo"} <= set(app.cli.commands)
    assert hooks(app).demo_loaders[0].__module__ == "accounts.demo"


def test_desk_sources_fill_the_waiting_list_soonest_first(app, client, login, make_user):
    user = make_user()

    def ballots(desk_user):
        assert desk_user.id == user.id
        return [
            DeskItem(
                kind="表决", title="后截止的表决", url="/b/2", due_at=datetime(2026, 12, 31, tzinfo=UTC)
            ),
            DeskItem(kind="表决", title="先截止的表决", url="/b/1", due_at=datetime(2026, 12, 1, tzinfo=UTC)),
            DeskItem(kind="草案", title="没有截止日期的草案", url="/d/1"),
        ]

    hooks(app).desk_sources.append(ballots)
    login(client, user)
    page = client.get("/").get_data(as_text=True)
    assert page.index("先截止的表决") < page.index("后截止的表决") < page.index("没有截止日期的草案")
    assert "目前没有待办事项" not in page
