"""Fixtures of the adoption tests: the demo's people and published standard, exports run at once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from accounts.operations import find_user_by_email
from authoring.models import Standard
from extensions import db as _db


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"EXPORT_RUNNER": "sync", "DEMO_PASSWORD": "demo-password-1"}


@pytest.fixture
def demo(app: Any) -> Any:
    """The demo data (accounts, the drafting and the published standard), as `flask demo` loads them."""
    from accounts.hooks import hooks

    for load in hooks(app).demo_loaders:
        load(app)
        _db.session.commit()

    class Demo:
        standard = _db.session.scalar(select(Standard).where(Standard.title_zh == "跨境贸易电子发票要求"))
        secretariat = find_user_by_email("secretariat@demo.test")
        reviewer = find_user_by_email("reviewer@demo.test")
        member = find_user_by_email("member1@demo.test")

    return Demo
