"""Figure files: the only files an export ever reads besides the Markdown itself.

A standard refers to `figures/NAME`. On the command line NAME is looked up in the `figures/` folder
next to the Markdown file; in the web app the uploaded figures are passed in as a mapping. Anything
else (an absolute path, `..`, a URL, a symlink out of the folder, a file that is not a PNG or JPEG)
is treated as missing: the export shows a framed placeholder and a warning instead of failing.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: `figures/NAME`: one path segment, no leading dot, no separators or drive letters
_REFERENCE = re.compile(r"figures/([^/\\:\x00-\x1f]{1,120})")
#: a figure bigger than this is refused (the web app caps uploads lower and re-encodes)
MAX_FIGURE_BYTES = 20 * 1024 * 1024

_MAGIC = {b"\x89PNG\r\n\x1a\n": ("png", "image/png"), b"\xff\xd8\xff": ("jpeg", "image/jpeg")}


@dataclass(frozen=True)
class Figure:
    name: str
    data: bytes
    extension: str  #: "png" or "jpeg"
    media_type: str
    width: int
    height: int


def figure_name(src: str) -> str | None:
    """NAME for a reference `figures/NAME`, or None when the reference may not be followed."""
    match = _REFERENCE.fullmatch(src.strip())
    if match is None:
        return None
    name = match.group(1)
    if name.startswith(".") or name.strip() != name:
        return None
    return name


def _decode(name: str, data: bytes) -> Figure | None:
    """Check the bytes really are a PNG or JPEG (by signature and by decoding the header)."""
    if len(data) > MAX_FIGURE_BYTES:
        return None
    kind = next((v for magic, v in _MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        return None
    digest = hashlib.sha256(data).hexdigest()
    size = _checked_size(digest)
    if size is None:
        size = _verified_size(data)
        if size is None:
            return None
        _remember_size(digest, size)
    width, height = size
    return Figure(name=name, data=data, extension=kind[0], media_type=kind[1], width=width, height=height)


def _verified_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) when Pillow reads the header and verifies the file; None otherwise."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as picture:
            width, height = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    return int(width), int(height)


# Pillow's verdict on a figure is kept per SHA-256 of its bytes beside the reference DOCX: the same
# bytes always get the same verdict, and a one-shot `stdforge export` of a standard whose figures
# were checked before then needs no Pillow (about 30 ms of its start-up). Only a pass is kept.
def _size_record(digest: str) -> Path:
    from authoring.document.cache import cache_dir

    return cache_dir() / "figures" / f"{digest}.size"


def _checked_size(digest: str) -> tuple[int, int] | None:
    try:
        width, height = (int(n) for n in _size_record(digest).read_text(encoding="ascii").split())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return (width, height) if width > 0 and height > 0 else None


def _remember_size(digest: str, size: tuple[int, int]) -> None:
    record = _size_record(digest)
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=record.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(f"{size[0]} {size[1]}\n")
        os.replace(tmp, record)
    except OSError:  # a read-only cache costs the next export the check again, nothing else
        return


class FigureStore:
    """The figures a document may show, looked up by the reference written in the Markdown."""

    def __init__(self, files: Mapping[str, bytes] | None = None, folder: Path | None = None) -> None:
        self._files = {k.removeprefix("figures/"): v for k, v in (files or {}).items()}
        self._folder = folder.resolve() if folder is not None else None
        self._cache: dict[str, Figure | None] = {}

    @classmethod
    def beside(cls, markdown_file: Path) -> FigureStore:
        """The `figures/` folder next to a Markdown file (the command line's convention)."""
        return cls(folder=markdown_file.resolve().parent / "figures")

    def get(self, src: str) -> Figure | None:
        """The figure for `src` as written (`figures/flow.png`), or None when missing or not allowed."""
        name = figure_name(src)
        if name is None:
            return None
        if name not in self._cache:
            self._cache[name] = self._load(name)
        return self._cache[name]

    def _load(self, name: str) -> Figure | None:
        if name in self._files:
            return _decode(name, self._files[name])
        if self._folder is None:
            return None
        path = (self._folder / name).resolve()
        if not path.is_relative_to(self._folder) or not path.is_file():
            return None
        if path.stat().st_size > MAX_FIGURE_BYTES:
            return None
        return _decode(name, path.read_bytes())
