"""What the AST builders share while converting one document: target, figures, labels, warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from authoring.document.tree import Document
from exports.figures import Figure, FigureStore

Target = Literal["docx", "typst"]


@dataclass(frozen=True)
class ExportWarning:
    """Something the export worked around (a missing figure, an unknown reference), in both languages."""

    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass
class Context:
    doc: Document
    target: Target
    figures: FigureStore
    warnings: list[ExportWarning] = field(default_factory=list)
    #: ids the output carries as bookmarks, so a cross reference may link to them (DOCX only)
    anchors: set[str] = field(default_factory=set)
    #: figure files the Typst compile needs in its root: file name → figure
    media: dict[str, Figure] = field(default_factory=dict)
    #: hand the DOCX writer its figures as files (`figures/NAME`, collected in `media`) instead of
    #: data URIs: pandoc writes an image's source into the picture's description, once per use
    figure_files: bool = False
    _lines: list[str] | None = None
    _footnotes: dict[str, list] | None = None

    @property
    def zh(self) -> bool:
        return self.doc.language != "en"

    def warn(self, zh: str, en: str) -> None:
        warning = ExportWarning(zh, en)
        if warning not in self.warnings:
            self.warnings.append(warning)

    def source_lines(self, first: int, last: int) -> str:
        """Lines `first`..`last` (1-based, inclusive) of the Markdown file."""
        if self._lines is None:
            self._lines = self.doc.source.split("\n")
        return "\n".join(self._lines[first - 1 : last])

    def label(self, target: str) -> str | None:
        return self.doc.labels.get(target)

    def footnote(self, label: str) -> list | None:
        """The blocks of footnote `label` (its `[^label]: …` definition), or None when undefined."""
        if self._footnotes is None:
            from authoring.document.tree import BlockKind
            from exports.markdown import blocks_from_tokens

            self._footnotes = {}
            definitions = [b for s in self.doc.walk() for b in s.blocks] + list(self.doc.preamble)
            for block in definitions:
                if block.kind is BlockKind.FOOTNOTE and block.id:
                    self._footnotes[block.id.removeprefix("fn-")] = []  # a footnote citing itself stops here
                    self._footnotes[block.id.removeprefix("fn-")] = blocks_from_tokens(self, block.tokens)
        return self._footnotes.get(label)
