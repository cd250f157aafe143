"""People, organisations, memberships and invitations: who may do what, and where.

Roles belong to a membership of a person in an organisation (DESIGN.md, users and roles); the only
global role is the platform administrator (`User.is_admin`).
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from accounts.database import UTCDateTime, utcnow
from extensions import db


def new_session_token() -> str:
    """A fresh random value for `User.session_token`."""
    return secrets.token_urlsafe(24)


class OrgKind(StrEnum):
    """What an organisation is: it decides which roles its memberships may have."""

    ASSOCIATION = "association"  #: an industry association that makes group standards
    AGENCY = "agency"  #: a government agency that reviews and adopts them

    @property
    def label(self) -> str:
        return str(ORG_KIND_LABELS[self])


ORG_KIND_LABELS = {OrgKind.ASSOCIATION: _l("Association"), OrgKind.AGENCY: _l("Government agency")}


class Role(StrEnum):
    """A membership's role (DESIGN.md table "Users and roles")."""

    SECRETARIAT = "secretariat"
    DRAFTER = "drafter"
    MEMBER = "member"
    REVIEWER = "reviewer"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.SECRETARIAT: _l("Secretariat"),
    Role.DRAFTER: _l("Drafter"),
    Role.MEMBER: _l("Member"),
    Role.REVIEWER: _l("Reviewer"),
}

#: the roles a membership may have in each kind of organisation
ROLES_BY_KIND: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.ASSOCIATION: (Role.SECRETARIAT, Role.DRAFTER, Role.MEMBER),
    OrgKind.AGENCY: (Role.REVIEWER,),
}


#: the longest name of a person (`User.name`)
MAX_NAME_LENGTH = 120
#: the longest work unit (单位) of a membership
MAX_UNIT_LENGTH = 200


def _enum_values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


class User(db.Model):
    """A person who logs in; what they may do comes from their memberships."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the login, stored lower-case so that look-ups need no case folding
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: the name shown to others, e.g. "张伟"
    name: Mapped[str] = mapped_column(String(MAX_NAME_LENGTH))
    #: Werkzeug hash (scrypt by default); never the password itself
    password_hash: Mapped[str] = mapped_column(String(255))
    #: the platform administrator: creates organisations and manages any of them
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    #: False keeps the account but refuses its logins
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    #: part of every session cookie; replaced on logout and password change, which ends all sessions
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    #: the interface language the user chose ("zh_CN", "en"); None means the default
    locale: Mapped[str | None] = mapped_column(String(16))
    #: when the account was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="Membership.user_id"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def membership_in(self, org: Organisation) -> Membership | None:
        """This user's membership in `org`, or None."""
        return next((m for m in self.memberships if m.org_id == org.id), None)

    # Flask-Login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session's user id: "id:token", so a session outlives neither logout nor a new password."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Organisation(db.Model):
    """An association or a government agency: the unit that owns work and sees its own."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("kind <> 'association' OR code IS NOT NULL", name="association_has_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: association or agency
    kind: Mapped[OrgKind] = mapped_column(
        Enum(OrgKind, native_enum=False, length=20, values_callable=_enum_values, name="org_kind")
    )
    #: the full name, e.g. "深圳市养老服务业协会"
    name: Mapped[str] = mapped_column(String(200))
    #: an association's code in standard numbers (T/SZYL 1—2025): 2–12 capital letters or digits
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    #: when the organisation was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: an association's default vote rule: a preset's name of the ballots package (None: its default);
    #: a plain string, because accounts imports no later package
    ballot_rule: Mapped[str | None] = mapped_column(String(40))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="org", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @property
    def is_association(self) -> bool:
        return self.kind == OrgKind.ASSOCIATION

    @property
    def members_vote(self) -> bool:
        """Its memberships carry a voting right and a weight: associations ballot, agencies do not."""
        return self.kind == OrgKind.ASSOCIATION

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles its memberships may have."""
        return ROLES_BY_KIND[self.kind]

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.code or self.name}>"


class Membership(db.Model):
    """A person's place in an organisation: one role, and for members a voting right and weight."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "org_id", name="uq_memberships_user_org"),
        CheckConstraint("weight >= 1", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the person
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the organisation
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: secretariat, drafter, member (associations) or reviewer (agencies)
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=_enum_values, name="membership_role")
    )
    #: may vote in the association's ballots (when in their electorate)
    voting: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how much the vote counts; 1 unless the association decides otherwise
    weight: Mapped[int] = mapped_column(Integer, default=1)
    #: the member's work unit (单位), e.g. the company the expert represents; None when not given
    unit: Mapped[str | None] = mapped_column(String(MAX_UNIT_LENGTH))
    #: when the person joined
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships", foreign_keys=[user_id])
    org: Mapped[Organisation] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<Membership {self.user_id}@{self.org_id} {self.role}>"


class Invitation(db.Model):
    """A one-time link by which a secretariat brings a person into the organisation with a role.

    Only a hash of the token is stored: a copy of the database does not hand out valid links.
    """

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the organisation the person will join
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: the address invited (lower-case); the account created or joined must have it
    email: Mapped[str] = mapped_column(String(254))
    #: the role the membership will have
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=_enum_values, name="invitation_role")
    )
    #: the voting right the membership will have
    voting: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the vote weight the membership will have
    weight: Mapped[int] = mapped_column(Integer, default=1)
    #: the name the secretariat knows the person by (a member list): offered on the new-account form
    name: Mapped[str | None] = mapped_column(String(MAX_NAME_LENGTH))
    #: the work unit (单位) the membership will have
    unit: Mapped[str | None] = mapped_column(String(MAX_UNIT_LENGTH))
    #: SHA-256 of the token in the link
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: who sent it
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when it was made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: after this the link no longer works
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when it was used; a used invitation never works again
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when the secretariat withdrew it
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def is_pending(self, now: datetime) -> bool:
        """Neither used, withdrawn nor expired at `now`."""
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email}@{self.org_id}>"


class MemberImport(db.Model):
    """A member list read from an uploaded file and its preview, kept until the secretariat confirms.

    The confirm step applies exactly this plan (`plan`, read once from the file at upload), never a
    file sent again; the link's `token` names it and only the organisation's secretariat may use it.
    """

    __tablename__ = "member_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the random value in the preview's address
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: the organisation the members join
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    #: who uploaded the file
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: the uploaded file's name, as the browser sent it
    file_name: Mapped[str] = mapped_column(String(255))
    #: SHA-256 of the uploaded file
    file_sha256: Mapped[str] = mapped_column(String(64))
    #: the parsed rows, the changes and the refused rows (`accounts.member_import.ImportPlan.to_json`)
    plan: Mapped[dict] = mapped_column(JSON)
    #: when the file was read
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: after this the preview can no longer be confirmed
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: when the plan was applied; an applied import is never applied again
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __repr__(self) -> str:
        return f"<MemberImport {self.id} {self.file_name}@{self.org_id}>"


class ApiToken(db.Model):
    """A personal token for the JSON API: it acts as its user, with exactly that user's permissions.

    Only a hash is stored; the token itself is shown once, when it is made. A revoked token never
    works again.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: whose token it is
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: what the user calls it ("CI of the drafting group")
    name: Mapped[str] = mapped_column(String(120))
    #: SHA-256 of the token (hex); the token has 256 bits of randomness, so no salt or slow hash is needed
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when it was made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: its latest use, to the minute (updated at most once a minute, outside the request's writes)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: when its user (or the operator) revoked it
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r} of {self.user_id}>"
