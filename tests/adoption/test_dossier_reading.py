"""A submitted dossier is verified once per worker, not on every visit of the submission page: a
stored file never changes under its hash, and verifying inflates and hashes every byte."""

from __future__ import annotations

from finished_exports import finished_export

from accounts.database import utcnow
from accounts.models import Role
from adoption import reading
from authoring import operations
from exports.dossier_manifest import build_manifest, write_dossier
from extensions import db


def test_a_dossier_is_verified_once_then_read_from_what_was_kept(app, make_org, make_member, monkeypatch):
    association = make_org("association", code="DXRD")
    secretariat = make_member(association, Role.SECRETARIAT)
    standard = operations.create_standard(
        association, secretariat, title_zh="材料包读取标准", title_en=None,
        committee=None, drafters=[], text=None, now=utcnow(),
    )  # fmt: skip
    revision = standard.latest_revision()
    files = {"explanatory-note.json": b'{"chapters": []}', "tables/comments.csv": "条,意见\n1,好\n".encode()}
    manifest = build_manifest(
        files, number=None, revision=revision.number,
        content_sha256=revision.content_hash, built_at=utcnow(), built_by="test",
    )  # fmt: skip
    sha = finished_export(standard, revision, write_dossier(files, manifest), format="dossier").result_sha256
    db.session.commit()
    verified = []
    real_verify = reading.verify_dossier
    monkeypatch.setattr(reading, "verify_dossier", lambda stream: verified.append(1) or real_verify(stream))

    first = reading.read_dossier(sha, "zh")
    again = reading.read_dossier(sha, "zh")
    assert first is not None and first.verification is not None and first.verification.ok
    assert first.tables["tables/comments.csv"] == [["条", "意见"], ["1", "好"]]
    assert again is first and len(verified) == 1
    assert reading.read_dossier("0" * 64, "zh") is None  # nothing stored: not kept either
    monkeypatch.setattr(reading, "_READ_KEPT", 1)  # the oldest is let go once more are kept
    other = write_dossier(files, build_manifest(
        files, number=None, revision=revision.number,
        content_sha256=revision.content_hash, built_at=utcnow(), built_by="another build",
    ))  # fmt: skip
    other_sha = finished_export(standard, revision, other, format="dossier").result_sha256
    db.session.commit()
    assert reading.read_dossier(other_sha, "zh") is not None
    assert list(reading._READ) == [(other_sha, "zh")]
