"""The standard sentences of a foreword (GB/T 1.1—2020, 8.2), generated from the cover for the editor
to offer; the drafters insert them, the product never adds them on output."""

from __future__ import annotations

from .tree import FrontMatter

_DRAFTING_ZH = "本文件按照GB/T 1.1—2020《标准化工作导则 第1部分：标准化文件的结构和起草规则》的规定起草。"
_DRAFTING_EN = (
    "This document has been drafted in accordance with the rules given in GB/T 1.1—2020 *Directives for "
    "standardization — Part 1: Rules for the structure and drafting of standardizing documents*."
)
_PATENT_ZH = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
_PATENT_EN = (
    "Attention is drawn to the possibility that some of the elements of this document can be the subject "
    "of patent rights. The issuing body of this document is not responsible for identifying any or all such "
    "patent rights."
)
_ADOPTION_ZH = {
    "IDT": "本文件等同采用{of}{title}。",
    "MOD": "本文件修改采用{of}{title}。",
    "NEQ": "本文件参考{of}{title}起草，与{of}的一致性程度为非等效。",
}
_ADOPTION_EN = {
    "IDT": "This document is identical to {of}{title}.",
    "MOD": "This document is modified in relation to {of}{title}.",
    "NEQ": "This document has been drafted with reference to {of}{title}; its degree of correspondence "
    "with {of} is not equivalent.",
}


def foreword_sentences(meta: FrontMatter) -> list[str]:
    """The sentences in GB/T 1.1 order, in the document's language; what the cover lacks is left out."""
    return _english(meta) if meta.language == "en" else _chinese(meta)


def _adopted_title(meta: FrontMatter) -> str | None:
    """The adopted document's title, from the cover's optional `adoption: {title: …}`."""
    adoption = meta.raw.get("adoption")
    title = adoption.get("title") if isinstance(adoption, dict) else None
    return title if isinstance(title, str) and title else None


def _chinese(meta: FrontMatter) -> list[str]:
    out = [_DRAFTING_ZH]
    if meta.replaces:
        title = f"《{meta.title_zh}》" if meta.title_zh else ""
        replaced = "、".join(f"{number}{title}" for number in meta.replaces)
        out.append(
            f"本文件代替{replaced}，与{meta.replaces[0]}相比，除结构调整和编辑性改动外，主要技术变化如下："
        )
    if meta.adoption is not None:
        title = _adopted_title(meta)
        of_title = f"《{title}》" if title else ""
        out.append(_ADOPTION_ZH[meta.adoption.degree].format(of=meta.adoption.of, title=of_title))
    out.append(_PATENT_ZH)
    if meta.proposer and meta.proposer == meta.responsible:
        out.append(f"本文件由{meta.proposer}提出并归口。")
    else:
        if meta.proposer:
            out.append(f"本文件由{meta.proposer}提出。")
        if meta.responsible:
            out.append(f"本文件由{meta.responsible}归口。")
    if meta.drafting_units:
        out.append(f"本文件起草单位：{'、'.join(meta.drafting_units)}。")
    if meta.drafters:
        out.append(f"本文件主要起草人：{'、'.join(meta.drafters)}。")
    return out


def _the(name: str) -> str:
    return name if name.lower().startswith("the ") else f"the {name}"


def _sentence(text: str) -> str:
    return text if text.endswith(".") else f"{text}."


def _english(meta: FrontMatter) -> list[str]:
    out = [_DRAFTING_EN]
    if meta.replaces:
        title = f" *{meta.title_en}*" if meta.title_en else ""
        replaced = ", ".join(f"{number}{title}" for number in meta.replaces)
        out.append(
            f"This document replaces {replaced}. In comparison with {meta.replaces[0]}, apart from "
            "structural adjustments and editorial changes, the main technical changes are as follows:"
        )
    if meta.adoption is not None:
        title = _adopted_title(meta)
        of_title = f" *{title}*" if title else ""
        out.append(_ADOPTION_EN[meta.adoption.degree].format(of=meta.adoption.of, title=of_title))
    out.append(_PATENT_EN)
    if meta.proposer and meta.proposer == meta.responsible:
        out.append(f"This document was proposed by and is under the jurisdiction of {_the(meta.proposer)}.")
    else:
        if meta.proposer:
            out.append(f"This document was proposed by {_the(meta.proposer)}.")
        if meta.responsible:
            out.append(f"This document is under the jurisdiction of {_the(meta.responsible)}.")
    if meta.drafting_units:
        out.append(_sentence(f"Drafting organizations: {', '.join(meta.drafting_units)}"))
    if meta.drafters:
        out.append(_sentence(f"Principal drafters: {', '.join(meta.drafters)}"))
    return out
