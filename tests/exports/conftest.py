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
