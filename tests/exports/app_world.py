"""What the app export tests share: a standard of SZYL with the demo texts, its people, and a poller."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from accounts.database import utcnow
from accounts.models import Organisation, Role, User
from authoring import operations
from authoring.examples import example_text
from authoring.models import Stage, Standard
from extensions import db


@dataclass
class SZYL:
    association: Organisation
    secretariat: User
    drafter: User
    member: User
    standard: Standard


def make_szyl(
    make_org: Any, make_member: Any, *, stage: Stage = Stage.DRAFTING, two_revisions: bool = True
) -> SZYL:
    """SZYL with the demo standard: revision 1 the consultation draft, revision 2 its v2."""
    association = make_org("association", name="深圳市养老服务业协会", code="SZYL")
    secretariat = make_member(association, Role.SECRETARIAT, name="陈秘书")
    drafter = make_member(association, Role.DRAFTER, name="林起草")
    member = make_member(association, Role.MEMBER, name="张一")
    now = utcnow()
    standard = operations.create_standard(
        association,
        secretariat,
        title_zh="社区居家养老服务规范",
        title_en="Specification for community home-based elderly care services",
        committee=None,
        drafters=[drafter.membership_in(association)],
        text=example_text("community-care"),
        now=now - timedelta(minutes=2),
    )
    if two_revisions:
        operations.save_revision(standard, drafter, example_text("community-care-v2"), "v2", 1, now=now)
    standard.stage = stage.value
    db.session.commit()
    return SZYL(association, secretariat, drafter, member, standard)


def ask(client: Any, standard: Standard, revision: int, fmt: str, base: int | None = None) -> Any:
    """POST the export form as the panel's script does (JSON answer)."""
    data = {"revision": str(revision), "format": fmt}
    if base is not None:
        data["base"] = str(base)
    return client.post(f"/standards/{standard.id}/exports", data=data, headers={"Accept": "application/json"})


def wait_until_finished(client: Any, status_url: str, timeout: float = 90) -> dict[str, Any]:
    """Poll the job's status as the page does, until it is done or failed."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        answer = client.get(status_url, headers={"Accept": "application/json"}).get_json()
        seen.append(answer["status"])
        if answer["finished"]:
            answer["seen"] = seen
            return answer
        time.sleep(0.1)
    raise AssertionError(f"the export did not finish in {timeout} s: {seen[-5:]}")
