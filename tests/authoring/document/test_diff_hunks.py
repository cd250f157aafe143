"""Text changes inside sections: character level for Chinese, word level for English, and renderings."""

from __future__ import annotations

import time

from diffcases import BASE, doc
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.document.diff import diff_documents, diff_text, render_html, render_html_page, render_text
from authoring.document.diffing.textdiff import TOKEN_BLOCK_LIMIT, new_text, old_text, sentences, tokens

EN_BASE = """
# Foreword

This document was drafted by the association.

# Scope {#scope}

This document specifies requirements for electronic invoices.

# Content {#ch-content}

## Mandatory fields {#c-fields}

An invoice shall contain the issuer name and the invoice date.
"""


def changes(ops):
    return [(op, text) for op, text in ops if op != "="]


def test_chinese_change_is_shown_character_by_character():
    diff = diff_documents(doc(BASE), doc(BASE.replace("不应少于2名", "不应少于3名")))
    assert changes(diff.hunk("c-assessment").ops) == [("-", "2"), ("+", "3")]


def test_chinese_insertion_keeps_the_unchanged_characters_around_it():
    diff = diff_documents(doc(BASE), doc(BASE.replace("应持证上岗", "应持有效证件上岗")))
    ops = diff.hunk("c-staff").ops
    assert old_text(ops).endswith("服务人员应持证上岗。")
    assert new_text(ops).endswith("服务人员应持有效证件上岗。")
    assert sum(len(text) for _, text in changes(ops)) <= 6  # not the whole sentence replaced


def test_english_change_is_shown_by_whole_words():
    diff = diff_documents(
        doc(EN_BASE, language="en"), doc(EN_BASE.replace("shall contain", "should include"), language="en")
    )
    assert changes(diff.hunk("c-fields").ops) == [("-", "shall contain"), ("+", "should include")]


def test_english_word_is_never_split_into_letters():
    ops = diff_text("The issuer shall sign the invoice.", "The issuer shall design the invoice.")
    assert changes(ops) == [("-", "sign"), ("+", "design")]


def test_mixed_text_diffs_numbers_as_words_and_chinese_as_characters():
    ops = diff_text(
        "应符合GB/T 35796—2017的规定，并保存记录。", "应符合GB/T 35796—2024的规定，并保存全部记录。"
    )
    assert changes(ops) == [("-", "2017"), ("+", "2024"), ("+", "全部")]


def test_moved_clause_with_an_edit_is_moved_and_changed():
    clause = "## 服务协议 {#c-agreement}\n\n服务机构应与服务对象签订服务协议。\n\n"
    new = BASE.replace(clause, "") + "\n" + clause.replace("签订服务协议", "签订书面服务协议")
    diff = diff_documents(doc(BASE), doc(new))
    hunk = diff.hunk("c-agreement")
    assert diff.changed == ["c-agreement"] and [m.id for m in diff.moved] == ["c-agreement"]
    assert changes(hunk.ops) == [("+", "书面")]
    assert (hunk.old_number, hunk.new_number) == ("2.3", "3.3")


def test_text_rendering_has_summary_then_marked_changes():
    diff = diff_documents(doc(BASE), doc(BASE.replace("不应少于2名", "不应少于3名")))
    text = render_text(diff)
    assert "修改 (1):" in text
    assert "3.2  服务评估  [c-assessment]" in text
    assert "不应少于[-2-]{+3+}名" in text


def test_text_rendering_in_english_for_an_english_document():
    new = EN_BASE.replace(
        "## Mandatory fields {#c-fields}",
        "## Optional fields {#c-optional}\n\nText.\n\n## Mandatory fields {#c-fields}",
    )
    text = render_text(diff_documents(doc(EN_BASE, language="en"), doc(new, language="en")))
    assert "Added (1):" in text
    assert "+ Optional fields" in text


def test_text_rendering_of_identical_documents_says_so():
    assert render_text(diff_documents(doc(BASE), doc(BASE))) == "两个版本没有差异。\n"


def test_html_escapes_document_text():
    hostile = BASE.replace(
        "服务机构应依法登记。", "服务机构应依法登记 <script>alert('x')</script> & \"引号\"。"
    )
    html = render_html(diff_documents(doc(BASE), doc(hostile)))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;引号&quot;" in html


def test_html_escapes_titles_and_ids_too():
    hostile = BASE.replace("## 服务人员 {#c-staff}", "## <b>人员</b> {#c-staff}")
    html = render_html(diff_documents(doc(BASE), doc(hostile)))
    assert "<b>" not in html and "&lt;b&gt;人员&lt;/b&gt;" in html


def test_html_shows_changes_inline_and_side_by_side():
    diff = diff_documents(doc(BASE), doc(BASE.replace("不应少于2名", "不应少于3名")))
    html = render_html(diff)
    assert "不应少于<del>2</del><ins>3</ins>名" in html  # inline
    assert '<td class="sf-old">' in html and "不应少于<del>2</del>名" in html  # old side
    assert '<td class="sf-new">' in html and "不应少于<ins>3</ins>名" in html  # new side


def test_html_page_is_standalone():
    page = render_html_page(diff_documents(doc(BASE), doc(BASE.replace("2个工作日", "3个工作日"))))
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and "<style>" in page and page.rstrip().endswith("</html>")


def test_large_rewritten_block_is_bounded_and_exact():
    old = "".join(f"第{i}句话说明服务要求。" for i in range(2000))
    new = "".join(f"第{i}条规定评估的方法！" for i in range(2000))
    assert len(old) + len(new) > TOKEN_BLOCK_LIMIT
    start = time.perf_counter()
    ops = diff_text(old, new)
    assert time.perf_counter() - start < 2
    assert (old_text(ops), new_text(ops)) == (old, new)


def test_one_edit_in_a_very_long_paragraph_stays_small():
    old = "服务机构应建立制度。" * 1500
    new = old[:7000] + "并公开" + old[7000:]
    ops = diff_text(old, new)
    assert changes(ops) == [("+", "并公开")]


_ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("服务机构应宜。，；\n\r abc shall 12"),
        st.characters(codec="utf-8"),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(_ANY_TEXT, _ANY_TEXT)
def test_diff_text_reproduces_both_texts(old, new):
    ops = diff_text(old, new)
    assert old_text(ops) == old
    assert new_text(ops) == new
    assert all(text for _, text in ops)


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT)
def test_tokens_and_sentences_cover_the_text(text):
    assert "".join(tokens(text)) == text
    assert "".join(sentences(text)) == text


def test_text_rendering_names_a_moved_clause_by_its_heading_and_both_parents():
    clause = "## 服务协议 {#c-agreement}\n\n服务机构应与服务对象签订服务协议。\n\n"
    diff = diff_documents(doc(BASE), doc(BASE.replace(clause, "") + "\n" + clause))
    text = render_text(diff)
    assert "移动 (1):" in text
    assert "2.3 → 3.3  服务协议  [c-agreement]  (ch-basic → ch-process)" in text
    assert "@@ 2.3 → 3.3 服务协议 [c-agreement]: 移动" in text
