"""Exports of the example standards, built once per test session (pandoc and typst runs are the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_helpers import ARTIFACTS, example, png_bytes


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def care_docx():
    from exports.api import export_document

    return export_document(example("community-care"), "docx", figures={"service-flow.png": png_bytes()})


@pytest.fixture(scope="session")
def care_pdf():
    from exports.api import export_document

    return export_document(example("community-care"), "pdf", figures={"service-flow.png": png_bytes()})


@pytest.fixture
def szyl(make_org, make_member):
    """The demo association with its standard in two revisions (tests/exports/app_world.py)."""
    from app_world import make_szyl

    return make_szyl(make_org, make_member)


@pytest.fixture
def drafter_client(client, login, szyl):
    """The test client, logged in as the standard's drafter."""
    assert login(client, szyl.drafter).status_code == 302
    return client
