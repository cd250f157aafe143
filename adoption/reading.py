"""A submitted dossier read back for the browser: its manifest, whether every file verifies, the
explanatory note (from explanatory-note.json) and the tables (the CSV files), all from the ZIP itself.

What a reviewer reads is what the archive holds: nothing here is regenerated from the database.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from exports.dossier import NOTE_JSON
from exports.dossier_manifest import NotADossier, Verification, verify_dossier
from exports.models import ExportFile
from extensions import db

#: the most bytes of one table or of the note read for the page
MAX_PART_BYTES = 4 * 1024 * 1024
#: the most rows of a table shown
MAX_ROWS = 500
#: dossiers read and verified lately, by (SHA-256, language): a stored file never changes under its
#: hash, and verifying inflates and hashes every byte (megabytes), so a reviewer's every visit of the
#: submission page need not do it again
_READ: OrderedDict[tuple[str, str], DossierView] = OrderedDict()
_READ_KEPT = 16
_READ_LOCK = threading.Lock()


@dataclass(frozen=True)
class DossierView:
    sha256: str
    size: int
    verification: Verification | None
    problem: str | None = None
    note: dict[str, Any] = field(default_factory=dict)
    #: path → rows (the first is the header)
    tables: dict[str, list[list[str]]] = field(default_factory=dict)

    @property
    def files(self) -> list[dict[str, Any]]:
        return list(self.verification.manifest.get("files", [])) if self.verification else []

    @property
    def standard(self) -> dict[str, Any]:
        return dict(self.verification.manifest.get("standard", {})) if self.verification else {}


def dossier_bytes(sha256: str) -> bytes | None:
    stored = db.session.get(ExportFile, sha256)
    return stored.data if stored is not None else None


def read_dossier(sha256: str, language: str = "zh") -> DossierView | None:
    """The dossier stored under `sha256`, verified and read; None when there is no such file."""
    key = (sha256, language)
    with _READ_LOCK:  # a gunicorn worker's threads share it
        if (kept := _READ.get(key)) is not None:
            _READ.move_to_end(key)
            return kept
    view = _read(sha256, language)
    if view is not None:
        with _READ_LOCK:
            _READ[key] = view
            while len(_READ) > _READ_KEPT:
                _READ.popitem(last=False)
    return view


def _read(sha256: str, language: str) -> DossierView | None:
    data = dossier_bytes(sha256)
    if data is None:
        return None
    try:
        verification = verify_dossier(io.BytesIO(data))
    except NotADossier as error:
        return DossierView(sha256, len(data), None, problem=error.en if language == "en" else error.zh)
    note: dict[str, Any] = {}
    tables: dict[str, list[list[str]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in verification.manifest.get("files", []):
            path = entry["path"]
            if entry["size"] > MAX_PART_BYTES:
                continue
            if path == NOTE_JSON:
                try:
                    note = json.loads(archive.read(path).decode("utf-8"))
                except (KeyError, ValueError):
                    note = {}
            elif path.endswith(".csv"):
                try:
                    text = archive.read(path).decode("utf-8-sig")
                except (KeyError, UnicodeDecodeError):
                    continue
                tables[path] = list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 1]
    return DossierView(sha256, len(data), verification, note=note, tables=tables)
