"""The user documentation in docs/ stays true to the code: every lint rule, every `stdforge` command and
option, every example standard and every served API route is documented, and nothing unbuilt is."""

from __future__ import annotations

import argparse
import re

import pytest
from app_testing import ROOT
from flask import Flask

from authoring.document import parse
from authoring.document.lint import RULES, SEVERITY, lint
from authoring.document.lint.messages import MESSAGES
from authoring.examples import example_paths
from stdforge import build_parser

DOCS = ROOT / "docs"
FORMAT_DOC = DOCS / "standard-markdown.md"
API_DOC = DOCS / "api.md"
#: what docs/api.md says while /api/v1 serves nothing; it must go when the first route lands
NOTHING_SERVED = "no endpoint is served yet"


def format_doc() -> str:
    return FORMAT_DOC.read_text(encoding="utf-8")


def rule_table() -> dict[str, str]:
    """code → severity in the rule table of docs/standard-markdown.md."""
    return dict(re.findall(r"^\| ([A-Z]+-[A-Z]+) \| (error|warning) \|", format_doc(), re.M))


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """The subcommands `stdforge` registers, by name, read from the parser it builds."""
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


def command_section(name: str) -> str:
    """The text of `### stdforge NAME` in docs/standard-markdown.md, up to the next heading."""
    match = re.search(rf"^### stdforge {name}\n(.*?)(?=^#{{1,3}} |\Z)", format_doc(), re.M | re.S)
    assert match is not None, f"docs/standard-markdown.md has no section `### stdforge {name}`"
    return match.group(1)


def test_every_lint_code_of_the_code_is_in_the_documented_rule_table() -> None:
    """Codes are read from the checks, their messages and the severities: a new rule must be written up."""
    reported = {code for codes, _check in RULES for code in codes}
    messaged = {key.split("/")[0] for key in MESSAGES} - {"PROBLEM"}
    documented = rule_table()
    assert reported | messaged | set(SEVERITY) <= set(documented)
    assert {code: documented[code] for code in SEVERITY} == SEVERITY


def test_every_stdforge_subcommand_has_its_section_in_the_docs() -> None:
    registered = subcommands()
    assert {"lint", "outline", "render", "diff", "export"} <= set(registered)
    for name in registered:
        assert command_section(name).strip()


def test_the_docs_name_no_stdforge_command_that_does_not_exist() -> None:
    """An unbuilt command (such as a ballot tally) is not documented as if it could be run."""
    named = set(re.findall(r"stdforge ([a-z][a-z-]*)", format_doc()))
    assert named - set(subcommands()) == set()


def test_every_option_and_choice_of_each_subcommand_is_documented_in_its_section() -> None:
    for name, parser in subcommands().items():
        section = command_section(name)
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if action.option_strings:
                assert any(option in section for option in action.option_strings), (name, action.dest)
            for choice in action.choices or ():
                assert choice in section, (name, action.dest, choice)


def test_the_minimal_standard_of_the_docs_lints_clean() -> None:
    (minimal,) = re.findall(r"## A minimal standard\n.*?```markdown\n(.*?)```", format_doc(), re.S)
    assert minimal.startswith("---\n")
    assert [f.as_json("en") for f in lint(parse(minimal))] == []


def test_every_example_standard_is_listed_in_the_docs() -> None:
    text = format_doc()
    for path in example_paths():
        assert f"(../examples/{path.name})" in text, path.name


@pytest.mark.parametrize("doc", ["README.md", "docs/standard-markdown.md", "docs/api.md"])
def test_every_relative_link_of_a_doc_leads_to_a_file_of_the_repository(doc: str) -> None:
    path = ROOT / doc
    prose = re.sub(r"```.*?```|`[^`\n]*`", "", path.read_text(encoding="utf-8"), flags=re.S)  # not code
    targets = re.findall(r"\]\((?!https?:|#|mailto:)([^)\s#]+)", prose)
    assert targets or doc != "README.md"
    for target in targets:
        assert (path.parent / target).exists(), f"{doc} links to {target}, which is not in the repository"


def test_readme_links_every_page_of_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = sorted(DOCS.glob("*.md"))
    assert len(pages) >= 2
    for page in pages:
        assert f"(docs/{page.name})" in readme, page.name


def _api_paths(app: Flask) -> set[str]:
    """`METHOD /path` of every route under /api/v1, in the docs' spelling (`{}` for any parameter)."""
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<[^>]+>", "{}", rule.rule.removeprefix("/api/v1"))
        served.update(f"{method} {path}" for method in rule.methods - {"HEAD", "OPTIONS"})
    return served


def test_every_served_api_route_is_documented_and_the_status_says_what_is_served(app: Flask) -> None:
    text = API_DOC.read_text(encoding="utf-8")
    documented = re.sub(r"\{[^}`]*\}", "{}", text.replace("/api/v1/", "/"))
    served = _api_paths(app)
    assert {route for route in served if route not in documented} == set()
    assert (NOTHING_SERVED in text) == (not served)


def test_the_merged_cell_table_of_the_docs_is_read_with_its_spans() -> None:
    section = format_doc().split("### Merged cells", 1)[1]
    example = section.split("```", 2)[1]
    doc = parse("# 范围\n\n" + example)
    table = doc.sections[0].blocks[0]
    spans = [(t.attrGet("rowspan"), t.attrGet("colspan")) for t in table.tokens if t.type == "td_open"]
    assert (table.id, table.label) == ("tbl-services", "表1")
    assert ("2", None) in spans and (None, "2") in spans
