"""The dossier's manifest and `stdforge verify-dossier`: every changed byte, missing or extra file is
found and named; a file that is not a dossier is said to be one, with exit 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import UTC, datetime

import pytest

from exports.dossier_manifest import (
    MANIFEST_NAME,
    NotADossier,
    build_manifest,
    sha256_hex,
    verify_dossier,
    write_dossier,
)

FILES = {
    "standard/T-SZYL 1-2026.docx": b"PK\x03\x04 docx bytes" * 50,
    "standard/T-SZYL 1-2026.pdf": b"%PDF-1.7 pdf bytes" * 80,
    "编制说明.docx": "编制说明".encode() * 30,
    "ballot-record.json": b'{"items": []}',
}


def _dossier(files=FILES) -> bytes:
    manifest = build_manifest(
        files,
        number="T/SZYL 1—2026",
        revision=3,
        content_sha256=sha256_hex(b"the published text"),
        built_at=datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
        built_by="sec@demo.test",
    )
    return write_dossier(files, manifest)


def _rewrite(data: bytes, change) -> bytes:
    """The same ZIP with `change(name, bytes) -> bytes | None` applied to every entry (None drops it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            new = change(info.filename, source.read(info))
            if new is not None:
                target.writestr(info.filename, new)
    return out.getvalue()


def test_a_dossier_as_built_verifies():
    verification = verify_dossier(io.BytesIO(_dossier()))
    assert verification.ok
    manifest = verification.manifest
    assert manifest["standard"] == {
        "number": "T/SZYL 1—2026",
        "revision": 3,
        "content_sha256": sha256_hex(b"the published text"),
    }
    assert [f["path"] for f in manifest["files"]] == sorted(FILES)
    assert all(f["sha256"] == sha256_hex(FILES[f["path"]]) for f in manifest["files"])
    assert "4 files match" in verification.summary()


@pytest.mark.parametrize("path", sorted(FILES))
def test_one_changed_byte_is_found_and_named(path):
    def flip(name, data):
        if name != path:
            return data
        return data[:7] + bytes([data[7] ^ 1]) + data[8:]

    verification = verify_dossier(io.BytesIO(_rewrite(_dossier(), flip)))
    assert [(p.path, p.kind) for p in verification.problems] == [(path, "changed")]


def test_missing_and_extra_files_are_named():
    def change(name, data):
        return None if name == "编制说明.docx" else data

    buffer = io.BytesIO(_rewrite(_dossier(), change))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("slipped-in.txt", b"x")
    buffer.seek(0)
    problems = verify_dossier(buffer).problems
    assert [(p.path, p.kind) for p in problems] == [("编制说明.docx", "missing"), ("slipped-in.txt", "extra")]


@pytest.mark.parametrize(
    "data",
    [
        b"not a zip at all",
        b"",
        # a ZIP without a manifest
        _rewrite(_dossier(), lambda name, data: None if name == MANIFEST_NAME else data),
        # a manifest of another format
        _rewrite(_dossier(), lambda n, d: json.dumps({"files": []}).encode() if n == MANIFEST_NAME else d),
        _rewrite(_dossier(), lambda n, d: b"{not json" if n == MANIFEST_NAME else d),
    ],
)
def test_what_is_not_a_dossier_says_so(data):
    with pytest.raises(NotADossier):
        verify_dossier(io.BytesIO(data))


def test_paths_that_leave_the_zip_are_refused():
    for path in ("../etc/passwd", "/abs", "a\\b", MANIFEST_NAME):
        with pytest.raises(ValueError):
            build_manifest(
                {path: b""},
                number=None,
                revision=1,
                content_sha256="",
                built_at=datetime.now(UTC),
                built_by="x",
            )


def _stdforge(*args):
    return subprocess.run(
        [sys.executable, "-m", "stdforge", *args], capture_output=True, text=True, timeout=60
    )


def test_the_command_answers_with_the_spec_exit_statuses(tmp_path):
    good = tmp_path / "dossier.zip"
    good.write_bytes(_dossier())
    result = _stdforge("verify-dossier", str(good))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "T/SZYL 1—2026" in result.stdout

    bad = tmp_path / "changed.zip"
    bad.write_bytes(_rewrite(_dossier(), lambda n, d: d + b"!" if n.endswith(".pdf") else d))
    result = _stdforge("verify-dossier", str(bad))
    assert result.returncode == 1
    assert "standard/T-SZYL 1-2026.pdf differs from the manifest" in result.stdout

    other = tmp_path / "notes.zip"
    other.write_bytes(b"plain text")
    result = _stdforge("verify-dossier", str(other))
    assert result.returncode == 2 and "not a ZIP" in result.stderr and "Traceback" not in result.stderr
    result = _stdforge("verify-dossier", str(tmp_path / "absent.zip"))
    assert result.returncode == 2 and "cannot read" in result.stderr
