"""`stdforge outline FILE.md [--format text|json]`: the numbered element tree (spec §4)."""

from __future__ import annotations

import argparse
import json
import sys

from .common import UNREADABLE, load


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `outline` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "outline",
        help="print the numbered element tree of a standard",
        description="Print every foreword, chapter, clause, term, annex and bibliography with its number, "
        "label, id and line.",
    )
    parser.add_argument("file", metavar="FILE.md", help="the standard")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the element tree; 0, or 2 when the file cannot be read or is refused."""
    from authoring.document.outline import outline, outline_text

    document = load("outline", args.file)
    if document is None:
        return UNREADABLE
    if args.format == "json":
        sys.stdout.write(json.dumps(outline(document), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(outline_text(document))
    return 0
