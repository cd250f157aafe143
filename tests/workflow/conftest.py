"""Fixtures of the workflow tests: an association with its secretariat, drafter and a member, standards
in any stage, and a clock the verbs are given."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from accounts.models import Organisation, Role, User
from authoring import operations
from authoring.examples import example_text
from authoring.models import Stage, Standard
from extensions import db as _db


class Clock:
    """A controllable time: `tick` is one minute later, `days(n)` n days later."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def days(self, count: int) -> datetime:
        self.now += timedelta(days=count)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def clean_text() -> str:
    """A text without lint errors (the English example): it may be published."""
    return example_text("en-sample")


@pytest.fixture(scope="session")
def community_text() -> str:
    """The demo's consultation draft: clean, and its cover names itself 征求意见稿 (then 送审稿 in v2)."""
    return example_text("community-care-v2")


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
def member(association: Organisation, make_member: Callable[..., User]) -> User:
    return make_member(association, Role.MEMBER, name="张成员")


@pytest.fixture
def make_standard(
    association: Organisation, secretariat: User, drafter: User, clock: Clock, clean_text: str
) -> Callable[..., Standard]:
    """make_standard(text=clean_text, stage="drafting"): revision 1 by the secretariat, drafter on it."""

    def factory(
        text: str | None = None, *, stage: str | Stage = Stage.DRAFTING, title: str = "跨境贸易电子发票要求"
    ) -> Standard:
        standard = operations.create_standard(
            association,
            secretariat,
            title_zh=title,
            title_en=None,
            committee="起草组",
            drafters=[drafter.membership_in(association)],
            text=text if text is not None else clean_text,
            now=clock.tick(),
        )
        standard.stage = Stage(stage).value
        _db.session.commit()
        return standard

    return factory


@pytest.fixture
def publish(secretariat: User, clock: Clock) -> Callable[[Standard], Standard]:
    """publish(standard): put in approval, then published through the verb as the secretariat does it."""
    from workflow import operations as workflow

    def verb(standard: Standard) -> Standard:
        standard.stage = Stage.APPROVAL.value
        _db.session.commit()
        workflow.transition(standard, secretariat, Stage.PUBLISHED, now=clock.tick())
        _db.session.commit()
        return standard

    return verb


@pytest.fixture
def adopt(
    app: Any,
    secretariat: User,
    make_org: Callable[..., Organisation],
    make_member: Callable[..., User],
    clock: Clock,
) -> Callable[..., Any]:
    """adopt(standard, built=True): a published standard submitted to an agency and adopted by its
    reviewer through adoption's verbs (`submit`, `decide`); returns the Submission. Its dossier is
    built by the real job, or with `built=False` only recorded as a finished job's row (the state
    machine adopts many standards; the dossier's content is tests/adoption's)."""
    from accounts.models import OrgKind
    from adoption import operations as adoption
    from exports.dossier import request_dossier
    from exports.jobs import run_export
    from exports.models import ExportFile, JobStatus

    agencies: list[tuple[Organisation, User]] = []

    def factory(standard: Standard, *, built: bool = True) -> Any:
        if not agencies:
            agency = make_org(OrgKind.AGENCY.value, name="深圳市市场监督管理局")
            agencies.append((agency, make_member(agency, Role.REVIEWER, name="王审查")))
        agency, reviewer = agencies[0]
        job = request_dossier(standard, secretariat, now=clock.tick())
        job_id = job.id
        _db.session.commit()
        if built:  # as the API runs it: committed first, read again after (another session wrote it)
            run_export(job_id, app)
            job = _db.session.get(type(job), job_id, populate_existing=True)
            assert job.status == JobStatus.DONE.value, (job.error_en, job.step)
        else:
            data = f"dossier of {standard.number} at {clock.now.isoformat()}".encode()
            sha256 = hashlib.sha256(data).hexdigest()
            _db.session.add(ExportFile(sha256=sha256, data=data, size=len(data)))
            job.result_sha256, job.status = sha256, JobStatus.DONE.value
        submission = adoption.submit(standard, secretariat, agency, job.result_sha256, now=clock.tick())
        _db.session.commit()
        adoption.decide(
            submission,
            reviewer,
            "adopt",
            reasons="",
            reference="深市监标〔2026〕7号",
            decided_on=clock.now.date(),
            now=clock.tick(),
        )
        _db.session.commit()
        return submission

    return factory


def registry_text(title: str, body: str, *, english: str = "") -> str:
    """A short Chinese standard whose scope says `body` (and `english`, when given)."""
    return (
        f"---\ntitle:\n  zh: {title}\n---\n\n"
        f"# 范围 {{#scope}}\n\n本文件规定了{body}。\n\n"
        + (f"{english}\n\n" if english else "")
        + "# 术语和定义 {#terms}\n\n本文件没有需要界定的术语和定义。\n"
    )


@pytest.fixture
def make_published(
    association: Organisation, secretariat: User, make_member: Callable[..., User], clock: Clock
) -> Callable[..., Standard]:
    """make_published(title, body="…", *, publisher=None, stage="published", replaces=None, …):
    a standard created by authoring's operations and then given what publication gives it (number,
    sequence, dates, published revision, stage) and put in the registry's index, as
    `workflow.operations.publish` does; that verb is not needed to test the registry."""
    from workflow.registry_index import index_published

    secretaries: dict[int, User] = {association.id: secretariat}
    sequences: dict[int, int] = {}

    def factory(
        title: str = "养老机构服务质量评价规范",
        body: str = "养老机构服务质量评价的原则、内容和方法",
        *,
        text: str | None = None,
        publisher: Organisation | None = None,
        stage: str | Stage = Stage.PUBLISHED,
        title_en: str | None = None,
        english: str = "",
        published_on: date = date(2026, 3, 1),
        replaces: Standard | None = None,
        number: str | None = None,
    ) -> Standard:
        org = publisher if publisher is not None else association
        if org.id not in secretaries:
            secretaries[org.id] = make_member(org, Role.SECRETARIAT)
        standard = operations.create_standard(
            org,
            secretaries[org.id],
            title_zh=title,
            title_en=title_en,
            committee=None,
            drafters=[],
            text=text if text is not None else registry_text(title, body, english=english),
            now=clock.tick(),
        )
        if replaces is not None:
            sequence = replaces.sequence
        else:
            sequences[org.id] = sequences.get(org.id, 0) + 1
            sequence = sequences[org.id]
        standard.number = number or f"T/{org.code} {sequence}\u2014{published_on.year}"
        standard.sequence = sequence
        standard.published_on = published_on
        standard.implemented_on = published_on + timedelta(days=30)
        standard.published_revision = standard.latest_number
        standard.replaces_id = replaces.id if replaces is not None else None
        standard.stage = Stage(stage).value
        _db.session.flush()
        index_published(standard, standard.latest_revision().text)
        _db.session.commit()
        return standard

    return factory
