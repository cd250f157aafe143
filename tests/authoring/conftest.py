"""Fixtures of the authoring tests: standards with drafters, the demo texts, a clock, a JSON save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from accounts.models import Organisation, Role, User
from authoring import operations
from authoring.examples import example_text
from authoring.models import Stage, Standard
from extensions import db as _db


@pytest.fixture(scope="session")
def community_care() -> str:
    return example_text("community-care")


@pytest.fixture(scope="session")
def community_care_v2() -> str:
    return example_text("community-care-v2")


class Clock:
    """A controllable time: every `tick` is one minute later."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def analyse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The content hashes the core was asked to analyse during the test (a spy on analysis.analyse)."""
    from authoring import analysis

    calls: list[str] = []
    real = analysis.analyse

    def counted(text: str, doc: object = None) -> analysis.Analysis:
        result = real(text, doc)  # type: ignore[arg-type]
        calls.append(result.content_hash)
        return result

    monkeypatch.setattr(analysis, "analyse", counted)
    return calls


@pytest.fixture
def clock() -> Clock:
    return Clock()


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
def make_standard(
    association: Organisation, secretariat: User, drafter: User, clock: Clock
) -> Callable[..., Standard]:
    """make_standard(text=None, stage="drafting", drafters=[drafter]): revision 1 by the secretariat."""

    def factory(
        text: str | None = None,
        *,
        stage: str = Stage.DRAFTING.value,
        drafters: list[User] | None = None,
        org: Organisation | None = None,
        creator: User | None = None,
    ) -> Standard:
        org = org or association
        members = [u.membership_in(org) for u in (drafters if drafters is not None else [drafter])]
        standard = operations.create_standard(
            org,
            creator or secretariat,
            title_zh="社区居家养老服务规范",
            title_en=None,
            committee="起草组",
            drafters=[m for m in members if m is not None],
            text=text,
            now=clock.tick(),
        )
        standard.stage = stage
        _db.session.commit()
        return standard

    return factory


def _save_json(client: Any, standard_id: int, text: str, base: int, message: str = "") -> Any:
    """POST the editor's JSON save; returns the response."""
    return client.post(
        f"/standards/{standard_id}/save",
        json={"text": text, "base_revision": base, "message": message},
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def save_json() -> Callable[..., Any]:
    return _save_json


@pytest.fixture
def revised_standard(client, login, make_standard, drafter, community_care, community_care_v2, clock):
    """The demo standard with community-care-v2 saved as revision 2, and the drafter logged in."""
    standard = make_standard(community_care)
    operations.save_revision(standard, drafter, community_care_v2, "送审稿", 1, now=clock.tick())
    _db.session.commit()
    login(client, drafter)
    return standard
