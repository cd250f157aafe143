"""Exports of a released revision carry the stage's draft name on the cover; the published one its number
and dates. Checked in the NISO STS export (the same cover data feed DOCX and PDF: exports/words.py)."""

from __future__ import annotations

import pytest

from authoring.models import Stage
from workflow import operations


@pytest.fixture
def app_config():
    return {"EXPORT_RUNNER": "sync"}


def _sts(client, standard, revision_number):
    """Export revision `revision_number` as NISO STS through the export form, and download it."""
    answer = client.post(
        f"/standards/{standard.id}/exports",
        data={"revision": str(revision_number), "format": "sts"},
        headers={"Accept": "application/json"},
    )
    job = answer.get_json()
    assert answer.status_code == 200 and job["status"] == "done", job
    return client.get(job["download_url"]).get_data(as_text=True)


def test_the_consultation_draft_is_a_draft_for_comments_and_the_published_text_is_numbered(
    client, login, make_standard, secretariat, community_text, clock, db
):
    login(client, secretariat)
    standard = make_standard(community_text)  # its cover says "draft: 征求意见稿" … of its own accord
    standard.stage = Stage.DRAFTING.value
    db.session.commit()
    before = _sts(client, standard, 1)
    operations.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2026-04-01",
        audience="members",
    )
    db.session.commit()
    released = _sts(client, standard, 1)
    assert "<meta-value>征求意见稿</meta-value>" in released
    assert released != before or "征求意见稿" in before  # a new job: the release is part of the cache key

    operations.close_comment_period(standard, secretariat, "够了", now=clock.tick())
    operations.transition(standard, secretariat, Stage.REVIEW, now=clock.tick())
    db.session.commit()
    assert "<meta-value>送审稿</meta-value>" in _sts(client, standard, 1)

    standard.stage = Stage.APPROVAL.value
    db.session.commit()
    operations.transition(
        standard, secretariat, Stage.PUBLISHED, now=clock.tick(), implement_date="2026-06-01"
    )
    db.session.commit()
    published = _sts(client, standard, standard.published_revision)
    assert "T/SZYL 1—2026" in published and "2026-06-01" in published
    assert "<meta-name>draft</meta-name>" not in published
