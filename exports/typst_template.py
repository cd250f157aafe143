"""The Typst template: the same GB/T 1.1 layout as the reference DOCX, sizes from exports/styles.py.

The cover's texts come in as one dictionary of Typst string literals (escaped by `typst_string`, so no
text can become markup or code), and the body is pandoc's escaped Typst output with calls to the
`std-*` functions below around it. The whole document is one source file, compiled in a child
process of its own (exports/typeset.py).
"""

from __future__ import annotations

from exports.styles import typst_settings

_TEMPLATE = r"""
#let song = ("Noto Serif CJK SC",)
#let hei = ("Noto Sans CJK SC",)
@meta@
#set document(title: meta.at("title", default: "").replace("\n", " "))
#set page(paper: "a4", margin: (top: @page-margin-top@, bottom: @page-margin-bottom@,
  left: @page-margin-left@, right: @page-margin-right@))
#set text(font: song, size: @body-size@, lang: meta.at("lang", default: "zh"), cjk-latin-spacing: none)
#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.75em, spacing: 0.75em)
#show heading: it => block(above: 1.1em, below: 0.9em, sticky: true,
  text(font: hei, size: @heading-size@, weight: "regular", it.body))
#set figure(numbering: none, gap: 0.6em)
#show figure.where(kind: table): set block(breakable: true)
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.caption: set text(font: hei, size: @body-size@)
#show table.cell: set par(justify: false, first-line-indent: 0pt)
#show table.cell: set text(size: @small-size@)
// a word or URL too long for its cell wraps at the cell's edge (typst breaks words only at spaces,
// hyphens and slashes): the word is cut into lines that fit, so no text runs over a border
// (exports/tables.py calls it for each long run of a cell's text)
#let std-long-word(word, code: false) = box(layout(room => {
  let piece(s) = if code { raw(s) } else { s }
  let lines = ()
  let line = ""
  for c in word.clusters() {
    if line != "" and measure(piece(line + c)).width > room.width { lines.push(line); line = c } else { line += c }
  }
  lines.push(line)
  lines.map(piece).join(linebreak())
}))
// a table's row 0 is its continuation caption (exports/tables.py): no rules, no height on page one
#set table(stroke: (x, y) => if y == 0 { none } else { 0.5pt + black },
  inset: (x, y) => if y == 0 { 0pt } else { 4pt })
#show math.equation: set text(font: ("New Computer Modern Math",))

// pandoc's Typst writer calls this for `---` (its default template defines it; ours must too)
#let horizontalrule = align(center, line(length: 50%, stroke: 0.5pt))
#let std-label(s) = text(font: hei, s)
// "表3（续）" above a table's repeated header, on the pages after the one its figure starts on
#let std-continued(words) = context {
  let start = query(figure.where(kind: table).before(here()))
  if words != "" and start.len() > 0 and start.last().location().page() < here().page() {
    block(width: 100%, below: 0.6em, align(center, text(font: hei, size: @body-size@, words)))
  }
}
#let std-note(body) = { set text(size: @small-size@); body }
#let std-example(body) = { set text(size: @small-size@); body }
#let std-list-item(body) = { set par(first-line-indent: 0pt, hanging-indent: 2em); pad(left: 2em, body) }
#let std-list-item-2(body) = { set par(first-line-indent: 0pt, hanging-indent: 2em); pad(left: 4em, body) }
#let std-reference(body) = { set par(justify: false); body }
#let std-untitled-clause(body) = { set par(first-line-indent: 0pt); body }
#let std-intro-heading(body) = block(above: 1.1em, below: 0.9em, sticky: true,
  { set par(first-line-indent: 0pt); text(font: hei, body) })
#let std-standard-title(body) = align(center, block(above: 1em, below: 2em,
  { set par(first-line-indent: 0pt); text(font: hei, size: @title-size@, body) }))
#let std-preface-heading(title) = {
  pagebreak(weak: true)
  show heading: it => align(center, block(above: 1em, below: 1.5em,
    text(font: hei, size: @preface-size@, weight: "regular", it.body)))
  heading(level: 1, title)
}
#let std-annex-heading(number, status, title) = {
  pagebreak(weak: true)
  show heading: it => align(center, block(below: 1.5em, {
    set par(first-line-indent: 0pt, justify: false)
    text(font: hei, size: @heading-size@, weight: "regular")[#number \ #status \ #title]
  }))
  // the 目次 entry: "附录A（规范性）标题" / "Annex A (informative) Title"
  let gap = if meta.lang == "zh" { "" } else { " " }
  heading(level: 1, number + gap + status + gap + title)
}
#let std-term-entry(number, term, en) = block(above: 0.9em, below: 0.5em, sticky: true, {
  set par(first-line-indent: 0pt)
  text(font: hei, number)
  linebreak()
  text(font: hei, term)
  if en != "" { h(1em); text(font: hei, en) }
})
#let std-formula(number, body) = grid(columns: (1fr, auto), align: (center + horizon, right + horizon),
  body, number)
#let std-figure(picture, caption) = figure(picture, caption: caption)
#let std-figure-missing(src, caption) = figure(
  rect(width: 100%, inset: 24pt, stroke: 0.5pt, align(center, text(size: @small-size@,
    meta.at("missing", default: "图片缺失：") + src))),
  caption: caption)
#let std-end-line() = align(center, block(above: 2em, line(length: 40mm, stroke: 0.5pt)))

#let std-header = context {
  let n = counter(page).get().first()
  align(if calc.odd(n) { right } else { left }, text(size: @small-size@, meta.number))
}
#let std-footer = context {
  let n = counter(page).get().first()
  align(if calc.odd(n) { right } else { left }, text(size: @small-size@, counter(page).display()))
}

// The cover's upper part at one scale: a long title shrinks (sizes, then the gap above it) until the
// whole cover fits its page. Each element of the title (GB/T 1.1, 6.2.1: the texts between its spaces)
// starts a line of its own.
// a title element whose last two characters cannot part: no line ends with one character alone
#let std-unorphaned(element) = {
  let parts = element.clusters()
  if parts.len() > 2 and meta.lang == "zh" {
    parts.slice(0, -2).join() + box(parts.slice(-2).join())
  } else { element }
}
#let std-cover-top(scale, gap) = {
  text(font: hei, meta.ics)
  linebreak()
  text(font: hei, meta.ccs)
  v(50pt * gap)
  align(center, text(font: hei, size: @cover-kind-size@, tracking: if meta.lang == "zh" { 12pt } else { 0pt },
    meta.kind))
  v(10pt)
  align(right, text(font: hei, size: @cover-number-size@, meta.number))
  if meta.replaces != "" { align(right, text(size: @body-size@, meta.replaces)) }
  v(-6pt)
  line(length: 100%, stroke: 0.75pt)
  v(100pt * gap)
  for element in meta.title.split("\n") {
    align(center, block(above: 0.6em, below: 0.6em, text(font: hei, size: @cover-title-size@ * scale,
      std-unorphaned(element))))
  }
  v(12pt * gap)
  if meta.title-en != "" {
    for element in meta.title-en.split("\n") {
      align(center, block(above: 0.5em, below: 0.5em, text(size: @cover-en-size@ * scale,
        std-unorphaned(element))))
    }
  }
  if meta.draft != "" {
    v(18pt * gap)
    align(center, text(size: 14pt, meta.draft))
    v(6pt)
    align(center, text(size: @small-size@, meta.notice))
  }
}
#let std-issuers = {
  let bodies = meta.issuers.split("\n")
  if meta.lang == "zh" and bodies.len() > 1 {
    // two bodies one under the other, 发布 beside them, centred on the pair (GB/T 1.1, 8.1)
    align(center, grid(columns: 2, column-gutter: 1em, align: (center + horizon, left + horizon),
      stack(spacing: 0.6em, ..bodies.map(b => text(font: hei, size: 16pt, b))),
      text(font: hei, size: 16pt, meta.issued)))
  } else {
    align(center, text(font: hei, size: 16pt, meta.publisher))
  }
}
#let std-cover-bottom = {
  grid(columns: (1fr, 1fr), align(left, text(font: hei, size: 14pt, meta.published)),
    align(right, text(font: hei, size: 14pt, meta.implemented)))
  v(-4pt)
  line(length: 100%, stroke: 0.75pt)
  v(6pt)
  std-issuers
}

#page(header: none, footer: none, numbering: none, layout(size => {
  set par(first-line-indent: 0pt, justify: false, leading: 0.5em)
  let bottom = measure(block(width: size.width, std-cover-bottom)).height
  let fits(choice) = measure(block(width: size.width, std-cover-top(..choice))).height + bottom + 24pt <= size.height
  let choices = ((1, 1), (1, 0.6), (0.85, 0.5), (0.75, 0.4), (0.65, 0.3), (0.55, 0.2), (0.45, 0.1))
  let choice = choices.find(fits)
  if choice == none { choice = choices.last() }
  block(height: size.height, width: size.width, {
    std-cover-top(..choice)
    v(1fr)
    std-cover-bottom
  })
}))

#set page(header: std-header, footer: std-footer, numbering: "I")
#counter(page).update(1)
#align(center, block(above: 1em, below: 1.5em, text(font: hei, size: @preface-size@, meta.contents)))
#{
  set par(first-line-indent: 0pt, justify: false)
  show outline.entry: it => { show linebreak: none; it }
  outline(title: none, depth: 2, indent: 1em)
}
"""

BODY_START = """
#pagebreak(weak: true)
#set page(numbering: "1")
#counter(page).update(1)
"""


def template(meta: dict[str, str]) -> str:
    """The preamble, cover and 目次 for a document whose cover texts are `meta`."""
    from exports.blocks import typst_string

    entries = ", ".join(f"{key.replace('_', '-')}: {typst_string(value)}" for key, value in meta.items())
    text = _TEMPLATE.replace("@meta@", f"#let meta = ({entries},)")
    for key, value in typst_settings().items():
        text = text.replace(f"@{key}@", value)
    return text
