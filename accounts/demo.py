"""The demo data of issue 2: an association, an agency and one person for every role.

Later packages add their part through their own `load_demo(app)` (see wsgi.DEMO_LOADERS); they find
these people by e-mail, e.g. `find_user_by_email("drafter@demo.test")`.
"""

from __future__ import annotations

from flask import Flask

from accounts import operations
from accounts.models import OrgKind, Role
from accounts.permissions import OPERATOR
from extensions import db

ASSOCIATION_NAME = "深圳市养老服务业协会"
ASSOCIATION_CODE = "SZYL"
AGENCY_NAME = "深圳市市场监督管理局"

#: (e-mail, name, role in the association or agency, voting); the order the logins are printed in
DEMO_PEOPLE: tuple[tuple[str, str, Role | None, bool], ...] = (
    ("secretariat@demo.test", "陈秘书", Role.SECRETARIAT, False),
    ("drafter@demo.test", "林起草", Role.DRAFTER, False),
    ("member1@demo.test", "张一", Role.MEMBER, True),
    ("member2@demo.test", "王二", Role.MEMBER, True),
    ("member3@demo.test", "李三", Role.MEMBER, True),
    ("member4@demo.test", "赵四", Role.MEMBER, True),
    ("member5@demo.test", "刘五", Role.MEMBER, True),
    ("reviewer@demo.test", "周审查", Role.REVIEWER, False),
    ("admin@demo.test", "平台管理员", None, False),
)


def load_demo(app: Flask) -> None:
    """Create the demo organisations and people (the caller checked that the database is empty)."""
    password = app.config["DEMO_PASSWORD"]
    association = operations.create_org(OPERATOR, OrgKind.ASSOCIATION, ASSOCIATION_NAME, ASSOCIATION_CODE)
    agency = operations.create_org(OPERATOR, OrgKind.AGENCY, AGENCY_NAME)
    for email, name, role, voting in DEMO_PEOPLE:
        user = operations.create_user(
            OPERATOR, email, name, password, is_admin=role is None, check_password=False
        )
        if role is not None:
            org = agency if role == Role.REVIEWER else association
            operations.add_member(OPERATOR, org, user, role, voting=voting)
    db.session.flush()
