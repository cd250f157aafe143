"""What every upload path shares: a stranger's file name shown safely, a zip's sizes checked before
anything inflates it, and a download name that cannot break its header.

A file name is whatever a browser (or a script) sent: `../../etc/passwd`, a NUL, a newline, a right-to-
left override that makes `gnp.exe` read as `exe.png`, ten thousand characters. It is never a path
here; a message shows it cut short and without control or bidi characters (the template escapes the
rest). A zip is a stranger's too: its central directory declares every member's size, and Python's
zipfile never inflates a member past the size it declares (a member whose stream holds more fails
its CRC check), so checking the declared sizes bounds what any reader built on zipfile can inflate.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from urllib.parse import quote

#: characters a shown name keeps at most
SHOWN_NAME_LENGTH = 80

_PATH_SEPARATORS = re.compile(r"[\\/]+")


def _printable(text: str) -> str:
    """`text` without control, format (bidi overrides, zero-width) or unassigned characters."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def shown_name(filename: str | None, limit: int = SHOWN_NAME_LENGTH) -> str:
    """A sent file name as a message may quote it or a row keep it: printable (PostgreSQL refuses a
    NUL in text), at most `limit` characters."""
    name = _printable(filename or "").strip()
    if len(name) > limit:
        name = name[: limit - 1] + "…"
    return name or "upload"


def download_disposition(filename: str, fallback: str) -> str:
    """A Content-Disposition that saves as `filename` (UTF-8, RFC 6266) or, in an old client, as
    `fallback` (ASCII we chose): no path separator, quote, control or bidi character gets through."""
    safe = _PATH_SEPARATORS.sub("_", _printable(filename)).strip(" .") or fallback
    ascii_fallback = re.sub(r"[^A-Za-z0-9._-]", "_", fallback)
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(safe, safe='')}"


class ZipTooLarge(Exception):
    """The zip has more members, or declares more bytes once inflated, than its reader accepts."""


def zip_members(data: bytes, *, max_members: int, max_unpacked_bytes: int) -> list[zipfile.ZipInfo] | None:
    """The members of the zip `data` (None when it is not a readable zip), or `ZipTooLarge`; only
    the central directory is read, nothing is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if len(members) > max_members or sum(member.file_size for member in members) > max_unpacked_bytes:
        raise ZipTooLarge
    return members
