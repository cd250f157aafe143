"""Reading a backup archive: every byte checked before a restore writes anything.

A tar of `manifest.json`, `manifest.sha256`, the database dump and the instance files (`files/0001`
…), as `accounts.backup` writes it. The tar headers are checked by their checksums, each member by
the manifest's SHA-256, the manifest by `manifest.sha256`; the padding must be zeros, and only the
member names of that layout are extracted (never a path a stranger's archive names).
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from flask_babel import gettext as _

from accounts.refusals import Refused

#: the archive layout this code writes and reads; a restore refuses any other
FORMAT = "standardforge-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.sha256"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
#: a database file's companions that are never copied as files (the dump holds the data)
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal", "-writers.lock")
_BLOCK = tarfile.BLOCKSIZE
CHUNK_BYTES = 1024 * 1024


def refuse(message: str) -> Refused:
    return Refused("invalid", message)


@dataclass
class Archive:
    """An archive whose every byte was checked, its members extracted into `folder`."""

    manifest: dict[str, Any]
    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / self.manifest["database"]["member"]

    def file(self, entry: Mapping[str, Any]) -> Path:
        return self.folder / entry["member"]


@contextmanager
def open_archive(path: Path) -> Iterator[Archive]:
    """Check `path` and extract it into a temporary folder; `Refused` for anything but a sound archive."""
    with tempfile.TemporaryDirectory(prefix="stdforge-restore-") as work:
        yield _read_archive(path, Path(work))


def _not_an_archive() -> Refused:
    return refuse(_("This file is not a StandardForge backup archive."))


def _damaged(what: str) -> Refused:
    return refuse(_("The archive is damaged: %(what)s does not match its checksum.", what=what))


def _read_archive(path: Path, folder: Path) -> Archive:
    try:
        with tarfile.open(path, "r:") as archive:
            members = archive.getmembers()
            if len({member.name for member in members}) != len(members):
                raise _not_an_archive()
            digests: dict[str, str] = {}
            for member in members:
                if not member.isfile() or member.name not in _allowed_names(member.name):
                    raise _not_an_archive()
                digests[member.name] = _extract(archive, member, folder)
            end = members[-1].offset_data + members[-1].size if members else 0
    except (tarfile.TarError, OSError, EOFError, UnicodeDecodeError):
        raise _not_an_archive() from None
    _require_zero_padding(path, members, end)
    if MANIFEST not in digests or MANIFEST_DIGEST not in digests:
        raise _not_an_archive()
    if (folder / MANIFEST_DIGEST).read_text("ascii", errors="replace").strip() != digests[MANIFEST]:
        raise _damaged(MANIFEST)
    try:
        manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    except ValueError:
        raise _not_an_archive() from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_an_archive()
    if manifest.get("format_version") != FORMAT_VERSION:
        raise refuse(
            _(
                "This archive has format version %(found)s; this version of StandardForge restores "
                "version %(known)s only.",
                found=manifest.get("format_version"),
                known=FORMAT_VERSION,
            )
        )
    if not _well_formed(manifest):
        raise _not_an_archive()
    expected = [manifest["database"], *manifest.get("files", [])]
    names = {MANIFEST, MANIFEST_DIGEST} | {entry["member"] for entry in expected}
    if set(digests) != names:
        raise _not_an_archive()
    for entry in expected:
        if digests[entry["member"]] != entry["sha256"]:
            raise _damaged(entry.get("path", entry["member"]))
        if not _safe_relative(entry.get("path", "instance")):
            raise _not_an_archive()
    return Archive(manifest=manifest, folder=folder)


def _well_formed(manifest: Mapping[str, Any]) -> bool:
    """The parts a restore reads are there, of their types (a manifest is checked, not trusted)."""
    files, database = manifest.get("files", []), manifest.get("database")
    if not (
        manifest.get("backend") in DATABASE_MEMBERS
        and isinstance(manifest.get("tables"), dict)
        and isinstance(manifest.get("checks", {}), dict)
        and isinstance(files, list)
        and isinstance(database, dict)
        and database.get("member") == DATABASE_MEMBERS[manifest["backend"]]
    ):
        return False
    return all(
        isinstance(entry, dict)
        and isinstance(entry.get("member"), str)
        and isinstance(entry.get("sha256"), str)
        for entry in [database, *files]
    ) and all(isinstance(entry.get("path"), str) for entry in files)


def _allowed_names(name: str) -> set[str]:
    allowed = {MANIFEST, MANIFEST_DIGEST, *DATABASE_MEMBERS.values()}
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == "files" and parts[1].isdigit():
        allowed.add(name)
    return allowed


def _safe_relative(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and parts[0] == "instance" and not name.startswith("/") and ".." not in parts


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo, folder: Path) -> str:
    """Write `member` under `folder` and return its SHA-256."""
    source = archive.extractfile(member)
    if source is None:
        raise _not_an_archive()
    target = folder / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as output:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            output.write(chunk)
    return digest.hexdigest()


def _require_zero_padding(path: Path, members: Sequence[tarfile.TarInfo], end: int) -> None:
    """Every byte outside the headers and the members' data is zero: a changed byte anywhere refuses."""
    with path.open("rb") as raw:
        for member in members:
            start = member.offset_data + member.size
            raw.seek(start)
            if raw.read(-start % _BLOCK).strip(b"\0"):
                raise _not_an_archive()
        raw.seek(end + (-end % _BLOCK))
        while chunk := raw.read(CHUNK_BYTES):
            if chunk.strip(b"\0"):
                raise _not_an_archive()
