"""The words the diff renderings print, in the newer revision's language (zh or en)."""

from __future__ import annotations

from authoring.document.diffing.model import FRONT_MATTER, SectionDiff

_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "修订对比",
        "changed": "修改",
        "added": "新增",
        "deleted": "删除",
        "moved": "移动",
        "unchanged": "未改",
        "none": "两个版本没有差异。",
        "stats": "字符 +{inserted} −{deleted}，涉及 {touched} 个章条",
        "front-matter": "封面信息",
        "foreword": "前言",
        "introduction": "引言",
        "bibliography": "参考文献",
        "top": "（顶层）",
        "old": "原版本",
        "new": "新版本",
        "inline": "行内对比",
        "side-by-side": "并排对比",
        "number": "编号",
        "element": "章条",
        "untitled": "（无标题）",
        "annex": "附录{}",
        "status-suffix": "（{}）",
        "merges-changed": "底色标出的单元格合并方式有改动。",
    },
    "en": {
        "title": "Comparison of revisions",
        "changed": "Changed",
        "added": "Added",
        "deleted": "Deleted",
        "moved": "Moved",
        "unchanged": "Unchanged",
        "none": "The two revisions do not differ.",
        "stats": "characters +{inserted} −{deleted}, {touched} elements touched",
        "front-matter": "Cover",
        "foreword": "Foreword",
        "introduction": "Introduction",
        "bibliography": "Bibliography",
        "top": "(top level)",
        "old": "Old revision",
        "new": "New revision",
        "inline": "Inline",
        "side-by-side": "Side by side",
        "number": "Number",
        "element": "Element",
        "untitled": "(untitled)",
        "annex": "Annex {}",
        "status-suffix": " ({})",
        "merges-changed": "The shaded cells are merged differently now.",
    },
}


def labels(language: str) -> dict[str, str]:
    """The words of the diff views in `language` (Chinese for anything but "en")."""
    return _LABELS.get(language, _LABELS["zh"])


def hunk_title(hunk: SectionDiff, words: dict[str, str]) -> str:
    """The title without the number: "培训", "前言" for an element written without a title text."""
    if hunk.kind == FRONT_MATTER:
        return words["front-matter"]
    return hunk.title or words.get(hunk.kind) or words["untitled"]


def numbers(hunk: SectionDiff) -> str:
    """The numbers as shown: "4.5 → 5.4" when the number changed, else the one number (or "")."""
    if hunk.old_number and hunk.new_number and hunk.old_number != hunk.new_number:
        return f"{hunk.old_number} → {hunk.new_number}"
    return hunk.new_number or hunk.old_number or ""


def printed_numbers(hunk: SectionDiff, words: dict[str, str]) -> str:
    """`numbers` as a heading prints them: an annex as "附录A" (or "附录A → 附录B"), the rest as is."""
    shown = numbers(hunk)
    if hunk.kind != "annex" or not shown:
        return shown
    return " → ".join(words["annex"].format(number) for number in shown.split(" → "))
