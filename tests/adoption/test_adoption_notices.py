"""Adoption's notices: the agency's reviewers hear of a submission; the submitter and the secretariat
hear a reviewer's question and the decision; each in their language, linked on BASE_URL."""

from __future__ import annotations

from typing import Any

import pytest
from finished_exports import finished_export
from sqlalchemy import select

from accounts.database import utcnow
from accounts.models import Role
from accounts.notices import Notice
from adoption import operations as adoption
from authoring import operations
from authoring.models import Stage
from exports.dossier_manifest import build_manifest, write_dossier
from extensions import db

TEXT = "---\ntitle:\n  zh: 采信通知标准\n---\n\n# 范围 {#scope}\n\n本文件规定了采信。\n"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"EXPORT_RUNNER": "sync"}


@pytest.fixture
def world(make_org, make_member):
    """A published standard with a built dossier (a small valid one stored as a finished job)."""
    association, agency = make_org("association", code="CJTZ"), make_org("agency")
    secretariat = make_member(association, Role.SECRETARIAT, locale="en")
    reviewer = make_member(agency, Role.REVIEWER, locale="zh_CN")
    standard = operations.create_standard(
        association, secretariat, title_zh="采信通知标准", title_en="Adoption notice standard",
        committee=None, drafters=[], text=TEXT, now=utcnow(),
    )  # fmt: skip
    standard.number, standard.sequence = "T/CJTZ 1\u20142026", 1
    standard.published_revision = standard.latest_number
    standard.stage = Stage.PUBLISHED.value
    revision = standard.latest_revision()
    files = {"explanatory-note.json": b'{"chapters": []}'}
    manifest = build_manifest(
        files, number=standard.number, revision=revision.number,
        content_sha256=revision.content_hash, built_at=utcnow(), built_by="test",
    )  # fmt: skip
    sha = finished_export(standard, revision, write_dossier(files, manifest), format="dossier").result_sha256
    db.session.commit()

    class World:
        pass

    w = World()
    w.standard, w.agency, w.secretariat, w.reviewer, w.sha = standard, agency, secretariat, reviewer, sha
    return w


def _notices(category: str, user) -> list[Notice]:
    return list(
        db.session.scalars(
            select(Notice).where(Notice.category == category, Notice.user_id == user.id).order_by(Notice.id)
        )
    )


def test_submission_question_and_decision_reach_the_other_side(app, world):
    submission = adoption.submit(world.standard, world.secretariat, world.agency, world.sha, now=utcnow())
    db.session.commit()
    [submitted] = _notices("dossier_submitted", world.reviewer)
    assert submitted.subject == "采信材料已提交：采信通知标准"
    link = f"https://standards.example.org/submissions/{submission.id}"
    assert link in submitted.body

    adoption.post_message(submission, world.reviewer, "请补充实施情况。", now=utcnow())
    db.session.commit()
    [question] = _notices("reviewer_question", world.secretariat)
    assert question.subject == "A reviewer asks about Adoption notice standard"
    assert "请补充实施情况。" in question.body and link in question.body

    adoption.decide(
        submission, world.reviewer, "adopt", reasons="", reference="深市监〔2026〕1号", now=utcnow()
    )
    db.session.commit()
    [decision] = _notices("adoption_decision", world.secretariat)
    assert decision.subject.startswith("Adoption decision on Adoption notice standard")
    assert "Reference: 深市监〔2026〕1号" in decision.body and decision.delivery == "outbox"
