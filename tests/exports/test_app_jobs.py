"""Exports in the app, run in process: asking, the job's progress, the cached answer, the download."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from urllib.parse import quote

import pytest
from app_world import ask, wait_until_finished
from sqlalchemy import event

from authoring import operations
from authoring.models import Stage
from exports import TEMPLATE_VERSION
from exports.jobs import _executor
from exports.models import ExportFile, ExportJob
from extensions import db

pytestmark = pytest.mark.slow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def app_config(request):
    """Exports run inside the request unless a test asks for another runner."""
    return getattr(request, "param", {"EXPORT_RUNNER": "sync"})


def test_docx_export_finishes_with_the_standard_number_as_file_name(drafter_client, szyl):
    answer = ask(drafter_client, szyl.standard, 2, "docx")
    job = answer.get_json()
    assert answer.status_code == 200, job
    assert job["status"] == "done" and job["progress"] == 100
    assert job["filename"] == "T-SZYL-3-2025.docx"

    download = drafter_client.get(job["download_url"])
    assert download.status_code == 200
    assert download.mimetype == DOCX
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "T-SZYL-3-2025.docx" in download.headers["Content-Disposition"]
    assert hashlib.sha256(download.data).hexdigest() == job["sha256"] == download.headers["X-Content-SHA256"]
    assert zipfile.ZipFile(io.BytesIO(download.data)).testzip() is None


def test_following_a_job_reads_no_revision_text(drafter_client, szyl):
    """The panel polls a job's status every 0.7 s: a poll must not read a 300 KB text each time."""
    job = ask(drafter_client, szyl.standard, 2, "html").get_json()
    redline = ask(drafter_client, szyl.standard, 2, "html", base=1).get_json()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for url in (job["status_url"], redline["status_url"], job["page_url"]):
            assert drafter_client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert not [s for s in statements if "revisions.text" in s]


def test_asking_again_hands_out_the_finished_job_at_once(drafter_client, szyl):
    first = ask(drafter_client, szyl.standard, 2, "html").get_json()
    second = ask(drafter_client, szyl.standard, 2, "html").get_json()
    assert second["id"] == first["id"] and second["status"] == "done"
    assert db.session.query(ExportJob).count() == 1
    assert db.session.query(ExportFile).count() == 1
    job = db.session.get(ExportJob, first["id"])
    assert job.template_version == TEMPLATE_VERSION and job.revision.number == 2 and job.size > 1000


def test_every_format_has_its_media_type(drafter_client, szyl):
    expected = {"html": ("text/html", ".html"), "sts": ("application/xml", ".xml")}
    for fmt, (media_type, extension) in expected.items():
        job = ask(drafter_client, szyl.standard, 1, fmt).get_json()
        download = drafter_client.get(job["download_url"])
        assert download.mimetype == media_type
        assert job["filename"] == "T-SZYL-3-2025" + extension


def test_pdf_export_is_a_pdf(drafter_client, szyl):
    job = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    assert job["status"] == "done", job
    download = drafter_client.get(job["download_url"])
    assert download.mimetype == "application/pdf"
    assert download.data.startswith(b"%PDF")


def test_redline_docx_between_two_revisions_has_tracked_changes(drafter_client, szyl):
    job = ask(drafter_client, szyl.standard, 2, "docx", base=1).get_json()
    assert job["status"] == "done", job
    assert job["filename"] == "T-SZYL-3-2025-redline-r1-r2.docx"
    assert "第 1 版 → 第 2 版" in job["label"]
    body = zipfile.ZipFile(io.BytesIO(drafter_client.get(job["download_url"]).data)).read("word/document.xml")
    assert b"<w:ins " in body and b"<w:del " in body
    # what the reviewer reads is the printed standard: tables as tables, the cover as fields
    text = body.decode()
    assert "<w:tbl>" in text and "表2　社区居家养老服务项目" in text and "文稿阶段：" in text
    assert not any(syntax in text for syntax in ("|---", "Table:", "title:", "[](#", "{."))


def test_a_draft_without_a_number_is_named_after_its_title_and_revision(drafter_client, szyl, make_org):
    standard = operations.create_standard(
        szyl.association,
        szyl.secretariat,
        title_zh="智慧养老平台数据接口",
        title_en=None,
        committee=None,
        drafters=[szyl.drafter.membership_in(szyl.association)],
        text=None,
        now=szyl.standard.created_at,
    )
    db.session.commit()
    job = ask(drafter_client, standard, 1, "html").get_json()
    assert job["filename"] == "智慧养老平台数据接口-r1.html"
    disposition = drafter_client.get(job["download_url"]).headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('智慧养老平台数据接口-r1.html')}" in disposition


def test_a_form_post_without_script_lands_on_the_job_page(drafter_client, szyl):
    response = drafter_client.post(
        f"/standards/{szyl.standard.id}/exports", data={"revision": "1", "format": "sts"}
    )
    assert response.status_code == 303
    page = drafter_client.get(response.location)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SHA-256" in html and "T-SZYL-3-2025.xml" in html


def test_bad_requests_get_a_message(drafter_client, szyl):
    assert ask(drafter_client, szyl.standard, 2, "exe").status_code == 400
    assert "exe" in ask(drafter_client, szyl.standard, 2, "exe").get_json()["message"]
    assert ask(drafter_client, szyl.standard, 2, "sts", base=1).status_code == 400  # no STS redline
    assert ask(drafter_client, szyl.standard, 2, "docx", base=2).status_code == 400
    assert ask(drafter_client, szyl.standard, 9, "docx").status_code == 404
    bad = drafter_client.post(
        f"/standards/{szyl.standard.id}/exports",
        data={"revision": "x"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400


def test_the_standard_and_history_pages_offer_the_exports(drafter_client, szyl):
    page = drafter_client.get(f"/standards/{szyl.standard.id}").get_data(as_text=True)
    assert 'class="card exports-panel"' in page and "exports/exports.js" in page
    for label in ("Word (DOCX)", "PDF", "HTML", "STS XML"):
        assert label in page
    assert 'name="base" value="1"' in page  # a redline against the previous revision
    history = drafter_client.get(f"/standards/{szyl.standard.id}/history").get_data(as_text=True)
    assert "exports-panel" in history and 'name="base"' in history


def test_a_finished_export_shows_on_the_page_with_its_sha256(drafter_client, szyl):
    job = ask(drafter_client, szyl.standard, 2, "html").get_json()
    page = drafter_client.get(f"/standards/{szyl.standard.id}").get_data(as_text=True)
    assert job["sha256"] in page and job["download_url"] in page


def test_a_published_standard_is_exported_for_the_public(app, client, szyl):
    szyl.standard.stage = Stage.PUBLISHED.value
    db.session.commit()
    job = ask(client, szyl.standard, 2, "html").get_json()
    assert job["status"] == "done"
    assert client.get(job["download_url"]).status_code == 200
    assert db.session.get(ExportJob, job["id"]).created_by is None


# -- the thread pool (the default runner without Redis) ------------------------------------------


@pytest.mark.parametrize("app_config", [{"EXPORT_RUNNER": "thread", "EXPORT_WORKERS": 1}], indirect=True)
def test_in_process_pool_goes_from_queued_to_done(app, drafter_client, szyl):
    busy = threading.Event()
    _executor(app).submit(busy.wait, 30)  # the only worker is busy: the next job has to wait
    answer = ask(drafter_client, szyl.standard, 2, "docx")
    assert answer.status_code == 202
    queued = answer.get_json()
    assert queued["status"] == "queued" and queued["progress"] == 0 and queued["step"]
    again = drafter_client.get(queued["status_url"]).get_json()
    assert again["status"] == "queued"
    busy.set()
    done = wait_until_finished(drafter_client, queued["status_url"])
    assert done["status"] == "done" and done["sha256"]
    download = drafter_client.get(done["download_url"])
    assert hashlib.sha256(download.data).hexdigest() == done["sha256"]
