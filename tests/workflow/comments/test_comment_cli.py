"""`stdforge reanchor` (spec §4): the placements of the shared examples as JSON and text, exit 2 on
unreadable input."""

from __future__ import annotations

import json

from authoring.examples import example_path
from stdforge import main


def test_reanchor_prints_placements_in_the_anchors_order(tmp_path, capsys):
    anchors = tmp_path / "anchors.json"
    anchors.write_text(
        json.dumps(
            [
                {"clause": "scope", "exact": "社区居家养老服务的基本要求", "prefix": "", "suffix": ""},
                {"clause": "c-improvement", "exact": "5个工作日内答复投诉人"},
                {"clause": "c-errand", "exact": "代缴费用和代领物品"},
            ]
        ),
        encoding="utf-8",
    )
    old, new = str(example_path("community-care")), str(example_path("community-care-v2"))
    assert main(["reanchor", old, new, str(anchors), "--format", "json"]) == 0
    placed = json.loads(capsys.readouterr().out)
    assert [p["state"] for p in placed] == ["placed", "edited", "outdated"]
    assert placed[1]["exact"] == "3个工作日内答复投诉人"
    assert set(placed[0]) == {"state", "clause", "exact", "start", "end"}
    assert main(["reanchor", old, new, str(anchors)]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("2: edited [c-improvement]")


def test_reanchor_exits_2_on_unreadable_input(tmp_path, capsys):
    bad = tmp_path / "anchors.json"
    bad.write_text("{not json", encoding="utf-8")
    old = str(example_path("community-care"))
    assert main(["reanchor", old, old, str(bad)]) == 2
    assert main(["reanchor", str(tmp_path / "missing.md"), old, str(bad)]) == 2
    bad.write_text('{"clause": "scope"}', encoding="utf-8")
    assert main(["reanchor", old, old, str(bad)]) == 2
    assert "stdforge reanchor" in capsys.readouterr().err
