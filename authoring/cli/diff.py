"""`stdforge diff OLD.md NEW.md [--format text|json|html]`: two revisions compared (spec §4)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FORMATS = ("text", "json", "html")


def register(subparsers: argparse._SubParsersAction) -> None:
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
    from authoring.document import parse
    from authoring.document.diff import diff_documents, render_html_page, render_text
    from authoring.document.errors import DocumentTooLarge

    documents = []
    for path in (args.old, args.new):
        try:
            text = Path(path).read_text(encoding="utf-8")
            documents.append(parse(text))
        except (OSError, UnicodeDecodeError) as error:
            print(f"stdforge diff: cannot read {path}: {_reason(error)}", file=sys.stderr)
            return 2
        except DocumentTooLarge as error:
            print(f"stdforge diff: {path}: {error.message('en')}", file=sys.stderr)
            return 2
    diff = diff_documents(documents[0], documents[1])
    if args.format == "json":
        output = json.dumps(diff.as_json(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "html":
        output = render_html_page(diff)
    else:
        output = render_text(diff)
    sys.stdout.write(output)
    return 0


def _reason(error: OSError | UnicodeDecodeError) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    return error.strerror or str(error)
