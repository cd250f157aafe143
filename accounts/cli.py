"""`flask --app wsgi …` commands for operators: people, organisations, memberships and the demo."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from accounts import operations, tokens
from accounts.database import utcnow
from accounts.demo import DEMO_PEOPLE
from accounts.hooks import hooks
from accounts.models import Organisation, OrgKind, Role, User
from accounts.permissions import OPERATOR
from accounts.refusals import Refused
from extensions import db


def _fail(refused: Refused) -> None:
    db.session.rollback()
    raise click.ClickException(refused.message)


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--admin", is_flag=True, help="Make the person a platform administrator.")
def create_user_command(email: str, name: str, password: str, admin: bool) -> None:
    """Create an account (the password is asked for unless given)."""
    try:
        user = operations.create_user(OPERATOR, email, name, password, is_admin=admin)
    except Refused as refused:
        _fail(refused)
    db.session.commit()
    click.echo(f"created user {user.id} {user.email}{' (administrator)' if admin else ''}")


@click.command("create-org")
@click.option("--kind", type=click.Choice([k.value for k in OrgKind]), required=True)
@click.option("--name", required=True)
@click.option("--code", help="An association's code in standard numbers, e.g. SZYL.")
def create_org_command(kind: str, name: str, code: str | None) -> None:
    """Create an association (with --code) or a government agency."""
    try:
        org = operations.create_org(OPERATOR, OrgKind(kind), name, code)
    except Refused as refused:
        _fail(refused)
    db.session.commit()
    click.echo(f"created {org.kind.value} {org.id} {org.code or ''} {org.name}".replace("  ", " "))


def _find_org(reference: str) -> Organisation:
    query = select(Organisation).where(
        (Organisation.code == reference.upper())
        | (Organisation.id == (int(reference) if reference.isdigit() else -1))
    )
    org = db.session.scalar(query)
    if org is None:
        raise click.ClickException(f"no organisation with id or code {reference!r}")
    return org


@click.command("add-member")
@click.option("--email", required=True, help="The person's login.")
@click.option("--org", "org_reference", required=True, help="The organisation's id or code.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--voting/--no-voting", default=None, help="Voting right (members vote by default).")
@click.option("--weight", type=int, default=1, show_default=True)
def add_member_command(email: str, org_reference: str, role: str, voting: bool | None, weight: int) -> None:
    """Give an existing person a role in an organisation."""
    org = _find_org(org_reference)
    user = operations.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no account with e-mail {email}")
    try:
        membership = operations.add_member(OPERATOR, org, user, Role(role), voting=voting, weight=weight)
    except Refused as refused:
        _fail(refused)
    db.session.commit()
    click.echo(f"{user.email} is {membership.role.value} of {org.name} (voting: {membership.voting})")


@click.command("create-token")
@click.option(
    "--email", "emails", required=True, multiple=True, help="Whose token; repeat for several people."
)
@click.option("--name", required=True, help='What the token is for, e.g. "drafting CI".')
def create_token_command(emails: tuple[str, ...], name: str) -> None:
    """Make a named API token for each address; print `E-MAIL<TAB>TOKEN` lines (shown only now)."""
    users = [(email, operations.find_user_by_email(email)) for email in emails]
    unknown = [email for email, user in users if user is None]
    if unknown:
        raise click.ClickException(f"no account with e-mail {', '.join(unknown)}: no token was made")
    now = utcnow()
    try:
        issued = [(user, tokens.create_token(OPERATOR, user, name, now=now)) for _email, user in users]
    except Refused as refused:
        _fail(refused)
    db.session.commit()
    for user, token in issued:
        click.echo(f"{user.email}\t{token.secret}")


@click.command("demo")
def demo_command() -> None:
    """Load the demo data, only into an empty database; then print the demo logins."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if (db.session.scalar(select(func.count(User.id))) or 0) > 0:
        click.echo("The database already has accounts: demo data not loaded.")
    else:
        for load in hooks(app).demo_loaders:
            load(app)
            db.session.commit()
        click.echo("Demo data loaded.")
    print_demo_logins(app.config["DEMO_PASSWORD"])


def print_demo_logins(password: str) -> None:
    click.echo(f"Demo logins (password: {password}):")
    for email, name, role, _voting in DEMO_PEOPLE:
        click.echo(f"  {email:<24} {name}  {role.value if role else 'platform administrator'}")


#: registered by wsgi.create_app
flask_commands = [
    create_user_command,
    create_org_command,
    add_member_command,
    create_token_command,
    demo_command,
]


#: `import-members` exit statuses besides 0 (every row accepted)
EXIT_REFUSED_FILE = 1  # the file cannot be read or the import was refused: nothing changed
EXIT_REFUSED_ROWS = 3  # some rows were refused; the others were applied (or, with --dry-run, previewed)


def _describe_terms(terms: Any) -> str:
    unit = f", {terms.unit}" if terms.unit else ""
    return f"{terms.role.value}, voting {'yes' if terms.voting else 'no'}, weight {terms.weight}{unit}"


def print_import_report(plan: Any) -> None:
    """The preview as lines: one per row, in the file's order, then the totals."""
    from accounts.member_import import Kind

    lines: list[tuple[int, str]] = []
    for change in plan.changes:
        if change.kind == Kind.CHANGED:
            what = "; ".join(
                f"{f} {getattr(change.before, f)} -> {getattr(change.terms, f)}"
                for f in change.changed_fields
            )
        else:
            what = _describe_terms(change.terms)
        note = " (replaces the open invitation)" if change.replaces_invitation else ""
        note += " (invited already)" if change.invited else ""
        lines.append(
            (change.row, f"row {change.row}: {change.kind} {change.email} {change.name}: {what}{note}")
        )
    for refused in plan.refused:
        lines.append(
            (refused.row, f"row {refused.row}: refused {refused.email}: {'; '.join(refused.reasons)}")
        )
    for _row, line in sorted(lines):
        click.echo(line)
    counts = ", ".join(f"{count} {kind}" for kind, count in plan.counts.items())
    click.echo(f"total: {counts}")


@click.command("import-members")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--org", "org_reference", required=True, help="The organisation's code or id.")
@click.option("--dry-run", is_flag=True, help="Print what the import would change, and change nothing.")
def import_members_command(file: str, org_reference: str, dry_run: bool) -> None:
    """Import members from a CSV or XLSX file (columns email, name, organisation, role, voting, weight).

    Prints one line per row (new account, new membership, changed, unchanged, refused and why), then
    the invitation links of the new accounts. Exit status: 0 when every row was accepted, 3 when some
    rows were refused (the others are applied unless --dry-run), 1 when the file cannot be read or
    the import is refused (nothing changes).
    """
    from datetime import timedelta
    from pathlib import Path

    from accounts.database import utcnow
    from accounts.member_files import MAX_FILE_BYTES

    org = _find_org(org_reference)
    path = Path(file)
    with path.open("rb") as member_file:
        data = member_file.read(MAX_FILE_BYTES + 1)  # a larger file is refused by read_table
    try:
        plan = operations.read_member_list(OPERATOR, org, path.name, data, now=utcnow())
    except Refused as refused:
        _fail(refused)
    print_import_report(plan)
    if not dry_run:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        try:
            applied = operations.apply_member_import(
                OPERATOR, org, plan, now=utcnow(), valid_for=timedelta(days=app.config["INVITATION_DAYS"])
            )
        except Refused as refused:
            _fail(refused)
        db.session.commit()
        click.echo(f"applied {len(plan.to_apply)} changes to {org.name}")
        from accounts.views import invitation_url

        with app.test_request_context("/"):
            for issued in applied.invitations:
                click.echo(f"invitation {issued.invitation.email}: {invitation_url(issued.token)}")
    else:
        db.session.rollback()
        click.echo("dry run: nothing changed")
    if plan.refused:
        raise SystemExit(EXIT_REFUSED_ROWS)


flask_commands.append(import_members_command)


notices_group = AppGroup("notices", help="E-mail notices: deliver what waits (for cron).")


@notices_group.command("deliver")
def deliver_notices_command() -> None:
    """Send the notices that wait (SMTP when MAIL_SERVER is set, else the outbox), failed ones again."""
    from accounts.notice_delivery import deliver_pending

    delivered = deliver_pending(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(f"Delivered {delivered} notice(s).")


flask_commands.append(notices_group)
