"""Fixtures for the pure document core: example files and small standards built from a body."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from authoring.document import Document, parse
from authoring.examples import example_text as read_example

COVER_ZH = """---
title:
  zh: 测试标准
association: 测试协会
language: zh
---
"""

COVER_EN = """---
title:
  zh: 测试标准
  en: Test standard
association: Test Association
language: en
---
"""


@pytest.fixture(scope="session")
def example_text() -> Callable[[str], str]:
    """The text of an example standard of examples/ by name ("community-care")."""
    return read_example


@pytest.fixture(scope="session")
def community_care(example_text: Callable[[str], str]) -> Document:
    return parse(example_text("community-care"))


@pytest.fixture(scope="session")
def en_sample(example_text: Callable[[str], str]) -> Document:
    return parse(example_text("en-sample"))


def standard(body: str, *, lang: str = "zh") -> str:
    """A whole document: a valid cover, then `body` (its first line is line 7 for zh, 8 for en)."""
    return (COVER_EN if lang == "en" else COVER_ZH) + body


@pytest.fixture
def doc_of() -> Callable[..., Document]:
    """parse(standard(body)) in one call."""

    def make(body: str, *, lang: str = "zh") -> Document:
        return parse(standard(body, lang=lang))

    return make
