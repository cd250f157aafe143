"""`stdforge verify-dossier FILE.zip`: does every file of an adoption dossier match its manifest?

Exit 0 with a one-line summary when every file matches; 1 naming each file that differs, is missing
or is extra; 2 when the file cannot be read or is not a dossier.
"""

from __future__ import annotations

import argparse
import sys

MATCHES, DIFFERS, NOT_A_DOSSIER = 0, 1, 2

_PROBLEM_WORDS = {"changed": "differs from the manifest", "missing": "is missing", "extra": "is extra"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify-dossier",
        help="check every file of an adoption dossier against its manifest",
        description="Recompute the SHA-256 and size of every file in the dossier and compare them "
        "with its manifest.json.",
    )
    parser.add_argument("file", metavar="FILE.zip", help="the dossier")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from exports.dossier_manifest import NotADossier, verify_dossier

    try:
        verification = verify_dossier(args.file)
    except NotADossier as error:
        print(f"stdforge verify-dossier: {args.file}: {error.en} / {error.zh}", file=sys.stderr)
        return NOT_A_DOSSIER
    if verification.ok:
        print(f"{args.file}: {verification.summary()}")
        return MATCHES
    for problem in verification.problems:
        print(f"{args.file}: {problem.path} {_PROBLEM_WORDS[problem.kind]}")
    return DIFFERS
