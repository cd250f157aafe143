"""The forms of the accounts pages; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Regexp

from accounts.models import Organisation, Role
from accounts.operations import MIN_PASSWORD_LENGTH

#: the interface languages, in the order the switch shows them; the first is the default
LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    next = HiddenField()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class NewAccountForm(FlaskForm):
    """Accepting an invitation without an account: name and password for the new one."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )


class ConfirmForm(FlaskForm):
    """A button that changes something (join, remove, withdraw, log out): only the CSRF token."""


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


def _role_choices(org: Organisation) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in org.roles]


class MembershipForm(FlaskForm):
    """Role, voting right and weight: used to invite and to change a membership."""

    role = SelectField(_l("Role"), coerce=Role)
    voting = BooleanField(_l("Voting right"))
    weight = IntegerField(_l("Vote weight"), default=1, validators=[NumberRange(min=1, max=100)])

    def __init__(self, org: Organisation, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices(org)


class InviteForm(MembershipForm):
    #: a plain shape check: email-validator refuses reserved domains such as the demo's .test
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(),
            Length(max=254),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an e-mail address.")),
        ],
    )
