"""A dossier the association uploads is a stranger's ZIP: the wrong kind, a bomb, too many files or a
manifest that names paths outside the archive are refused in words on the thread, quickly, and
nothing is stored."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, date, datetime

import pytest
from cpu_time import cpu_seconds
from hostile_files import huge_declared_size, many_members, with_parts

from accounts.models import Role
from adoption.models import Submission
from authoring import operations
from exports.dossier_manifest import FORMAT, MANIFEST_NAME
from exports.models import ExportFile

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def thread(app, make_org, make_member, login, client):
    """post(data, name) → the submission page the thread's form redirects to, as the secretariat."""
    association = make_org("association", name="深圳市养老服务业协会", code="SZYL")
    agency = make_org("agency", name="深圳市市场监督管理局")
    secretariat = make_member(association, Role.SECRETARIAT)
    standard = operations.create_standard(
        association,
        secretariat,
        title_zh="社区居家养老服务规范",
        title_en=None,
        committee=None,
        drafters=[],
        text=None,
        now=NOW,
    )
    submission = Submission(
        standard=standard,
        agency=agency,
        submitted_by=secretariat,
        submitted_at=NOW,
        due_on=date(2026, 7, 1),
        dossier_sha256="0" * 64,
    )
    app.extensions["sqlalchemy"].session.add(submission)
    app.extensions["sqlalchemy"].session.commit()
    login(client, secretariat)

    def post(data: bytes, name: str = "dossier.zip"):
        return client.post(
            f"/submissions/{submission.id}/thread",
            data={"text": "新版材料包", "dossier_file": (io.BytesIO(data), name)},
            follow_redirects=True,
        )

    return post


def refused(post, db, data: bytes, words: str, name: str = "dossier.zip") -> str:
    answer = post(data, name)
    page = answer.get_data(as_text=True)
    assert answer.status_code in (200, 422), page[:500]
    assert words in page, page[page.find("flash") : page.find("flash") + 600]
    assert db.session.query(ExportFile).count() == 0
    return page


def manifest_for(files: dict[str, bytes]) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "standard": {"number": None, "revision": 1, "content_sha256": "0" * 64},
            "built_at": NOW.isoformat(),
            "built_by": "x",
            "files": [
                {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                for path, data in files.items()
            ],
        }
    ).encode()


A_DOSSIER = with_parts({MANIFEST_NAME: manifest_for({"note.txt": b"x"}), "note.txt": b"x"})


NOT_DOSSIERS = {
    "png": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "不是 ZIP 文件"),
    "empty": (b"", "不是 ZIP 文件"),
    "truncated": (A_DOSSIER[: len(A_DOSSIER) // 2], "不是 ZIP 文件"),
    "no-manifest": (with_parts({"readme.txt": "hello"}), "没有 manifest.json"),
    "broken-manifest": (with_parts({MANIFEST_NAME: "{not json"}), "不是标准工坊材料包清单"),
}


def test_a_file_that_is_not_a_dossier_is_refused_in_words(thread, db):
    for case, (data, words) in NOT_DOSSIERS.items():
        try:
            refused(thread, db, data, words)
        except AssertionError as failure:
            raise AssertionError(case) from failure


BOMBS = {
    "210-mb-file": lambda: with_parts({MANIFEST_NAME: manifest_for({})}, bomb="zeros.bin", megabytes=210),
    "4-gb-declared": lambda: huge_declared_size(A_DOSSIER, "note.txt"),
    "600-files": lambda: many_members(A_DOSSIER, 600),
}


@pytest.mark.parametrize("bomb", BOMBS.values(), ids=BOMBS.keys())
def test_a_zip_bomb_is_refused_before_it_is_inflated(thread, db, bomb):
    """Verifying would inflate and hash every byte (up to 2 GB); the declared sizes refuse it first."""
    data = bomb()
    assert cpu_seconds(lambda: refused(thread, db, data, "解压后将超过 200 MB")) < 0.5


def test_a_manifest_naming_paths_outside_the_archive_is_only_a_mismatch(thread, db):
    """The paths are looked up in the ZIP, never opened on disk: /etc/passwd is just a missing file."""
    files = {"../../etc/passwd": b"x", "/etc/passwd": b"x", "..\\x": b"x"}
    data = with_parts({MANIFEST_NAME: manifest_for(files)})
    page = refused(thread, db, data, "与清单不一致")
    assert "root:" not in page


def test_a_dossier_over_its_cap_is_refused_with_the_cap_in_words(thread, db):
    """30 MB and a byte: below the 32 MB request cap, so the thread says the dossier's own limit
    instead of the generic "too large" page."""
    refused(thread, db, b"PK" + b"\x00" * (30 * 1024 * 1024 - 1), "材料包最大为 30 MB")
