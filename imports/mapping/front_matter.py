"""The YAML cover: what the cover page said, completed by the foreword's facts (提出, 归口, 起草单位)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from imports.mapping.items import Unmapped
from imports.mapping.patterns import CJK
from imports.mapping.state import MapperState


class FrontMatterMapping(MapperState):
    """The cover's and the foreword's facts as the YAML front matter."""

    def _foreword_fact(self, text: str) -> None:
        if match := re.match(r"^本文件由(.+?)提出(?:并归口)?。$", text):
            self.foreword_facts["proposer"] = match.group(1)
            if "归口" in text:
                self.foreword_facts["responsible"] = match.group(1)
        elif match := re.match(r"^本文件由(.+?)归口。$", text):
            self.foreword_facts["responsible"] = match.group(1)
        elif match := re.match(r"^本文件起草单位：(.+?)。?$", text):
            self.foreword_facts["drafting_units"] = [u for u in re.split(r"[、，,]", match.group(1)) if u]
        elif match := re.search(r"(?:参考|采用)(.+?)《.*一致性程度为(等同|修改|非等效)", text):
            degree = {"等同": "IDT", "修改": "MOD", "非等效": "NEQ"}[match.group(2)]
            self.foreword_facts["adoption"] = {"degree": degree, "of": match.group(1).strip()}
        elif match := re.match(r"^本文件主要起草人：(.+?)。?$", text):
            self.foreword_facts["drafters"] = [u for u in re.split(r"[、，,]", match.group(1)) if u]

    # -- tables, figures, formulas, lists ----------------------------------------------------------

    def _front_matter(self) -> str:
        cover = self.cover
        english = self.english
        if english is None:
            english = (cover.title_zh is None and cover.title_en is not None) or (
                cover.title_zh is not None and not CJK.search(cover.title_zh)
            )
        if english and cover.title_zh and not cover.title_en:
            cover.title_en, cover.title_zh = cover.title_zh, None
        meta: dict[str, Any] = {}
        if cover.number:
            meta["number"] = cover.number
        if cover.replaces:
            meta["replaces"] = cover.replaces
        title = {k: v for k, v in (("zh", cover.title_zh), ("en", cover.title_en)) if v}
        if title:
            meta["title"] = title
        for key in ("ics", "ccs", "association"):
            if getattr(cover, key):
                meta[key] = getattr(cover, key)
        meta.update(self.foreword_facts)
        for key in ("publish_date", "implement_date"):
            if getattr(cover, key):
                try:
                    meta[key] = date.fromisoformat(getattr(cover, key))
                except ValueError:
                    meta[key] = getattr(cover, key)
        if cover.draft:
            meta["draft"] = cover.draft
        meta["language"] = "en" if english else "zh"
        for position, line in cover.unread:
            self.unmapped.insert(
                0,
                Unmapped(
                    position,
                    line,
                    "封面上的这一行无法对应到封面信息，已略去。",
                    "A cover line that matches no cover field; left out.",
                ),
            )
        dumped = yaml.safe_dump(
            meta, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
        )
        return f"---\n{dumped}---\n"
