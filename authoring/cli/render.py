"""`stdforge render FILE.md -o OUT.html`: one standalone HTML page of the standard (spec §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import UNREADABLE, load


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `render` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "render",
        help="render a standard as one HTML page",
        description="Write the standard as a standalone HTML page in GB/T 1.1 style, with an outline.",
    )
    parser.add_argument("file", metavar="FILE.md", help="the standard")
    parser.add_argument(
        "-o", "--output", metavar="OUT.html", required=True, help="the page to write ('-' for stdout)"
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=None, help="page language (default: the document's)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Write the page; 0, or 2 when the file cannot be read or the page cannot be written."""
    from authoring.document.render import render_page

    document = load("render", args.file)
    if document is None:
        return UNREADABLE
    html = render_page(document, lang=args.lang)
    if args.output == "-":
        sys.stdout.write(html)
        return 0
    try:
        Path(args.output).write_text(html, encoding="utf-8")
    except OSError as error:
        print(f"stdforge render: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return UNREADABLE
    return 0
