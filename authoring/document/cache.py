"""Where the product keeps what it builds once and reuses: jieba's dictionary, the reference DOCX."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE_VARIABLE = "STDFORGE_CACHE_DIR"


def cache_dir() -> Path:
    """The first writable of $STDFORGE_CACHE_DIR, $XDG_CACHE_HOME/standardforge (~/.cache/standardforge),
    else the temporary folder: a read-only home must not stop a lint or an export."""
    for candidate in (
        os.environ.get(CACHE_VARIABLE),
        os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "standardforge"),
    ):
        if not candidate:
            continue
        try:
            Path(candidate).mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return Path(candidate)
    return Path(tempfile.gettempdir())
