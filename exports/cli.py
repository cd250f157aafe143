"""`stdforge export FILE.md --to docx|pdf|html|sts -o OUT` and `--redline-from OLD.md` (spec §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: exit statuses: 0 written; 2 unreadable input, a text too large or too complex to export (a formula
#: that crashes the typesetter, a text that outgrows its memory or time), or unwritable output;
#: 3 the export itself failed (a missing font, a tool that broke)
UNREADABLE = 2
FAILED = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export a standard as DOCX, PDF, HTML or NISO STS XML",
        description=(
            "Write the finished standard in GB/T 1.1 layout. Figures are read from the figures/ folder "
            "next to FILE.md. With --redline-from, write the changes from OLD.md to FILE.md instead."
        ),
    )
    parser.add_argument("file", metavar="FILE.md", help="the standard (the new revision for a redline)")
    parser.add_argument("--to", choices=("docx", "pdf", "html", "sts"), required=True, help="output format")
    parser.add_argument("-o", "--output", metavar="OUT", required=True, help="the file to write")
    parser.add_argument("--redline-from", metavar="OLD.md", help="the earlier revision to compare with")
    parser.add_argument("--author", default="StandardForge", help="author of the tracked changes (redline)")
    parser.add_argument(
        "--font-path",
        action="append",
        default=None,
        metavar="DIR",
        help="extra folder with Noto Serif/Sans CJK SC fonts for PDF (repeatable)",
    )
    parser.set_defaults(run=run)


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(
            f"stdforge export: cannot read {path}: {getattr(error, 'strerror', None) or error}",
            file=sys.stderr,
        )
        return None


def run(args: argparse.Namespace) -> int:
    from authoring.document import DocumentTooLarge
    from exports.api import REDLINE_FORMATS, export_document, export_redline
    from exports.errors import ExportError, TextTooComplex

    if args.output == "-":
        print("stdforge export: -o - is not supported; give a file name", file=sys.stderr)
        return UNREADABLE
    text = _read(args.file)
    if text is None:
        return UNREADABLE
    font_paths = list(args.font_path or [])
    if args.to == "pdf":  # the PDF modules (typst's template, the typesetter) load only for a PDF
        from exports.pdf import font_folders_from_environment

        font_paths = [*font_folders_from_environment(), *font_paths]
    try:
        if args.redline_from:
            if args.to not in REDLINE_FORMATS:
                print(
                    f"stdforge export: a redline is written as {', '.join(REDLINE_FORMATS)}, not {args.to}",
                    file=sys.stderr,
                )
                return UNREADABLE
            old = _read(args.redline_from)
            if old is None:
                return UNREADABLE
            result = export_redline(old, text, args.to, author=args.author, font_paths=font_paths)
        else:
            figures = Path(args.file).resolve().parent / "figures"
            result = export_document(text, args.to, figures=figures, font_paths=font_paths)
    except TextTooComplex as error:
        print(f"stdforge export: {error.zh}\n{error.en}", file=sys.stderr)
        return UNREADABLE
    except ExportError as error:
        print(f"stdforge export: {error.zh}\n{error.en}", file=sys.stderr)
        return FAILED
    except DocumentTooLarge as error:  # too large, or too complex (a flood): with the line to look at
        print(f"stdforge export: {error.message('zh')}\n{error.message('en')}", file=sys.stderr)
        return UNREADABLE
    for warning in result.warnings:
        print(f"warning: {warning.zh} / {warning.en}", file=sys.stderr)
    try:
        Path(args.output).write_bytes(result.data)
    except OSError as error:
        print(f"stdforge export: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return UNREADABLE
    print(f"{args.output}  sha256 {result.sha256}")
    return 0
