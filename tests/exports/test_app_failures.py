"""A failed export says why in words, on the job and the page; a stack trace never reaches the user."""

from __future__ import annotations

from datetime import timedelta

import pytest
from app_world import ask

import exports.api
import exports.pdf
from accounts.database import utcnow
from exports.models import ExportJob
from extensions import db

pytestmark = pytest.mark.slow


@pytest.fixture
def app_config(request, tmp_path):
    return getattr(request, "param", {"EXPORT_RUNNER": "sync"})


@pytest.fixture
def no_cjk_fonts(app, monkeypatch, tmp_path):
    """A machine without the CJK fonts: the font path setting points at an empty folder, and the
    families the template needs are not installed (the pipeline also sees system fonts, so the
    test asks for a family no system has)."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    app.config["EXPORT_FONT_PATHS"] = [str(empty)]
    monkeypatch.setattr(
        exports.pdf, "REQUIRED_FAMILIES", ("Noto Serif CJK SC Missing", "Noto Sans CJK SC Missing")
    )


def test_pdf_without_cjk_fonts_fails_with_a_clear_message(drafter_client, szyl, no_cjk_fonts):
    job = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    assert job["status"] == "failed" and job["finished"]
    assert "缺少中文字体" in job["error"] and "fonts-noto-cjk" in job["error"]
    assert job["download_url"] is None and job["sha256"] is None
    assert "Traceback" not in job["error"]


def test_the_failure_is_shown_in_the_reader_s_language(drafter_client, szyl, no_cjk_fonts):
    job = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    drafter_client.post("/language", data={"locale": "en", "next": "/"})
    english = drafter_client.get(job["status_url"]).get_json()
    assert english["error"].startswith("Missing CJK fonts")
    page = drafter_client.get(job["page_url"]).get_data(as_text=True)
    assert "Missing CJK fonts" in page and "Traceback" not in page
    assert drafter_client.get(f"/exports/{job['id']}/download").status_code == 404


def test_asking_again_after_a_failure_tries_again(drafter_client, szyl, no_cjk_fonts, monkeypatch):
    failed = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    monkeypatch.undo()  # the fonts are installed now
    retried = ask(drafter_client, szyl.standard, 2, "pdf").get_json()
    assert retried["id"] != failed["id"] and retried["status"] == "done"


def test_an_unexpected_error_is_logged_and_the_user_sees_a_plain_message(
    drafter_client, szyl, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail /srv/stdforge")

    monkeypatch.setattr(exports.api, "export_parsed", broken)
    job = ask(drafter_client, szyl.standard, 2, "docx").get_json()
    assert job["status"] == "failed"
    assert "secret internal detail" not in job["error"] and "RuntimeError" not in job["error"]
    assert "出错" in job["error"] or "错误" in job["error"]
    assert "secret internal detail" in caplog.text  # the operator finds it in the log


@pytest.mark.parametrize(
    "app_config", [{"EXPORT_RUNNER": "rq", "REDIS_URL": "redis://127.0.0.1:1/0"}], indirect=True
)
def test_an_unreachable_queue_fails_the_job_instead_of_leaving_it_waiting(drafter_client, szyl):
    job = ask(drafter_client, szyl.standard, 2, "docx").get_json()
    assert job["status"] == "failed"
    assert "队列" in job["error"]


@pytest.mark.parametrize("app_config", [{"EXPORT_RUNNER": "thread"}], indirect=True)
def test_a_job_silent_for_too_long_is_replaced_by_a_new_one(app, drafter_client, szyl, monkeypatch):
    import exports.views

    monkeypatch.setattr(exports.views, "dispatch", lambda job_id: None)  # nobody runs it: a lost job
    lost = ask(drafter_client, szyl.standard, 2, "sts").get_json()
    assert lost["status"] == "queued"
    assert ask(drafter_client, szyl.standard, 2, "sts").get_json()["id"] == lost["id"]  # still waiting
    job = db.session.get(ExportJob, lost["id"])
    job.updated_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    shown = drafter_client.get(lost["status_url"]).get_json()  # the page stops waiting for it
    assert shown["finished"] and shown["status"] == "failed" and "中断" in shown["error"]
    monkeypatch.undo()
    app.config["EXPORT_RUNNER"] = "sync"
    fresh = ask(drafter_client, szyl.standard, 2, "sts").get_json()
    assert fresh["id"] != lost["id"] and fresh["status"] == "done"
    interrupted = drafter_client.get(lost["status_url"]).get_json()
    assert interrupted["status"] == "failed" and "中断" in interrupted["error"]
