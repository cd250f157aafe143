"""PDF: our AST → pandoc's Typst writer (sandboxed) → our template around it → typst, in a child.

Typst prints boxes and warns about nothing when a glyph is missing (PITFALLS), so the CJK fonts are
checked before compiling and a missing font is an error with a message saying how to install one.
Typst only reads files inside its root, a temporary folder holding the figures we wrote there, and
it runs in a child process with a time and a memory limit (exports/typeset.py): a text that crashes
typst or grows it without end fails its export with a message, and the caller's process survives.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from authoring.document.tree import Document, SectionKind
from exports import pandoc_ast as pa
from exports.blocks import BodyBuilder, styled
from exports.context import Context
from exports.errors import ExportError, TextTooComplex
from exports.pandoc import run_pandoc
from exports.typeset import TypesetFailed, compile_pdf
from exports.typst_template import BODY_START, template
from exports.words import cover_lines

#: families the template needs: the 宋体 role and the 黑体 role
REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
#: extra font folders, separated like PATH (for machines without Debian's fonts-noto-cjk)
FONT_PATH_VARIABLE = "STDFORGE_FONT_PATHS"

_FRONT = (SectionKind.FOREWORD, SectionKind.INTRODUCTION)
#: parallel pandoc runs for a long document (each is sandboxed and capped like any other)
PANDOC_WORKERS = min(4, os.cpu_count() or 1)


def font_folders(extra: list[str] | None = None) -> list[str]:
    """The font folders the caller configured (the app's EXPORT_FONT_PATHS, the command line's
    STDFORGE_FONT_PATHS and --font-path); typst adds the system fonts itself. Nothing here reads the
    environment: each door reads its own settings once."""
    return list(extra or [])


def font_folders_from_environment() -> list[str]:
    """The command line's STDFORGE_FONT_PATHS, separated like PATH."""
    return [p for p in os.environ.get(FONT_PATH_VARIABLE, "").split(os.pathsep) if p]


@functools.cache
def _families(paths: tuple[str, ...]) -> frozenset[str]:
    import typst

    return frozenset(typst.Fonts(include_system_fonts=True, font_paths=list(paths)).families())


def check_fonts(paths: list[str]) -> None:
    """Fail clearly, before compiling, when a CJK family is missing (never print boxes)."""
    missing = [family for family in REQUIRED_FAMILIES if family not in _families(tuple(paths))]
    if missing:
        names = "、".join(missing)
        raise ExportError(
            f"缺少中文字体：{names}。请安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk），"
            f"或用环境变量 {FONT_PATH_VARIABLE} / --font-path 指定字体所在目录。",
            f"Missing CJK fonts: {', '.join(missing)}. Install fonts-noto-cjk (Debian/Ubuntu: apt-get install "
            f"fonts-noto-cjk) or point {FONT_PATH_VARIABLE} / --font-path at a folder that holds them.",
        )


def typst_ast(doc: Document, ctx: Context) -> dict:
    builder = BodyBuilder(ctx)
    blocks: list[dict] = builder.blocks(doc.preamble, None)  # text before the first heading
    for section in (s for s in doc.sections if s.kind in _FRONT):
        blocks.extend(builder.section(section))
    blocks.append(pa.raw_block("typst", BODY_START))
    lines = cover_lines(doc.meta)
    title = lines["title"]  # the English title first in an English document (cover_lines)
    blocks.extend(styled(ctx, "Standard Title", [pa.para(pa.text(title))]))
    for section in (s for s in doc.sections if s.kind not in _FRONT):
        blocks.extend(builder.section(section))
    blocks.append(pa.raw_block("typst", "#std-end-line()"))
    return pa.document(blocks)


def _chunks(blocks: list[dict], count: int) -> list[list[dict]]:
    """Split top-level blocks into about `count` runs, never inside a `#std-…[` … `]` wrapper."""
    target = max(1, len(blocks) // count)
    chunks: list[list[dict]] = [[]]
    depth = 0
    for block in blocks:
        chunks[-1].append(block)
        if block["t"] == "RawBlock":
            code = block["c"][1]
            depth += code.endswith("[") - (code == "]")
        if depth == 0 and len(chunks[-1]) >= target and len(chunks) < count:
            chunks.append([])
    return [c for c in chunks if c]


def typst_source(doc: Document, ctx: Context, workdir: Path) -> str:
    """pandoc's Typst for our AST; a long document is converted in parallel halves (pandoc runs one
    core; the halves are independent, since every raw wrapper is closed within its half)."""
    ast = typst_ast(doc, ctx)
    parts = _chunks(ast["blocks"], PANDOC_WORKERS if len(ast["blocks"]) > 400 else 1)

    def convert(blocks: list[dict]) -> str:
        payload = json.dumps(pa.document(blocks), ensure_ascii=False).encode("utf-8")
        return run_pandoc(["-f", "json", "-t", "typst", "--wrap=none"], stdin=payload, cwd=workdir).decode(
            "utf-8"
        )

    if len(parts) == 1:
        bodies = [convert(parts[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            bodies = list(pool.map(convert, parts))
    return template(cover_texts(doc)) + "\n" + "\n".join(bodies)


def cover_texts(doc: Document) -> dict[str, str]:
    """The cover's texts and the few words the template prints, for `template()` to escape."""
    lines = cover_lines(doc.meta)
    if lines["draft"] and doc.language != "en":
        lines["draft"] = f"（{lines['draft']}）"
    lines["lang"] = "en" if doc.language == "en" else "zh"
    chinese_key = "title" if doc.language != "en" else "title_en"
    lines[chinese_key] = title_lines(lines[chinese_key])
    lines["missing"] = "图片缺失：" if doc.language != "en" else "Figure missing: "
    return lines


def title_lines(title: str) -> str:
    """A Chinese title one element a line: its spaces part GB/T 1.1's introductory, main and
    complementary elements (the template keeps each element's last two characters together)."""
    return "\n".join(title.split())


def render_pdf(doc: Document, ctx: Context, *, font_paths: list[str] | None = None) -> bytes:
    paths = font_folders(font_paths)
    check_fonts(paths)
    with tempfile.TemporaryDirectory(prefix="stdforge-pdf-") as tmp:
        workdir = Path(tmp)
        source = typst_source(doc, ctx, workdir)
        for name, figure in ctx.media.items():
            (workdir / name).write_bytes(figure.data)
        main = workdir / "main.typ"
        main.write_text(source, encoding="utf-8")
        return typeset(main, workdir, paths, source_text=doc.source)


def typeset(main: Path, root: Path, font_paths: list[str], *, source_text: str) -> bytes:
    """`main` compiled in the capped child; a failure is an ExportError that names the formula to
    blame when `source_text` (the Markdown) has one nested deeply enough to be the cause."""
    try:
        return compile_pdf(main, root, font_paths)
    except TypesetFailed as failed:
        raise typeset_error(failed, source_text) from failed


#: brace depth from which a formula is the likely cause of a crash (typst's stack gives out near 100)
SUSPECT_DEPTH = 40


def typeset_error(failed: TypesetFailed, source_text: str) -> ExportError:
    """Words for a failed compile: typst's own message, the formula to blame, or what went wrong."""
    if failed.kind == "error":
        return ExportError(f"PDF 排版失败：{failed.detail}", f"Typesetting the PDF failed: {failed.detail}")
    line = deepest_nesting_line(source_text)
    if line is not None:
        return TextTooComplex(
            f"第 {line} 行的公式过于复杂，无法排版。请拆分或简化该公式（嵌套层次过深）。",
            f"The formula on line {line} is too complex to typeset. Split or simplify it (it is nested too deeply).",
        )
    reasons = {
        "crashed": (
            f"排版程序异常终止（{failed.detail}）",
            f"the typesetter stopped abnormally ({failed.detail})",
        ),
        "memory": (
            f"所需内存超过 {failed.limits.memory_mb} MB 上限",
            f"it needed more than the {failed.limits.memory_mb} MB memory limit",
        ),
        "timeout": (
            f"超过 {failed.limits.seconds:.0f} 秒未完成，已终止",
            f"it took longer than {failed.limits.seconds:.0f} s and was stopped",
        ),
    }
    zh, en = reasons[failed.kind]
    return TextTooComplex(
        f"无法排版 PDF：{zh}。文本可能过长或过于复杂，请拆分后再试。",
        f"The PDF could not be typeset: {en}. The text may be too long or too complex; split it and try again.",
    )


def deepest_nesting_line(source_text: str, threshold: int = SUSPECT_DEPTH) -> int | None:
    """The first line of the paragraph whose braces nest deepest, when they nest `threshold` deep or
    more (a formula like `\\frac{\\frac{…`); None when nothing nests that deep."""
    deepest, deepest_line = 0, None
    depth, start = 0, 1
    escaped = False
    for number, line in enumerate(source_text.split("\n"), start=1):
        if not line.strip():
            depth, start = 0, number + 1
            continue
        for character in line:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == "{":
                depth += 1
                if depth > deepest:
                    deepest, deepest_line = depth, start
            elif character == "}":
                depth = max(0, depth - 1)
        escaped = False
    return deepest_line if deepest >= threshold else None
