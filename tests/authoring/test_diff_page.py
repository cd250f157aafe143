"""The diff page as a reviewer and a drafter meet it: the printed text by default, the source one click
away, a clear message for a revision that is not there, and the 编辑 tab for those who may edit."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role

#: what only the Markdown source or the YAML cover contain, never the printed standard
SOURCE_SYNTAX = (
    "[](#",
    "{.",
    "{en=",
    "{#",
    "|---",
    "| 服务类别",
    "Table:",
    "title:",
    "number:",
    "  zh:",
    ":::",
)


def _diff(client, standard, query: str = "old=1&new=2"):
    return client.get(f"/standards/{standard.id}/diff?{query}")


def _hunks(page: str) -> str:
    """The text-changes card only (the compare form and summary are not the text)."""
    return page[page.index('<div class="diff-reading">') :]


def test_the_reading_view_shows_the_printed_text_without_source_syntax(client, revised_standard):
    page = _diff(client, revised_standard).get_data(as_text=True)
    hunks = _hunks(page)
    for syntax in SOURCE_SYNTAX:
        assert syntax not in hunks, syntax


def test_the_reading_view_shows_numbers_labels_tables_and_the_cover_as_fields(client, revised_standard):
    hunks = _hunks(_diff(client, revised_standard).get_data(as_text=True))
    assert '<span class="reading-number">4.5 → 5.4</span>' in hunks  # a moved clause, by its numbers
    assert "家庭照护者　family carer" in hunks  # a term with its English name
    assert "<ins>、3.9</ins>" in hunks  # a reference printed as the label of its target
    assert "注：培训形式通常包括" in hunks  # a note with its label
    assert "表2　社区居家养老服务项目" in hunks  # a caption with its number
    table = re.search(r'<table class="reading-table">.*?</table>', hunks, re.S)
    assert table and "<th><span>服务类别</span></th>" in table.group()
    assert "<del>、代办</del>" in table.group()  # the changed cell, marked in its cell
    assert "文稿阶段：<del>征求意见</del><ins>送审</ins>" in re.sub(r"</?span>", "", hunks)


def test_the_source_view_is_one_click_away_and_still_shows_the_markdown(client, revised_standard):
    reading = _diff(client, revised_standard).get_data(as_text=True)
    link = f'href="/standards/{revised_standard.id}/diff?old=1&amp;new=2&amp;view=source"'
    assert link in reading
    source = _diff(client, revised_standard, "old=1&new=2&view=source").get_data(as_text=True)
    assert "{.foreword}" in source and "[](#t-care-plan)" in source and "draft: " in source
    assert 'class="diff-reading"' not in source


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("old=abc", 400, "“abc”不是版本号。"),
        ("old=&new=2", 400, "没有给出版本号。"),
        ("old=1&new=%EF%BC%92", 400, "“２”不是版本号。"),
        ("old=99", 404, "本标准没有第 99 版。"),
        ("old=1&new=0", 404, "本标准没有第 0 版。"),
        ("old=" + "9" * 5000, 404, "本标准没有第 9999"),
    ],
)
def test_a_bad_revision_number_gets_a_message_not_a_silent_comparison(
    client, revised_standard, query, status, message
):
    response = _diff(client, revised_standard, query)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in page and "请选择第 1 至 2 版。" in page
    assert "reading-hunk" not in page and "inline-hunk" not in page
    assert '<select name="old"' in page  # the reader chooses again on the same page


def test_comparing_a_revision_with_itself_says_so(client, revised_standard):
    page = _diff(client, revised_standard, "old=2&new=2").get_data(as_text=True)
    assert "第 2 版在与自身比较：请选择两个不同的版本。" in page


def test_a_drafter_sees_the_edit_tab_on_the_diff_page(client, revised_standard):
    page = _diff(client, revised_standard).get_data(as_text=True)
    tabs = re.search(r'<nav class="tabs" aria-label="[^"]*">.*?</nav>', page, re.S).group()
    assert f'href="/standards/{revised_standard.id}/edit"' in tabs and "编辑" in tabs


def test_a_member_who_may_not_edit_has_no_edit_tab(app, login, revised_standard, association, make_member):
    reader, browser = make_member(association, Role.MEMBER), app.test_client()
    login(browser, reader)
    page = _diff(browser, revised_standard).get_data(as_text=True)
    assert "<ins>" in page  # the member does see the diff
    assert f'href="/standards/{revised_standard.id}/edit"' not in page


def test_the_message_is_in_the_readers_language(client, revised_standard):
    client.post("/language", data={"locale": "en"})
    response = _diff(client, revised_standard, "old=abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "“abc” is not a revision number. Choose revisions from 1 to 2." in page


@pytest.mark.parametrize("view", ["", "&view=source"])
def test_a_revision_stored_before_the_caps_gets_a_message_on_the_diff_page(
    client, login, drafter, make_standard, community_care, view
):
    """A flood saved before the core's caps existed is compared to nothing: the page says why."""
    from authoring.models import Revision, content_hash
    from extensions import db

    standard = make_standard(community_care)
    flood = community_care + "\n" + "".join(f"## 标题{i}\n\n" for i in range(10_001))
    db.session.add(Revision(standard=standard, number=2, text=flood, content_hash=content_hash(flood)))
    standard.latest_number = 2
    db.session.commit()
    login(client, drafter)
    response = _diff(client, standard, "old=1&new=2" + view)
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "10,000" in page  # the cap passed, in the reader's words
    assert 'name="old"' in page or 'name="new"' in page
