"""The seam through which packages put their part into an adoption dossier.

`wsgi.DOSSIER_SECTIONS` lists "module:function" providers; each is called as `provider(context)` while
the dossier job reads its inputs (inside an application context, with the database) and returns a
`DossierPart`, or None when it has nothing for this standard. A part gives files for the ZIP (path →
bytes) and/or blocks for one slot of the explanatory note (`NOTE_SLOTS`: "comments", "ballots",
"application" …). A slot no provider fills says so in the note ("未记录征求意见。"), so a dossier
built before the comments or ballots package is plugged in is still complete and honest.

Providers run before the build and return plain values only (bytes, strings): the build itself runs
outside any database transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import Flask, current_app
from sqlalchemy import select

from accounts.spreadsheets import csv_bytes
from authoring.models import Revision, Standard
from extensions import db

EXTENSION_KEY = "stdforge.dossier_sections"


@dataclass(frozen=True)
class NoteBlock:
    """Part of a note slot: an optional sub-heading, paragraphs, and an optional table (header first)."""

    heading: str = ""
    paragraphs: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class DossierPart:
    """What one provider adds: files for the ZIP, and blocks for the note slot `slot` (if any)."""

    files: Mapping[str, bytes] = field(default_factory=dict)
    slot: str | None = None
    blocks: tuple[NoteBlock, ...] = ()


@dataclass(frozen=True)
class DossierContext:
    """What a provider is told: the standard, its published revision's number, and the build time."""

    standard: Standard
    revision_number: int
    now: datetime


DossierSection = Callable[[DossierContext], "DossierPart | None"]


def registered(app: Flask | None = None) -> list[DossierSection]:
    """The providers wsgi.create_app resolved from DOSSIER_SECTIONS."""
    return (app or current_app).extensions.setdefault(EXTENSION_KEY, [])


def collect_parts(context: DossierContext, app: Flask | None = None) -> list[DossierPart]:
    """Every registered provider's part, in the order wsgi lists them."""
    parts = []
    for provider in registered(app):
        part = provider(context)
        if part is not None:
            parts.append(part)
    return parts


# -- the providers of this branch -------------------------------------------------------------------


def revision_history(context: DossierContext) -> DossierPart:
    """The revision history summary: every revision up to the published one, who saved it and what
    it touched (revision-history.csv)."""
    from workflow.transitions import local_today

    revisions = db.session.scalars(
        select(Revision)
        .where(Revision.standard_id == context.standard.id, Revision.number <= context.revision_number)
        .order_by(Revision.number)
    )
    rows = [
        [
            "版本 Revision",
            "日期 Date",
            "作者 Author",
            "方式 Kind",
            "说明 Message",
            "+字符",
            "-字符",
            "涉及条款 Clauses",
        ]
    ]
    for revision in revisions:
        rows.append(
            [
                str(revision.number),
                local_today(revision.created_at).isoformat(),
                revision.author.name if revision.author else "",
                revision.kind,
                revision.message,
                str(revision.chars_added),
                str(revision.chars_removed),
                " ".join(revision.touched_ids),
            ]
        )
    return DossierPart(files={"revision-history.csv": csv_bytes(rows)})
