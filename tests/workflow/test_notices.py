"""E-mail notices from the workflow: a consultation, a ballot, its result and its 48-hour reminder,
each in the recipient's language with a link on BASE_URL; none from a rolled-back change; delivered
only after the commit; opted-out categories skipped; a reminder written once per voter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from accounts import notices
from accounts.database import utcnow
from accounts.models import Role
from accounts.notices import Notice
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow.ballots import operations as ballots
from workflow.ballots.models import Ballot

BASE = "https://standards.example.org"


@pytest.fixture
def english_member(association, make_member):
    return make_member(association, Role.MEMBER, name="Ann Member", locale="en")


@pytest.fixture
def chinese_member(association, make_member):
    return make_member(association, Role.MEMBER, name="王成员", locale="zh_CN")


def _notices(category: str, user=None) -> list[Notice]:
    query = select(Notice).where(Notice.category == category).order_by(Notice.id)
    if user is not None:
        query = query.where(Notice.user_id == user.id)
    return list(db.session.scalars(query))


def _open_by_page(app, password, secretariat, standard, closes_in=timedelta(days=7)):
    """Open a review ballot through the page, the request naming another host."""
    client = app.test_client()
    evil = "http://evil.example"  # every request, the login's too, names this host
    logged_in = client.post("/login", data={"email": secretariat.email, "password": password}, base_url=evil)
    assert logged_in.status_code == 302
    response = client.post(
        f"/standards/{standard.id}/ballots",
        data={
            "kind": "review",
            "rule": "cn-tc",
            "closes_at": (utcnow() + closes_in).strftime("%Y-%m-%dT%H:%M"),
        },
        base_url=evil,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.request.host == "evil.example"
    return db.session.scalar(select(Ballot).where(Ballot.standard_id == standard.id))


def test_an_opened_ballot_tells_each_voter_in_their_language_with_a_base_url_link(
    app, password, make_standard, secretariat, english_member, chinese_member
):
    standard = make_standard(stage=Stage.REVIEW)
    ballot = _open_by_page(app, password, secretariat, standard)
    link = f"{BASE}/ballots/{ballot.id}"
    english = _notices("ballot_opened", english_member)
    chinese = _notices("ballot_opened", chinese_member)
    assert len(english) == len(chinese) == 1
    assert english[0].subject == "Ballot open: 跨境贸易电子发票要求"
    assert "is open. Vote before" in english[0].body and link in english[0].body
    assert chinese[0].subject == "表决开始：跨境贸易电子发票要求"
    assert "请在" in chinese[0].body and link in chinese[0].body
    assert all("evil.example" not in n.body for n in english + chinese)
    # no MAIL_SERVER: delivered to the administrator's outbox after the commit
    assert english[0].sent_at is not None and english[0].delivery == "outbox"


def test_a_refused_or_rolled_back_change_writes_no_notice(
    app, login, make_standard, secretariat, english_member, clock
):
    standard = make_standard(stage=Stage.REVIEW)
    client = app.test_client()
    login(client, secretariat)
    refused = client.post(
        f"/standards/{standard.id}/ballots",
        data={"kind": "review", "rule": "cn-tc", "closes_at": "2000-01-01T10:00"},
    )
    assert refused.status_code == 302  # back to the page with the refusal flashed
    assert db.session.scalar(select(Ballot.id)) is None and _notices("ballot_opened") == []
    ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(days=3), now=utcnow()
    )
    db.session.flush()
    assert _notices("ballot_opened")  # written in the unit of work …
    db.session.rollback()
    assert _notices("ballot_opened") == []  # … and gone with it
    db.session.commit()  # a later commit of the same session delivers nothing either
    assert db.session.scalar(select(db.func.count(Notice.id))) == 0


def test_notices_are_delivered_only_after_the_commit_by_a_job_on_its_own_connection(
    app, make_standard, secretariat, english_member
):
    standard = make_standard(stage=Stage.REVIEW)
    ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(days=3), now=utcnow()
    )
    db.session.flush()
    written = _notices("ballot_opened", english_member)
    assert written and written[0].sent_at is None  # nothing is sent inside the transaction
    with db.engine.connect() as other:  # another connection does not see uncommitted notices
        assert other.execute(text("SELECT count(*) FROM notices")).scalar() == 0
    db.session.commit()
    # the delivery job ran after the commit in a session of its own, and found the committed rows
    with db.engine.connect() as other:
        sent = other.execute(text("SELECT count(*) FROM notices WHERE sent_at IS NOT NULL")).scalar()
    assert sent == len(_notices("ballot_opened")) > 0


def test_an_opted_out_category_is_not_written(
    app, make_standard, secretariat, english_member, chinese_member
):
    notices.set_preferences(english_member, english_member, notices.CATEGORY_CODES - {"ballot_opened"})
    db.session.commit()
    standard = make_standard(stage=Stage.REVIEW)
    ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(days=3), now=utcnow()
    )
    db.session.commit()
    assert _notices("ballot_opened", english_member) == []
    assert len(_notices("ballot_opened", chinese_member)) == 1


def test_the_result_goes_to_voters_and_the_secretariat(
    app, make_standard, secretariat, english_member, chinese_member
):
    standard = make_standard(stage=Stage.REVIEW)
    ballot = ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(days=3), now=utcnow()
    )
    db.session.commit()
    ballots.close_ballot(ballot, secretariat, now=utcnow(), reason="提前结束")
    db.session.commit()
    english = _notices("ballot_result", english_member)
    assert len(english) == 1 and english[0].subject.startswith("Ballot result: 跨境贸易电子发票要求")
    assert f"{BASE}/ballots/{ballot.id}" in english[0].body
    assert len(_notices("ballot_result", secretariat)) == 1
    assert _notices("ballot_result", chinese_member)[0].subject.startswith("表决结果")


def test_the_48_hour_reminder_reaches_voters_who_have_not_voted_once(
    app, make_standard, secretariat, english_member, chinese_member
):
    standard = make_standard(stage=Stage.REVIEW)
    soon = ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(hours=47), now=utcnow()
    )
    db.session.commit()
    ballots.cast_vote(soon, chinese_member, "approve", "", now=utcnow())
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["workflow", "remind-due"])
    assert first.exit_code == 0, first.output
    reminded = {n.user_id for n in _notices("ballot_reminder")}
    assert english_member.id in reminded and chinese_member.id not in reminded
    english = _notices("ballot_reminder", english_member)[0]
    assert "you have not voted yet" in english.body and f"{BASE}/ballots/{soon.id}" in english.body
    again = runner.invoke(args=["workflow", "remind-due"])
    assert "Reminded 0 voter(s)." in again.output
    assert len(_notices("ballot_reminder", english_member)) == 1


def test_a_ballot_closing_later_than_48_hours_sends_no_reminder_yet(
    app, make_standard, secretariat, english_member
):
    standard = make_standard(stage=Stage.REVIEW)
    ballots.open_ballot(
        standard, secretariat, kind="review", closes_at=utcnow() + timedelta(days=5), now=utcnow()
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["workflow", "remind-due"])
    assert "Reminded 0 voter(s)." in result.output
    assert _notices("ballot_reminder") == []


def test_a_consultation_tells_the_associations_members(
    app, make_standard, secretariat, english_member, chinese_member, clock
):
    standard = make_standard()
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2026-04-01",
        audience="members",
    )
    db.session.commit()
    english = _notices("consultation_opened", english_member)
    assert len(english) == 1
    assert english[0].subject == "Comments invited: 跨境贸易电子发票要求"
    assert "until Apr 1, 2026" in english[0].body and f"{BASE}/standards/{standard.id}" in english[0].body
    chinese = _notices("consultation_opened", chinese_member)[0]
    assert "2026年4月1日" in chinese.body
