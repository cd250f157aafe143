"""The document core under atheris (libFuzzer, coverage-guided): tests/fuzz_targets.py's `exercise`
on three texts cut from each input at ASCII record separators (parent, saved revision, concurrent
edit), so each mutates on its own. Only our packages are instrumented: the coverage that guides the
mutations is ours, and start-up stays quick.

    .venv/bin/python tests/fuzz_atheris.py CORPUS_DIR -max_total_time=600 -rss_limit_mb=2048

A finding exits non-zero and leaves its input as crash-… (see libFuzzer's -artifact_prefix).
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

with atheris.instrument_imports(include=["authoring", "workflow", "fuzz_targets"]):
    from fuzz_targets import exercise

#: what separates the three texts of one input (never in a standard)
RECORD = "\x1e"


def one_input(data: bytes) -> None:
    old, _, rest = data.decode("utf-8", "replace").partition(RECORD)
    new, _, mine = rest.partition(RECORD)
    exercise(old, new or old, mine or old)


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
