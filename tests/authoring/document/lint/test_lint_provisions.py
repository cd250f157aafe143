"""Provision verbs are found as verbs: 应 in 应急 or 相应 is no requirement, 应从 (glued) is one."""

from __future__ import annotations

import pytest

from authoring.document.lint.provisions import ProvisionKind, find_provisions, find_requirements

#: text → the requirement verbs in it, in order
REQUIREMENTS: list[tuple[str, list[str]]] = [
    ("服务机构应建立培训制度。", ["应"]),
    ("服务人员不应收受服务对象的财物。", ["不应"]),
    ("服务机构应当面清点钱款。", ["应当"]),
    ("评估人员应该具有专业背景。", ["应该"]),
    ("间距应从墙面算起。", ["应"]),  # jieba: 应从
    ("记录应予以保存。", ["应"]),  # jieba: 应予以
    ("发现险情应立即报告。", ["应"]),  # jieba: 应立即
    ("教师应具备资格。", ["应"]),  # jieba: 教师应
    ("各类设备均应符合规定。", ["应"]),
    ("尚应满足下列要求。", ["应"]),  # jieba: 尚应
    ("电压应为220 V。", ["应"]),  # jieba: 应为
    ("服务机构应对评价中发现的问题进行原因分析。", ["应"]),  # 应对 + 进行
    ("收集个人信息应征得本人同意。", ["应"]),  # 应征 + 得
    ("供应商应提供合格证明。", ["应"]),
    ("应用软件应定期更新。", ["应"]),
    ("建立应急预案，并应每年演练。", ["应"]),
    ("互相应当尊重。", ["应当"]),
    ("The provider shall keep records.", ["shall"]),
    ("Records shall not be destroyed.", ["shall not"]),
    ("Shall the provider keep records?", ["Shall"]),
    ("应急处置应及时，不应延误。", ["应", "不应"]),
]

NO_REQUIREMENT: list[str] = [
    "本文件适用于应急管理。",
    "采取相应的措施。",
    "系统响应时间不超过5 s。",
    "化学反应釜的检查。",
    "应用软件的维护。",
    "物资供应和保障。",
    "适应老年人的需求。",
    "对应关系见表1。",
    "温室效应和电磁感应。",
    "顺应发展趋势，前后呼应。",
    "应答器和应变能力。",
    "发挥应有的作用。",
    "应对措施包括疏散和救护。",
    "应付账款和应收账款。",
    "应征入伍的人员。",
    "一呼百应，有求必应，前呼后应。",
    "得心应手，随机应变，里应外合。",
    "服务机构宜建立回访制度。",
    "其他服务可参照使用。",
    "a shallow tray and the marshal's office",
    "Shallowness is measured in mm.",
    "",
]


@pytest.mark.parametrize(("text", "verbs"), REQUIREMENTS)
def test_requirement_verbs_are_found(text: str, verbs: list[str]) -> None:
    found = find_requirements(text)
    assert [p.verb for p in found] == verbs
    assert all(text[p.start : p.end] == p.verb for p in found)
    assert all(p.kind is ProvisionKind.REQUIREMENT for p in found)


@pytest.mark.parametrize("text", NO_REQUIREMENT)
def test_no_requirement_in(text: str) -> None:
    assert find_requirements(text) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("服务机构宜建立回访制度。", [ProvisionKind.RECOMMENDATION]),
        ("服务对象空腹时不宜助浴。", [ProvisionKind.RECOMMENDATION]),
        ("服务机构可终止服务。", [ProvisionKind.PERMISSION]),
        ("已评估的不必重新评估。", [ProvisionKind.PERMISSION]),
        ("设备应能正常运行。", [ProvisionKind.REQUIREMENT, ProvisionKind.POSSIBILITY]),
        ("该装置不可能自行复位。", [ProvisionKind.POSSIBILITY]),
        ("可能出现延误。", [ProvisionKind.POSSIBILITY]),
        ("能力评估和可持续发展。", []),
        (
            "The platform should confirm receipt; it can generate the report.",
            [ProvisionKind.RECOMMENDATION, ProvisionKind.POSSIBILITY],
        ),
        (
            "The issuer may state the tax amount; amounts need not be rounded.",
            [ProvisionKind.PERMISSION, ProvisionKind.PERMISSION],
        ),
    ],
)
def test_every_kind_of_provision(text: str, kinds: list[ProvisionKind]) -> None:
    assert [p.kind for p in find_provisions(text)] == kinds


def test_a_long_text_is_read_in_windows() -> None:
    """Candidates far apart in a long paragraph are each judged on their own surroundings."""
    text = "相应的措施。" + "服务记录保存五年。" * 2000 + "间距应从墙面算起。"
    assert [p.verb for p in find_requirements(text)] == ["应"]
    assert text[find_requirements(text)[0].start] == "应"


def test_jieba_keeps_its_dictionary_where_it_is_told(tmp_path, monkeypatch) -> None:
    from authoring.document.lint.provisions import _cache_dir

    monkeypatch.setenv("STDFORGE_CACHE_DIR", str(tmp_path / "cache"))
    assert _cache_dir() == str(tmp_path / "cache")
    assert (tmp_path / "cache").is_dir()
