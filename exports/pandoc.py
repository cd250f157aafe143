"""Running the bundled pandoc safely: argument list, sandbox, temporary directory, time and heap limits.

pandoc reads untrusted documents here. `--sandbox` stops its readers and writers from touching any file
or URL not named on the command line (PITFALLS: it does not cover filters or PDF engines, and we use
neither); the heap cap and the time limit keep a pathological input from taking the machine down.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
from pathlib import Path

from exports.errors import ExportError

#: seconds one pandoc run may take before it is killed
TIME_LIMIT = 120
#: heap cap passed to pandoc's runtime
HEAP_LIMIT = "512M"


@functools.cache
def pandoc_path() -> str:
    """The pandoc binary shipped by pypandoc_binary (its version is pinned with the wheel).

    Found next to the package without importing it: `import pypandoc` and its search for the newest
    pandoc on the machine (it runs `pandoc --version` for each) cost a one-shot `stdforge export`
    about 0.1 s. Without the bundled binary, pypandoc's own search decides.
    """
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(folder) / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(
    args: list[str], *, stdin: bytes | None, cwd: Path, timeout: float = TIME_LIMIT, rts: tuple[str, ...] = ()
) -> bytes:
    """Run pandoc with `args` in `cwd` and return its standard output; `rts` adds runtime options
    (the Word import's larger allocation area) inside the heap cap.

    Always sandboxed and capped; never through a shell. Raises ExportError with pandoc's message on
    failure, so the user sees why, not a traceback.
    """
    command = [pandoc_path(), "+RTS", f"-M{HEAP_LIMIT}", *rts, "-RTS", "--sandbox", *args]
    try:
        completed = subprocess.run(
            command, input=stdin, cwd=cwd, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as expired:
        raise ExportError(
            f"pandoc 超过 {timeout:.0f} 秒未完成，已终止。",
            f"pandoc took longer than {timeout:.0f} s and was stopped.",
        ) from expired
    except OSError as failed:
        raise ExportError(f"无法运行 pandoc：{failed}", f"Cannot run pandoc: {failed}") from failed
    if completed.returncode != 0:
        raise pandoc_failure(completed.stderr.decode("utf-8", "replace"))
    return completed.stdout


def pandoc_failure(stderr: str) -> ExportError:
    """What a person reads when pandoc fails: its own reason, without the Haskell call stack and the
    runtime's advice to raise `+RTS -M` (which a user cannot act on), and in words when the memory cap
    stopped it."""
    if "Heap exhausted" in stderr:
        return ExportError(
            f"文件过大或过于复杂，pandoc 在 {HEAP_LIMIT}B 内存限额内无法完成转换。",
            f"The file is too large or too complex for pandoc to convert within its {HEAP_LIMIT}B memory limit.",
        )
    reason = stderr.split("CallStack (from HasCallStack)", 1)[0]
    lines = [line.strip() for line in reason.splitlines() if line.strip() and "+RTS" not in line]
    message = " ".join(lines)[:500] or "?"
    return ExportError(f"pandoc 转换失败：{message}", f"pandoc failed: {message}")


@functools.cache
def pandoc_version() -> str:
    """pandoc's version line, part of the reference DOCX cache key."""
    import pypandoc

    return str(pypandoc.get_pandoc_version())
