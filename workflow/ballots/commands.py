"""`flask --app wsgi workflow close-due`: close every ballot whose time has come (for cron);
`flask --app wsgi workflow remind-due`: remind voters who have not voted, 48 hours before the close.

Pages close a due ballot on the first request after its time; this closes the ones nobody looked
at, so results and the review gate do not wait for a visitor. It says what it closed.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accounts.database import utcnow
from extensions import db
from workflow.ballots import operations

workflow_group = AppGroup("workflow", help="Workflow maintenance: ballots whose time has come or comes soon.")


@workflow_group.command("close-due")
def close_due_command() -> None:
    """Close the ballots whose close time has passed and store their results."""
    closed = operations.close_due(utcnow())
    db.session.commit()
    if not closed:
        click.echo("No ballot was due to close.")
    for ballot in closed:
        verdict = "passed" if ballot.passed else "failed"
        click.echo(
            f"Closed ballot {ballot.id} ({ballot.kind}) on “{ballot.standard.title_zh}” revision "
            f"{ballot.revision} at {ballot.closes_at.isoformat()}: {verdict}"
        )


@workflow_group.command("remind-due")
def remind_due_command() -> None:
    """Remind each voter who has not voted, once per ballot, of a ballot that closes within 48 hours."""
    from workflow.notices import remind_due

    written = remind_due(utcnow())
    db.session.commit()
    click.echo(f"Reminded {written} voter(s).")


flask_commands = [workflow_group]
