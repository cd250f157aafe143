"""pandoc's AST of a Word standard → Standard Markdown, and what could not be mapped.

The structure is found the way a reader of a GB/T 1.1 document finds it: by the paragraph styles
(Word's headings, our own export's named styles) and, where a file has none, by the typed numbers
("4.2　要求", "A.1", "3.1" over a term). The typed numbers are dropped (ours are generated); the ids
come from the bookmarks our export writes, else the core derives them. Pure: no Flask, no database.

patterns: what typed numbers, labels and captions look like; items: the Word file's blocks in order,
and the results; state: what the walk keeps and writes; blocks: the walk (headings, paragraphs,
notes, lists); terms, tables, figures (and formulas), front_matter: what each of those becomes.
"""

from __future__ import annotations

from imports.docx_file import DocxContent
from imports.mapping.blocks import Mapper
from imports.mapping.items import Mapped, Unmapped

__all__ = ["Mapped", "Unmapped", "map_document"]


def map_document(content: DocxContent) -> Mapped:
    """The Word file's AST as Standard Markdown, with the unmapped paragraphs and the pictures."""
    return Mapper(content).run()
