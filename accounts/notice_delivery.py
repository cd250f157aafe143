"""Delivering notices after the commit: a job claims the waiting rows and sends them.

Where the job runs follows the exports' configuration (NOTICE_RUNNER overrides it):
- "thread" (default without Redis): one thread of the web process;
- "rq" (default when REDIS_URL is set): the exports queue, run by `flask --app wsgi worker`;
- "sync": at once, in the committing thread but in an application context (and so a database
  session and connection) of its own (tests, scripts; the default when TESTING);
- "cron": not at all after the commit; `flask --app wsgi notices deliver` sends what waits.
`flask --app wsgi notices deliver` runs the job from cron in any case, and retries failed sends.

SMTP goes through the standard library (`smtplib`, `email.message.EmailMessage`): plain-text mail to
one relay needs nothing more, and a new dependency (Flask-Mailman) would add a second configuration
style for the same four settings. Without MAIL_SERVER the notices stay in the outbox that the
administrator reads at /admin/outbox, marked delivered there.

The job is safe to run twice at once: it claims rows with an UPDATE … WHERE the row is unclaimed (or
its claim is stale) under the write lock, in a transaction of its own, and sends only the rows that
carry its own claim token. A failed send keeps its error and is tried again once its claim is stale,
up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import Flask, current_app
from sqlalchemy import or_, select, update

from accounts.database import begin_immediate, utcnow
from accounts.models import User
from accounts.notices import Notice
from extensions import db

log = logging.getLogger(__name__)

#: a claim older than this belongs to a job that died (or a failed send to try again)
CLAIM_SECONDS = 600
#: a notice whose send failed this many times stays failed in the outbox (a bad address, a refusing relay)
MAX_ATTEMPTS = 5
#: notices one run claims; the next run takes the rest
BATCH = 200
#: seconds an SMTP connection may wait for the server
SMTP_TIMEOUT = 30


def runner_name(app: Flask) -> str:
    """ "sync", "thread" or "rq": NOTICE_RUNNER, else sync under TESTING, else as the exports run."""
    configured = app.config.get("NOTICE_RUNNER")
    if configured:
        return str(configured)
    if app.config.get("TESTING"):
        return "sync"
    exports = app.config.get("EXPORT_RUNNER")
    if exports:
        return str(exports)
    return "rq" if app.config.get("REDIS_URL") else "thread"


def dispatch(app: Flask) -> None:
    """Start delivering what is waiting: called once the unit of work that wrote notices committed."""
    runner = runner_name(app)
    if runner == "sync":
        _deliver_logged(app)
    elif runner == "cron":
        return
    elif runner == "rq":
        try:
            from redis import Redis
            from rq import Queue

            queue = Queue(
                str(app.config.get("EXPORT_QUEUE") or "exports"),
                connection=Redis.from_url(app.config["REDIS_URL"]),
            )
            queue.enqueue_call(
                "accounts.notice_delivery.deliver_job", timeout=300, result_ttl=0, description="notices"
            )
        except Exception:  # the queue is down: the notices wait for the next run or the cron command
            log.exception("could not enqueue the notice delivery")
    else:
        _executor(app).submit(_deliver_logged, app)


def _executor(app: Flask) -> ThreadPoolExecutor:
    executor = app.extensions.get("notice_executor")
    if executor is None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notices")
        app.extensions["notice_executor"] = executor
    return executor


def _deliver_logged(app: Flask) -> None:
    try:
        deliver_pending(app)
    except Exception:  # a thread's exception would vanish; the rows wait for the next run
        log.exception("notice delivery failed")


def deliver_job() -> int:
    """The RQ job: the worker pushed the application context (exports.worker.AppWorker)."""
    return deliver_pending(current_app._get_current_object())  # type: ignore[attr-defined]


def deliver_pending(app: Flask, *, now: datetime | None = None) -> int:
    """Claim the waiting notices and deliver them; returns how many were delivered.

    Runs in an application context of its own, so its session and connection are never the request's.
    """
    delivered = 0
    with app.app_context():
        try:
            while True:
                claimed = _claim(now or utcnow())
                if not claimed:
                    break
                delivered += _send_all(app, claimed)
                if len(claimed) < BATCH:
                    break
        finally:
            db.session.remove()
    return delivered


def _claim(now: datetime) -> list[int]:
    """Mark up to BATCH unsent notices with a fresh claim token, in one committed write."""
    token = secrets.token_hex(16)
    stale = now - timedelta(seconds=CLAIM_SECONDS)
    waiting = or_(Notice.claimed_at.is_(None), Notice.claimed_at < stale) & (Notice.attempts < MAX_ATTEMPTS)
    begin_immediate(db.session)
    ids = list(
        db.session.scalars(
            select(Notice.id).where(Notice.sent_at.is_(None), waiting).order_by(Notice.id).limit(BATCH)
        )
    )
    if ids:
        db.session.execute(
            update(Notice)
            .where(Notice.id.in_(ids), Notice.sent_at.is_(None), waiting)
            .values(claim=token, claimed_at=now, attempts=Notice.attempts + 1)
        )
    db.session.commit()
    if not ids:
        return []
    return list(db.session.scalars(select(Notice.id).where(Notice.claim == token).order_by(Notice.id)))


def _send_all(app: Flask, ids: list[int]) -> int:
    rows = db.session.execute(
        select(Notice.id, Notice.subject, Notice.body, User.email, User.name)
        .join(User, User.id == Notice.user_id)
        .where(Notice.id.in_(ids))
        .order_by(Notice.id)
    ).all()
    db.session.rollback()  # nothing stays open while mail is sent
    if not app.config.get("MAIL_SERVER"):
        _record([row.id for row in rows], delivery="outbox")
        return len(rows)
    sent = 0
    try:
        with _smtp(app) as smtp:
            for row in rows:
                try:
                    smtp.send_message(_message(app, row.subject, row.body, row.email, row.name))
                except smtplib.SMTPException as error:
                    _record([row.id], error=f"{type(error).__name__}: {error}"[:2000])
                else:
                    _record([row.id], delivery="smtp")
                    sent += 1
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server %s not reachable: %s", app.config.get("MAIL_SERVER"), error)
        _record([row.id for row in rows[sent:]], error=f"{type(error).__name__}: {error}"[:2000])
    return sent


def _record(ids: list[int], *, delivery: str = "", error: str = "") -> None:
    """Write the outcome of `ids` at once, in a transaction of its own."""
    if not ids:
        return
    values: dict[str, Any] = {"error": error}
    if delivery:
        values.update(sent_at=utcnow(), delivery=delivery)
    begin_immediate(db.session)
    db.session.execute(update(Notice).where(Notice.id.in_(ids)).values(**values))
    db.session.commit()


def _smtp(app: Flask) -> smtplib.SMTP:
    """A connection to MAIL_SERVER, with TLS (MAIL_USE_SSL, or STARTTLS with MAIL_USE_TLS) and a login
    when MAIL_USERNAME is set."""
    host, port = str(app.config["MAIL_SERVER"]), int(app.config.get("MAIL_PORT") or 25)
    smtp: smtplib.SMTP
    if app.config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT)
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        if app.config.get("MAIL_USE_TLS"):
            smtp.starttls()
    if app.config.get("MAIL_USERNAME"):
        smtp.login(str(app.config["MAIL_USERNAME"]), str(app.config.get("MAIL_PASSWORD") or ""))
    return smtp


def _message(app: Flask, subject: str, body: str, email: str, name: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = str(app.config.get("MAIL_FROM") or "standardforge@localhost")
    message["To"] = formataddr((name, email))
    message["Message-ID"] = make_msgid(domain="standardforge")
    message.set_content(body)
    return message
