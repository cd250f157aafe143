"""Typesetting in a child process: `typst.compile` under a time limit and a memory cap.

typst runs native code on the user's text. A formula of 200 nested `\\frac{` overflows its stack and
the process dies with SIGSEGV; a flood of inline formulas or headings grows it by gigabytes and its
memoised layout keeps them. In the web worker that killed the worker and left its job "running"
for ever. So, as pandoc is run (exports/pandoc.py), the compile runs in a process of its own, spawned
once per export:

    python -m exports.typeset --root DIR --memory-mb 2048 [--font-path DIR …] MAIN.typ  > PDF

The child caps its own data (`RLIMIT_DATA`) and CPU time before it imports typst, writes the
PDF on its standard output and typst's diagnostics on its standard error, and exits 1 when typst
refuses the source. The parent kills it at the time limit. `compile_pdf` turns whatever happened
into a `TypesetFailed` with the kind of failure (`error`, `crashed`, `memory`, `timeout`), which
exports/pdf.py words for the user; the parent never loads typst's layout and stays small.

This module imports only the standard library at the top: the child must start in milliseconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: seconds one compile may take before the child is killed (pandoc has the same)
TIME_LIMIT = 120
#: the child's data cap in MiB; a 300 KB standard peaks at about 300 MB resident
MEMORY_LIMIT_MB = 2048
#: the child's CPU seconds, a backstop when no parent is left to kill it (typst lays out on threads)
CPU_LIMIT_FACTOR = 4

#: where `python -m exports.typeset` finds the package, whatever the caller's working directory
_PROJECT_ROOT = Path(__file__).resolve().parents[1]
#: the child's exit status when typst refused the source (its message is on standard error)
_REFUSED = 1
#: the child's exit status when Python itself ran out of memory under the cap
_OUT_OF_MEMORY = 3
#: the child's exit status for any other exception (a bug or a broken installation)
_BROKEN = 4
#: what Rust prints when an allocation fails under the cap, before it aborts
_ALLOCATION_FAILED = "memory allocation of"


@dataclass(frozen=True)
class Limits:
    """The time and memory one compile may use."""

    seconds: float = TIME_LIMIT
    memory_mb: int = MEMORY_LIMIT_MB


class TypesetFailed(Exception):
    """The child did not produce a PDF; `kind` says how: error, crashed, memory or timeout."""

    def __init__(self, kind: str, detail: str, limits: Limits) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.limits = limits


def current_limits() -> Limits:
    """The module's limits as they are now (read at call time, so a configuration can change them)."""
    return Limits(TIME_LIMIT, MEMORY_LIMIT_MB)


def compile_pdf(main: Path, root: Path, font_paths: list[str], limits: Limits | None = None) -> bytes:
    """Compile `main` (inside `root`) to PDF in a capped child process and return the PDF."""
    limits = limits or current_limits()
    command = [
        sys.executable,
        "-m",
        "exports.typeset",
        "--root",
        str(root),
        "--memory-mb",
        str(limits.memory_mb),
        "--cpu-seconds",
        str(int(limits.seconds * CPU_LIMIT_FACTOR) + 1),
        *[argument for path in font_paths for argument in ("--font-path", path)],
        str(main),
    ]
    try:
        completed = subprocess.run(
            command, cwd=_PROJECT_ROOT, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as expired:  # run() has killed and reaped the child
        raise TypesetFailed("timeout", f"{limits.seconds:.0f} s", limits) from expired
    message = completed.stderr.decode("utf-8", "replace").strip()
    if completed.returncode == 0 and completed.stdout.startswith(b"%PDF"):
        return completed.stdout
    if completed.returncode == _OUT_OF_MEMORY or _ALLOCATION_FAILED in message:
        raise TypesetFailed("memory", f"{limits.memory_mb} MB", limits)
    if completed.returncode == -signal.SIGXCPU:  # the CPU backstop: many threads spent the time
        raise TypesetFailed("timeout", f"{limits.seconds:.0f} s", limits)
    if completed.returncode == _REFUSED:
        raise TypesetFailed("error", message[-2000:], limits)
    if completed.returncode == _BROKEN:
        log.error("the typst child failed: %s", message[-2000:])
    else:
        log.info("the typst child ended with %s: %s", completed.returncode, message[-2000:])
    raise TypesetFailed("crashed", _ending(completed.returncode), limits)


def _ending(returncode: int) -> str:
    """`SIGSEGV` for a child killed by a signal, else `exit status 7`."""
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit status {returncode}"


# -- the child --------------------------------------------------------------------------------


def _cap(memory_mb: int, cpu_seconds: int) -> None:
    """Cap this process before typst is loaded, so that every allocation of typst is under the cap.

    The cap is on data (heap and private writable mappings), not on the address space: the fonts
    and libraries typst maps read-only and the arenas malloc reserves per thread grew the address
    space by a machine's font count and core count, so an ordinary standard that needs 120 MB
    failed under a 256 MB address-space cap on one machine and not on another.
    """
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exports.typeset", description=__doc__)
    parser.add_argument("main", help="the Typst file to compile")
    parser.add_argument("--root", required=True, help="the only folder typst may read")
    parser.add_argument("--font-path", action="append", default=[], help="extra font folder (repeatable)")
    parser.add_argument("--memory-mb", type=int, default=MEMORY_LIMIT_MB)
    parser.add_argument("--cpu-seconds", type=int, default=TIME_LIMIT * CPU_LIMIT_FACTOR)
    args = parser.parse_args(argv)
    _cap(args.memory_mb, args.cpu_seconds)
    try:
        import typst

        pdf = typst.compile(args.main, root=args.root, font_paths=args.font_path, format="pdf")
    except MemoryError:
        return _OUT_OF_MEMORY
    except RuntimeError as refused:  # typst.TypstError derives from RuntimeError
        print(refused, file=sys.stderr)
        return _REFUSED
    except Exception as broken:  # anything else is ours: the parent logs it, the user sees "crashed"
        print(f"{type(broken).__name__}: {broken}", file=sys.stderr)
        return _BROKEN
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    os._exit(main())  # skip interpreter teardown: typst's threads and caches need no clean-up
