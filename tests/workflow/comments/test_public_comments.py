"""Public consultation: anyone with the link comments after giving a name, organisation and e-mail;
the comment is held for the secretariat, throttled per address (429 `rate_limited`), and refused
after the close like any other."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.refusals import Refused
from authoring.examples import example_text
from authoring.models import Stage
from extensions import db
from workflow import operations as stages
from workflow import transitions
from workflow.comments import operations
from workflow.comments.models import Comment, Moderation


@pytest.fixture
def in_public_consultation(make_standard, secretariat, clock):
    standard = make_standard(example_text("community-care"), title="社区居家养老服务规范")
    stages.transition(
        standard, secretariat, Stage.CONSULTATION, now=clock.tick(), closes_at="2999-12-31", audience="public"
    )
    db.session.commit()
    return standard


def _public(standard, clock, email="li@example.org", *, now=None, name="李工", organisation="某检测中心"):
    made = operations.create_public_comment(
        standard,
        operations.Selector(standard.latest_number, "scope", ""),
        operations.CommentFields("ed", "“基本要求”宜改为“要求”。", ""),
        name=name,
        organisation=organisation,
        email=email,
        now=now or clock.tick(),
    )
    db.session.commit()
    return made


def test_a_public_comment_is_held_until_the_secretariat_publishes_it(
    in_public_consultation, secretariat, clock
):
    comment = _public(in_public_consultation, clock)
    assert (comment.origin, comment.moderation, comment.author_id) == ("public", Moderation.HELD.value, None)
    assert comment.organisation == "某检测中心"
    assert transitions.open_comment_count(in_public_consultation) == 1  # the gate waits for it too
    operations.moderate(comment, secretariat, True, now=clock.tick())
    db.session.commit()
    assert db.session.get(Comment, comment.id).moderation == Moderation.PUBLISHED.value


def test_hiding_a_public_comment_takes_it_out_of_the_open_count(in_public_consultation, secretariat, clock):
    comment = _public(in_public_consultation, clock)
    operations.moderate(comment, secretariat, False, now=clock.tick())
    db.session.commit()
    assert transitions.open_comment_count(in_public_consultation) == 0


def test_only_the_secretariat_moderates(in_public_consultation, member, drafter, clock):
    comment = _public(in_public_consultation, clock)
    for someone in (member, drafter):
        with pytest.raises(Refused):
            operations.moderate(comment, someone, True, now=clock.tick())
        db.session.rollback()


def test_missing_details_are_named_field_by_field(in_public_consultation, clock):
    with pytest.raises(Refused) as refused:
        _public(in_public_consultation, clock, email="not-an-address", name="", organisation="")
    assert refused.value.kind == "invalid"
    assert set(refused.value.fields) == {"name", "organisation", "email"}


def test_one_address_is_throttled_per_hour_with_429(in_public_consultation, clock):
    start = clock.tick()
    for minute in range(operations.PUBLIC_PER_HOUR):
        _public(in_public_consultation, clock, now=start + timedelta(minutes=minute))
    with pytest.raises(Refused) as refused:
        _public(in_public_consultation, clock, now=start + timedelta(minutes=10))
    db.session.rollback()
    assert (refused.value.kind, refused.value.status, refused.value.code) == (
        "rate_limited",
        429,
        "rate_limited",
    )
    _public(in_public_consultation, clock, email="wang@example.org", now=start + timedelta(minutes=11))
    _public(in_public_consultation, clock, now=start + timedelta(minutes=61))  # an hour later it may again


def test_a_members_only_consultation_takes_no_public_comment(make_standard, secretariat, clock):
    standard = make_standard(example_text("community-care"), title="社区居家养老服务规范")
    stages.transition(
        standard,
        secretariat,
        Stage.CONSULTATION,
        now=clock.tick(),
        closes_at="2999-12-31",
        audience="members",
    )
    db.session.commit()
    with pytest.raises(Refused):
        _public(standard, clock)


def test_the_public_form_is_served_to_anyone_with_the_link(in_public_consultation, client):
    page = client.get(f"/standards/{in_public_consultation.id}/public-comment")
    assert page.status_code == 200
    assert "社区居家养老服务规范" in page.get_data(as_text=True)
