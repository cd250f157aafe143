"""The adoption dossier's manifest: what it holds, with a SHA-256 per file, and its verification.

A government reviewer decides on a standard from the dossier an association submits (issue 13);
whoever holds the ZIP later (the agency's archive, a court, the association) must be able to show
that no file was changed, added or dropped since it was built. `manifest.json` at the top of the ZIP
lists every other file with its SHA-256 and size, the standard's number, the published revision and
its content hash, and when and by whom it was built; `verify_dossier` recomputes every digest from
the ZIP alone (`stdforge verify-dossier FILE.zip`).

Reading a ZIP someone sent is bounded: at most MAX_FILES entries and MAX_READ_BYTES read in all, in
chunks, so a zip bomb costs a bounded time and no memory beyond a chunk.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO, Any

MANIFEST_NAME = "manifest.json"
#: the manifest's format, so a later version can read older dossiers
FORMAT = "stdforge-dossier/1"
#: the most entries and bytes a dossier may hold: far above a real one (a few files of a few MB)
MAX_FILES = 500
MAX_READ_BYTES = 2 * 1024**3
_CHUNK = 1024 * 1024


class NotADossier(ValueError):
    """The file is not a dossier (not a ZIP, no readable manifest, or beyond the bounds); the message
    says which, in English and Chinese (`zh`)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh


@dataclass(frozen=True)
class FileProblem:
    """A file that does not match the manifest: "changed" (digest or size), "missing" or "extra"."""

    path: str
    kind: str


@dataclass(frozen=True)
class Verification:
    """What `verify_dossier` found: the manifest, and every file that does not match it."""

    manifest: Mapping[str, Any]
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: the standard, the revision and how many files were checked."""
        standard = self.manifest.get("standard", {})
        count = len(self.manifest.get("files", []))
        return (
            f"{standard.get('number') or '(no number)'} revision {standard.get('revision')}: "
            f"{count} files match the manifest (built {self.manifest.get('built_at')} "
            f"by {self.manifest.get('built_by')})"
        )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(
    files: Mapping[str, bytes],
    *,
    number: str | None,
    revision: int,
    content_sha256: str,
    built_at: datetime,
    built_by: str,
) -> dict[str, Any]:
    """The manifest of `files` (path in the ZIP → bytes), in path order."""
    for path in files:
        _check_path(path)
    return {
        "format": FORMAT,
        "standard": {"number": number, "revision": revision, "content_sha256": content_sha256},
        "built_at": built_at.isoformat(),
        "built_by": built_by,
        "files": [
            {"path": path, "sha256": sha256_hex(data), "size": len(data)}
            for path, data in sorted(files.items())
        ],
    }


def write_dossier(files: Mapping[str, bytes], manifest: Mapping[str, Any]) -> bytes:
    """The ZIP: the manifest first, then the files in the manifest's order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        archive.writestr(MANIFEST_NAME, text.encode("utf-8"))
        for entry in manifest["files"]:
            archive.writestr(entry["path"], files[entry["path"]])
    return buffer.getvalue()


def verify_dossier(source: str | IO[bytes]) -> Verification:
    """Check every file of the dossier at `source` (a path or a binary file) against its manifest."""
    try:
        archive = zipfile.ZipFile(source)
    except OSError as error:
        reason = error.strerror or str(error)
        raise NotADossier(f"cannot read: {reason}", f"无法读取：{reason}") from None
    except (zipfile.BadZipFile, EOFError):
        raise NotADossier("not a ZIP file", "不是 ZIP 文件") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_FILES:
            raise NotADossier(
                f"holds {len(entries)} entries, more than a dossier's {MAX_FILES}",
                f"含 {len(entries)} 个条目，超过材料包上限 {MAX_FILES}",
            )
        manifest = _read_manifest(archive)
        budget = [MAX_READ_BYTES]
        present = {info.filename: info for info in entries if not info.is_dir()}
        present.pop(MANIFEST_NAME, None)
        problems: list[FileProblem] = []
        listed: set[str] = set()
        for entry in manifest["files"]:
            path = entry["path"]
            listed.add(path)
            info = present.get(path)
            if info is None:
                problems.append(FileProblem(path, "missing"))
            elif _digest(archive, info, budget) != (entry["sha256"], entry["size"]):
                problems.append(FileProblem(path, "changed"))
        problems += [FileProblem(path, "extra") for path in sorted(set(present) - listed)]
    return Verification(manifest=manifest, problems=problems)


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST_NAME)
    except KeyError:
        raise NotADossier(f"has no {MANIFEST_NAME}", f"没有 {MANIFEST_NAME}") from None
    if info.file_size > 16 * 1024 * 1024:
        raise NotADossier(f"{MANIFEST_NAME} is too large", f"{MANIFEST_NAME} 过大")
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
        files = manifest["files"]
        valid = manifest.get("format") == FORMAT and all(
            isinstance(f["path"], str) and isinstance(f["sha256"], str) and isinstance(f["size"], int)
            for f in files
        )
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile, RuntimeError):
        valid = False
    if not valid:
        raise NotADossier(
            f"{MANIFEST_NAME} is not a StandardForge dossier manifest ({FORMAT})",
            f"{MANIFEST_NAME} 不是标准工坊材料包清单（{FORMAT}）",
        )
    return manifest


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> tuple[str, int]:
    """(SHA-256, size) of one entry, read in chunks against the dossier's reading budget; an entry
    that cannot be read (a damaged or encrypted member) has no digest, so it reads as changed."""
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise NotADossier(
                        f"holds more than {MAX_READ_BYTES // 1024**3} GB uncompressed",
                        f"解压后超过 {MAX_READ_BYTES // 1024**3} GB",
                    )
                digest.update(chunk)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, zlib.error):
        return "", -1
    return digest.hexdigest(), size


def _check_path(path: str) -> None:
    """A path in the ZIP is relative and stays inside it (no "..", no drive, no backslash)."""
    parts = PurePosixPath(path).parts
    if not path or path == MANIFEST_NAME or path.startswith("/") or "\\" in path or ".." in parts:
        raise ValueError(f"not a dossier path: {path!r}")
