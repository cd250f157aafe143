"""`flask --app wsgi backup FILE` and `flask --app wsgi restore FILE` (accounts.backup does the work).

`backup` exits 0 when the archive is written, 2 when it could not be (nothing is left at FILE).

Exit statuses of `restore`: 0 when the restored data equals the manifest, 1 when it was restored but
some check differs (the report says which), 2 when it was refused and nothing changed (not an
archive, a damaged one, an unknown format version, a database that is not empty).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask_babel import gettext as _

from accounts import backup
from accounts.hooks import hooks
from accounts.refusals import Refused

#: `restore` exit statuses besides 0 (the restored data equals the manifest)
EXIT_DIFFERENT = 1
EXIT_REFUSED = 2


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write the database and the instance folder to FILE, one archive, while the app may serve."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        summary = backup.backup(app, file, hooks(app).backup_checks)
    except Refused as refused:
        click.echo(refused.message, err=True)
        raise SystemExit(EXIT_REFUSED) from None
    except OSError as error:
        click.echo(_("Cannot write %(path)s: %(error)s", path=file, error=error.strerror or error), err=True)
        raise SystemExit(EXIT_REFUSED) from None
    click.echo(
        _(
            "Backed up the %(backend)s database (%(tables)s tables, %(rows)s rows) and %(files)s files "
            "to %(path)s (%(size)s bytes).",
            backend=summary.backend,
            tables=summary.tables,
            rows=summary.rows,
            files=summary.files,
            path=summary.path,
            size=summary.size,
        )
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore FILE (made by `backup`) into the configured, empty database, then check it against
    its manifest. Exit status 0 equal, 1 different, 2 refused (nothing changed)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        report = backup.restore(app, file, hooks(app).backup_checks)
    except Refused as refused:
        click.echo(refused.message, err=True)
        raise SystemExit(EXIT_REFUSED) from None
    click.echo(_("Restored %(path)s and %(files)s files.", path=file, files=report.files))
    for comparison in report.comparisons:
        verdict = _("equal") if comparison.equal else _("DIFFERENT")
        detail = f" ({comparison.detail})" if comparison.detail and not comparison.equal else ""
        click.echo(f"  {comparison.name}: {verdict}{detail}")
    if not report.equal:
        click.echo(_("The restored database differs from the archive's manifest."), err=True)
        raise SystemExit(EXIT_DIFFERENT)
    click.echo(_("The restored database equals the archive's manifest."))


#: registered by wsgi.create_app
flask_commands = [backup_command, restore_command]
