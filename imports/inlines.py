"""pandoc's inline nodes → Standard Markdown text, escaped so that what Word printed reads back as such.

Pure: no Flask, no database. Internal links keep their target (our own export links cross references
to the target's bookmark); raw inline code from the Word file (pandoc's RawInline) is dropped, never
passed on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Node = dict[str, Any]

#: characters that start Markdown inline markup; escaped in text that came from Word
_ESCAPE = re.compile(r"([\\`*_$<^~])")
#: brackets only matter where they would make a link, a footnote or a reference definition
_BRACKET = re.compile(r"\](?=[(\[:])|\[(?=\^)")
#: what a cross reference prints, so a link that reads like this becomes an empty link `[](#id)`
LABEL_TEXT = re.compile(
    r"(第?\d+(\.\d+)*章?|[A-Z](\.\d+)+|(表|图)\s*[A-Z]?\.?\d+|式\s*[（(][A-Z]?\.?\d+[)）]|附录\s*[A-Z]|"
    r"(Clause|Table|Figure|Annex|Formula)\s+\(?[A-Z0-9.]+\)?)"
)


def escape(text: str) -> str:
    """Literal text as Markdown that reads back as the same text."""
    return _BRACKET.sub(lambda m: "\\" + m.group(0), _ESCAPE.sub(r"\\\1", text))


def plain(nodes: list[Node] | Node | None) -> str:
    """The text of inline nodes as Word shows it, without markup (for matching and captions)."""
    if nodes is None:
        return ""
    if isinstance(nodes, dict):
        nodes = [nodes]
    out: list[str] = []
    for node in nodes:
        kind = node.get("t")
        content = node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind == "Math" or kind in ("Code",):
            out.append(content[1])
        elif kind in ("Link", "Span", "Image") or kind == "Quoted" or kind == "Cite":
            out.append(plain(content[1]))
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(plain(content))
    return "".join(out)


class InlineWriter:
    """Writes inline nodes as Markdown; `link_target(id)` says whether an internal link's target exists,
    `footnote(blocks)` takes a footnote's content and gives back its label."""

    def __init__(self, link_target: Callable[[str], bool], footnote: Callable[[list[Node]], str]) -> None:
        self.link_target = link_target
        self.footnote = footnote

    def write(self, nodes: list[Node]) -> str:
        return "".join(self._node(node) for node in nodes)

    def _node(self, node: Node) -> str:
        kind = node.get("t")
        content = node.get("c")
        if kind == "Str":
            return escape(content)
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return " "
        if kind == "Emph":
            return self._wrapped("*", content)
        if kind == "Strong":
            return self._wrapped("**", content)
        if kind in ("Underline", "SmallCaps", "Cite"):
            return self.write(content if kind != "Cite" else content[1])
        if kind == "Strikeout":
            return self._wrapped("~~", content)
        if kind in ("Superscript", "Subscript"):
            inner = plain(content)
            mark = "^" if kind == "Superscript" else "~"
            if inner and not re.search(r"\s", inner):
                return f"{mark}{escape(inner)}{mark}"
            return self.write(content)
        if kind == "Quoted":
            opening, closing = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return opening + self.write(content[1]) + closing
        if kind == "Code":
            value = content[1].replace("`", "'")
            return f"`{value}`" if value.strip() else ""
        if kind == "Math":
            tex = tidy_tex(content[1]).replace("$", r"\$")
            if not tex:
                return ""
            return f"$${tex}$$" if content[0]["t"] == "DisplayMath" else f"${tex}$"
        if kind == "Link":
            return self._link(content)
        if kind == "Span":
            return self.write(content[1])
        if kind == "Image":
            return escape(plain(content[1]))
        if kind == "Note":
            return f"[^{self.footnote(content)}]"
        return ""  # RawInline and anything unknown: dropped, never passed through

    def _wrapped(self, mark: str, content: list[Node]) -> str:
        inner = self.write(content).strip()
        return f"{mark}{inner}{mark}" if inner else ""

    def _link(self, content: list[Any]) -> str:
        text = self.write(content[1]).strip()
        url = str(content[2][0])
        if url.startswith("#"):
            target = url[1:]
            if not self.link_target(target) or not text:
                return text
            # kept with its text: `references.link_references` empties it where the text is the label
            return f"[{text}](#{target})"
        if re.match(r"(https?://|mailto:)\S+$", url, re.IGNORECASE):
            return f"[{text or escape(url)}]({url.replace(')', '%29')})"
        return text


#: `\text{\%}` around one escaped symbol, as LibreOffice Math writes a percent sign (pandoc keeps it)
_TEXT_SYMBOL = re.compile(r"\\text\{(\\[%&#_])\}")


def tidy_tex(tex: str) -> str:
    r"""A formula's TeX as a drafter would type it: no leading `\displaystyle` (the block is display
    already) and `\%` for `\text{\%}` (the same glyph), so a file re-saved by LibreOffice imports the
    formula it was exported with."""
    tex = re.sub(r"^\\displaystyle\s*", "", tex.strip())
    return _TEXT_SYMBOL.sub(r"\1", tex)
