"""The outline's JSON and text forms, and the foreword sentences generated from the cover."""

from __future__ import annotations

from authoring.document import parse
from authoring.document.foreword import foreword_sentences
from authoring.document.outline import outline, outline_text


def test_outline_lists_every_section_with_number_and_line(community_care):
    tree = outline(community_care)
    flat = []
    stack = list(reversed(tree))
    while stack:
        entry = stack.pop()
        flat.append(entry)
        stack.extend(reversed(entry["children"]))
    assert len(flat) == len(list(community_care.walk()))
    assert {"id": "a-procedure", "kind": "clause", "number": "A.1", "label": "A.1", "title": "评估程序",
            "level": 2, "line": 399, "children": []} in flat  # fmt: skip


def test_outline_text_is_indented_by_depth(community_care):
    text = outline_text(community_care)
    assert "\n  4.2　服务人员  (line 133, #c-staff)\n    4.2.1　人员配置" in text
    assert "附录A（规范性）　服务对象能力评估与服务等级确定" in text


def _foreword(doc) -> str:
    return doc.sections[0].own_source


def test_chinese_sentences_match_the_example_foreword(community_care):
    sentences = foreword_sentences(community_care.meta)
    adoption = [s for s in sentences if "一致性程度" in s]
    assert len(sentences) == 7 and len(adoption) == 1
    for sentence in sentences:
        if sentence not in adoption:
            assert sentence in _foreword(community_care), sentence


def test_adoption_sentence_uses_a_title_when_the_cover_gives_one(example_text):
    text = example_text("community-care").replace(
        'adoption: {degree: NEQ, of: "ISO 25551:2021"}',
        'adoption: {degree: NEQ, of: "ISO 25551:2021", title: 老龄化社会 照护者包容型组织通用要求和指南}',
    )
    doc = parse(text)
    adoption = next(s for s in foreword_sentences(doc.meta) if "一致性程度" in s)
    assert adoption in _foreword(doc)


def test_english_sentences_match_the_example_foreword(en_sample):
    sentences = foreword_sentences(en_sample.meta)
    assert len(sentences) == 5
    for sentence in sentences:
        assert sentence in _foreword(en_sample), sentence


def test_proposer_and_responsible_apart(community_care):
    meta = community_care.meta
    meta2 = type(meta)(**{**meta.__dict__, "responsible": "另一协会", "replaces": [], "adoption": None})
    sentences = foreword_sentences(meta2)
    assert "本文件由深圳市养老服务业协会提出。" in sentences and "本文件由另一协会归口。" in sentences
