"""The explanatory note's (编制说明) free sections: what only the drafters can say, written in the browser.

The note's other sections are generated when the dossier is built (exports.explanatory_note); these
are kept per standard and key, the latest text counts, and every save is an event on the standard.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime, write_lock
from accounts.models import Role, User
from accounts.permissions import is_administrator, role_in
from accounts.refusals import Decision, Refused
from authoring.events import record
from authoring.models import Standard
from authoring.permissions import Actor, can_edit_standard
from extensions import db

#: the longest free section kept
MAX_SECTION_CHARS = 20_000

#: key → what the form calls it; the order is the note's (its headings are exports.explanatory_note's)
FREE_SECTIONS: Mapping[str, object] = {
    "principles": _l("Drafting principles and the basis of the main technical content"),
    "verification": _l("Main tests and verification"),
    "laws": _l("Relation to laws, regulations and mandatory national standards"),
    "implementation": _l("Recommendations for implementation"),
    "other": _l("Other matters"),
}


class NoteSection(db.Model):
    """One free section of a standard's explanatory note."""

    __tablename__ = "explanatory_sections"
    __table_args__ = (UniqueConstraint("standard_id", "key", name="uq_explanatory_sections_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: a key of FREE_SECTIONS
    key: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    updated_by: Mapped[User | None] = relationship()


def can_write_note(actor: Actor, standard: Standard) -> Decision:
    """The standard's drafters and its association's secretariat (also after publication)."""
    allowed = (
        is_administrator(actor)
        or role_in(actor, standard.association) == Role.SECRETARIAT
        or (isinstance(actor, User) and standard.is_drafter(actor))
        or bool(can_edit_standard(actor, standard))
    )
    return Decision.of(allowed, _l("Only the drafters and the secretariat write the explanatory note."))


def note_sections(standard: Standard) -> dict[str, str]:
    """The free sections written so far, by key."""
    rows = db.session.scalars(select(NoteSection).where(NoteSection.standard_id == standard.id))
    return {row.key: row.text for row in rows}


def save_note_sections(standard: Standard, actor: User, texts: Mapping[str, str], *, now: datetime) -> int:
    """Keep the free sections `texts` (key → text); returns how many changed. One event names them."""
    can_write_note(actor, standard).require("forbidden")
    unknown = [key for key in texts if key not in FREE_SECTIONS]
    if unknown:
        raise Refused("invalid", _("There is no such section of the explanatory note."))
    too_long = [key for key, text in texts.items() if len(text) > MAX_SECTION_CHARS]
    if too_long:
        message = _("A section is longer than %(limit)s characters.", limit=MAX_SECTION_CHARS)
        raise Refused("too_large", message, fields={key: message for key in too_long})
    write_lock(standard)
    rows = {
        row.key: row
        for row in db.session.scalars(select(NoteSection).where(NoteSection.standard_id == standard.id))
    }
    changed = []
    for key, text in texts.items():
        text = text.strip()
        row = rows.get(key)
        if row is None:
            if not text:
                continue
            row = NoteSection(standard_id=standard.id, key=key, text="")
            db.session.add(row)
        if row.text != text:
            row.text, row.updated_by, row.updated_at = text, actor, now
            changed.append(key)
    if changed:
        record(standard, actor, "note_written", now=now, note=", ".join(changed))
    db.session.flush()
    return len(changed)
