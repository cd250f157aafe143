"""The patterns behind NUM-MANUAL and NORMREF-UNCITED, case by case."""

from __future__ import annotations

import pytest

from authoring.document.lint.headings import manual_number
from authoring.document.lint.references import designation


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("4 要求", "4"),
        ("4.2 服务人员", "4.2"),
        ("4.2.1\u3000人员配置", "4.2.1"),
        ("A.1 评估程序", "A.1"),
        ("附录A 服务等级", "附录A"),
        ("附录 B 调查表", "附录 B"),
        ("0.1 编制背景", "0.1"),
        ("第4章 基本要求", "第4章"),
        ("Annex A Example values", "Annex A"),
        ("5.1 Transmission and validation", "5.1"),
        ("24小时温度监控", None),
        ("3D打印", None),
        ("10 kV 开关柜", None),
        ("1.5 倍额定电流试验", None),
        ("4 人员配置", "4"),
        ("5 年度评价", "5"),
        ("2025年度计划", None),
        ("ISO 9001 认证", None),
        ("A 级服务", None),
        ("服务要求", None),
        ("", None),
    ],
)
def test_hand_typed_number(title: str, number: str | None) -> None:
    assert manual_number(title) == number


@pytest.mark.parametrize(
    ("item", "written", "cited", "not_cited"),
    [
        (
            "GB/T 35796—2017 养老机构服务质量基本规范",
            "GB/T 35796—2017",
            ["应符合GB/T 35796的规定", "GB/T 35796—2017", "GB/T 35796-2017", "GB/T35796–2017"],
            ["GB/T 357960", "GB 35796", "GB/T 3579"],
        ),
        (
            "GB 2894 安全标志及其使用导则",
            "GB 2894",
            ["GB 2894—2008", "见GB 2894。"],
            ["GB 28940", "GB/T 2894"],
        ),
        ("GB/T 1.1—2020 标准化工作导则", "GB/T 1.1—2020", ["GB/T 1.1"], ["GB/T 1.10", "GB/T 1.2"]),
        (
            "ISO/IEC 27001:2022 Information security management systems",
            "ISO/IEC 27001:2022",
            ["conform to ISO/IEC 27001.", "ISO/IEC 27001:2022"],
            ["ISO 27001", "ISO/IEC 270010"],
        ),
        (
            "EN 16931-1:2017 Electronic invoicing",
            "EN 16931-1:2017",
            ["EN 16931-1"],
            ["EN 16931-2", "EN 16931"],
        ),
        ("ISO 3166-1 Country codes", "ISO 3166-1", ["the alpha-2 codes of ISO 3166-1."], ["ISO 3166-2"]),
        ("T/SZAS 12—2025 团体标准", "T/SZAS 12—2025", ["T/SZAS 12"], ["T/SZAS 123"]),
    ],
)
def test_designation_and_what_cites_it(
    item: str, written: str, cited: list[str], not_cited: list[str]
) -> None:
    found = designation(item)
    assert found is not None
    assert found.written == written
    for text in cited:
        assert found.cited_in(text), text
    for text in not_cited:
        assert not found.cited_in(text), text


@pytest.mark.parametrize("item", ["《中华人民共和国食品安全法》", "养老机构管理办法", ""])
def test_an_item_without_a_designation_is_left_alone(item: str) -> None:
    assert designation(item) is None
