"""`flask --app wsgi workflow close-due`: close every ballot whose time has come (for cron).

Pages close a due ballot on the first request after its time; this closes the ones nobody looked
at, so results and the review gate do not wait for a visitor. It says what it closed.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from accounts.database import utcnow
from extensions import db
from workflow.ballots import operations

workflow_group = AppGroup("workflow", help="Workflow maintenance: ballots whose time has come.")


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


flask_commands = [workflow_group]
