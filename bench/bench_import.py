"""Word import against bare pandoc (issue 14): `stdforge import in.docx -o out.md` against
`pandoc in.docx -t json`, both whole processes, on our own DOCX export of the 300 KB corpus; target
1.5×. Linear in size: the same import of a file of half the text, per KB, within 1.5× of the whole.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.corpus import figures as corpus_figures
from bench.corpus import standard_text
from bench.run import paired_times

TARGET = 1.5


def _half(text: str) -> str:
    """The first half of the corpus, cut at a chapter heading so that it stays a standard."""
    cut = text.find("\n# ", len(text) // 2)
    return text[:cut] + "\n" if cut > 0 else text


def _compile_bytecode() -> None:
    """Write the project's bytecode first, as an installed deployment has it: with
    PYTHONDONTWRITEBYTECODE set (as on our build machines) every `stdforge` process would otherwise
    compile some ninety modules from source, a fixed 0.1–0.4 s that is no part of the import."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for package in ("accounts", "authoring", "exports", "imports", "workflow", "adoption"):
        compileall.compile_dir(root / package, quiet=1)
    compileall.compile_file(root / "stdforge.py", quiet=1)


def run(report: Callable[[str, float, float, float], None], repeat: int | None = None) -> None:
    from exports.api import export_document
    from exports.pandoc import pandoc_path

    _compile_bytecode()

    stdforge = str(Path(sys.executable).with_name("stdforge"))
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        figures = folder / "figures"
        figures.mkdir()
        for name, picture in corpus_figures().items():
            (figures / name).write_bytes(picture)
        text = standard_text()
        sizes = {}
        for name, source in (("whole", text), ("half", _half(text))):
            data = export_document(source, "docx", figures=figures).data
            (folder / f"{name}.docx").write_bytes(data)
            sizes[name] = len(data)

        def ours(name: str) -> Callable[[], None]:
            return lambda: subprocess.run(
                [stdforge, "import", f"{name}.docx", "-o", f"{name}.md"],
                check=True,
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

        def bare(name: str) -> Callable[[], None]:
            return lambda: subprocess.run(
                [pandoc_path(), f"{name}.docx", "-t", "json", "-o", f"{name}.json"], check=True, cwd=folder
            )

        whole, base = paired_times(ours("whole"), bare("whole"), repeat)
        kb = sizes["whole"] // 1000
        report(f"stdforge import docx ({kb} KB) vs pandoc -t json", whole, base, TARGET)
        half, half_base = paired_times(ours("half"), bare("half"), repeat)
        report(f"  half the text ({sizes['half'] // 1000} KB) vs pandoc", half, half_base, TARGET)
        # linear: time per byte of the whole within 1.5× of the half's
        report("  linear: per KB, whole vs half", whole / sizes["whole"], half / sizes["half"], TARGET)


if __name__ == "__main__":
    from bench.run import Report

    run(Report())
