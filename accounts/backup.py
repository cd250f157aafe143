"""One archive file that holds the whole platform, and its restore into a new, empty database.

The archive is a plain tar of `manifest.json`, `manifest.sha256`, the database (`database.sqlite3`,
made with SQLite's online backup, or `database.pgdump`, made with `pg_dump -Fc`) and the files of the
instance folder (`files/0001` …). Uploaded figures, export files and uploaded dossiers are rows of the
database, so the dump carries them; the instance folder keeps what is not (the generated secret key).

The manifest names what must come back: the row count of every table, the Alembic revision, the
SHA-256 of the dump and of each file, and the check values that the packages contribute through
`wsgi.BACKUP_CHECKS` (revision hashes, ballot results, counts per organisation): a check hook is
`check(session, recompute=False)` for what the original stores, `recompute=True` for what the
restored data computes to (hashes of the texts, tallies of the votes), so a restore proves itself.
Everything is read from one snapshot (the copy itself on SQLite, an exported snapshot shared with
`pg_dump` on PostgreSQL), so writers may go on while the backup runs and the counts still match.

Every byte of an archive is checked before anything is written (`accounts.backup_archive`). This module knows only `db.metadata` and the hooks: it imports nothing above accounts.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.orm import Session

from accounts.backup_archive import (
    CHUNK_BYTES,
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_DIGEST,
    SQLITE_COMPANIONS,
    open_archive,
    refuse,
)
from accounts.database import utcnow
from accounts.hooks import BackupCheck
from accounts.refusals import Refused
from extensions import db


@dataclass(frozen=True)
class Comparison:
    """One line of a restore's report: what was compared and whether it came back equal."""

    #: translated, for the report
    name: str
    equal: bool
    detail: str = ""


@dataclass
class RestoreReport:
    comparisons: list[Comparison] = field(default_factory=list)
    files: int = 0

    @property
    def equal(self) -> bool:
        return all(c.equal for c in self.comparisons)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _normal(value: Any) -> Any:
    """`value` as it reads back from JSON (string keys, lists), so both sides compare alike."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def backend_of(app: Flask) -> str:
    return "sqlite" if db.engine.dialect.name == "sqlite" else "postgresql"


# -- what the manifest records ------------------------------------------------------------------


def table_counts(connection: Connection) -> dict[str, int]:
    """Rows of every table of the models that exists in the database."""
    present = set(inspect(connection).get_table_names())
    return {
        table.name: connection.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
        if table.name in present
    }


def alembic_revision(connection: Connection) -> str | None:
    """The migration the schema is at (None for a schema made by `create_all`, as in tests)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def check_values(session: Session, checks: Sequence[BackupCheck], *, recompute: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for check in checks:
        values.update(check(session, recompute=recompute))
    return _normal(values)


def _instance_files(app: Flask, exclude: Sequence[Path]) -> list[tuple[str, Path]]:
    """(path in the archive, file) for each file of the instance folder but the database's own and
    those of `exclude` (the archive being written and its work folder, when they are in there)."""
    root = Path(app.instance_path)
    if not root.is_dir():
        return []
    skipped = {path.resolve() for path in exclude}
    database = db.engine.url.database if db.engine.dialect.name == "sqlite" else None
    if database:
        skipped |= {Path(database + suffix).resolve() for suffix in SQLITE_COMPANIONS}
    found = []
    for path in sorted(root.rglob("*")):
        resolved = path.resolve()
        if any(resolved == p or p in resolved.parents for p in skipped):
            continue
        if path.is_file() and not path.is_symlink():
            found.append((str(PurePosixPath("instance", *path.relative_to(root).parts)), path))
    return found


# -- writing an archive -------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    backend: str
    tables: int
    rows: int
    files: int
    size: int


def backup(app: Flask, destination: Path, checks: Sequence[BackupCheck]) -> BackupSummary:
    """Write the archive of the configured database and instance folder to `destination`."""
    backend = backend_of(app)
    # the copy is made beside FILE, not in /tmp: on the same disk, which has room for the archive
    with tempfile.TemporaryDirectory(prefix=".stdforge-backup-", dir=destination.parent) as work:
        dump = Path(work) / DATABASE_MEMBERS[backend]
        snapshot = _sqlite_snapshot if backend == "sqlite" else _postgresql_snapshot
        extra = snapshot(dump, checks)
        files = _instance_files(app, exclude=[destination, Path(work)])
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "backend": backend,
            **extra,
            "database": {"member": dump.name, "sha256": _sha256_file(dump), "size": dump.stat().st_size},
            "files": [
                {
                    "member": f"files/{number:04d}",
                    "path": name,
                    "sha256": _sha256_file(path),
                    "size": path.stat().st_size,
                }
                for number, (name, path) in enumerate(files, start=1)
            ],
        }
        encoded = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        partial = destination.with_name(destination.name + ".partial")
        try:
            # readable by its owner only: it holds password hashes and the instance's secret key
            partial.touch(mode=0o600)
            partial.chmod(0o600)
            with tarfile.open(partial, "w", format=tarfile.USTAR_FORMAT) as archive:
                _add_bytes(archive, MANIFEST, encoded)
                _add_bytes(archive, MANIFEST_DIGEST, hashlib.sha256(encoded).hexdigest().encode("ascii"))
                archive.add(dump, arcname=dump.name, recursive=False, filter=_plain)
                for entry, (_name, path) in zip(manifest["files"], files, strict=True):
                    archive.add(path, arcname=entry["member"], recursive=False, filter=_plain)
            os.replace(partial, destination)  # FILE is a whole archive or untouched, never half of one
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupSummary(
        path=destination,
        backend=backend,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(files),
        size=destination.stat().st_size,
    )


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = _plain(tarfile.TarInfo(name))
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _sqlite_snapshot(copy: Path, checks: Sequence[BackupCheck]) -> dict[str, Any]:
    """Copy the database with SQLite's online backup (one step: one consistent read while writers
    go on, in WAL mode), then read the manifest's values from the copy, so they describe it exactly."""
    database = Path(db.engine.url.database or "")
    if not database.is_file():  # sqlite3.connect would make an empty one, and back that up
        raise refuse(_("There is no database file at %(path)s.", path=database))
    source = sqlite3.connect(database, timeout=30)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as connection, Session(bind=connection) as session:
            return {
                "alembic_revision": alembic_revision(connection),
                "tables": table_counts(connection),
                "checks": check_values(session, checks, recompute=False),
            }
    finally:
        engine.dispose()


def _client(name: str) -> str:
    """The path of a PostgreSQL client program; refused, with what to install, when it is missing."""
    found = shutil.which(name)
    if found is None:
        raise refuse(_("%(program)s is not installed (apt-get install postgresql-client).", program=name))
    return found


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """The libpq URL (no password in it, so none in a process list) and the environment for it."""
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), environment


def _postgresql_snapshot(dump: Path, checks: Sequence[BackupCheck]) -> dict[str, Any]:
    """`pg_dump -Fc` of the app's schema inside a snapshot that the manifest's values are read in too."""
    target, environment = libpq_target(db.engine.url)
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            schema = connection.scalar(text("SELECT current_schema()"))
            completed = subprocess.run(
                [
                    _client("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--schema={schema}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={dump}",
                    target,
                ],
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            if completed.returncode != 0:
                raise refuse(_("pg_dump failed: %(error)s", error=completed.stderr.strip()))
            extensions = connection.execute(
                text(
                    "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                    " WHERE e.extname <> 'plpgsql' ORDER BY e.extname"
                )
            ).all()
            with Session(bind=connection) as session:
                return {
                    "schema": schema,
                    # a dump of one schema leaves out the extensions its indexes use (pg_trgm in public)
                    "extensions": {name: extension_schema for name, extension_schema in extensions},
                    "alembic_revision": alembic_revision(connection),
                    "tables": table_counts(connection),
                    "checks": check_values(session, checks, recompute=False),
                }


# -- restoring ----------------------------------------------------------------------------------


def restore(app: Flask, source: Path, checks: Sequence[BackupCheck]) -> RestoreReport:
    """Restore `source` into the configured database, which must be empty, then compare the restored
    data with the manifest. `Refused` (nothing changed) for a bad archive or a database in use."""
    backend = backend_of(app)
    with open_archive(source) as archive:
        manifest = archive.manifest
        if manifest["backend"] != backend:
            raise refuse(
                _(
                    "This archive is of a %(archived)s database; the configured database is %(configured)s.",
                    archived=manifest["backend"],
                    configured=backend,
                )
            )
        if backend == "sqlite":
            _require_empty_sqlite()
            db.session.remove()
            db.engine.dispose()
            _restore_sqlite(archive.database)
        else:
            schema_exists = _require_empty_postgresql(manifest)
            db.session.remove()
            db.engine.dispose()
            _restore_postgresql(archive.database, schema_exists, manifest.get("extensions", {}))
        db.engine.dispose()
        report = RestoreReport()
        for entry in manifest.get("files", []):
            target = Path(app.instance_path, *PurePosixPath(entry["path"]).parts[1:])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(archive.file(entry), target)
            report.files += 1
    report.comparisons = compare(manifest, checks)
    return report


def _require_empty_sqlite() -> None:
    with db.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
    if tables:
        raise _not_empty(len(tables))


def _not_empty(tables: int) -> Refused:
    return refuse(
        _(
            "The configured database is not empty (%(tables)s tables): restore only into a new, "
            "empty database.",
            tables=tables,
        )
    )


def _target_schema(connection: Connection) -> str:
    """The schema the app reads: the first of its search path, which need not exist yet."""
    current = connection.scalar(text("SELECT current_schema()"))
    if current:
        return str(current)
    path = str(connection.scalar(text("SHOW search_path")))
    names = [part.strip().strip('"') for part in path.split(",") if part.strip() != '"$user"']
    return names[0] if names else "public"


def _require_empty_postgresql(manifest: Mapping[str, Any]) -> bool:
    """True when the archive's schema exists already (empty); refuses another schema or any table."""
    with db.engine.connect() as connection:
        schema = _target_schema(connection)
        if schema != manifest.get("schema"):
            raise refuse(
                _(
                    "This archive holds the schema %(archived)s; the configured database reads %(configured)s.",
                    archived=manifest.get("schema"),
                    configured=schema,
                )
            )
        tables = inspect(connection).get_table_names(schema=schema)
        exists = bool(
            connection.scalar(
                text("SELECT count(*) FROM pg_namespace WHERE nspname = :name"), {"name": schema}
            )
        )
    if tables:
        raise _not_empty(len(tables))
    return exists


def _restore_sqlite(copy: Path) -> None:
    """Copy the archived database into the configured file with the online backup, page for page."""
    source = sqlite3.connect(copy)
    target = sqlite3.connect(db.engine.url.database or "", timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_postgresql(dump: Path, schema_exists: bool, extensions: Mapping[str, str]) -> None:
    """The extensions the original had, then `pg_restore` in one transaction, stopping at the first
    error; an existing empty schema (as `public` always is) is left out of the list, since creating
    it again would fail."""
    target, environment = libpq_target(db.engine.url)
    with db.engine.begin() as connection:
        for name, schema in extensions.items():
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            connection.execute(text(f'CREATE EXTENSION IF NOT EXISTS "{name}" SCHEMA "{schema}"'))
    db.engine.dispose()
    pg_restore = _client("pg_restore")
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    with tempfile.TemporaryDirectory(prefix="stdforge-restore-list-") as work:
        if schema_exists:
            listing = subprocess.run(
                [pg_restore, "--list", str(dump)], capture_output=True, text=True, check=False
            )
            if listing.returncode != 0:
                raise refuse(_("pg_restore failed: %(error)s", error=listing.stderr.strip()))
            kept = [line for line in listing.stdout.splitlines() if " SCHEMA - " not in line]
            list_file = Path(work) / "restore.list"
            list_file.write_text("\n".join(kept) + "\n", encoding="utf-8")
            command.append(f"--use-list={list_file}")
        completed = subprocess.run(
            [*command, f"--dbname={target}", str(dump)],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise refuse(_("pg_restore failed: %(error)s", error=completed.stderr.strip()))


def compare(manifest: Mapping[str, Any], checks: Sequence[BackupCheck]) -> list[Comparison]:
    """The restored database against the manifest: rows, migration, then each check, recomputed."""
    with db.engine.connect() as connection, Session(bind=connection) as session:
        tables = table_counts(connection)
        revision = alembic_revision(connection)
        values = check_values(session, checks, recompute=True)
    expected_tables: dict[str, int] = manifest["tables"]
    differing = sorted(
        name for name in set(tables) | set(expected_tables) if tables.get(name) != expected_tables.get(name)
    )
    comparisons = [
        Comparison(
            _("rows of %(count)s tables", count=len(expected_tables)),
            not differing,
            ", ".join(f"{n} {expected_tables.get(n)} → {tables.get(n)}" for n in differing),
        ),
        Comparison(
            _("migration"),
            revision == manifest.get("alembic_revision"),
            f"{manifest.get('alembic_revision')} → {revision}",
        ),
    ]
    expected_checks: dict[str, Any] = manifest.get("checks", {})
    for name in sorted(set(values) | set(expected_checks)):
        found, recorded = values.get(name), expected_checks.get(name)
        # the hooks mark their names with N_: the manifest keeps the English, the report translates
        comparisons.append(Comparison(_(name), found == recorded, _difference(recorded, found)))
    return comparisons


def _difference(recorded: Any, found: Any) -> str:
    """The keys whose values differ, for a report line (a few, not all)."""
    if isinstance(recorded, dict) and isinstance(found, dict):
        keys = sorted(k for k in set(recorded) | set(found) if recorded.get(k) != found.get(k))
        return ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
    return "" if recorded == found else f"{recorded!r} → {found!r}"
