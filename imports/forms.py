"""The upload form of a Word import (with its CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField


class WordUploadForm(FlaskForm):
    upload = FileField(_l("Word file (.docx)"), validators=[FileRequired(_l("Choose a Word file."))])


class ReviewForm(FlaskForm):
    """The imported text, carried to the editor for review; nothing is saved until the drafter saves."""

    text = HiddenField()
