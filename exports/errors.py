"""The one error type an export raises: a message in both languages for the CLI and the web app."""

from __future__ import annotations


class ExportError(Exception):
    """An export that cannot be produced, with a reason a drafter can act on."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return f"{self.zh}\n{self.en}"


class TextTooComplex(ExportError):
    """The text is beyond what the typesetter can do within its time and memory: the input is refused
    (the command line exits 2, as for a text too large to read), nothing on our side is broken."""
