"""`flask --app wsgi backup FILE` and `flask --app wsgi restore FILE`, on SQLite and PostgreSQL.

A demo world with votes, a closed ballot, a stored export file and an instance file is backed up and
restored into a new, empty database (a new SQLite file, or a PostgreSQL database made for the test),
and must come back row for row. A damaged archive and a database that holds data are refused with
exit status 2 and nothing written; data that no longer computes to what the manifest recorded gives 1;
a backup taken while another process saves revisions restores to a consistent database.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from app_testing import ROOT, make_test_config, postgresql_url_and_options
from flask import Flask
from flask_babel import gettext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from werkzeug.security import generate_password_hash

from accounts.database import utcnow
from accounts.operations import find_user_by_email
from exports.models import ExportFile
from extensions import db as _db
from workflow.ballots.models import Ballot, BallotVoter
from workflow.ballots.operations import cast_vote, close_ballot
from wsgi import create_app

SECRET = "instance secret 42\n"


def said(app: Flask, message: str, **values: Any) -> str:
    """`message` as the commands print it (in the default language, as outside any request)."""
    with app.app_context():
        return gettext(message, **values)


def report_lines(app: Flask, output: str) -> dict[str, str]:
    """The restore report's lines by check name, e.g. {"revision hashes": "不一致 (1#1)"}, in English names."""
    names = {said(app, name): name for name in CHECK_NAMES}
    lines = {}
    for line in output.splitlines():
        name, _sep, rest = line.strip().partition(": ")
        if name in names:
            lines[names[name]] = rest
    return lines


CHECK_NAMES = ("revision hashes", "ballot results", "standards per organisation", "votes per organisation")


def run(app: Flask, *args: str) -> Any:
    """`flask --app wsgi ARGS` on `app` (in its own context: the fixture's is another app's)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def world(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Flask:
    """The demo, four votes and a closed ballot, an uploaded file's bytes, a file in the instance folder."""
    # the demo's nine accounts with a cheap hash (scrypt costs 2 s of the world's 3)
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("accounts.models.generate_password_hash", fast)
    app.instance_path = str(tmp_path / "instance-original")
    Path(app.instance_path).mkdir()
    Path(app.instance_path, "secret_key").write_text(SECRET)
    assert run(app, "demo").exit_code == 0
    ballot = _db.session.scalars(select(Ballot).order_by(Ballot.id)).first()
    voters = _db.session.scalars(
        select(BallotVoter).where(BallotVoter.ballot_id == ballot.id).order_by(BallotVoter.id)
    ).all()
    choices = [
        ("approve", ""),
        ("approve_with_comments", "措辞"),
        ("disapprove", "范围过宽"),
        ("abstain", ""),
    ]
    for voter, (choice, reasons) in zip(voters, choices, strict=False):
        cast_vote(ballot, voter.user, choice, reasons, now=utcnow())
        _db.session.commit()
    close_ballot(ballot, find_user_by_email("secretariat@demo.test"), now=utcnow(), reason="测试提前结束")
    data = b"PK\x03\x04 an uploaded dossier's bytes"
    _db.session.add(
        ExportFile(sha256=hashlib.sha256(data).hexdigest(), data=data, size=len(data), created_at=utcnow())
    )
    _db.session.commit()
    return app


@pytest.fixture
def fresh(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """`fresh()`: an application on a new, empty database of the same backend each call (on
    PostgreSQL a database made and dropped here, read through the same schema name as the original,
    which `fresh(with_schema=True)` makes empty beforehand)."""
    made: list[tuple[Flask, str]] = []
    admin: Engine | None = None
    url, options = postgresql_url_and_options() if database_url.startswith("postgresql") else ("", {})
    if url:
        admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def factory(*, with_schema: bool = False) -> Flask:
        # named after the test database and the worker, so that suites run at once never share one
        prefix = make_url(url).database if url else "sqlite"
        name = f"{prefix}_restore_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{len(made)}"
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            target_url = make_url(url).set(database=name).render_as_string(hide_password=False)
            if with_schema:  # as `public` is in every new database: restore must not create it again
                schema = options["connect_args"]["options"].split("search_path=")[1].split()[0]
                maker = create_engine(target_url)
                with maker.begin() as connection:
                    connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                maker.dispose()
            config = make_test_config(target_url, SQLALCHEMY_ENGINE_OPTIONS=options)
        else:
            config = make_test_config(f"sqlite:///{tmp_path / name}.sqlite3")
        target = create_app(config)
        target.instance_path = str(tmp_path / f"instance-{name}")
        made.append((target, name))
        return target

    yield factory
    for target, name in made:
        with target.app_context():
            _db.session.remove()
            _db.engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    if admin is not None:
        admin.dispose()


def engine_of(app: Flask) -> Engine:
    with app.app_context():
        return _db.engine


def rows_by_table(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {
            table.name: [
                tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in _db.metadata.sorted_tables
            if table.name in present
        }


def sequences(engine: Engine) -> dict[str, int | None]:
    if engine.dialect.name != "postgresql":
        return {}
    with engine.connect() as connection:
        query = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
        return dict(connection.execute(text(query)).all())


def table_names(app: Flask) -> list[str]:
    with app.app_context(), _db.engine.connect() as connection:
        return inspect(connection).get_table_names()


def back_up(app: Flask, path: Path) -> Path:
    result = run(app, "backup", str(path))
    assert result.exit_code == 0, result.output
    return path


def rebuilt(archive: Path, into: Path, manifest_change: Any = None, database: bytes | None = None) -> Path:
    """A copy of `archive` with its manifest changed by `manifest_change(manifest)` and its checksums
    made to match, so that only what the change says differs."""
    with tarfile.open(archive) as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers()}  # type: ignore[union-attr]
    manifest = json.loads(members["manifest.json"])
    if database is not None:
        members[manifest["database"]["member"]] = database
        manifest["database"]["sha256"] = hashlib.sha256(database).hexdigest()
    if manifest_change:
        manifest_change(manifest)
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    members["manifest.sha256"] = hashlib.sha256(members["manifest.json"]).hexdigest().encode()
    with tarfile.open(into, "w", format=tarfile.USTAR_FORMAT) as target:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return into


def test_a_restore_into_a_fresh_database_equals_the_original(world: Flask, fresh: Any, tmp_path: Path):
    # written into the instance folder itself: neither it nor its work folder may join the archive
    archive = back_up(world, Path(world.instance_path, "platform.backup"))
    target = fresh()

    result = run(target, "restore", str(archive))

    assert result.exit_code == 0, result.output
    assert said(target, "DIFFERENT") not in result.output
    assert set(report_lines(target, result.output).values()) == {said(target, "equal")}
    original, restored = engine_of(world), engine_of(target)
    before, after = rows_by_table(original), rows_by_table(restored)
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, f"{table} differs after the restore"
    assert before["revisions"] and before["vote_casts"] and before["figures"] and before["export_files"]
    assert sequences(restored) == sequences(original)
    assert Path(target.instance_path, "secret_key").read_text() == SECRET
    assert archive.stat().st_mode & 0o777 == 0o600  # password hashes and the secret key are inside
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["tables"]["vote_casts"] == len(before["vote_casts"]) == 4
    (closed,) = manifest["checks"]["ballot results"].values()
    assert closed["passed"] is not None and closed["result"]["en"]
    assert len(manifest["checks"]["revision hashes"]) == len(before["revisions"])
    assert [entry["path"] for entry in manifest["files"]] == ["instance/secret_key"]


def _flipped(archive: Path, into: Path, position: int) -> Path:
    data = bytearray(archive.read_bytes())
    data[position] ^= 0x01
    into.write_bytes(bytes(data))
    return into


def test_a_damaged_archive_or_a_database_with_data_is_refused_and_nothing_is_written(
    world: Flask, fresh: Any, tmp_path: Path
):
    archive = back_up(world, tmp_path / "platform.backup")
    with tarfile.open(archive) as opened:
        members = opened.getmembers()
    database = members[2]
    positions = {
        "a member's name": 3,
        "a header's time": members[1].offset + 140,
        "the manifest": members[0].offset_data + 20,
        "the manifest's digest": members[1].offset_data + 5,
        "the padding after the digest": members[1].offset_data + members[1].size + 7,
        "the database": database.offset_data + database.size // 2,
        "the archive's end": archive.stat().st_size - 1,
    }
    not_an_archive = tmp_path / "notes.txt"
    not_an_archive.write_text("not a backup")
    newer = rebuilt(archive, tmp_path / "newer.backup", lambda m: m.update(format_version=99))
    cases = {where: _flipped(archive, tmp_path / f"flip{p}.backup", p) for where, p in positions.items()}
    tableless = rebuilt(archive, tmp_path / "tableless.backup", lambda m: m.pop("tables"))
    cases |= {
        "a text file": not_an_archive,
        "format version 99": newer,
        "a manifest without tables": tableless,
    }
    target = fresh()

    for where, damaged in cases.items():
        result = run(target, "restore", str(damaged))
        assert result.exit_code == 2, f"{where}: {result.output}"
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert table_names(target) == [], f"{where}: the refused restore wrote tables"
        assert not Path(target.instance_path, "secret_key").exists()
    assert "99" in run(target, "restore", str(newer)).output

    before = rows_by_table(engine_of(world))
    into_the_original = run(world, "restore", str(archive))
    assert into_the_original.exit_code == 2, into_the_original.output
    assert len(into_the_original.output.strip().splitlines()) == 1
    assert rows_by_table(engine_of(world)) == before


def test_a_manifest_or_data_that_does_not_compute_to_what_was_restored_exits_1(
    world: Flask, fresh: Any, tmp_path: Path
):
    """A manifest counting one vote more than the dump holds; then a revision whose stored hash and a
    ballot whose stored result no longer match its text and its votes: restore recomputes both from
    the restored data, so it must say so."""
    archive = back_up(world, tmp_path / "platform.backup")

    def one_vote_more(manifest: dict[str, Any]) -> None:
        manifest["tables"]["vote_casts"] += 1

    counted = run(
        fresh(with_schema=True), "restore", str(rebuilt(archive, tmp_path / "counted.backup", one_vote_more))
    )

    assert counted.exit_code == 1, counted.output
    assert "vote_casts 5 → 4" in counted.output

    with world.app_context():
        _db.session.execute(text("UPDATE revisions SET text = text || '改' WHERE id = 1"))
        ballot = _db.session.scalars(select(Ballot).where(Ballot.closed_at.is_not(None))).first()
        _db.session.execute(
            text("UPDATE ballot_voters SET choice = 'disapprove', reasons = '改' WHERE ballot_id = :id"),
            {"id": ballot.id},
        )
        _db.session.commit()
    changed = run(fresh(), "restore", str(back_up(world, tmp_path / "changed.backup")))

    assert changed.exit_code == 1, changed.output
    lines, different = report_lines(world, changed.output), said(world, "DIFFERENT")
    assert lines["revision hashes"] == f"{different} (1#1)"
    assert lines["ballot results"].startswith(different)
    assert lines["standards per organisation"] == lines["votes per organisation"] == said(world, "equal")
    rows = said(world, "rows of %(count)s tables", count=len(_db.metadata.sorted_tables))
    assert f"{rows}: {said(world, 'equal')}" in changed.output


def command_environment(app: Flask) -> dict[str, str]:
    """The environment of a `flask --app wsgi` process on `app`'s database (and PostgreSQL schema)."""
    environment = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": app.instance_path,
        "SECRET_KEY": "backup test",
        "BASE_URL": "https://standards.example.org",
        "PYTHONPATH": str(ROOT),
    }
    connect_args = app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {})
    if "options" in connect_args:
        environment["PGOPTIONS"] = connect_args["options"]  # libpq reads the search path from here
    return environment


WRITER = """
import json, os, sys, time
from wsgi import create_app
from accounts.database import utcnow
from accounts.operations import find_user_by_email
from authoring.models import Standard
from authoring.operations import save_revision
from extensions import db

setting = json.loads(os.environ["BACKUP_WRITER"])
app = create_app({"TESTING": True, "SECRET_KEY": "x", "BASE_URL": "https://example.org",
                  "SQLALCHEMY_DATABASE_URI": setting["url"], "SQLALCHEMY_ENGINE_OPTIONS": setting["options"]})
with app.app_context():
    drafter = find_user_by_email("drafter@demo.test")
    deadline = time.monotonic() + 60
    saves = 0
    while not os.path.exists(setting["stop"]) and time.monotonic() < deadline:
        standard = db.session.get(Standard, setting["standard"])
        latest = standard.revision(standard.latest_number)
        text = latest.text + f"\\n\\n写入第{saves}段，备份时仍在保存。\\n"
        save_revision(standard, drafter, text, f"写入{saves}", standard.latest_number, now=utcnow())
        db.session.commit()
        saves += 1
        print(saves, flush=True)
        time.sleep(0.02)  # a busy author, not a loop that takes a core from the backup it races
"""


def test_a_backup_taken_while_another_process_saves_restores_consistently(
    world: Flask, fresh: Any, tmp_path: Path
):
    engine = engine_of(world)
    with engine.connect() as connection:
        standard_id = connection.scalar(text("SELECT id FROM standards WHERE stage = 'drafting' ORDER BY id"))
        first = connection.scalar(
            text("SELECT latest_number FROM standards WHERE id = :id"), {"id": standard_id}
        )
    options = world.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
    setting = {
        "url": world.config["SQLALCHEMY_DATABASE_URI"],
        "options": {k: v for k, v in options.items() if k in ("connect_args", "pool_size")},
        "stop": str(tmp_path / "stop"),
        "standard": standard_id,
    }
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER],
        cwd=ROOT,
        env={**os.environ, "BACKUP_WRITER": json.dumps(setting), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        while int(writer.stdout.readline() or "0") < 3:
            assert writer.poll() is None, "the writer stopped before the backup"
        archive = tmp_path / "online.backup"
        # the command as an operator runs it, in a process of its own, configured from the environment
        backup = subprocess.run(
            [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "backup", str(archive)],
            cwd=ROOT,
            env=command_environment(world),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert backup.returncode == 0, backup.stdout + backup.stderr
        saved_after = 0
        started = time.monotonic()
        while saved_after < 3 and time.monotonic() - started < 30:
            assert writer.stdout.readline(), "the writer stopped during the backup"
            saved_after += 1
    finally:
        Path(setting["stop"]).touch()
        writer.wait(timeout=60)
    assert writer.returncode == 0

    target = fresh()
    result = run(target, "restore", str(archive))

    assert result.exit_code == 0, result.output
    with engine_of(target).connect() as connection:
        restored = connection.scalar(
            text("SELECT latest_number FROM standards WHERE id = :id"), {"id": standard_id}
        )
        numbers = connection.scalars(
            text("SELECT number FROM revisions WHERE standard_id = :id ORDER BY number"), {"id": standard_id}
        ).all()
    with engine.connect() as connection:
        last = connection.scalar(
            text("SELECT latest_number FROM standards WHERE id = :id"), {"id": standard_id}
        )
    assert first + 3 <= restored <= last - 3, (first, restored, last)
    assert numbers == list(range(1, restored + 1))


def test_a_backup_that_cannot_be_written_exits_2_and_leaves_nothing(app: Flask, tmp_path: Path):
    app.instance_path = str(tmp_path / "instance")
    target = tmp_path / "no such folder" / "platform.backup"

    result = run(app, "backup", str(target))

    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not target.parent.exists()


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL beside SQLite")
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_archive_of_the_other_backend_is_refused(fresh: Any, tmp_path: Path):
    """A SQLite archive restored into PostgreSQL: refused before anything is written."""
    sqlite = create_app(make_test_config(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    sqlite.instance_path = str(tmp_path / "instance-other")
    with sqlite.app_context():
        _db.create_all()
    archive = back_up(sqlite, tmp_path / "sqlite.backup")
    target = fresh()

    result = run(target, "restore", str(archive))

    assert result.exit_code == 2, result.output
    assert "sqlite" in result.output and "postgresql" in result.output
    assert table_names(target) == []
    with sqlite.app_context():
        _db.engine.dispose()
