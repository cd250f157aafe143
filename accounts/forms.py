"""The forms of the accounts pages; every one carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Regexp, ValidationError

from accounts.models import Organisation, OrgKind, Role
from accounts.operations import MAX_ORG_NAME_LENGTH, MIN_PASSWORD_LENGTH, ORG_CODE_PATTERN

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


class TokenForm(FlaskForm):
    """A new API token: only its name; the token itself is made by the server and shown once."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=120)])


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


def _capitals(value: str | None) -> str | None:
    """Codes are written in capitals: "szyl " is read as SZYL."""
    return value.strip().upper() if isinstance(value, str) else value


def _org_name_field() -> StringField:
    return StringField(
        _l("Name of the organisation"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("An organisation needs a name.")),
            Length(max=MAX_ORG_NAME_LENGTH),
        ],
    )


#: the shape of a code; the operation checks it again and that no other association has it
_CODE_SHAPE = Regexp(
    ORG_CODE_PATTERN, message=_l("An association's code has 2 to 12 capital letters or digits.")
)


class NewOrgForm(FlaskForm):
    """The administrator creates an association (with its code) or a government agency."""

    kind = SelectField(_l("Kind"), coerce=OrgKind, default=OrgKind.ASSOCIATION.value)
    name = _org_name_field()
    code = StringField(_l("Code"), filters=[_capitals], validators=[Length(max=12)])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, kind.label) for kind in OrgKind]

    def validate_code(self, field: StringField) -> None:
        """An association needs a well-formed code; an agency's code field is ignored."""
        if self.kind.data == OrgKind.ASSOCIATION:
            _CODE_SHAPE(self, field)
        elif field.data:
            raise ValidationError(_l("Only an association has a code; a government agency has none."))


class RenameOrgForm(FlaskForm):
    name = _org_name_field()


class OrgCodeForm(FlaskForm):
    code = StringField(_l("Code"), filters=[_capitals], validators=[_CODE_SHAPE])


class MemberImportForm(FlaskForm):
    """The member list to import: a CSV or XLSX file (accounts.member_files)."""

    file = FileField(
        _l("Member list (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a CSV or XLSX file to upload."))],
    )
