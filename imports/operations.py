"""The verbs of a Word import: a new project from a Word file, and its pictures as the standard's figures.

The slow part (pandoc, mapping, lint: `imports.api.import_docx`) runs before these are called, so
they only check, insert and flush; the view commits once.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from accounts.models import Organisation, Role, User
from accounts.permissions import Actor, role_in
from accounts.refusals import Decision
from authoring.figures import upload_figure
from authoring.models import Standard
from authoring.operations import create_standard
from imports.api import Imported


def can_import_revision(actor: Actor, standard: Standard) -> Decision:
    """The association's secretariat, while the text may be edited."""
    if not standard.stage_enum.editable:
        return Decision.no(_l("The text of this standard cannot be changed in its current stage."))
    allowed = role_in(actor, standard.association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the association's secretariat imports Word files."))


def create_from_word(
    association: Organisation, creator: User, imported: Imported, *, now: datetime
) -> Standard:
    """A new project whose revision 1 is the imported text, with the Word file's pictures as figures."""
    standard = create_standard(
        association,
        creator,
        title_zh=imported.title_zh or "",
        title_en=None,
        committee=None,
        drafters=[],
        text=imported.text,
        now=now,
        kind="imported",
    )
    store_figures(standard, creator, imported, now=now)
    return standard


def store_figures(standard: Standard, actor: User, imported: Imported, *, now: datetime) -> int:
    """Store the Word file's pictures as figures of `standard` (re-encoded, checked like any upload)."""
    can_import_revision(actor, standard).require()
    for name, picture in imported.figures.items():
        upload_figure(standard, actor, name, picture, now=now)
    return len(imported.figures)
