"""Findings carry their rule, severity, line and clause, and read well in Chinese and English."""

from __future__ import annotations

import json
import re

import pytest
from app_testing import ROOT
from lintcases import case, findings, planted

from authoring.document.lint import RULES, SEVERITY, SUMMARY
from authoring.document.lint.messages import MESSAGES

#: the user documentation of the format, whose rule table is the public list of codes
DOCS = ROOT / "docs" / "standard-markdown.md"


def documented_table() -> dict[str, str]:
    """code → severity, as the rule table of docs/standard-markdown.md has them."""
    text = DOCS.read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([A-Z]+-[A-Z]+) \| (error|warning) \|", text, re.M))


def test_codes_and_severities_are_the_documented_table() -> None:
    assert documented_table() == SEVERITY
    assert set(SUMMARY) == set(SEVERITY)


def test_every_code_has_a_check() -> None:
    assert {code for codes, _check in RULES for code in codes} == set(SEVERITY)


def test_every_message_is_keyed_by_a_known_code() -> None:
    assert {key.split("/")[0] for key in MESSAGES} - {"PROBLEM"} == set(SEVERITY)


def test_messages_differ_by_language_and_have_the_same_placeholders() -> None:
    for key, (zh, en) in MESSAGES.items():
        if key == "PROBLEM":
            continue
        assert zh != en, key
        assert re.search(r"[\u4e00-\u9fff]", zh), key
        placeholders = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")
        assert set(placeholders.findall(zh)) == set(placeholders.findall(en)), key


BROKEN = planted(
    planted(case("minimal-zh.md"), "服务机构应取得", "服务机构必须取得"),
    "[](#tbl-staff)",
    "[](#tbl-staf)",
)


def test_json_has_exactly_the_spec_fields() -> None:
    entries = [f.as_json("zh") for f in findings(BROKEN)]
    assert entries
    for entry in entries:
        assert set(entry) == {"rule", "severity", "line", "clause", "message"}
        assert entry["severity"] in ("error", "warning")
        assert isinstance(entry["line"], int)
    json.dumps(entries, ensure_ascii=False)


def test_findings_are_sorted_by_line_then_rule() -> None:
    found = findings(BROKEN)
    assert [(f.line, f.rule) for f in found] == sorted((f.line, f.rule) for f in found)


@pytest.mark.parametrize(
    ("rule", "zh", "en"),
    [
        (
            "VERB-NONSTANDARD",
            "“必须”不是标准的助动词（“服务机构必须取得食品经营许可”）",
            '"必须" is not a provision verb',
        ),
        ("REF-UNRESOLVED", "不存在的标识“#tbl-staf”", 'points to "#tbl-staf", which no element has'),
        (
            "TABLE-UNCITED",
            "正文没有提及表1“助餐服务人员配置”",
            'Table 1 "助餐服务人员配置" is never referred to',
        ),
    ],
)
def test_message_names_the_offending_word_or_id_in_both_languages(rule: str, zh: str, en: str) -> None:
    (found,) = [f for f in findings(BROKEN) if f.rule == rule]
    assert zh in found.message("zh")
    assert en in found.message("en")
    assert found.message() == found.message("zh")


def test_stdforge_lint_prints_english_messages_with_lang_en(tmp_path, capsys) -> None:
    from stdforge import main

    path = tmp_path / "broken.md"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["lint", "--lang", "en", "--format", "json", str(path)]) == 1  # an error: exit 1
    rules = {entry["rule"]: entry for entry in json.loads(capsys.readouterr().out)}
    assert rules["REF-UNRESOLVED"]["clause"] == "4.2"
    assert rules["VERB-NONSTANDARD"]["message"].startswith('"必须" is not a provision verb')


def test_a_parser_problem_keeps_its_own_text() -> None:
    text = planted(case("minimal-zh.md"), "association: 深圳市养老服务业协会", "association: [甲, 乙, 丙]")
    (found,) = [f for f in findings(text) if f.rule == "META-MISSING"]
    assert found.line == 4
    assert found.message("zh") and found.message("en") != found.message("zh")


def test_only_runs_the_named_rules() -> None:
    from authoring.document import parse
    from authoring.document.lint import lint

    found = lint(parse(BROKEN), only={"VERB-NONSTANDARD"})
    assert [f.rule for f in found] == ["VERB-NONSTANDARD"]


#: every key of the minimal document's cover
_COVER_KEYS = (
    "title:\n  zh: 社区助餐服务规范\nassociation: 深圳市养老服务业协会\n"
    "publish_date: 2025-03-01\nimplement_date: 2025-06-01\n"
)


@pytest.mark.parametrize(
    ("cover_edit", "says"),
    [
        (("title:\n", "\ttitle:\n"), "not valid YAML"),  # a tab: YAML cannot read the cover at all
        (("association: 深圳市养老服务业协会\n", "association: [深圳市养老服务业协会\n"), "not valid YAML"),
        ((_COVER_KEYS, "- 社区助餐服务规范\n- 深圳市养老服务业协会\n"), "key: value"),
    ],
    ids=["tab", "unclosed-list", "not-a-mapping"],
)
def test_an_unreadable_cover_is_one_finding_that_says_why(cover_edit, says) -> None:
    """Keys that are written but cannot be read are not "missing": the drafter is told what to fix."""
    text = planted(case("minimal-zh.md"), *cover_edit)
    meta = [f for f in findings(text) if f.rule.startswith("META-")]
    assert len(meta) == 1 and says in meta[0].message("en")
