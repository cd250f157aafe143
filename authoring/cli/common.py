"""What the document commands share: reading a file into a Document with a clear message on failure."""

from __future__ import annotations

import sys
from pathlib import Path

from authoring.document import Document, DocumentTooLarge, parse

#: exit status for input that cannot be read (spec §4)
UNREADABLE = 2


def load(command: str, path: str, lang: str = "en") -> Document | None:
    """Parse `path` (or stdin for "-"); None after printing why it could not be read."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        return parse(text)
    except DocumentTooLarge as error:
        print(f"stdforge {command}: {path}: {error.message(lang)}", file=sys.stderr)
    except UnicodeDecodeError:
        message = "不是 UTF-8 文本" if lang == "zh" else "is not UTF-8 text"
        print(f"stdforge {command}: {path}: {message}", file=sys.stderr)
    except OSError as error:
        reason = error.strerror or str(error)
        message = f"无法读取：{reason}" if lang == "zh" else f"cannot read: {reason}"
        print(f"stdforge {command}: {path}: {message}", file=sys.stderr)
    return None
