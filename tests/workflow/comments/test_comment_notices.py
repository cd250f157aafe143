"""The author of a comment hears its disposition, in their language, with a link on BASE_URL."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import Role
from accounts.notices import Notice
from extensions import db
from workflow import operations as stages
from workflow.comments import operations


def test_the_author_hears_the_disposition_and_its_reason(
    in_consultation, association, make_member, drafter, secretariat, comment_on, clock
):
    author = make_member(association, Role.MEMBER, name="Bob", locale="en")
    comment = comment_on(in_consultation, author, "scope", "社区居家养老服务的基本要求")
    stages.close_comment_period(in_consultation, secretariat, "意见已足够", now=clock.tick())
    db.session.commit()
    operations.dispose(comment, drafter, "accepted_in_principle", "已按意见修改", now=clock.tick())
    db.session.commit()
    sent = db.session.scalars(
        select(Notice).where(Notice.category == "comment_disposed", Notice.user_id == author.id)
    ).all()
    assert len(sent) == 1
    assert sent[0].subject == "Your comment on 社区居家养老服务规范: Accepted in principle"
    assert "Reason: 已按意见修改" in sent[0].body
    assert f"https://standards.example.org/comments/{comment.id}" in sent[0].body
    assert sent[0].delivery == "outbox"
