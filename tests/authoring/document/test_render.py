"""Render: GB/T 1.1 layout, anchors for comments and scrolling, and nothing unsafe gets through."""

from __future__ import annotations

import re

import pytest

from authoring.document.render import render_html, render_page


@pytest.fixture(scope="module")
def community_html(community_care) -> str:
    return render_html(community_care)


def test_headings_are_numbered(community_html):
    assert '<span class="num">4.2.1</span>　<span class="title">人员配置</span>' in community_html


def test_term_entry_shows_number_term_and_english_term(community_html):
    assert '<span class="num">3.1</span>' in community_html
    assert (
        '<p class="term-name"><strong>老年人</strong> <span class="term-en" lang="en">older person</span></p>'
        in community_html
    )


def test_annex_heading_on_three_lines(community_html):
    assert (
        '<span class="annex-number">附录A</span><span class="annex-status">（规范性）</span>'
        '<span class="annex-title">服务对象能力评估与服务等级确定</span>'
    ) in community_html


def test_table_caption_above_and_figure_caption_below(community_html):
    table = community_html.index('<span class="num">表1</span>　服务人员配置要求')
    assert table < community_html.index("<table", table)
    figure = community_html.index('<figure class="figure" id="fig-service-flow"')
    assert community_html.index('<span class="num">图1</span>　社区居家养老服务流程') > figure


def test_notes_carry_their_labels(community_html):
    assert '<span class="label">注1：</span>' in community_html
    assert '<span class="label">示例：</span>' in community_html


def test_cross_references_print_labels_and_link_to_ids(community_html):
    assert '<a href="#tbl-staff" class="xref" rel="noopener noreferrer">表1</a>' in community_html
    assert ">式(1)</a>" in community_html and ">附录B</a>" in community_html


def test_every_section_and_block_has_an_id_and_a_line(community_care, community_html):
    for section in community_care.walk():
        assert f'id="{section.id}" data-line="{section.line}"' in community_html
    paragraph = community_care.section("c-agreement").blocks[1]
    assert f'data-line="{paragraph.line}">服务协议的变更' in community_html
    anchors = re.findall(r' id="([^"]+)"', community_html)
    assert len(anchors) == len(set(anchors))


def test_formula_has_its_number(community_html):
    assert '<span class="eqno">(1)</span>' in community_html


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "![x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "<a href='javascript:alert(1)'>x</a>",
        "# 标题 {onclick=alert(1)}",
        "[x](vbscript:msgbox(1))",
    ],
)
def test_unsafe_input_does_not_survive(doc_of, body):
    html = render_html(doc_of(f"# 章\n\n{body}\n\n![图](javascript:void){{#fig-x}}\n"))
    tags = " ".join(re.findall(r"<[^>]*>", html)).lower()  # refused markup may stay as visible text
    assert "<script" not in tags
    assert not re.search(r"\son\w+=", tags)
    assert "javascript:" not in tags and "vbscript:" not in tags and "data:" not in tags


def test_html_in_text_is_shown_as_text(doc_of):
    html = render_html(doc_of("# 章\n\n<b>粗</b>\n"))
    assert "&lt;b&gt;粗&lt;/b&gt;" in html


def test_safe_links_are_kept(doc_of):
    html = render_html(doc_of("# 章\n\n[站点](https://example.org/a?b=1)和[文件](figures/a.png)\n"))
    assert 'href="https://example.org/a?b=1"' in html and 'href="figures/a.png"' in html


def test_page_is_standalone_with_outline_and_stylesheet(community_care):
    page = render_page(community_care, lang="zh")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh">' in page
    assert "<style>" in page and "目次" in page
    assert '<a href="#c-staff">4.2　服务人员</a>' in page
    assert '<a href="#annex-a">附录A（规范性）　服务对象能力评估与服务等级确定</a>' in page


def test_english_page(en_sample):
    page = render_page(en_sample, lang="en")
    assert "Contents" in page and "(informative)" in page and "Annex A" in page


def test_footnotes_and_list_items_carry_anchors(doc_of):
    html = render_html(doc_of("# 章\n\n正文[^a]。\n\n- 一\n- 二\n\n[^a]: 脚注。\n"))
    assert '<sup class="fnref"><a href="#fn-a"' in html
    assert 'class="footnote" id="fn-a" data-line="14"' in html
    assert '<li data-line="12">二</li>' in html


def test_untitled_clause_prints_its_number(community_care):
    html = render_html(community_care)
    assert '<h4 class="untitled"><span class="num">4.4.1</span></h4>' in html


@pytest.mark.parametrize(
    "source",
    [
        "http://tracker.example/p.png",
        "https://tracker.example/p.png",
        "/etc/passwd",
        "../secret.png",
        "figures/..",
    ],
)
def test_only_the_standard_s_own_figures_are_shown_as_images(doc_of, source):
    html = render_html(doc_of(f"# 章\n\n见![内联]({source})。\n\n![图题]({source}){{#fig-x}}\n"))
    assert "<img" not in html  # no request leaves the reader's browser, no local file is named as an image
    assert '<span class="image-refused">[内联]</span>' in html
    assert '<div class="figure-placeholder">' in html and "图题" in html


def test_a_figure_of_the_figures_folder_is_an_image(doc_of):
    html = render_html(doc_of("# 章\n\n![流程](figures/flow.png){#fig-flow}\n"))
    assert '<img src="figures/flow.png" alt="流程">' in html


ALIGNED_TABLE = (
    "# 章\n\n| 左 | 中 | 右 | 无 |\n|:---|:---:|---:|---|\n| a | b | c | d |\n\nTable: 对齐 {#tbl-align}\n"
)


def test_table_column_alignment_is_a_class_not_a_style_attribute(doc_of):
    """Our Content-Security-Policy (style-src 'self') blocks style attributes: alignment is a class."""
    html = render_html(doc_of(ALIGNED_TABLE))
    assert "style=" not in html
    assert '<th class="align-left">左</th>' in html and '<td class="align-left">a</td>' in html
    assert '<th class="align-center">中</th>' in html and '<td class="align-center">b</td>' in html
    assert '<th class="align-right">右</th>' in html and '<td class="align-right">c</td>' in html
    assert "<th>无</th>" in html and "<td>d</td>" in html


def test_the_standalone_page_styles_the_alignment_classes(doc_of):
    page = render_page(doc_of(ALIGNED_TABLE))
    assert ".align-center{text-align:center}" in page and ".align-right{text-align:right}" in page


def test_a_forged_style_on_a_cell_does_not_survive(doc_of):
    html = render_html(doc_of('# 章\n\n| a |\n|---|\n| <td style="color:red">x</td> |\n'))
    assert "style=" not in " ".join(re.findall(r"<[^>]*>", html))
