"""The demo standard: 社区居家养老服务规范 of SZYL with two revisions by the demo drafter.

Revision 1 is the example examples/community-care.md (the consultation draft as first written),
revision 2 its v2 (the review draft), read through authoring.examples, the one place that knows where
the examples are. The project is left in the drafting stage, not consultation, so that the demo
drafter can open the editor at once: in consultation the text is frozen for comments and everyone,
the drafter included, gets the read view.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Organisation
from accounts.operations import find_user_by_email
from authoring import operations
from authoring.examples import example_text
from extensions import db

ASSOCIATION_CODE = "SZYL"
DRAFTER_EMAIL = "drafter@demo.test"
SECRETARIAT_EMAIL = "secretariat@demo.test"


def load_demo(app: Flask) -> None:
    """Add the demo standard (the caller loaded the accounts demo data and commits)."""
    association = db.session.scalar(select(Organisation).where(Organisation.code == ASSOCIATION_CODE))
    drafter = find_user_by_email(DRAFTER_EMAIL)
    secretariat = find_user_by_email(SECRETARIAT_EMAIL)
    if association is None or drafter is None or secretariat is None:
        app.logger.warning("authoring demo skipped: the accounts demo data are missing")
        return
    now = utcnow()
    membership = drafter.membership_in(association)
    standard = operations.create_standard(
        association,
        secretariat,
        title_zh="社区居家养老服务规范",
        title_en="Specification for community home-based elderly care services",
        committee="养老服务标准工作组",
        drafters=[membership] if membership else [],
        text=example_text("community-care"),
        now=now - timedelta(days=3),
        first_author=drafter,
    )
    outcome = operations.save_revision(
        standard,
        drafter,
        example_text("community-care-v2"),
        "送审稿：增加家庭照护者术语和服务回访，调整服务协议位置",
        1,
        now=now - timedelta(days=1),
    )
    assert not isinstance(outcome, operations.Conflict)
    db.session.flush()
