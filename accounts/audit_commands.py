"""`flask --app wsgi audit …`: check the audit log's hash chain, and read its newest entries.

`verify` is what the chain is for: the database refuses to change the log, but someone who can drop
its triggers can change or delete rows, and then the chain breaks at that row. Run it from cron and
keep the head hash it prints somewhere else: `--head HASH` then also finds the newest entries deleted.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accounts import audit
from extensions import db

audit_group = AppGroup("audit", help="The audit log: verify its hash chain, show its newest entries.")

#: `audit verify` exit status when the chain is broken (0: it holds)
EXIT_BROKEN = 1


@audit_group.command("verify")
@click.option("--head", "expected_head", help="A head hash noted earlier: it must still be in the chain.")
def verify_command(expected_head: str | None) -> None:
    """Recompute every entry's hash in id order; exit 1 naming the first changed or missing entry."""
    result = audit.verify(db.session())
    db.session.rollback()
    if result.fault is not None:
        click.echo(
            f"audit log broken at entry {result.fault.entry_id}: {result.fault.reason} "
            f"({result.count} entries before it hold)",
            err=True,
        )
        raise SystemExit(EXIT_BROKEN)
    if expected_head and not audit.contains_hash(db.session(), expected_head):
        click.echo(f"audit log broken: the head {expected_head} noted earlier is no longer in it", err=True)
        raise SystemExit(EXIT_BROKEN)
    click.echo(f"audit log intact: {result.count} entries, head {result.head_hash}")


@audit_group.command("show")
@click.option("--last", "last", type=click.IntRange(min=1), default=20, show_default=True)
def show_command(last: int) -> None:
    """Print the newest entries, oldest of them first: id, time (UTC), action, actor, subject, details."""
    for entry in reversed(audit.recent(db.session(), last)):
        at = entry.at.strftime("%Y-%m-%d %H:%M:%S")
        where = f" org {entry.organisation_id}" if entry.organisation_id is not None else ""
        address = f" from {entry.remote_addr}" if entry.remote_addr else ""
        click.echo(
            f"{entry.id}\t{at}Z\t{entry.action}\t{entry.actor_label or '-'}\t{entry.subject or '-'}"
            f"{where}{address}\t{entry.details}"
        )


#: registered by wsgi.create_app
flask_commands = [audit_group]
