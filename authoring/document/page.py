"""The standalone page around render_html: title block, outline (目次) and an embedded stylesheet."""

from __future__ import annotations

from html import escape

from .outline import heading_text
from .tree import Document, Section

STYLESHEET = """
body{margin:0;font-family:"Noto Serif CJK SC","Songti SC",SimSun,serif;line-height:1.7;color:#111}
.layout{display:flex;align-items:flex-start}
nav.outline{position:sticky;top:0;max-height:100vh;overflow:auto;width:18rem;flex:none;padding:1rem;
  border-right:1px solid #ddd;font-family:"Noto Sans CJK SC",SimHei,sans-serif;font-size:.85rem}
nav.outline ul{list-style:none;padding-left:1rem;margin:0}nav.outline>ul{padding-left:0}
nav.outline a{color:#124;text-decoration:none}nav.outline a:hover{text-decoration:underline}
main{max-width:46rem;padding:1rem 2rem 4rem}
header.cover{text-align:center;margin-bottom:2rem}header.cover .number{text-align:right}
header.cover h1{font-family:"Noto Sans CJK SC",SimHei,sans-serif;font-size:1.6rem;margin:.5rem 0}
header.cover .title-en{font-size:1rem}
h2,h3,h4,h5,h6{font-family:"Noto Sans CJK SC",SimHei,sans-serif;font-weight:normal;font-size:1rem;margin:1.2rem 0 .4rem}
section.foreword>h2,section.introduction>h2,section.bibliography>h2{text-align:center;font-size:1.2rem}
h2.annex-heading{text-align:center}h2.annex-heading span{display:block}
.untitled{float:left;margin:0 .5em 0 0}.untitled+*{margin-top:1.2rem}
.num{margin-right:.2em}
p.term-name{margin:.2rem 0}p.term-name .term-en{margin-left:1em}
.note,.example{font-size:.85rem;margin:.4rem 0}.note>p,.example>p{display:inline;margin:0}
.note .label,.example .label{font-family:"Noto Sans CJK SC",SimHei,sans-serif}
ol.alpha{list-style:none;padding-left:1.5em}ol.alpha .marker{margin-left:-1.5em}
.table-caption,figcaption{text-align:center;font-family:"Noto Sans CJK SC",SimHei,sans-serif}
table{border-collapse:collapse;margin:0 auto .8rem}th,td{border:1px solid #333;padding:.2rem .5rem}
.align-left{text-align:left}.align-center{text-align:center}.align-right{text-align:right}
figure{text-align:center;margin:1rem 0}figure img{max-width:100%}
.figure-placeholder{display:inline-block;min-width:12rem;padding:2rem 1rem;border:1px dashed #999;color:#666}
.image-refused{border:1px dashed #999;color:#666;padding:0 .2rem}
.formula{display:flex;justify-content:center;gap:2rem;margin:.8rem 0}.formula .eqno{margin-left:auto}
.math{font-family:"Latin Modern Math",serif;white-space:pre-wrap}
.footnote{font-size:.8rem}
a.xref{color:inherit}
@media print{nav.outline{display:none}}
"""

_WORDS = {
    "zh": {"outline": "目次", "group": "团体标准", "replaces": "代替"},
    "en": {"outline": "Contents", "group": "Group standard", "replaces": "Replaces"},
}


def page(doc: Document, body: str, *, lang: str) -> str:
    """`body` (render_html's fragment) in a standalone page with the cover lines and the outline (目次)."""
    lang = "en" if lang == "en" else "zh"
    words = _WORDS[lang]
    meta = doc.meta
    title = meta.title_en if lang == "en" and meta.title_en else (meta.title_zh or meta.title_en or "")
    cover = ['<header class="cover">', f"<div>{escape(words['group'])}</div>"]
    if meta.number:
        cover.append(f'<div class="number">{escape(meta.number)}</div>')
    if meta.replaces:
        replaced = "、".join(meta.replaces)
        cover.append(f'<div class="number">{escape(words["replaces"])} {escape(replaced)}</div>')
    cover.append(f"<h1>{escape(meta.title_zh or '')}</h1>")
    if meta.title_en:
        cover.append(f'<div class="title-en" lang="en">{escape(meta.title_en)}</div>')
    if meta.draft:
        cover.append(f"<div>（{escape(meta.draft)}）</div>")
    cover.append("</header>")
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n"
        f'<div class="layout"><nav class="outline" aria-label="{escape(words["outline"])}">'
        f"<strong>{escape(words['outline'])}</strong>{_outline_list(doc.sections, doc.language)}</nav>\n"
        f"<main>{''.join(cover)}\n{body}\n</main></div>\n</body>\n</html>\n"
    )


def _outline_list(sections: list[Section], lang: str) -> str:
    if not sections:
        return ""
    items = []
    for section in sections:
        link = f'<a href="#{escape(section.id)}">{escape(heading_text(section, lang))}</a>'
        items.append(f"<li>{link}{_outline_list(section.children, lang)}</li>")
    return f"<ul>{''.join(items)}</ul>"
