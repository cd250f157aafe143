"""Registry search on both databases: by number, title, association, a Chinese phrase of the body
(any substring, not a word), English; filters; statuses; ranking, pagination and hostile queries."""

from __future__ import annotations

from datetime import date

import pytest

from authoring.models import Stage
from workflow.registry_search import (
    MAX_QUERY_CHARS,
    RegistryQuery,
    Status,
    normalise_query,
    registry_standard,
    search_registry,
)


def numbers(text: str = "", **filters) -> list[str]:
    return [hit.standard.number for hit in search_registry(RegistryQuery(text=text, **filters)).hits]


@pytest.fixture
def two_standards(make_published):
    care = make_published(
        "养老机构服务质量评价规范",
        "养老机构生活照料、膳食服务与康复护理的评价方法",
        title_en="Evaluation of service quality in elderly care institutions",
        english="It applies to nursing homes operated under contract.",
    )
    invoice = make_published("跨境电子发票技术要求", "跨境贸易中电子发票的报文结构和传输通道要求")
    return care, invoice


def test_search_finds_a_standard_by_its_number(two_standards):
    care, invoice = two_standards
    assert numbers(invoice.number) == [invoice.number]
    assert numbers("SZYL 2") == [invoice.number, care.number]  # the whole number first, the year matches both


def test_search_finds_by_chinese_and_english_title(two_standards):
    care, invoice = two_standards
    assert numbers("电子发票技术") == [invoice.number]
    assert numbers("service quality") == [care.number]
    assert numbers("ELDERLY care") == [care.number]  # case does not matter


def test_search_finds_a_chinese_phrase_from_the_body_that_is_no_word(two_standards):
    _care, invoice = two_standards
    # 文结构和传 cuts through the words 报文, 结构, 和 and 传输: a substring, not a segmented word
    page = search_registry(RegistryQuery(text="文结构和传"))
    assert [hit.standard.number for hit in page.hits] == [invoice.number]
    assert "<mark>文结构和传</mark>" in page.hits[0].snippet


def test_search_finds_english_words_of_the_body(two_standards):
    care, _invoice = two_standards
    assert numbers("nursing homes operated") == [care.number]


def test_search_finds_by_association_name(two_standards, make_org, make_published):
    other = make_org("association", name="深圳市跨境电子商务协会", code="SZCB")
    mine = make_published("电子商务平台服务规范", "平台服务", publisher=other)
    assert numbers("跨境电子商务协会") == [mine.number]


def test_every_term_must_match(two_standards):
    care, _invoice = two_standards
    assert numbers("电子发票 康复护理") == []
    assert numbers("康复护理 膳食服务") == [care.number]


def test_title_matches_rank_before_body_matches(make_published):
    body_only = make_published("社区居家服务规范", "上门提供助浴服务的要求")
    in_title = make_published("助浴服务规范", "服务的流程")
    assert numbers("助浴服务") == [in_title.number, body_only.number]


def test_one_or_two_characters_match_titles_and_numbers_not_the_body(two_standards):
    care, invoice = two_standards
    page = search_registry(RegistryQuery(text="膳食"))  # only in care's body
    assert page.hits == [] and page.short_terms == ("膳食",)
    assert numbers("规范") == [care.number]  # in its title
    assert numbers("发") == [invoice.number]


def test_hostile_queries_never_fail(two_standards):
    _care, invoice = two_standards
    for text in [
        '"',
        '""',
        '"电子发票',
        "电子 OR 发票",
        "NEAR(电子 发票)",
        "title_zh:电子",
        "电子*",
        "^电子",
        "-电子发票",
        "(((",
        "%",
        "_",
        "\\",
        "%%%",
        "a_b%c\\d",
        "'; DROP TABLE standards; --",
        "\x00\x01电子发票\x1f",
        "电子发票\u200b",
        "🙂🙂🙂",
        "x" * 100_000,
        "电 " * 1000,
    ]:
        page = search_registry(RegistryQuery.from_args({"q": text}))
        assert page.total >= 0
    assert numbers("%") == [] and numbers("_") == []  # wildcards are literal characters
    assert numbers("\x00电子发票\x1f") == [invoice.number]
    assert numbers('"跨境电子发票"') == []  # quotes are characters, not FTS syntax
    assert len(normalise_query("发票" * 10_000)) == MAX_QUERY_CHARS


def test_full_width_input_is_read_as_ascii(two_standards):
    _care, invoice = two_standards
    assert numbers("ＳＺＹＬ　２") == [invoice.number, two_standards[0].number]


def test_status_replaced_withdrawn_current(make_published):
    old = make_published("养老护理员职业技能规范", "护理员", published_on=date(2020, 1, 1))
    new = make_published("养老护理员职业技能规范", "护理员和培训", replaces=old)
    gone = make_published("老年餐桌服务规范", "老年餐桌", stage=Stage.WITHDRAWN)
    statuses = {hit.standard.number: hit.status for hit in search_registry(RegistryQuery()).hits}
    assert statuses == {
        old.number: Status.REPLACED,
        new.number: Status.CURRENT,
        gone.number: Status.WITHDRAWN,
    }
    assert numbers(status=Status.REPLACED) == [old.number]
    assert numbers(status=Status.WITHDRAWN) == [gone.number]
    assert numbers(status=Status.CURRENT) == [new.number]
    listed = registry_standard(old.number)
    assert listed.status is Status.REPLACED and listed.replaced_by == new.number


def test_filters_by_association_and_adoption(make_org, make_published):
    ours = make_published("甲规范", "甲")
    other = make_org("association", name="深圳市标准化协会", code="SZBZ")
    theirs = make_published("乙规范", "乙", publisher=other, stage=Stage.ADOPTED)
    assert numbers(association_id=other.id) == [theirs.number]
    assert numbers(association_id=ours.association_id) == [ours.number]
    assert numbers(adopted=True) == [theirs.number]
    assert numbers("规范", adopted=True) == [theirs.number]


def test_unpublished_standards_are_never_listed_nor_found(make_published, make_standard, db):
    listed = make_published("公开的规范", "公开的内容")
    for stage in (Stage.DRAFTING, Stage.CONSULTATION, Stage.APPROVAL, Stage.CANCELLED):
        draft = make_standard(stage=stage, title="内部草案规范")
        draft.number = f"T/SZYL 9{len(stage)}—2026" if stage is Stage.CANCELLED else None
        db.session.commit()
    assert numbers() == [listed.number]
    assert numbers("内部草案") == [] and numbers("跨境贸易电子发票") == []
    assert registry_standard("T/SZYL 99—2026") is None


def test_a_published_number_typed_with_a_hyphen_is_found(two_standards):
    care, _invoice = two_standards
    assert registry_standard(care.number.replace("\u2014", "-")).standard.id == care.id


def test_pages_come_in_order_and_count_everything(make_published):
    made = [make_published(f"第{n}号服务规范", "同样的服务内容要求") for n in range(1, 8)]
    newest_first = [s.number for s in reversed(made)]
    seen = []
    for page_number in (1, 2, 3):
        page = search_registry(RegistryQuery(text="服务内容要求", page=page_number), per_page=3)
        assert page.total == 7 and page.pages == 3
        seen += [hit.standard.number for hit in page.hits]
    assert seen == newest_first
    beyond = search_registry(RegistryQuery(text="服务内容要求", page=9), per_page=3)
    assert beyond.hits == [] and beyond.total == 7


def test_query_arguments_that_cannot_be_used_are_ignored():
    query = RegistryQuery.from_args({"page": "-3", "association": "x", "status": "bogus", "adopted": "maybe"})
    assert query == RegistryQuery()
    assert RegistryQuery.from_args({"page": "5000"}).page == 1000
    assert RegistryQuery.from_args({"page": "99999999999"}).page == 1
