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
