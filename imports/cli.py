"""`stdforge import FILE.docx -o FILE.md`: a Word standard as Standard Markdown, figures beside it.

Exit statuses follow the other commands: 0 written (findings and unmapped paragraphs are printed on
standard error), 2 a file that is not a readable DOCX (encrypted, too large, damaged) or an output
that cannot be written. Nothing is written when the file is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

UNREADABLE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="convert a Word standard (DOCX) to Standard Markdown",
        description=(
            "Read FILE.docx and write Standard Markdown to OUT.md; its pictures go to the figures/ "
            "folder next to OUT.md. Paragraphs that have no place in the standard and the lint "
            "findings of the result are printed on standard error."
        ),
    )
    parser.add_argument("file", metavar="FILE.docx", help="the Word file")
    parser.add_argument("-o", "--output", metavar="OUT.md", required=True, help="the Markdown file to write")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from imports.api import import_docx
    from imports.docx_file import MAX_DOCX_BYTES, DocxRejected

    path = Path(args.file)
    try:
        # a file over the cap is refused by its size without being read
        data = b"\0" * (MAX_DOCX_BYTES + 1) if path.stat().st_size > MAX_DOCX_BYTES else path.read_bytes()
    except OSError as error:
        print(f"stdforge import: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return UNREADABLE
    try:
        imported = import_docx(data, path.name)
    except DocxRejected as error:
        print(f"stdforge import: {error.message(args.lang)}", file=sys.stderr)
        return UNREADABLE
    output = Path(args.output)
    try:
        output.write_text(imported.text, encoding="utf-8")
        if imported.figures:
            folder = output.resolve().parent / "figures"
            folder.mkdir(exist_ok=True)
            for name, picture in imported.figures.items():
                (folder / name).write_bytes(picture)
    except OSError as error:
        print(f"stdforge import: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return UNREADABLE
    for item in imported.unmapped:
        print(
            f"unmapped: paragraph {item.position}: {item.reason(args.lang)}  «{item.text}»", file=sys.stderr
        )
    for finding in imported.findings:
        clause = f" [{finding.clause}]" if finding.clause else ""
        print(
            f"{args.output}:{finding.line}: {finding.severity} {finding.rule}{clause} {finding.message(args.lang)}",
            file=sys.stderr,
        )
    print(f"{args.output}  {len(imported.unmapped)} unmapped, {len(imported.findings)} findings")
    return 0
