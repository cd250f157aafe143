"""`flask demo` loads the demo standard from the example standards in examples/."""

from __future__ import annotations

from sqlalchemy import select

from authoring.document import with_derived_ids
from authoring.examples import example_text
from authoring.models import Standard


def test_the_demo_standard_has_the_two_community_care_examples_as_its_revisions(app, db):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    standard = db.session.scalar(select(Standard).where(Standard.title_zh == "社区居家养老服务规范"))
    assert standard is not None, "the demo standard is missing"
    texts = [revision.text for revision in sorted(standard.revisions, key=lambda r: r.number)]
    assert texts == [
        with_derived_ids(example_text("community-care")),
        with_derived_ids(example_text("community-care-v2")),
    ]
