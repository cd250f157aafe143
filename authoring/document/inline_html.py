"""Inline Markdown → HTML for render: markdown-it with raw HTML off, only safe link schemes,
`$math$`, `[^note]` footnote marks and `[](#id)` printed as its target's label; and the sanitiser
that every rendered fragment passes through."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]+")
#: a label stops at the next `[` (pandoc's rule too), so a flood of `[^` is not rescanned at each one
_FOOTNOTE_REF = re.compile(r"\[\^([^\[\]\s]+)\]")
#: the only image a standard shows: a file of its own figures/ folder (no subfolder, no dot-file, no query)
_FIGURE_SRC = re.compile(r"figures/(?!\.)[^/\\\s?#]+")


def safe_url(url: str) -> bool:
    """http(s), mailto, in-page and relative links only: no javascript:, data:, vbscript:, file:."""
    scheme = _SCHEME.match(_INVISIBLE.sub("", url))  # browsers ignore tabs and newlines in a scheme
    return scheme is None or scheme.group(1).lower() in ("http", "https", "mailto")


def figure_src(url: str) -> bool:
    """True for `figures/NAME`: anything else (a URL, /etc/passwd, ../x) is never loaded or embedded."""
    return _FIGURE_SRC.fullmatch(url) is not None


def _render_image(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    if figure_src(src):
        return f'<img src="{escape(src)}" alt="{escape(alt)}">'
    return f'<span class="image-refused">[{escape(alt or src)}]</span>'


def _footnote_ref(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src[state.pos + 1 : state.pos + 2] != "^":
        return False
    match = _FOOTNOTE_REF.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("footnote_mark", "", 0)
        token.content = match.group(1)
    state.pos = match.end()
    return True


def _render_footnote_mark(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    label = escape(tokens[idx].content)
    return f'<sup class="fnref"><a href="#fn-{label}">{label}</a></sup>'


def _render_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith("#"):
        token.attrSet("class", "xref")
        opening = self.renderToken(tokens, idx, options, env)
        if idx + 1 < len(tokens) and tokens[idx + 1].type == "link_close":
            label = env.get("labels", {}).get(href[1:])
            return opening + escape(label if label is not None else href[1:])
        return opening
    return self.renderToken(tokens, idx, options, env)


def _render_math_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: dict) -> str:
    return f'<span class="math">{escape(tokens[idx].content)}</span>'


@lru_cache(maxsize=1)
def inline_markdown() -> MarkdownIt:
    """The markdown-it used for the inline pass of render (block structure comes from parse)."""
    md = MarkdownIt("commonmark", {"html": False, "maxNesting": 20})
    dollarmath_plugin(md, allow_labels=False, allow_space=True, allow_digits=False, double_inline=True)
    md.inline.ruler.before("link", "footnote_mark", _footnote_ref)
    md.validateLink = lambda url: safe_url(url)  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("footnote_mark", _render_footnote_mark)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_inline)
    return md


def render_inline(markdown: str, env: dict) -> str:
    """One block's inline Markdown as HTML; `env["labels"]` turns `[](#id)` into its label."""
    if not markdown:
        return ""
    return inline_markdown().renderInline(markdown, env)


#: a table column's alignment as markdown-it writes it on its cells, and the class we write instead
_CELL_ALIGNMENT = {f"text-align:{side}": f"align-{side}" for side in ("left", "center", "right")}


def render_tokens(tokens: list[Token], env: dict) -> str:
    """Block tokens from parse, with their inline children parsed now (they are left empty by parse).

    A table cell's alignment becomes a class (`align-left|center|right`, styled in the stylesheets):
    our Content-Security-Policy (`style-src 'self'`) blocks markdown-it's `style="text-align:…"`.
    """
    md = inline_markdown()
    for token in tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            alignment = _CELL_ALIGNMENT.get(str(token.attrs.pop("style", "")))
            if alignment:
                token.attrSet("class", alignment)
        elif token.type == "inline":
            children: list[Token] = []
            md.inline.parse(token.content, md, env, children)
            token.children = children
    return md.renderer.render(tokens, md.options, env)


#: everything render emits and nothing else survives the sanitiser
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "div", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "s", "section", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id", "data-line", "lang"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"rowspan", "colspan"},  # merged cells of grid tables
    "th": {"rowspan", "colspan"},
}
ALLOWED_CLASSES = {
    "section": {"foreword", "introduction", "chapter", "clause", "term", "annex", "bibliography", "deep"},
    "h2": {"heading", "annex-heading", "untitled"},
    "h3": {"heading", "untitled", "term-number"},
    "h4": {"heading", "untitled", "term-number"},
    "h5": {"heading", "untitled", "term-number"},
    "h6": {"heading", "untitled", "term-number"},
    "span": {
        "num", "title", "label", "marker", "math", "display", "eqno", "annex-number", "annex-status",
        "annex-title", "term-en", "image-refused",
    },
    "div": {
        "note", "example", "table-wrap", "formula", "footnote", "other", "preamble", "standard",
        "figure-placeholder",
    },
    "p": {"paragraph", "source", "caption", "term-name", "table-caption"},
    "ol": {"items", "alpha"},
    "ul": {"items"},
    "li": {"item"},
    "a": {"xref"},
    "sup": {"fnref"},
    "figure": {"figure"},
    "figcaption": {"caption"},
    "table": {"table"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
    "pre": {"code"},
    "blockquote": {"quote"},
}  # fmt: skip


def sanitise(html: str) -> str:
    """Keep only the tags, attributes, classes and URL schemes render emits."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
