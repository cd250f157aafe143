"""The `stdforge` command: the document core and the exports on the command line (spec §4).

Each package registers its own subcommands; this module only composes them, as wsgi.py composes
the web application.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

#: modules with a `register(subparsers)` function, in the order their commands are listed
COMMAND_MODULES = (
    "authoring.cli.lint",
    "authoring.cli.outline",
    "authoring.cli.render",
    "authoring.cli.diff",
    "exports.cli",
    "exports.dossier_cli",
    "workflow.cli",
    "workflow.ballots.cli",
    "workflow.comments.cli",
    "imports.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stdforge",
        description="Lint, number, render, diff and export standards written in Standard Markdown.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name != name:  # a real import error inside the module must not hide
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # A command parses one bounded text and exits: its objects go by reference counting, and the
    # cyclic collector would only walk the parse's million objects over and over (about 20 % of a
    # 300 KB `stdforge export --to docx` outside pandoc). Restored for callers that stay (tests).
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.run(args) or 0)
    except BrokenPipeError:
        # the reader went away (`stdforge lint … | head`): nothing of ours failed, so no traceback;
        # point stdout at /dev/null so the flush at exit does not complain again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    finally:
        if collecting:
            gc.enable()


if __name__ == "__main__":
    sys.exit(main())
