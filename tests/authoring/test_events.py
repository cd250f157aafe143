"""A standard's history is one append-only event list, written by the verbs and shown on its page."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from authoring import operations
from authoring.events import StandardEvent, events_of, record
from extensions import db

TRAINING_OLD = "在岗服务人员每年接受的继续培训宜不少于24学时。"
TRAINING_NEW = "在岗服务人员每年应接受不少于24学时的继续培训。"


def test_create_save_and_restore_are_recorded_with_actor_and_revision(
    make_standard, secretariat, drafter, community_care, clock
):
    standard = make_standard(community_care)
    edited = standard.latest_revision().text.replace(TRAINING_OLD, TRAINING_NEW)
    operations.save_revision(standard, drafter, edited, "采纳意见12", 1, now=clock.tick())
    operations.restore_revision(standard, drafter, 1, "退回初稿", now=clock.tick())
    db.session.commit()

    history = events_of(standard, newest_first=False)
    assert [(e.kind, e.revision, e.actor.email) for e in history] == [
        ("uploaded", 1, secretariat.email),
        ("saved", 2, drafter.email),
        ("restored", 3, drafter.email),
    ]
    assert history[1].note == "采纳意见12"
    assert history[0].at < history[1].at < history[2].at


def test_an_unchanged_save_records_nothing(make_standard, drafter, community_care, clock):
    standard = make_standard(community_care)
    operations.save_revision(standard, drafter, standard.latest_revision().text, "", 1, now=clock.tick())
    db.session.commit()
    assert [e.kind for e in events_of(standard)] == ["uploaded"]


def test_the_history_is_never_rewritten(make_standard):
    standard = make_standard()
    event = events_of(standard)[0]
    event.note = "改写历史"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_a_kind_without_words_is_refused(make_standard, clock):
    with pytest.raises(ValueError, match="EVENT_LABELS"):
        record(make_standard(), None, "teleported", now=clock.tick())


def test_the_standard_page_lists_its_events_newest_first(
    client, login, make_standard, drafter, community_care, clock
):
    standard = make_standard(community_care)
    edited = standard.latest_revision().text.replace(TRAINING_OLD, TRAINING_NEW)
    operations.save_revision(standard, drafter, edited, "采纳意见12", 1, now=clock.tick())
    db.session.commit()
    login(client, drafter)
    page = client.get(f"/standards/{standard.id}").get_data(as_text=True)
    events = page[page.index('id="events"') :]
    assert "2 个事件" in events or "2 events" in events
    assert events.index("采纳意见12") < events.index("上传")


def test_an_event_of_a_deleted_account_still_shows(client, login, make_standard, drafter, clock):
    standard = make_standard()
    db.session.execute(update(StandardEvent).values(actor_id=None))
    db.session.commit()
    login(client, drafter)
    assert client.get(f"/standards/{standard.id}").status_code == 200
