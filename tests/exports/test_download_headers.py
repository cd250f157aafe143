"""Downloads name their type once: `text/html; charset=utf-8`, never the charset twice."""

from __future__ import annotations

import pytest
from app_world import ask


@pytest.fixture
def app_config():
    return {"EXPORT_RUNNER": "sync"}


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [("html", "text/html; charset=utf-8"), ("sts", "application/xml; charset=utf-8")],
)
def test_an_export_download_names_its_charset_once(drafter_client, szyl, fmt, content_type):
    job = ask(drafter_client, szyl.standard, 1, fmt).get_json()
    assert job["status"] == "done", job
    assert drafter_client.get(job["download_url"]).headers["Content-Type"] == content_type


def test_a_revision_source_download_names_its_charset_once(drafter_client, szyl):
    standard = szyl.standard
    response = drafter_client.get(f"/standards/{standard.id}/revisions/1.md")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
