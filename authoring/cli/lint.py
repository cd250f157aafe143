"""`stdforge lint FILE.md … [--format text|json] [--lang zh|en]`: the findings of spec §3.

Exit status: 0 no finding or warnings only, 1 at least one error, 2 an unreadable file.
"""

from __future__ import annotations

import argparse
import json
import sys

from .common import UNREADABLE, load


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `lint` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "lint",
        help="check standards against GB/T 1.1 and the Standard Markdown rules",
        description="Print the lint findings of each file: rule code, severity, line, clause and message.",
    )
    parser.add_argument("files", metavar="FILE.md", nargs="+", help="standards to check")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the messages")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the findings of every file; the exit status of the worst one (module docstring)."""
    from authoring.document.lint import lint

    status = 0
    several = len(args.files) > 1
    json_out: list[dict] = []
    for path in args.files:
        document = load("lint", path, args.lang)
        if document is None:
            status = UNREADABLE
            continue
        findings = lint(document)
        if any(f.severity == "error" for f in findings) and status == 0:
            status = 1
        if args.format == "json":
            for finding in findings:
                entry = finding.as_json(args.lang)
                if several:
                    entry = {"file": path, **entry}
                json_out.append(entry)
            continue
        prefix = f"{path}:" if several else ""
        for finding in findings:
            clause = f" [{finding.clause}]" if finding.clause else ""
            sys.stdout.write(
                f"{prefix}{finding.line}: {finding.severity} {finding.rule}{clause} {finding.message(args.lang)}\n"
            )
    if args.format == "json":
        sys.stdout.write(json.dumps(json_out, ensure_ascii=False, indent=2) + "\n")
    return status
