"""Term entries (3.1 over 老年人　older person) and normative references, as the walk finds them."""

from __future__ import annotations

import re

from imports.inlines import escape
from imports.mapping.items import Item
from imports.mapping.patterns import CJK, SPLIT_TERM
from imports.mapping.state import MapperState


class TermMapping(MapperState):
    """A term entry heading: its bookmark id and its Chinese and English names."""

    def _term(self, item: Item, *, number_text: str, title: str) -> None:
        ident = self._take_id(number_text) if number_text else None
        ident = ident or self._take_id(item.text())
        zh, en = split_term(title)
        extra = f'en="{en.replace(chr(34), "&quot;")}"' if en else ""
        self._heading(2, escape(zh), ident=ident, extra=extra)


def looks_like_reference(text: str) -> bool:
    return bool(re.match(r"^(GB|ISO|IEC|[A-Z]{2,}|T/|DB\d)[\w/ ]*\s*\d", text))


def split_term(title: str) -> tuple[str, str]:
    """ "老年人　older person" → ("老年人", "older person"); an English term stays whole."""
    if "\u3000" in title:
        zh, _sep, en = title.partition("\u3000")
        if CJK.search(zh):
            return zh.strip(), en.strip()
    match = SPLIT_TERM.match(title)
    if match and CJK.search(match.group(1)):
        return match.group(1).strip(), match.group(2).strip()
    return title.strip(), ""
