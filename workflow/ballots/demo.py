"""The demo's review ballot: a third standard of SZYL in review, with its 送审稿 out for a vote.

居家养老上门服务规范 (the community-care example under another title) goes through consultation and
disposition by `workflow.operations.transition`, reaches review five days ago, and the secretariat
opened its review ballot four days ago under the association's rule (cn-tc), closing in ten days.
The electorate is the association's voting members, member1…member5, who find it on their desks;
once the secretariat closes it, the result decides whether the standard may go to approval.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from accounts.database import utcnow
from authoring import operations as authoring
from authoring.examples import example_text
from authoring.models import Stage
from extensions import db
from workflow import operations
from workflow.ballots import operations as ballots
from workflow.demo import demo_cast
from workflow.transitions import local_today

ASSOCIATION_CODE = "SZYL"
SECRETARIAT_EMAIL = "secretariat@demo.test"
DRAFTER_EMAIL = "drafter@demo.test"
TITLE_ZH = "居家养老上门服务规范"
TITLE_EN = "Specification for home visiting elderly care services"


def demo_text() -> str:
    """The review draft of the community-care example, under this standard's own title."""
    text = example_text("community-care-v2")
    return text.replace("  zh: 社区居家养老服务规范", f"  zh: {TITLE_ZH}", 1).replace(
        "  en: Specification for community home-based elderly care services", f"  en: {TITLE_EN}", 1
    )


def load_demo(app: Flask) -> None:
    """Take the standard to review and open its review ballot (the caller commits)."""
    cast = demo_cast(app, "ballots")
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
        title_en=TITLE_EN,
        committee="养老服务标准工作组",
        drafters=[membership] if membership else [],
        text=demo_text(),
        now=now - timedelta(days=45),
        first_author=drafter,
    )
    released = now - timedelta(days=40)
    operations.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=released,
        closes_at=local_today(released) + timedelta(days=20),
        audience="members",
    )
    operations.transition(standard, secretariat, Stage.DISPOSITION, now=now - timedelta(days=18))
    operations.transition(
        standard,
        secretariat,
        Stage.REVIEW,
        now=now - timedelta(days=5),
        note="意见已处理，送审稿提交技术审查",
    )
    opened = now - timedelta(days=4)
    ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=opened + timedelta(days=14), now=opened
    )
    db.session.flush()
