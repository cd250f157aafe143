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


@pytest.mark.parametrize(
    ("number", "stem"),
    [
        ("T/SZYL 3—2025", "T-SZYL-3-2025"),
        ("T/SZYL 3.1—2025", "T-SZYL-3.1-2025"),
        ('T/"x\\y\u202e\n 1—2025', "T-x-y-1-2025"),
        ("../../etc/passwd", "etc-passwd"),
    ],
)
def test_a_download_s_name_keeps_only_letters_digits_and_dots_of_the_typed_number(number, stem):
    """The number is typed in the text's front matter: no quote, path, line break or bidi override
    reaches the saved file's name."""
    import json

    from authoring.document import parse
    from exports.api import file_stem

    doc = parse(f"---\nnumber: {json.dumps(number)}\ntitle:\n  zh: 标准\n---\n\n# 范围\n\n文字。\n")
    assert doc.meta.number == number
    assert file_stem(doc) == stem
