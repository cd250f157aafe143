"""The re-anchoring algorithm on the shared examples: community-care → community-care-v2, with a
comment on every clause of the first; unchanged, moved, edited and deleted words, none lost."""

from __future__ import annotations

import pytest

from authoring.document import parse
from authoring.examples import example_text
from workflow.comments.anchoring import Quote, clause_sources, context_of, reanchor


@pytest.fixture(scope="module")
def old() -> dict[str, str]:
    return clause_sources(parse(example_text("community-care")))


@pytest.fixture(scope="module")
def new() -> dict[str, str]:
    return clause_sources(parse(example_text("community-care-v2")))


def quote_of(sources: dict[str, str], clause: str, words: str) -> Quote:
    start = sources[clause].index(words)
    prefix, suffix = context_of(sources[clause], start, start + len(words))
    return Quote(clause, words, prefix, suffix, start)


def last_words(sources: dict[str, str], clause: str) -> Quote:
    """Twenty characters from the middle of the clause's last line of text (its heading if none)."""
    lines = [line for line in sources[clause].split("\n") if line.strip()]
    line = next((x for x in reversed(lines) if not x.startswith("#")), lines[0])
    return quote_of(sources, clause, line[len(line) // 3 : len(line) // 3 + 20])


def test_a_comment_on_every_clause_is_placed_again_or_shown_outdated_never_lost(old, new):
    quotes = [last_words(old, clause) for clause in old]
    placements = reanchor(old, new, quotes)
    assert len(placements) == len(quotes) == len(old)
    for quote, placement in zip(quotes, placements, strict=True):
        if placement.state == "outdated":
            assert quote.clause not in new, quote  # only the deleted clause's words are gone
            assert (placement.clause, placement.exact) == (quote.clause, quote.exact)
        else:
            assert new[placement.clause][placement.start : placement.end] == placement.exact
    assert [p.state for p in placements].count("outdated") == 1


def test_unchanged_words_are_placed_where_they_are(old, new):
    quote = quote_of(old, "scope", "社区居家养老服务的基本要求")
    placement = reanchor(old, new, [quote])[0]
    assert (placement.state, placement.clause, placement.exact) == ("placed", "scope", quote.exact)
    assert new["scope"][placement.start : placement.end] == quote.exact


def test_a_moved_clause_keeps_its_comments(old, new):
    quote = quote_of(old, "c-agreement", "服务协议的变更或解除应以书面形式确认")
    placement = reanchor(old, new, [quote])[0]
    assert placement.state == "placed"
    assert placement.clause == "c-agreement"
    assert new["c-agreement"][placement.start : placement.end] == quote.exact


def test_edited_words_are_followed_and_the_anchor_covers_the_new_words(old, new):
    quote = quote_of(old, "c-improvement", "5个工作日内答复投诉人")
    placement = reanchor(old, new, [quote])[0]
    assert placement.state == "edited"
    assert placement.exact == "3个工作日内答复投诉人"
    assert new["c-improvement"][placement.start : placement.end] == placement.exact


def test_words_of_a_deleted_clause_are_outdated_with_what_they_were(old, new):
    quote = quote_of(old, "c-errand", "代缴费用和代领物品")
    placement = reanchor(old, new, [quote])[0]
    assert placement.state == "outdated"
    assert (placement.clause, placement.exact) == ("c-errand", "代缴费用和代领物品")


def test_words_moved_to_another_clause_are_found_there():
    old = {"a": "# A {#a}\n\n第一段，含有要移动的句子。\n", "b": "# B {#b}\n\n第二段。\n"}
    new = {"a": "# A {#a}\n\n第一段。\n", "b": "# B {#b}\n\n第二段，含有要移动的句子。\n"}
    placement = reanchor(old, new, [quote_of(old, "a", "含有要移动的句子")])[0]
    assert (placement.state, placement.clause) == ("placed", "b")


def test_of_two_occurrences_the_one_with_the_same_context_is_chosen():
    old = {"a": "# A {#a}\n\n甲应当记录。乙应当记录。\n"}
    new = {"a": "# A {#a}\n\n新增一句。甲应当记录。乙应当记录。\n"}
    quote = quote_of(old, "a", "乙应当记录")
    quote = Quote("a", "应当记录", "乙", "。", quote.start + 1)
    placement = reanchor(old, new, [quote])[0]
    assert new["a"][placement.start - 1 : placement.end] == "乙应当记录"


def test_a_comment_on_a_whole_clause_follows_the_clause_id(old, new):
    placements = reanchor(old, new, [Quote("c-agreement", ""), Quote("c-errand", "")])
    assert [p.state for p in placements] == ["placed", "outdated"]
