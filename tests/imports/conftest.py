"""Fixtures of the import tests: an association with its secretariat and a drafter, Word files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from accounts.models import Organisation, Role, User
from authoring import operations
from authoring.models import Standard
from exports.api import export_document
from extensions import db as _db


@pytest.fixture
def association(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("association", name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def secretariat(association: Organisation, make_member: Callable[..., User]) -> User:
    return make_member(association, Role.SECRETARIAT, name="陈秘书")


@pytest.fixture
def drafter(association: Organisation, make_member: Callable[..., User]) -> User:
    return make_member(association, Role.DRAFTER, name="林起草")


@pytest.fixture
def blank_standard(association: Organisation, secretariat: User, drafter: User) -> Standard:
    """A project in drafting whose revision 1 is the blank skeleton, drafted by `drafter`."""
    standard = operations.create_standard(
        association,
        secretariat,
        title_zh="社区居家养老服务规范",
        title_en=None,
        committee=None,
        drafters=[drafter.membership_in(association)],
        text=None,
        now=datetime(2026, 1, 5, tzinfo=UTC),
    )
    _db.session.commit()
    return standard


@pytest.fixture(scope="session")
def community_care_docx() -> bytes:
    """Our own DOCX export of the community-care example: a Word file as a secretariat has one."""
    example = Path("examples/community-care.md")
    return export_document(
        example.read_text(encoding="utf-8"), "docx", figures=example.parent / "figures"
    ).data
