"""The fixed words a standard prints around its content, in Chinese and English."""

from __future__ import annotations

from datetime import date

from authoring.document.tree import FrontMatter
from exports.cover_kinds import cover_kind

WORDS = {
    "zh": {
        "kind": "团体标准",
        "replaces": "代替",
        "published": "发布",
        "implemented": "实施",
        "contents": "目次",
        "publisher": "发布",
        "notice": "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。",
        "end": "",
    },
    "en": {
        "kind": "Group Standard",
        "replaces": "Replacing",
        "published": "Issued",
        "implemented": "Implemented",
        "contents": "Contents",
        "publisher": "Issued by",
        "notice": (
            "Recipients of this draft are invited to submit, with their comments, notification of any "
            "relevant patent rights of which they are aware and to provide supporting documentation."
        ),
        "end": "",
    },
}


def words(meta: FrontMatter) -> dict[str, str]:
    return WORDS["en" if meta.language == "en" else "zh"]


def date_text(value: date | None) -> str:
    """The cover prints ISO dates; a draft without dates prints the placeholder GB/T uses."""
    return value.isoformat() if value else "XXXX-XX-XX"


def cover_lines(meta: FrontMatter) -> dict[str, str]:
    """Every text of the cover, ready to print (the DOCX builder and the Typst inputs share this)."""
    w = words(meta)
    zh = meta.language != "en"
    published = (
        f"{date_text(meta.publish_date)} {w['published']}"
        if zh
        else f"{w['published']} {date_text(meta.publish_date)}"
    )
    implemented = (
        f"{date_text(meta.implement_date)} {w['implemented']}"
        if zh
        else f"{w['implemented']} {date_text(meta.implement_date)}"
    )
    issuers = meta.issuers or ([meta.association] if meta.association else [])
    association = "、".join(issuers) if zh else " and ".join(issuers)
    return {
        "ics": f"ICS {meta.ics}" if meta.ics else "ICS",
        "ccs": f"CCS {meta.ccs}" if meta.ccs else "CCS",
        "kind": cover_kind(meta.number, meta.language),
        "number": meta.number or "T/XXXX XXXXX—XXXX",
        "replaces": f"{w['replaces']} {'、'.join(meta.replaces)}" if meta.replaces else "",
        # an English document's cover leads with its English title; a Chinese title, if any, follows
        "title": (meta.title_zh or "") if zh else (meta.title_en or meta.title_zh or ""),
        "title_en": (meta.title_en or "") if zh else (meta.title_zh or "" if meta.title_en else ""),
        "draft": meta.draft or "",
        "notice": w["notice"] if meta.draft else "",
        "published": published,
        "implemented": implemented,
        "publisher": f"{association}　{w['publisher']}" if zh else f"{w['publisher']} {association}",
        # one or two bodies, one under the other, with 发布 beside them (GB/T 1.1—2020, 8.1)
        "issuers": "\n".join(issuers),
        "issued": w["publisher"],
        "contents": w["contents"],
    }
