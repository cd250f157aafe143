"""Fixtures of the comments tests: the community-care draft out for consultation, and a helper that
comments on words of a clause."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import User
from authoring.examples import example_text
from authoring.models import Stage, Standard
from extensions import db as _db
from workflow import operations as stages
from workflow.comments import operations
from workflow.comments.models import Comment


@pytest.fixture
def in_consultation(make_standard, secretariat, clock) -> Standard:
    """The community-care draft (revision 1) released to the members (until 2999: pages run on the real clock)."""
    standard = make_standard(example_text("community-care"), title="社区居家养老服务规范")
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2999-12-31",
        audience="members",
    )
    _db.session.commit()
    return standard


@pytest.fixture
def comment_on(clock) -> Callable[..., Comment]:
    """comment_on(standard, user, clause, exact, comment="…", type="te"): committed."""

    def factory(
        standard: Standard,
        user: User,
        clause: str,
        exact: str = "",
        comment: str = "建议修改。",
        type: str = "te",
        revision: int | None = None,
    ) -> Comment:
        made = operations.create_comment(
            standard,
            user,
            operations.Selector(revision or standard.latest_number, clause, exact),
            operations.CommentFields(type, comment, "改为：……"),
            now=clock.tick(),
        )
        _db.session.commit()
        return made

    return factory
