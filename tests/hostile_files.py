"""Files a hostile uploader sends, built in memory for the upload tests of every package.

Zip bombs (one member of zeros that inflates far past the upload cap, many members, a nested zip),
zips that lie about their sizes, XML with an external entity or the billion laughs, and the file names
and spreadsheet cells that try to escape a path or become a formula. Each builder is small and quick:
a 100 MB bomb deflates to about 100 KB in a
fraction of a second, and a member that claims 4 GB costs nothing to build.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Mapping

#: file names that must never be used as a path, nor shown unescaped
HOSTILE_NAMES = (
    "../../etc/passwd",
    "..\\..\\x",
    "/etc/passwd",
    "C:\\Windows\\x",
    "a\x00b",
    "x" * 300,
    "\u202egnp.exe",
    "a\"b'c<d>",
    "a\r\nContent-Type: text/html\r\n\r\n<b>x",
)

#: cells that a spreadsheet would run as a formula if written raw (OWASP's list)
FORMULA_CELLS = (
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
)

#: a file on every Linux machine whose contents must never come back
SECRET_FILE = "/etc/passwd"
SECRET_MARK = "root:"

BILLION_LAUGHS_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10)
    )
    + "]>\n"
)
XXE_DTD = f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{SECRET_FILE}">]>\n'


def with_parts(parts: Mapping[str, bytes | str], *, bomb: str | None = None, megabytes: int = 0) -> bytes:
    """A zip of `parts`; `bomb` names a member of `megabytes` MB of zeros, added already deflated so
    that building it costs only its compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        if bomb is not None:
            info = zipfile.ZipInfo(bomb)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                block = b"\x00" * (1024 * 1024)
                for _ in range(megabytes):
                    member.write(block)
    return out.getvalue()


def replaced(data: bytes, parts: Mapping[str, bytes | str]) -> bytes:
    """The zip `data` with `parts` replaced or added, every other member kept."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def many_members(data: bytes, count: int) -> bytes:
    """The zip `data` with `count` more tiny members."""
    return replaced(data, {f"customXml/item{n}.xml": "<a/>" for n in range(count)})


def lying_sizes(data: bytes, member: str, declared: int) -> bytes:
    """The zip `data` whose `member` claims (in its local header and the central directory) to
    inflate to `declared` bytes, with the CRC of that many bytes, while its stream holds more: a
    reader that trusts the stream rather than the header inflates it all."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
        prefix = archive.read(member)[:declared]
    crc = zlib.crc32(prefix)
    patched = bytearray(data)
    name = member.encode()
    # the local header: CRC at 14, sizes at 18 (compressed) and 22 (uncompressed)
    local = info.header_offset
    assert patched[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", patched, local + 14, crc)
    struct.pack_into("<I", patched, local + 22, declared)
    # the central directory entry of the member: CRC at 16, uncompressed size at 24
    at = 0
    while (at := patched.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", patched, at + 28)[0]
        if bytes(patched[at + 46 : at + 46 + name_length]) == name:
            struct.pack_into("<I", patched, at + 16, crc)
            struct.pack_into("<I", patched, at + 24, declared)
            break
        at += 4
    return bytes(patched)


def huge_declared_size(data: bytes, member: str) -> bytes:
    """The zip `data` whose `member` claims to inflate to 4 GB (its real stream is small)."""
    return lying_sizes(data, member, 0xFFFFFFFE)


def nested_zip(inner: bytes, depth: int) -> bytes:
    """`inner` zipped inside itself `depth` times, as word/embeddings of a DOCX hold files."""
    for level in range(depth):
        inner = with_parts({f"word/embeddings/level{level}.zip": inner})
    return inner
