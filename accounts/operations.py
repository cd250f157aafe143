"""The verbs that change accounts, organisations and memberships.

Each takes the acting user explicitly (`accounts.permissions.OPERATOR` for the command line and the
demo loader), checks its own permission, changes and flushes; the caller commits once. Time is passed in where it
matters, so tests control it.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError
from werkzeug.security import check_password_hash, generate_password_hash

from accounts import audit
from accounts.database import write_lock
from accounts.member_files import read_table
from accounts.member_import import (
    ImportPlan,
    Kind,
    accounts_by_email,
    parse_members,
    plan_members,
    vote_terms,
)
from accounts.models import (
    Invitation,
    MemberImport,
    Membership,
    Organisation,
    OrgKind,
    Role,
    User,
    new_session_token,
)
from accounts.permissions import Actor, can_administer_orgs, can_manage_members
from accounts.refusals import Refused
from accounts.uploads import shown_name
from extensions import db

#: an association's code, as it appears in standard numbers (T/SZYL 1—2025)
ORG_CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")

#: the longest name of an organisation (the column's length)
MAX_ORG_NAME_LENGTH = 200

#: passwords shorter than this are refused (the demo password is set by the operator, not checked)
MIN_PASSWORD_LENGTH = 8


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None; one answer for every failure.

    An unknown address still costs a password hash, so timing does not tell which addresses exist.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))


def create_user(
    actor: Actor,
    email: str,
    name: str,
    password: str,
    *,
    is_admin: bool = False,
    check_password: bool = True,
    now: datetime | None = None,
) -> User:
    """Create an account; the e-mail must be new.

    `actor` is who made it: the operator (`create-user`, the demo loader), or None when nobody is
    logged in and the person makes their own (an invitation accepted), so the audit entry names the
    new account as its actor. The entry keeps the e-mail and the administrator flag, never the password.
    """
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise Refused("invalid", _("An account with this e-mail address already exists."))
    if check_password:
        _check_new_password(password)
    user = User(email=email, name=name.strip(), is_admin=is_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user_created",
        user if actor is None else actor,
        subject=user,
        details={"email": email, "is_admin": is_admin},
        now=now,
    )
    return user


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(
            "invalid", _("The password must have at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
        )


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every other session of the user ends.

    A wrong current password is refused and recorded (`password_change_failed`, no password text):
    the caller commits after the refusal too, as the login page does after a failed login.
    """
    if not user.check_password(current_password):
        # someone at an unattended session guessing: the caller commits this entry with nothing else
        audit.record("password_change_failed", user, subject=user)
        raise Refused("invalid", _("The current password is not correct."))
    _check_new_password(new_password)
    user.set_password(new_password)
    end_sessions(user)
    audit.record("password_changed", user, subject=user)


def end_sessions(user: User) -> None:
    """Make every session cookie of `user` worthless (logout, password change)."""
    user.session_token = new_session_token()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def _check_administrator(actor: Actor) -> None:
    can_administer_orgs(actor).require(
        message=_("Only the platform administrator may create and change organisations.")
    )


def _checked_org_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise Refused("invalid", _("An organisation needs a name."))
    if len(name) > MAX_ORG_NAME_LENGTH:
        raise Refused(
            "invalid",
            _("An organisation's name has at most %(count)d characters.", count=MAX_ORG_NAME_LENGTH),
        )
    return name


def _checked_org_code(code: str | None, org: Organisation | None = None) -> str:
    """`code` in capitals if it is well formed and no other association has it."""
    code = (code or "").strip().upper()
    if not ORG_CODE_PATTERN.match(code):
        raise Refused("invalid", _("An association's code has 2 to 12 capital letters or digits."))
    holder = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if holder is not None and holder is not org:
        raise Refused("invalid", _("Another association already has the code %(code)s.", code=code))
    return code


def _flush_org(org: Organisation) -> None:
    """Flush; a code taken meanwhile by another request (the unique index) is a refusal, not a 500."""
    try:
        db.session.flush()
    except IntegrityError as taken:
        raise Refused(
            "invalid", _("Another association already has the code %(code)s.", code=org.code)
        ) from taken


def create_org(actor: Actor, kind: OrgKind, name: str, code: str | None = None) -> Organisation:
    """Create an organisation; only the administrator (or the operator, `actor` None) may.

    An association needs its code (T/SZYL 1—2025); an agency has none, whatever is given.
    """
    _check_administrator(actor)
    # the unique index decides between two requests for one code (`_flush_org`)
    org = Organisation(
        kind=kind,
        name=_checked_org_name(name),
        code=_checked_org_code(code) if kind == OrgKind.ASSOCIATION else None,
    )
    db.session.add(org)
    _flush_org(org)
    audit.record(
        "org_created", actor, subject=org, organisation=org, details={"name": org.name, "code": org.code}
    )
    return org


def rename_org(actor: Actor, org: Organisation, name: str) -> Organisation:
    """Give an organisation a new name; its code, members and standards stay."""
    _check_administrator(actor)
    before = org.name
    org.name = _checked_org_name(name)
    db.session.flush()
    audit.record(
        "org_renamed", actor, subject=org, organisation=org, details={"from": before, "to": org.name}
    )
    return org


def set_org_code(actor: Actor, org: Organisation, code: str) -> Organisation:
    """Set or change an association's code, used in the numbers of the standards it publishes."""
    _check_administrator(actor)
    if not org.is_association:
        raise Refused("invalid", _("Only an association has a code; a government agency has none."))
    write_lock(org)
    before = org.code
    org.code = _checked_org_code(code, org)
    _flush_org(org)
    audit.record(
        "org_code_set", actor, subject=org, organisation=org, details={"from": before, "to": org.code}
    )
    return org


def _check_role(org: Organisation, role: Role, weight: int) -> None:
    if role not in org.roles:
        raise Refused("invalid", _("This role does not exist in this kind of organisation."))
    if weight < 1:
        raise Refused("invalid", _("A vote weight is at least 1."))


def _check_actor(actor: Actor, org: Organisation) -> None:
    can_manage_members(actor, org).require(message=_("You may not manage the members of this organisation."))


def add_member(
    actor: Actor,
    org: Organisation,
    user: User,
    role: Role,
    *,
    voting: bool | None = None,
    weight: int = 1,
    unit: str | None = None,
) -> Membership:
    """Give `user` a role in `org`; members vote unless told otherwise."""
    _check_actor(actor, org)
    _check_role(org, role, weight)
    if user.membership_in(org) is not None:
        raise Refused("invalid", _("%(name)s is already in this organisation.", name=user.name))
    voting, weight = vote_terms(org, (role == Role.MEMBER) if voting is None else voting, weight)
    membership = Membership(user=user, org=org, role=role, voting=voting, weight=weight, unit=unit)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "member_added", actor, subject=membership, organisation=org, details=_membership_details(membership)
    )
    return membership


def _membership_details(membership: Membership, **more: object) -> dict[str, object]:
    """What the audit log keeps of a membership: whose it is and its terms."""
    return {
        "user_id": membership.user.id,
        "email": membership.user.email,
        "role": membership.role.value,
        "voting": membership.voting,
        "weight": membership.weight,
        **more,
    }


def _secretariat_count(org: Organisation) -> int:
    return (
        db.session.scalar(
            select(func.count(Membership.id)).where(
                Membership.org_id == org.id, Membership.role == Role.SECRETARIAT
            )
        )
        or 0
    )


def _check_keeps_a_secretariat(membership: Membership) -> None:
    if membership.role == Role.SECRETARIAT and _secretariat_count(membership.org) <= 1:
        raise Refused("conflict", _("An association needs at least one secretariat member."))


def _lock_org(org: Organisation) -> None:
    """Decide on the memberships and invitations of `org` one request at a time.

    The write lock (SQLite `BEGIN IMMEDIATE`; PostgreSQL: the organisation's row, FOR UPDATE) is
    held until the commit.
    """
    write_lock(org)


def _lock_memberships(membership: Membership) -> None:
    """Lock `membership`'s organisation (`_lock_org`) and read the membership again under the lock.

    Two secretaries removing each other at once would each count two secretaries and leave none.
    """
    try:
        _lock_org(membership.org)
        db.session.refresh(membership)
    except InvalidRequestError as gone:  # removed by the request that held the lock before us
        raise Refused("not_found", _("This membership no longer exists.")) from gone


def change_membership(
    actor: Actor, membership: Membership, role: Role, *, voting: bool, weight: int
) -> Membership:
    """Change a membership's role, voting right and weight; an association keeps a secretariat."""
    _lock_memberships(membership)
    _check_actor(actor, membership.org)
    _check_role(membership.org, role, weight)
    if role != membership.role:
        _check_keeps_a_secretariat(membership)
    before = {
        "from_role": membership.role.value,
        "from_voting": membership.voting,
        "from_weight": membership.weight,
    }
    membership.role = role
    membership.voting, membership.weight = vote_terms(membership.org, voting, weight)
    db.session.flush()
    audit.record(
        "membership_changed",
        actor,
        subject=membership,
        organisation=membership.org,
        details=_membership_details(membership, **before),
    )
    return membership


def remove_member(actor: Actor, membership: Membership) -> None:
    """Take a person out of an organisation; the account itself stays."""
    _lock_memberships(membership)
    _check_actor(actor, membership.org)
    _check_keeps_a_secretariat(membership)
    audit.record(
        "member_removed",
        actor,
        subject=f"membership:{membership.id}",
        organisation=membership.org,
        details=_membership_details(membership),
    )
    db.session.delete(membership)
    db.session.flush()


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation and the token of its link; the token exists only here, never in the database."""

    invitation: Invitation
    token: str
    #: the open invitations of the same address in the same organisation that this one withdrew
    replaced: tuple[Invitation, ...] = ()


def open_invitations(org: Organisation, email: str, *, now: datetime) -> list[Invitation]:
    """The invitations of `email` into `org` that still work at `now`, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.org_id == org.id,
                Invitation.email == normalise_email(email),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def _withdraw(invitations: list[Invitation], *, now: datetime) -> None:
    for invitation in invitations:
        invitation.revoked_at = now


def invite(
    actor: Actor,
    org: Organisation,
    email: str,
    role: Role,
    *,
    voting: bool,
    weight: int,
    now: datetime,
    valid_for: timedelta,
    name: str | None = None,
    unit: str | None = None,
) -> IssuedInvitation:
    """Invite `email` into `org` with a role; the link works once, until `now + valid_for`.

    One address has at most one open invitation per organisation: inviting it again (a lost link, a
    corrected role) withdraws the older one, which `IssuedInvitation.replaced` names.
    """
    _check_actor(actor, org)
    _check_role(org, role, weight)
    voting, weight = vote_terms(org, voting, weight)
    email = normalise_email(email)
    _lock_org(org)
    existing = find_user_by_email(email)
    if existing is not None and existing.membership_in(org) is not None:
        raise Refused("invalid", _("%(email)s is already in this organisation.", email=email))
    replaced = open_invitations(org, email, now=now)
    issued = _issue_invitation(
        actor, org, email, role, voting, weight, name, unit, replaced, now=now, valid_for=valid_for
    )
    db.session.flush()
    audit.record(
        "invited",
        actor,
        subject=issued.invitation,
        organisation=org,
        details={"email": email, "role": role.value, "voting": voting, "weight": weight},
        now=now,
    )
    return issued


def _issue_invitation(
    actor: Actor,
    org: Organisation,
    email: str,
    role: Role,
    voting: bool,
    weight: int,
    name: str | None,
    unit: str | None,
    replaced: list[Invitation],
    *,
    now: datetime,
    valid_for: timedelta,
) -> IssuedInvitation:
    """Withdraw `replaced` and make the new invitation (checked and locked by the caller)."""
    _withdraw(replaced, now=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        org=org,
        email=email,
        role=role,
        voting=voting,
        weight=weight,
        name=name or None,
        unit=unit,
        token_hash=hash_token(token),
        invited_by=actor if isinstance(actor, User) else None,
        created_at=now,
        expires_at=now + valid_for,
    )
    db.session.add(invitation)
    return IssuedInvitation(invitation, token, tuple(replaced))


def revoke_invitation(actor: Actor, invitation: Invitation, *, now: datetime) -> None:
    """Withdraw an invitation that has not been used yet."""
    _check_actor(actor, invitation.org)
    if invitation.accepted_at is not None:
        raise Refused("closed", _("This invitation has already been used."))
    invitation.revoked_at = now
    db.session.flush()
    audit.record(
        "invitation_revoked",
        actor,
        subject=invitation,
        organisation=invitation.org,
        details={"email": invitation.email},
        now=now,
    )


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a link, if the token is one."""
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def check_invitation(invitation: Invitation, *, now: datetime) -> None:
    """Raise `Refused("closed")` with the reason when the link no longer works."""
    if invitation.accepted_at is not None:
        raise Refused("closed", _("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise Refused("closed", _("This invitation has been withdrawn."))
    if now >= invitation.expires_at:
        raise Refused("closed", _("This invitation has expired. Ask the secretariat for a new one."))


def already_a_member_message(org: Organisation) -> str:
    """What someone who opens an invitation to an organisation they are already in reads."""
    return _("You are already a member of %(org)s: this invitation is not needed.", org=org.name)


def accept_invitation(
    invitation: Invitation,
    *,
    user: User | None,
    name: str | None = None,
    password: str | None = None,
    now: datetime,
) -> Membership:
    """Use the invitation once: the logged-in `user` joins, or a new account is made for its e-mail.

    Two clicks on the same link must not make two memberships: the invitation is re-read and checked
    under the write lock.
    """
    write_lock(invitation)
    check_invitation(invitation, now=now)
    if user is None:
        if find_user_by_email(invitation.email) is not None:
            raise Refused("invalid", _("An account with this e-mail address exists: log in to accept."))
        user = create_user(None, invitation.email, name or invitation.email, password or "", now=now)
    elif user.email != invitation.email:
        raise Refused("forbidden", _("This invitation is for another e-mail address."))
    if user.membership_in(invitation.org) is not None:
        raise Refused("conflict", already_a_member_message(invitation.org))
    invitation.accepted_at = now
    # older duplicates (made before one address could have only one) must not make a second membership
    _withdraw(
        [i for i in open_invitations(invitation.org, invitation.email, now=now) if i is not invitation],
        now=now,
    )
    membership = Membership(
        user=user,
        org=invitation.org,
        role=invitation.role,
        voting=invitation.voting,
        weight=invitation.weight,
        unit=invitation.unit,
    )
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "invitation_accepted",
        user,
        subject=membership,
        organisation=invitation.org,
        details=_membership_details(membership, invitation_id=invitation.id),
        now=now,
    )
    return membership


# -- members in bulk -------------------------------------------------------------------------------

#: how long a preview can be confirmed after the file was read
IMPORT_PREVIEW_VALID_FOR = timedelta(hours=2)


def read_member_list(
    actor: Actor, org: Organisation, filename: str, data: bytes, *, now: datetime
) -> ImportPlan:
    """What importing the uploaded file into `org` would change, row by row; nothing is written.

    Reading and checking the file is the slow part, and it takes no lock: `apply_member_import`
    computes the plan again under the write lock before it changes anything.
    """
    _check_actor(actor, org)
    members = parse_members(read_table(filename, data), org)
    return plan_members(org, members, now=now)


def preview_member_import(
    actor: Actor, org: Organisation, filename: str, data: bytes, *, now: datetime
) -> MemberImport:
    """Read the file and keep its plan until the secretariat confirms it (or it expires)."""
    plan = read_member_list(actor, org, filename, data, now=now)
    # old previews of this organisation are of no use once expired: keep the table small
    for stale in db.session.scalars(
        select(MemberImport).where(MemberImport.org_id == org.id, MemberImport.expires_at <= now)
    ):
        db.session.delete(stale)
    member_import = MemberImport(
        token=secrets.token_urlsafe(24),
        org=org,
        created_by=actor if isinstance(actor, User) else None,
        file_name=shown_name(filename, 255),
        file_sha256=hashlib.sha256(data).hexdigest(),
        plan=plan.to_json(),
        created_at=now,
        expires_at=now + IMPORT_PREVIEW_VALID_FOR,
    )
    db.session.add(member_import)
    db.session.flush()
    return member_import


@dataclass(frozen=True)
class AppliedImport:
    """What an import did: the plan applied, and the invitation links of the new accounts."""

    plan: ImportPlan
    invitations: tuple[IssuedInvitation, ...]


def apply_member_import(
    actor: Actor,
    org: Organisation,
    plan: ImportPlan,
    *,
    now: datetime,
    valid_for: timedelta,
    stored: MemberImport | None = None,
) -> AppliedImport:
    """Apply exactly the previewed `plan`: invitations, new memberships and changed ones.

    Under the organisation's write lock the plan is computed again from the same rows; if the
    members changed since the preview, nothing is applied (the secretariat previews again). Promotions
    apply before demotions, and each demotion of a secretariat member passes the same check as
    `change_membership`: an import never leaves an association without a secretariat.
    """
    _check_actor(actor, org)
    _lock_org(org)
    if stored is not None:
        if stored.org_id != org.id:
            raise Refused("not_found", _("There is no such page, or it is not yours to see."))
        db.session.refresh(stored)
        if stored.applied_at is not None:
            raise Refused("closed", _("This import has already been applied."))
        if now >= stored.expires_at:
            raise Refused("closed", _("This preview has expired: upload the file again."))
    if not plan_members(org, plan.members, now=now).same_changes(plan):
        raise Refused(
            "conflict",
            _(
                "The members changed since this preview was made: upload the file again to see what it would change now."
            ),
        )
    accounts = accounts_by_email([c.email for c in plan.of_kind(Kind.NEW_MEMBERSHIP)])
    memberships = {
        email: membership
        for membership, email in db.session.execute(
            select(Membership, User.email)
            .join(User, Membership.user_id == User.id)
            .where(Membership.org_id == org.id)
        )
    }
    invitations: list[IssuedInvitation] = []
    demotions = [c for c in plan.to_apply if c.demotes_secretariat]
    for change in [c for c in plan.to_apply if not c.demotes_secretariat] + demotions:
        terms = change.terms
        _check_role(org, terms.role, terms.weight)
        if change.kind == Kind.NEW_ACCOUNT:
            replaced = open_invitations(org, change.email, now=now) if change.replaces_invitation else []
            invitations.append(
                _issue_invitation(
                    actor,
                    org,
                    change.email,
                    terms.role,
                    terms.voting,
                    terms.weight,
                    change.name,
                    terms.unit,
                    replaced,
                    now=now,
                    valid_for=valid_for,
                )
            )
        elif change.kind == Kind.NEW_MEMBERSHIP:
            db.session.add(
                Membership(
                    user=accounts[change.email],
                    org=org,
                    role=terms.role,
                    voting=terms.voting,
                    weight=terms.weight,
                    unit=terms.unit,
                )
            )
        else:
            membership = memberships[change.email]
            if change.demotes_secretariat:
                _check_keeps_a_secretariat(membership)  # the members page's own check, under the lock
            membership.role, membership.voting = terms.role, terms.voting
            membership.weight, membership.unit = terms.weight, terms.unit
    if stored is not None:
        stored.applied_at = now
    db.session.flush()
    audit.record(
        "member_import_applied",
        actor,
        subject=stored or "",
        organisation=org,
        details={
            "file_sha256": stored.file_sha256 if stored is not None else None,
            "changes": {str(kind): count for kind, count in plan.counts.items()},
            "invitations": len(invitations),
        },
        now=now,
    )
    return AppliedImport(plan, tuple(invitations))
