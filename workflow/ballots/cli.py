"""`stdforge tally --rule PRESET --electorate N --for A --against B --abstain C
[--against-without-reasons D] [--format text|json] [--lang zh|en]`: a ballot's result (spec §4).

The JSON is exactly the Tally of the API (`workflow.ballots.tally`); exit 0 passed, 1 failed, 2 bad
arguments (a message on standard error, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys

from workflow.ballots.rules import PRESETS
from workflow.ballots.tally import Counts, tally

#: exit statuses of spec §4
PASSED, FAILED, BAD_ARGUMENTS = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `tally` subcommand to `stdforge`."""
    parser = subparsers.add_parser(
        "tally",
        help="the result of a ballot under a vote rule",
        description="Count a ballot under a preset vote rule and say why it passed or failed.",
    )
    parser.add_argument("--rule", required=True, choices=tuple(PRESETS), help="the vote rule's preset")
    parser.add_argument("--electorate", required=True, type=int, help="how many may vote")
    parser.add_argument("--for", dest="in_favour", required=True, type=int, help="votes for")
    parser.add_argument("--against", required=True, type=int, help="votes against, with reasons")
    parser.add_argument("--abstain", required=True, type=int, help="abstentions")
    parser.add_argument(
        "--against-without-reasons", type=int, default=0, help="votes against without reasons, in addition"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="the reasons' language")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the tally; 0 passed, 1 failed, 2 when the counts cannot be."""
    counts = Counts(args.in_favour, args.against, args.against_without_reasons, args.abstain)
    numbers = {
        "--electorate": args.electorate,
        "--for": args.in_favour,
        "--against": args.against,
        "--abstain": args.abstain,
        "--against-without-reasons": args.against_without_reasons,
    }
    negative = [name for name, value in numbers.items() if value < 0]
    if negative:
        return _bad(f"{', '.join(negative)} cannot be negative / 票数不能为负")
    if counts.voted > args.electorate:
        return _bad(
            f"{counts.voted} votes are more than the electorate of {args.electorate} / "
            f"票数 {counts.voted} 超过表决人数 {args.electorate}"
        )
    result = tally(PRESETS[args.rule], args.electorate, counts)
    if args.format == "json":
        sys.stdout.write(json.dumps(result.to_json(args.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        lines = list(result.reasons(args.lang))
        for check in result.checks:
            mark = "✓" if check.met else "✗"
            lines.append(
                f"{mark} {check.name}: {check.numerator}/{check.denominator} (threshold {check.threshold})"
            )
        sys.stdout.write("\n".join(lines) + "\n")
    return PASSED if result.passed else FAILED


def _bad(message: str) -> int:
    sys.stderr.write(f"stdforge tally: error: {message}\n")
    return BAD_ARGUMENTS
