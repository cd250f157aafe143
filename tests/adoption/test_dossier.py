"""The adoption dossier of the demo's published standard: a job that builds a ZIP whose every file
verifies, and an explanatory note whose generated sections say what the events say."""

from __future__ import annotations

import io
import json
import zipfile

import docx

from authoring.events import events_of
from exports.dossier import PROCESS_KINDS
from exports.dossier_manifest import verify_dossier
from workflow.transitions import local_today


def _build(client, demo, make_token) -> tuple[dict, bytes]:
    token = make_token(demo.secretariat)
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.post(f"/api/v1/standards/{demo.standard.id}/dossiers", headers=headers)
    assert answer.status_code == 202
    job = client.get(f"/api/v1/jobs/{answer.json['id']}", headers=headers).json
    assert job["status"] == "done", job
    data = client.get(job["download_url"], headers=headers).data
    return job, data


def test_the_dossier_holds_every_part_and_every_file_verifies(client, demo, make_token):
    job, data = _build(client, demo, make_token)
    assert job["kind"] == "dossier" and job["filename"].endswith("-dossier.zip")
    verification = verify_dossier(io.BytesIO(data))
    assert verification.ok
    paths = {entry["path"] for entry in verification.manifest["files"]}
    assert {
        "explanatory-note.docx",
        "explanatory-note.json",
        "revision-history.csv",
        "declarations.csv",
    } <= paths
    assert any(p.startswith("standard/") and p.endswith(".docx") for p in paths)
    assert any(p.startswith("standard/") and p.endswith(".pdf") for p in paths)
    published = demo.standard.revision(demo.standard.published_revision)
    assert verification.manifest["standard"] == {
        "number": demo.standard.number,
        "revision": published.number,
        "content_sha256": published.content_hash,
    }
    assert verification.manifest["built_by"] == demo.secretariat.name


def test_a_changed_byte_is_found_and_named(client, demo, make_token):
    _job, data = _build(client, demo, make_token)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "revision-history.csv":
                content = content[:-1] + b"X"
            copy.writestr(info, content)
    problems = verify_dossier(io.BytesIO(out.getvalue())).problems
    assert [(p.path, p.kind) for p in problems] == [("revision-history.csv", "changed")]


def test_the_note_generates_the_drafting_process_from_the_events(client, demo, make_token):
    _job, data = _build(client, demo, make_token)
    note = docx.Document(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("explanatory-note.docx")))
    text = "\n".join(p.text for p in note.paragraphs)
    assert "《跨境贸易电子发票要求》编制说明" in text
    assert "未记录征求意见。" in text and "未记录表决。" in text  # no comments or ballots package here
    assert "本文件为首次发布，无被代替版本。" in text
    process = note.tables[0]
    rows = [[cell.text for cell in row.cells] for row in process.rows][1:]
    events = [e for e in events_of(demo.standard, newest_first=False) if e.kind in PROCESS_KINDS]
    listed = [row for row in rows if not row[1].startswith("其间保存修订")]
    assert len(listed) == len(events)
    for row, event in zip(listed, events, strict=True):
        assert row[0] == local_today(event.at).isoformat()
        assert row[2] == (event.actor.name if event.actor else "")
    assert any("发布" in row[1] and row[0] == local_today(events[-1].at).isoformat() for row in rows[-1:])
    assert "主要起草单位：Shenzhen Cross-Border E-Commerce Association" in text
    # the note's JSON says the same, for the reviewers' desk
    chapters = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("explanatory-note.json"))["chapters"]
    assert [c["slot"] for c in chapters][:2] == ["work", "free:principles"]


def test_the_note_is_kept_for_a_look(client, demo, make_token):
    """The explanatory note of the demo dossier, written to test-artifacts/ for a person to render."""
    from app_testing import ARTIFACTS

    _job, data = _build(client, demo, make_token)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "explanatory-note.docx").write_bytes(
        zipfile.ZipFile(io.BytesIO(data)).read("explanatory-note.docx")
    )
    (ARTIFACTS / "demo-dossier.zip").write_bytes(data)
