"""`stdforge diff OLD.md NEW.md [--format text|json|html]`: two revisions compared (spec §4)."""

from __future__ import annotations

import argparse
import json
import sys

from .common import UNREADABLE, load

FORMATS = ("text", "json", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `diff` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "diff",
        help="compare two revisions: clause-level summary and text changes",
        description="Compare two revisions of a standard: the sections changed, added, deleted and moved "
        "(by id, with their numbers in both revisions), then the text changes, word by word in English "
        "and character by character in Chinese.",
    )
    parser.add_argument("old", metavar="OLD.md", help="the older revision")
    parser.add_argument("new", metavar="NEW.md", help="the newer revision")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text for people (default), json in the spec §4 shape, html for a standalone page",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the diff; 0 whatever it finds, 2 when an input cannot be read or is refused."""
    from authoring.document.diff import diff_documents, render_html_page, render_text

    old, new = load("diff", args.old), load("diff", args.new)
    if old is None or new is None:
        return UNREADABLE
    diff = diff_documents(old, new)
    if args.format == "json":
        output = json.dumps(diff.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        output = render_html_page(diff)
    else:
        output = render_text(diff)
    sys.stdout.write(output)
    return 0
