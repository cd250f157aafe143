"""The Word file's blocks in reading order, the inline edits a mapping needs, and its results."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from imports.inlines import Node, plain
from imports.mapping.patterns import EQUATION_NUMBER


@dataclass(frozen=True)
class Unmapped:
    """A paragraph of the Word file that has no place in the standard, with where it was."""

    position: int  #: its number among the Word file's paragraphs and tables (1 is the first)
    text: str
    zh: str
    en: str

    def reason(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass
class Mapped:
    """The Markdown, what was left out, and the pictures to store as `figures/NAME`."""

    text: str
    unmapped: list[Unmapped] = field(default_factory=list)
    figures: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Item:
    position: int
    style: str
    block: Node

    @property
    def kind(self) -> str:
        return str(self.block.get("t"))

    def text(self) -> str:
        if self.kind in ("Para", "Plain"):
            return plain(self.block["c"]).strip()
        if self.kind == "Header":
            return plain(self.block["c"][2]).strip()
        return ""

    def inlines(self) -> list[Node]:
        if self.kind in ("Para", "Plain"):
            return list(self.block["c"])
        if self.kind == "Header":
            return list(self.block["c"][2])
        return []


def flatten(blocks: list[Node]) -> list[Item]:
    """Body blocks in order with their Word paragraph style (pandoc's `custom-style` Divs unwrapped)."""
    items: list[Item] = []

    def visit(nodes: list[Node], style: str) -> None:
        for node in nodes:
            if node.get("t") == "Div":
                attrs = dict(node["c"][0][2])
                visit(node["c"][1], attrs.get("custom-style", style))
            else:
                items.append(Item(len(items) + 1, style, node))

    visit(blocks, "")
    return items


def strip_inlines(nodes: list[Node], count: int) -> list[Node]:
    """`nodes` without their first `count` characters of text (a typed number or a label)."""
    out: list[Node] = []
    left = count
    for index, node in enumerate(nodes):
        if left <= 0:
            out.extend(nodes[index:])
            break
        kind = node.get("t")
        if kind == "Str":
            value = node["c"]
            if len(value) > left:
                out.append({"t": "Str", "c": value[left:]})
            left -= len(value)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            left -= 1
        elif kind == "Span":
            inner = plain(node["c"][1])
            if len(inner) > left:
                out.extend(strip_inlines(node["c"][1], left))
            left -= len(inner)
        else:
            out.extend(nodes[index:])
            break
    while out and out[0].get("t") in ("Space", "SoftBreak", "LineBreak"):
        out.pop(0)
    if out and out[0].get("t") == "Str":
        out[0] = {"t": "Str", "c": out[0]["c"].lstrip(" \u3000\u2003")}
    return out


def line_start(text: str) -> str:
    """A paragraph's first characters escaped where Markdown would read a heading, list or quote."""
    if re.match(r"(#|>|[-+*]\s|\d+[.)]\s|[a-z][)]\s|:::|\||Table:)", text):
        return "\\" + text if not text[0].isdigit() and not text[0].islower() else escape_number(text)
    return text


def escape_number(text: str) -> str:
    return re.sub(r"^(\w+)([.)])", r"\1\\\2", text, count=1)


def inline_of(block: Node) -> list[Node]:
    if block.get("t") in ("Para", "Plain"):
        return list(block["c"])
    if block.get("t") == "Div":
        return [n for b in block["c"][1] for n in inline_of(b)]
    if block.get("t") in ("BulletList", "OrderedList"):
        entries = block["c"][1] if block["t"] == "OrderedList" else block["c"]
        return [n for entry in entries for b in entry for n in [*inline_of(b), {"t": "Space"}]]
    return []


def images_in(item: Item) -> list[Node]:
    return [n for n in item.inlines() if n.get("t") == "Image"] if item.kind in ("Para", "Plain") else []


def display_math(item: Item) -> bool:
    """A paragraph that is a formula: display math (or any math in the Formula style, or math and
    a formula number) and nothing else."""
    nodes = item.inlines()
    maths = [n for n in nodes if n.get("t") == "Math"]
    if not maths:
        return False
    rest = plain([n for n in nodes if n.get("t") != "Math"]).strip()
    display = any(n["c"][0]["t"] == "DisplayMath" for n in maths) or item.style == "Formula"
    return (not rest and display) or bool(EQUATION_NUMBER.match(rest))
