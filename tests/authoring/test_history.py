"""The pure pieces behind the history page: clauses a save touched, the chart."""

from __future__ import annotations

from types import SimpleNamespace

from authoring.history import timeline
from authoring.revision_changes import touched_clauses


def test_a_first_revision_adds_every_clause():
    assert touched_clauses(None, {"scope": ["h1", None], "c-4-1": ["h2", "c-4"]})["added"] == [
        "scope",
        "c-4-1",
    ]


def test_touched_clauses_name_changed_added_deleted_and_moved_ids():
    old = {"c-4": ["a", None], "c-4-1": ["b", "c-4"], "c-5": ["c", None], "c-gone": ["d", "c-5"]}
    new = {"c-4": ["a", None], "c-4-1": ["B", "c-5"], "c-5": ["c", None], "c-new": ["e", "c-5"]}
    touched = touched_clauses(old, new)
    assert touched["changed"] == ["c-4-1"]
    assert touched["added"] == ["c-new"]
    assert touched["deleted"] == ["c-gone"]
    assert touched["moved"] == [{"id": "c-4-1", "from_parent": "c-4", "to_parent": "c-5"}]


def test_the_timeline_keeps_a_small_change_visible_next_to_a_large_one():
    revisions = [
        SimpleNamespace(number=1, chars_added=100_000, chars_removed=0, author=None, created_at=None),
        SimpleNamespace(number=2, chars_added=10, chars_removed=4, author=None, created_at=None),
    ]
    chart = timeline(revisions, width=200, height=100)
    big, small = chart.bars
    assert big.added_height <= chart.axis_y
    assert (
        small.added_height >= 0.01 * big.added_height * 1
    )  # square root scale: 1 % of the height, not 0.01 %
    assert small.removed_height > 0
    assert big.x < small.x
