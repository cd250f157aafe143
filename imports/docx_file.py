"""Reading an uploaded Word file safely: what it is, how large it may be, what pandoc makes of it.

A DOCX is a zip of XML parts. Before pandoc sees it we check that it is one (an encrypted Word file
and an old .doc are OLE compound files, not zips), that it and its unpacked parts stay under their caps
(a zip bomb is refused before it is inflated), and we read two things pandoc's reader drops: the
bookmarks, which carry our own export's element ids, and the pictures, which become the standard's
figures.
"""

from __future__ import annotations

import html
import io
import json
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accounts.uploads import shown_name
from exports.errors import ExportError
from exports.pandoc import run_pandoc

#: the largest Word file accepted, in bytes (a 120-page standard with pictures is 2–5 MB)
MAX_DOCX_BYTES = 20 * 1024 * 1024
#: the most its parts may unpack to together, in bytes
MAX_UNPACKED_BYTES = 120 * 1024 * 1024
#: the most the main text part (word/document.xml) may unpack to, in bytes
MAX_DOCUMENT_XML_BYTES = 40 * 1024 * 1024
#: the most parts the zip may have (a long standard with a hundred pictures has a few hundred)
MAX_PARTS = 2_000
#: seconds pandoc may take to read one Word file
READ_TIME_LIMIT = 60
#: a 128 MB allocation area: the docx reader allocates fast and the default 4 MB nursery is collected
#: over and over (measured on the 140 KB bench file: 0.62–0.70 s against 0.80 s at 64 MB and 1.0 s at
#: the default); it counts inside the heap cap, which leaves the reader 384 MB of live data
READER_RTS = ("-A128m",)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_PARAGRAPH_END = re.compile(r"</w:p>")
_BOOKMARK = re.compile(r'<w:bookmarkStart\b[^>]*?\bw:name="([^"]*)"')
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>|<w:tab/>")
_SPACE = re.compile(r"\s+")
#: bookmarks Word makes for itself (tables of contents, the cursor), never an element's id
_WORD_BOOKMARK = re.compile(r"_")


class DocxRejected(Exception):
    """The file is not a Word file we can read; `zh` and `en` say why, for the reader."""

    def __init__(self, zh: str, en: str, kind: str = "invalid") -> None:
        super().__init__(en)
        self.zh, self.en, self.kind = zh, en, kind

    def message(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass
class DocxContent:
    """What an import works from: pandoc's AST, bookmarks by paragraph text, the pictures."""

    ast: dict[str, Any]
    #: paragraph text without white space → the bookmark names at or just before it, in order
    bookmarks: dict[str, list[str]] = field(default_factory=dict)
    #: "media/image1.png" (as pandoc's Image nodes name them) → the picture's bytes
    media: dict[str, bytes] = field(default_factory=dict)


def squeeze(text: str) -> str:
    """Text without any white space: how paragraphs are matched between pandoc and the XML."""
    return _SPACE.sub("", text)


def check_docx(data: bytes, filename: str) -> zipfile.ZipFile:
    """The file opened as a zip, or `DocxRejected` saying what it is instead."""
    name = shown_name(filename)
    if len(data) > MAX_DOCX_BYTES:
        mb = MAX_DOCX_BYTES // (1024 * 1024)
        raise DocxRejected(
            f"文件 {name} 有 {len(data) / 1048576:.1f} MB，Word 文件最大为 {mb} MB。",
            f"The file {name} is {len(data) / 1048576:.1f} MB; a Word file may be at most {mb} MB.",
            "too_large",
        )
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            raise DocxRejected(
                f"文件 {name} 有密码保护（已加密），无法读取。请在 Word 中取消密码后另存为 .docx 再上传。",
                f"The file {name} is password-protected (encrypted) and cannot be read. Remove the "
                "password in Word, save it as .docx and upload it again.",
            )
        raise DocxRejected(
            f"文件 {name} 是旧版 Word 文档（.doc）。请在 Word 或 LibreOffice 中另存为 .docx 再上传。",
            f"The file {name} is an old Word document (.doc). Save it as .docx in Word or LibreOffice "
            "and upload it again.",
        )
    not_docx = DocxRejected(
        f"文件 {name} 不是 Word 文档（.docx）。",
        f"The file {name} is not a Word document (.docx).",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise not_docx from error
    if len(entries) > MAX_PARTS:
        raise DocxRejected(
            f"文件 {name} 有 {len(entries)} 个部件，Word 文件最多 {MAX_PARTS} 个，无法导入。",
            f"The file {name} has {len(entries)} parts; a Word file may have at most {MAX_PARTS}.",
            "too_large",
        )
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise not_docx
    unpacked = sum(entry.file_size for entry in entries)
    document = next(entry for entry in entries if entry.filename == "word/document.xml")
    if unpacked > MAX_UNPACKED_BYTES or document.file_size > MAX_DOCUMENT_XML_BYTES:
        raise DocxRejected(
            f"文件 {name} 解压后过大（{unpacked // 1048576} MB），无法导入。",
            f"The file {name} unpacks to too much data ({unpacked // 1048576} MB) to be imported.",
            "too_large",
        )
    return archive


def read_bookmarks(document_xml: str) -> dict[str, list[str]]:
    """{paragraph text without white space: [bookmark names]}: each bookmark belongs to the paragraph
    it is in or, at body level, the next one (our export puts a section's bookmark before its heading).
    """
    found: dict[str, list[str]] = {}
    position = 0
    for end in _PARAGRAPH_END.finditer(document_xml):
        chunk = document_xml[position : end.start()]
        position = end.end()
        names = [n for n in _BOOKMARK.findall(chunk) if not _WORD_BOOKMARK.match(n)]
        if not names:
            continue
        text = squeeze(html.unescape("".join(m.group(1) or "" for m in _TEXT.finditer(chunk))))
        found.setdefault(text, []).extend(names)
    return found


def read_docx(data: bytes, filename: str) -> DocxContent:
    """Check the file, then read it with pandoc (sandboxed, capped) into its JSON AST.

    pandoc reads a copy of the zip written from what Python's zipfile read: zipfile stops each part at
    the size the zip declares (checked against the caps) and checks its CRC, while pandoc's own reader
    inflates a part's whole stream, so a part that claims 2 KB and inflates to 500 MB would otherwise
    reach it past every cap."""
    archive = check_docx(data, filename)
    name = shown_name(filename)
    try:
        parts = {entry.filename: archive.read(entry) for entry in archive.infolist() if not entry.is_dir()}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, zlib.error) as error:
        # RuntimeError: an encrypted part; BadZipFile: a CRC that does not match, a part cut short
        raise DocxRejected(
            f"文件 {name} 已损坏，无法读取。", f"The file {name} is damaged and cannot be read."
        ) from error
    document_xml = parts["word/document.xml"].decode("utf-8", "replace")
    media = {
        path.removeprefix("word/"): part for path, part in parts.items() if path.startswith("word/media/")
    }
    with tempfile.TemporaryDirectory(prefix="stdforge-import-") as folder:
        source = Path(folder) / "upload.docx"
        with zipfile.ZipFile(source, "w", compression=zipfile.ZIP_STORED) as copy:
            for path, part in parts.items():
                copy.writestr(path, part)
        try:
            output = run_pandoc(
                ["-f", "docx+styles", "-t", "json", source.name],
                stdin=None,
                cwd=Path(folder),
                timeout=READ_TIME_LIMIT,
                rts=READER_RTS,
            )
        except ExportError as error:
            raise DocxRejected(
                f"pandoc 无法读取文件 {name}：{error.zh}",
                f"pandoc could not read the file {name}: {error.en}",
            ) from error
    return DocxContent(ast=json.loads(output), bookmarks=read_bookmarks(document_xml), media=media)
