"""Errors the document core raises: only input it refuses outright; everything else is a Problem."""

from __future__ import annotations


class DocumentTooLarge(ValueError):
    """The text is above the size cap: refused before any parsing, so no input can cost unbounded time."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        if lang == "zh":
            return f"文档过大：{self.size:,} 字节，上限为 {self.limit:,} 字节。"
        return f"The document is too large: {self.size:,} bytes, the limit is {self.limit:,} bytes."


#: what a complexity cap counts, as the refusal names it (zh, en)
ELEMENTS = {
    "headings": ("标题", "headings"),
    "blocks": ("块元素（段落、列表项、表格行等）", "block elements (paragraphs, list items, table rows…)"),
    "marks": ("行内标记符号（[、*、_、$）", "inline markup characters ([, *, _, $)"),
}


class DocumentTooComplex(DocumentTooLarge):
    """The text has more of one kind of element than any standard has (a flood, not a document):
    refused whole, with the line where the cap was passed, so nothing downstream (render, diff, the
    history page, typesetting) pays for it. A kind of DocumentTooLarge, so every caller that refuses
    an oversized text refuses this one the same way with its message."""

    def __init__(self, element: str, limit: int, line: int) -> None:
        self.element = element
        self.line = line
        super().__init__(limit + 1, limit)

    def message(self, lang: str = "zh") -> str:
        zh, en = ELEMENTS[self.element]
        if lang == "zh":
            return (
                f"文档过于复杂：{zh}超过 {self.limit:,} 个（第 {self.line:,} 行处超出上限）。"
                "请拆分文档或删除重复的标记。"
            )
        return (
            f"The document is too complex: more than {self.limit:,} {en} (the limit is passed at line "
            f"{self.line:,}). Split the document or remove the repeated markup."
        )
