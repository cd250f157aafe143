"""Fixtures of the ballot tests: a standard in review and five voting members of its association."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import Organisation, Role, User
from authoring.models import Stage, Standard


@pytest.fixture
def voters(association: Organisation, make_member: Callable[..., User]) -> list[User]:
    """Five voting members (weight 1)."""
    return [make_member(association, Role.MEMBER, name=f"成员{n}") for n in range(1, 6)]


@pytest.fixture
def in_review(make_standard: Callable[..., Standard], voters: list[User]) -> Standard:
    return make_standard(stage=Stage.REVIEW)
