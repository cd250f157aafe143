"""Delivering notices: by SMTP to a real local server (aiosmtpd in a thread), else to the outbox; a
failure kept for the administrator; two jobs at once send each notice once; the outbox page is the
administrator's; the account page's checkboxes are saved and respected; the desk lists the notices."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from accounts import notices
from accounts.database import utcnow
from accounts.notice_delivery import deliver_pending
from accounts.notices import CATEGORY_CODES, Notice, NoticeOptOut
from accounts.refusals import Refused
from extensions import db


class Mailbox:
    """What the local SMTP server received: (envelope recipients, parsed message) per mail."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], object]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append(
                (
                    list(envelope.rcpt_tos),
                    message_from_bytes(envelope.original_content, policy=policy.default),
                )
            )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def smtp_server():
    """A real SMTP server on 127.0.0.1 for this module's tests (the standard library has none since 3.12)."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture
def mailbox(app, smtp_server) -> Mailbox:
    """The app sends through the local SMTP server; what it received (emptied first)."""
    controller, box = smtp_server
    box.received.clear()
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_FROM="标准工坊 <no-reply@example.org>"
    )
    return box


def _write(users, category="ballot_opened", subject="表决开始", link="/ballots/1"):
    def words():
        return subject, "正文"

    made = notices.notify(users, category, words, link, now=utcnow())
    db.session.commit()
    return made


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_a_notice_is_sent_by_smtp_after_the_commit(app, make_user, mailbox):
    user = make_user("reader@example.org", "读者")
    [notice] = _write([user], subject="表决开始：养老服务规范")
    assert len(mailbox.received) == 1
    recipients, message = mailbox.received[0]
    assert recipients == ["reader@example.org"]
    assert _subject(message) == "表决开始：养老服务规范"
    assert "https://standards.example.org/ballots/1" in message.get_content()
    db.session.refresh(notice)
    assert notice.delivery == "smtp" and notice.sent_at is not None and notice.error == ""


def test_an_unreachable_server_keeps_the_error_for_the_outbox(app, make_user, client, login):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nothing listens there
    admin = make_user(is_admin=True)
    [notice] = _write([make_user()])
    db.session.refresh(notice)
    assert notice.sent_at is None and "ConnectionRefusedError" in notice.error
    login(client, admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "ConnectionRefusedError" in page


def test_two_jobs_at_once_send_each_notice_once(app, make_user, mailbox):
    app.config["NOTICE_RUNNER"] = "cron"  # nothing starts after the commit: the jobs below send
    users = [make_user() for _ in range(12)]
    _write(users)
    assert mailbox.received == []
    counts: list[int] = []
    threads = [threading.Thread(target=lambda: counts.append(deliver_pending(app))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 12
    assert sorted(r[0][0] for r in mailbox.received) == sorted(u.email for u in users)
    assert deliver_pending(app) == 0  # a third run finds nothing left


def test_the_cron_command_delivers_what_waits_to_the_outbox(app, make_user):
    app.config["NOTICE_RUNNER"] = "cron"
    [notice] = _write([make_user()])
    assert db.session.get(Notice, notice.id).sent_at is None
    result = app.test_cli_runner().invoke(args=["notices", "deliver"])
    assert "Delivered 1 notice(s)." in result.output
    db.session.rollback()  # end the test's read, which began before the command wrote
    assert db.session.get(Notice, notice.id).delivery == "outbox"


def test_the_outbox_is_the_administrators_newest_first_and_paginated(app, make_user, client, login):
    admin, reader = make_user(is_admin=True), make_user("reader@example.org")
    for n in range(55):
        _write([reader], subject=f"通知 {n:02d}")
    login(client, reader)
    assert client.get("/admin/outbox").status_code == 403
    client = app.test_client()
    login(client, admin)
    first = client.get("/admin/outbox").get_data(as_text=True)
    assert "通知 54" in first and "reader@example.org" in first and "通知 04" not in first
    assert first.index("通知 54") < first.index("通知 53")
    second = client.get("/admin/outbox?page=2").get_data(as_text=True)
    assert "通知 04" in second and "通知 54" not in second


def test_the_account_page_saves_the_checkboxes_and_notify_respects_them(app, make_user, client, login):
    user = make_user(locale="en")
    login(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert page.count('name="category"') == len(CATEGORY_CODES) and "A ballot opened" in page
    kept = sorted(CATEGORY_CODES - {"ballot_opened", "consultation_opened"})
    response = client.post("/account/notices", data={"category": kept})
    assert response.status_code == 302
    off = set(db.session.scalars(select(NoticeOptOut.category).where(NoticeOptOut.user_id == user.id)))
    assert off == {"ballot_opened", "consultation_opened"}
    assert 'value="ballot_opened">' in client.get("/account").get_data(as_text=True)  # unchecked now
    assert _write([user]) == []  # ballot_opened is off
    assert len(_write([user], category="ballot_result")) == 1
    client.post("/account/notices", data={"category": sorted(CATEGORY_CODES)})
    assert db.session.scalar(select(func.count()).select_from(NoticeOptOut)) == 0


def test_the_desk_lists_the_users_recent_notices(app, make_user, client, login):
    user = make_user()
    _write([user], subject="表决开始：养老服务规范", link="/ballots/7")
    login(client, user)
    desk = client.get("/").get_data(as_text=True)
    assert "表决开始：养老服务规范" in desk and 'href="/ballots/7"' in desk


def test_nobody_chooses_another_persons_notices(app, make_user):
    owner, other = make_user(), make_user()
    with pytest.raises(Refused):
        notices.set_preferences(other, owner, [])


def test_in_the_web_process_a_thread_delivers_after_the_commit(app, make_user):
    app.config["NOTICE_RUNNER"] = "thread"  # production's default without Redis
    [notice] = _write([make_user()])
    app.extensions["notice_executor"].shutdown(wait=True)  # the thread the commit started has finished
    db.session.rollback()
    delivered = db.session.get(Notice, notice.id)
    assert delivered.delivery == "outbox" and delivered.sent_at is not None


def test_a_failed_send_is_tried_again_once_its_claim_is_stale(app, make_user, mailbox, smtp_server):
    controller, _box = smtp_server
    app.config["MAIL_PORT"] = _free_port()  # the relay is down at the commit
    [notice] = _write([make_user("late@example.org")])
    assert mailbox.received == []
    app.config["MAIL_PORT"] = controller.port  # back up
    assert deliver_pending(app) == 0  # the failed claim is still fresh: not at once
    assert deliver_pending(app, now=utcnow() + timedelta(minutes=11)) == 1
    assert [r[0] for r in mailbox.received] == [["late@example.org"]]
    db.session.rollback()
    sent = db.session.get(Notice, notice.id)
    assert sent.delivery == "smtp" and sent.error == "" and sent.attempts == 2
