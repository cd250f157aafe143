"""`stdforge reanchor OLD.md NEW.md ANCHORS.json [--format text|json]`: where quotes of one revision
are in the next (spec §4), with the same code a save runs (`workflow.comments.anchoring`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from authoring.cli.common import UNREADABLE, load

FORMATS = ("text", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `reanchor` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "reanchor",
        help="place quoted words of one revision in the next, as comments are re-anchored",
        description="For each anchor of ANCHORS.json (a list of {clause, exact, prefix, suffix}) read in "
        "OLD.md, say where its words are in NEW.md: placed (found as they were), edited (their words "
        "changed; the range covers the new words) or outdated (gone).",
    )
    parser.add_argument("old", metavar="OLD.md", help="the revision the anchors were made on")
    parser.add_argument("new", metavar="NEW.md", help="the revision to place them in")
    parser.add_argument(
        "anchors", metavar="ANCHORS.json", help='a list of {"clause", "exact", "prefix", "suffix"}'
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="text for people (default) or json")
    parser.set_defaults(run=run)


def read_anchors(path: str) -> list[Any] | None:
    """The anchors file as a list of quotes; None after printing why it cannot be used."""
    from workflow.comments.anchoring import Quote

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"stdforge reanchor: {path}: cannot read: {error}", file=sys.stderr)
        return None
    if not isinstance(data, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("clause"), str)
        and isinstance(item.get("exact", ""), str)
        for item in data
    ):
        print(
            f'stdforge reanchor: {path}: expected a list of {{"clause", "exact", "prefix", "suffix"}}',
            file=sys.stderr,
        )
        return None
    return [
        Quote(
            item["clause"],
            item.get("exact", ""),
            str(item.get("prefix") or ""),
            str(item.get("suffix") or ""),
            item.get("start") if isinstance(item.get("start"), int) else None,
        )
        for item in data
    ]


def run(args: argparse.Namespace) -> int:
    """Print the placements in the anchors' order; 0 whatever they are, 2 for unreadable input."""
    from workflow.comments.anchoring import clause_sources, reanchor

    old, new = load("reanchor", args.old), load("reanchor", args.new)
    quotes = read_anchors(args.anchors)
    if old is None or new is None or quotes is None:
        return UNREADABLE
    placements = reanchor(clause_sources(old), clause_sources(new), quotes)
    if args.format == "json":
        sys.stdout.write(json.dumps([p.as_json() for p in placements], ensure_ascii=False, indent=2) + "\n")
        return 0
    for index, placement in enumerate(placements, start=1):
        sys.stdout.write(
            f"{index}: {placement.state} [{placement.clause}] {placement.start}-{placement.end} {placement.exact}\n"
        )
    return 0
