"""The demo's published standard: the English example, taken through its stages by the demo secretariat.

Beside authoring's standard in drafting, the demo association publishes 跨境贸易电子发票要求
(examples/en-sample.md) so that a newcomer finds a published standard, with its number and dates, in
the registry and on its page, and sees a whole life on its stage bar: released for consultation two
months ago, closed when the period ended, disposed, reviewed and published. The review ballot belongs
to a later package; until it lands the demo records the move to approval itself, saying so in the
event's note, and every other step goes through `workflow.operations.transition`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Membership, Organisation, User
from accounts.operations import find_user_by_email
from authoring import operations as authoring
from authoring.events import record
from authoring.examples import example_text
from authoring.models import Stage
from extensions import db
from workflow import operations
from workflow.transitions import local_today

ASSOCIATION_CODE = "SZYL"
SECRETARIAT_EMAIL = "secretariat@demo.test"
DRAFTER_EMAIL = "drafter@demo.test"
TITLE_ZH = "跨境贸易电子发票要求"


@dataclass(frozen=True)
class DemoCast:
    """The accounts demo's association, secretariat and drafter (with the drafter's membership), which
    every workflow demo loader acts as."""

    association: Organisation
    secretariat: User
    drafter: User
    membership: Membership | None


def demo_cast(app: Flask, package: str) -> DemoCast | None:
    """The demo's people, or None (with a warning naming `package`) when the accounts demo is missing."""
    association = db.session.scalar(select(Organisation).where(Organisation.code == ASSOCIATION_CODE))
    secretariat = find_user_by_email(SECRETARIAT_EMAIL)
    drafter = find_user_by_email(DRAFTER_EMAIL)
    if association is None or secretariat is None or drafter is None:
        app.logger.warning("%s demo skipped: the accounts demo data are missing", package)
        return None
    return DemoCast(association, secretariat, drafter, drafter.membership_in(association))


def load_demo(app: Flask) -> None:
    """Publish the demo's second standard (the caller loaded the accounts and authoring demo, and commits)."""
    cast = demo_cast(app, "workflow")
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
        title_en="Requirements for electronic invoices in cross-border trade",
        committee="跨境电商标准工作组",
        drafters=[membership] if membership else [],
        text=example_text("en-sample"),
        now=now - timedelta(days=90),
        first_author=drafter,
    )
    released = now - timedelta(days=70)
    operations.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=released,
        closes_at=local_today(released) + timedelta(days=30),
        audience="public",
    )
    operations.transition(standard, secretariat, Stage.DISPOSITION, now=now - timedelta(days=38))
    operations.transition(
        standard, secretariat, Stage.REVIEW, now=now - timedelta(days=30), note="意见均已处理，提交技术审查"
    )
    # the review ballot is the ballots package's; the demo records its outcome as the secretariat would
    standard.stage = Stage.APPROVAL.value
    record(
        standard,
        secretariat,
        "stage_changed",
        now=now - timedelta(days=20),
        revision=standard.latest_number,
        from_stage=Stage.REVIEW.value,
        to_stage=Stage.APPROVAL.value,
        note="技术审查会议表决通过（演示数据）",
    )
    published = now - timedelta(days=10)
    operations.transition(
        standard,
        secretariat,
        Stage.PUBLISHED,
        now=published,
        publish_date=local_today(published),
        implement_date=local_today(published) + timedelta(days=30),
    )
    db.session.flush()
