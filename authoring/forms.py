"""The forms of the authoring pages; every one carries a CSRF token (Flask-WTF).

The editor saves by JSON from its script, but the same fields also work as a plain form post, so
a browser without scripts can still save (and gets the conflict page when someone saved meanwhile).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from accounts.models import Organisation, Role


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of check boxes: easier than a multiple select for a short list."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewStandardForm(FlaskForm):
    title_zh = StringField(_l("Chinese title"), validators=[Optional(), Length(max=300)])
    title_en = StringField(_l("English title"), validators=[Optional(), Length(max=300)])
    committee = StringField(_l("Committee or drafting group"), validators=[Optional(), Length(max=200)])
    drafters = CheckboxesField(_l("Drafters"), coerce=int, validators=[Optional()])
    upload = FileField(
        _l("Standard Markdown file (optional)"),
        description=_l("Leave empty to start from the blank GB/T 1.1 skeleton."),
    )

    def fill_drafters(self, association: Organisation) -> None:
        """Offer the association's drafters and secretariat as the drafting group."""
        self.drafters.choices = [
            (m.id, f"{m.user.name} ({m.role.label})")
            for m in association.memberships
            if m.role in (Role.DRAFTER, Role.SECRETARIAT)
        ]


class SaveForm(FlaskForm):
    """The editor's fields; the script posts the same names as JSON."""

    text = TextAreaField(_l("Source"), validators=[DataRequired()])
    message = StringField(_l("What changed (optional)"), validators=[Optional(), Length(max=500)])
    base_revision = IntegerField(validators=[DataRequired(), NumberRange(min=1)])


class RestoreForm(FlaskForm):
    message = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=400)])
