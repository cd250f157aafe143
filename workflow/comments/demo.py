"""The demo's consultation: the community-care draft released to the members, with two comments, so
that `make run` shows the margin at once and a member can comment on words they select.

A project of its own (the authoring demo's standard stays in drafting for the editor's demo):
released 5 days ago for 30 days; member1 and member2 have commented on the scope and on a clause.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from accounts.database import utcnow
from accounts.operations import find_user_by_email
from authoring import operations as authoring
from authoring.examples import example_text
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow.comments import operations
from workflow.demo import demo_cast
from workflow.transitions import local_today

TITLE_ZH = "社区居家养老服务规范（征求意见）"

#: (who, clause, words, type, comment, proposed change)
COMMENTS = (
    (
        "member1@demo.test",
        "scope",
        "服务质量评价与改进",
        "ed",
        "“服务质量评价与改进”与第9章标题不完全一致。",
        "与第9章标题统一。",
    ),
    (
        "member2@demo.test",
        "c-improvement",
        "投诉应在5个工作日内答复投诉人",
        "te",
        "5个工作日答复投诉偏长，老年人投诉多涉及日常照料，建议缩短。",
        "改为“投诉应在3个工作日内答复投诉人”。",
    ),
)


def load_demo(app: Flask) -> None:
    """Release the demo consultation and add its comments (the caller commits)."""
    cast = demo_cast(app, "comments")
    if cast is None:
        return
    association, secretariat, drafter, membership = (
        cast.association,
        cast.secretariat,
        cast.drafter,
        cast.membership,
    )
    now = utcnow()
    standard = authoring.create_standard(
        association,
        secretariat,
        title_zh=TITLE_ZH,
        title_en="Specification for community home-based elderly care services",
        committee="养老服务标准工作组",
        drafters=[membership] if membership else [],
        text=example_text("community-care"),
        now=now - timedelta(days=6),
        first_author=drafter,
    )
    released = now - timedelta(days=5)
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=released,
        closes_at=local_today(released) + timedelta(days=30),
        audience="members",
    )
    for index, (email, clause, words, kind, text, proposal) in enumerate(COMMENTS):
        author = find_user_by_email(email)
        if author is None:
            continue
        operations.create_comment(
            standard,
            author,
            operations.Selector(standard.latest_number, clause, words),
            operations.CommentFields(kind, text, proposal),
            now=released + timedelta(days=1, hours=index),
        )
    db.session.flush()
