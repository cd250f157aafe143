"""A member list read from a file, and what importing it would change in an organisation.

`parse_members` turns a `Table` (accounts.member_files) into checked rows and the rows refused with
their reasons; `plan_members` compares the rows with the organisation's memberships and open
invitations and says, row by row, what would happen: a new account (an invitation), a new membership
of an existing account, a changed role / voting right / weight / unit, or nothing. The same plan is
shown as the preview, printed by `flask import-members`, stored until the secretariat confirms, and
computed again under the write lock by `accounts.operations.apply_member_import`, which applies it
only when nothing changed meanwhile.

Columns (English or Chinese headers, in any order): email 邮箱, name 姓名, organisation 单位, role 角色,
voting 表决权, weight 权重; email and role are required. A blank voting, weight or organisation cell
keeps what an existing membership has (a new one: members vote, weight 1).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts.member_files import Table
from accounts.models import (
    MAX_NAME_LENGTH,
    MAX_UNIT_LENGTH,
    ROLE_LABELS,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from accounts.refusals import Refused
from extensions import db

#: the same plain shape as the invitation form: email-validator refuses reserved domains (.test)
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 254
#: the heaviest vote weight a membership may have (as the members page's form)
MAX_WEIGHT = 100

#: field → the headers that name it (compared in lower case, spaces removed)
HEADERS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件"),
    "name": ("name", "姓名", "名字"),
    "unit": ("organisation", "organization", "unit", "company", "单位", "工作单位", "所在单位"),
    "role": ("role", "角色"),
    "voting": ("voting", "vote", "表决权", "投票权"),
    "weight": ("weight", "权重", "表决权重"),
}
REQUIRED = ("email", "role")
#: how the columns are named in messages: English and Chinese
COLUMN_NAMES = {
    "email": "email / 邮箱",
    "name": "name / 姓名",
    "unit": "organisation / 单位",
    "role": "role / 角色",
    "voting": "voting / 表决权",
    "weight": "weight / 权重",
}
_HEADER_FIELDS = {header: name for name, headers in HEADERS.items() for header in headers}

_YES = {"yes", "y", "true", "1", "是", "有", "✓", "√"}
_NO = {"no", "n", "false", "0", "否", "无", "×"}

#: what a row's problem code means; parameters fill the %(…)s
PROBLEMS = {
    "no_email": _l("no e-mail address"),
    "bad_email": _l("“%(value)s” is not an e-mail address"),
    "formula_email": _l("the e-mail cell holds a formula (%(value)s): type the address itself"),
    "duplicate": _l("the e-mail %(email)s is in the file more than once (rows %(rows)s)"),
    "no_role": _l("no role"),
    "unknown_role": _l("unknown role “%(value)s”: use %(choices)s"),
    "bad_voting": _l("voting right “%(value)s”: write yes or no (是 or 否)"),
    "bad_weight": _l("weight “%(value)s” is not a whole number from 1 to %(max)s"),
    "long_name": _l("the name is longer than %(max)s characters"),
    "long_unit": _l("the organisation is longer than %(max)s characters"),
    "last_secretariat": _l(
        "%(email)s is the association's last secretariat member: an import never changes that role"
    ),
}


class Kind:
    """What importing a row does."""

    NEW_ACCOUNT = "new_account"  #: nobody has this e-mail: an invitation to create an account
    NEW_MEMBERSHIP = "new_membership"  #: an existing account joins the organisation
    CHANGED = "changed"  #: an existing membership gets another role, voting right, weight or unit
    UNCHANGED = "unchanged"  #: the membership (or the open invitation) already says this

    ALL = (NEW_ACCOUNT, NEW_MEMBERSHIP, CHANGED, UNCHANGED)


KIND_LABELS = {
    Kind.NEW_ACCOUNT: _l("New accounts (invitation)"),
    Kind.NEW_MEMBERSHIP: _l("Existing accounts joining"),
    Kind.CHANGED: _l("Changed memberships"),
    Kind.UNCHANGED: _l("Unchanged"),
}

FIELD_LABELS = {
    "role": _l("Role"),
    "voting": _l("Voting right"),
    "weight": _l("Vote weight"),
    "unit": _l("Work unit"),
}


# -- rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """One accepted row of the file; None in voting, weight or unit means the cell was blank."""

    row: int
    email: str
    name: str
    role: Role
    voting: bool | None
    weight: int | None
    unit: str | None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "role": self.role.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberRow:
        return cls(**{**data, "role": Role(data["role"])})


@dataclass(frozen=True)
class RefusedRow:
    """A row that is not imported, with its problems as (code of PROBLEMS, parameters)."""

    row: int
    email: str
    problems: tuple[tuple[str, dict[str, Any]], ...]

    @property
    def reasons(self) -> list[str]:
        """The problems in the reader's language."""
        return [describe(code, params) for code, params in self.problems]

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "email": self.email, "problems": [list(p) for p in self.problems]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RefusedRow:
        return cls(data["row"], data["email"], tuple((code, params) for code, params in data["problems"]))


def describe(code: str, params: dict[str, Any]) -> str:
    return str(PROBLEMS[code]) % params


@dataclass(frozen=True)
class MemberList:
    """The file read: accepted rows, refused rows, and the columns it had that mean nothing here."""

    kind: str
    encoding: str | None
    rows: tuple[MemberRow, ...]
    refused: tuple[RefusedRow, ...]
    ignored_columns: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "rows": [row.to_json() for row in self.rows],
            "refused": [row.to_json() for row in self.refused],
            "ignored_columns": list(self.ignored_columns),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberList:
        return cls(
            data["kind"],
            data["encoding"],
            tuple(MemberRow.from_json(row) for row in data["rows"]),
            tuple(RefusedRow.from_json(row) for row in data["refused"]),
            tuple(data["ignored_columns"]),
        )


def _header_key(text: str) -> str:
    return re.sub(r"[\s\u3000*＊:：]", "", text).lower()


def _columns(header_row: int, header: list[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """field → column index, and the headers that name no field; `Refused` for a missing or double one."""
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, text in enumerate(header):
        if not text:
            continue
        name = _HEADER_FIELDS.get(_header_key(text))
        if name is None:
            ignored.append(text)
        elif name in columns:
            raise Refused(
                "invalid",
                _(
                    "Row %(row)d names the column %(column)s twice.",
                    row=header_row,
                    column=COLUMN_NAMES[name],
                ),
            )
        else:
            columns[name] = index
    missing = [COLUMN_NAMES[name] for name in REQUIRED if name not in columns]
    if missing:
        raise Refused(
            "invalid",
            _(
                "Row %(row)d, the header, has no column %(columns)s. The first row names the columns: email, name, organisation, role, voting, weight (or 邮箱, 姓名, 单位, 角色, 表决权, 权重).",
                row=header_row,
                columns=", ".join(missing),
            ),
        )
    return columns, tuple(ignored)


def role_words(org: Organisation) -> dict[str, Role]:
    """The words that name each role `org` has: its value and its English and Chinese labels."""
    words: dict[str, Role] = {}
    for role in org.roles:
        words[role.value] = role
        for locale in ("en", "zh_CN"):
            with force_locale(locale):
                words[str(ROLE_LABELS[role]).lower()] = role
    return words


def _role_choices(org: Organisation) -> str:
    names = []
    for role in org.roles:
        with force_locale("zh_CN"):
            chinese = str(ROLE_LABELS[role])
        names.append(f"{role.value} / {chinese}")
    return ", ".join(names)


def _parse_row(number: int, cell: Any, roles: dict[str, Role], org: Organisation) -> MemberRow | RefusedRow:
    problems: list[tuple[str, dict[str, Any]]] = []
    email = cell("email").lower()
    if not email:
        problems.append(("no_email", {}))
    elif email.startswith("="):
        problems.append(("formula_email", {"value": email[:80]}))
    elif len(email) > MAX_EMAIL_LENGTH or not EMAIL_SHAPE.match(email):
        problems.append(("bad_email", {"value": email[:80]}))
    role_text = cell("role")
    role = roles.get(role_text.lower())
    if not role_text:
        problems.append(("no_role", {}))
    elif role is None:
        problems.append(("unknown_role", {"value": role_text[:40], "choices": _role_choices(org)}))
    voting_text = cell("voting").lower()
    voting: bool | None = None
    if voting_text in _YES:
        voting = True
    elif voting_text in _NO:
        voting = False
    elif voting_text:
        problems.append(("bad_voting", {"value": cell("voting")[:40]}))
    weight_text = cell("weight")
    weight: int | None = None
    if weight_text:
        try:
            weight = int(float(weight_text)) if float(weight_text).is_integer() else None
        except ValueError:
            weight = None
        if weight is None or not 1 <= weight <= MAX_WEIGHT:
            problems.append(("bad_weight", {"value": weight_text[:40], "max": MAX_WEIGHT}))
            weight = None
    name = cell("name")
    if len(name) > MAX_NAME_LENGTH:
        problems.append(("long_name", {"max": MAX_NAME_LENGTH}))
    unit = cell("unit")
    if len(unit) > MAX_UNIT_LENGTH:
        problems.append(("long_unit", {"max": MAX_UNIT_LENGTH}))
    if problems or role is None:
        return RefusedRow(number, email[:MAX_EMAIL_LENGTH], tuple(problems))
    return MemberRow(number, email, name, role, voting, weight, unit or None)


def parse_members(table: Table, org: Organisation) -> MemberList:
    """The rows of `table` checked one by one; `Refused` when the header lacks a required column."""
    if not table.rows:
        raise Refused("invalid", _("The file is empty."))
    header_row, header = table.rows[0]
    columns, ignored = _columns(header_row, header)
    roles = role_words(org)
    parsed: list[MemberRow | RefusedRow] = []
    for number, cells in table.rows[1:]:

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        parsed.append(_parse_row(number, cell, roles, org))
    if not parsed:
        raise Refused("invalid", _("The file has a header row but no members."))
    return _refuse_duplicates(table, parsed, ignored)


def _refuse_duplicates(
    table: Table, parsed: list[MemberRow | RefusedRow], ignored: tuple[str, ...]
) -> MemberList:
    """Every row of an e-mail that appears twice is refused: which one is meant is not ours to guess."""
    counts = Counter(item.email for item in parsed if item.email)
    rows_of: dict[str, list[int]] = {}
    for item in parsed:
        if counts[item.email] > 1:
            rows_of.setdefault(item.email, []).append(item.row)
    accepted: list[MemberRow] = []
    refused: list[RefusedRow] = []
    for item in parsed:
        duplicate = rows_of.get(item.email)
        if duplicate:
            problem = ("duplicate", {"email": item.email, "rows": ", ".join(map(str, duplicate))})
            problems = item.problems if isinstance(item, RefusedRow) else ()
            refused.append(RefusedRow(item.row, item.email, (problem, *problems)))
        elif isinstance(item, RefusedRow):
            refused.append(item)
        else:
            accepted.append(item)
    return MemberList(table.kind, table.encoding, tuple(accepted), tuple(refused), ignored)


# -- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What a membership (or an invitation) says."""

    role: Role
    voting: bool
    weight: int
    unit: str | None

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "role": self.role.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Terms:
        return cls(**{**data, "role": Role(data["role"])})


@dataclass(frozen=True)
class Change:
    """What importing one row does: `terms` after, `before` the membership's (None for new ones)."""

    row: int
    kind: str
    email: str
    #: the account's name, or for a new person the name in the file
    name: str
    terms: Terms
    before: Terms | None = None
    #: a new account: an open invitation with other terms is withdrawn for the new one
    replaces_invitation: bool = False
    #: unchanged: the person is invited already, with these terms
    invited: bool = False

    @property
    def changed_fields(self) -> tuple[str, ...]:
        if self.before is None:
            return ()
        return tuple(
            f
            for f in ("role", "voting", "weight", "unit")
            if getattr(self.before, f) != getattr(self.terms, f)
        )

    @property
    def demotes_secretariat(self) -> bool:
        return self.before is not None and self.before.role == Role.SECRETARIAT != self.terms.role

    @property
    def makes_secretariat(self) -> bool:
        """A membership that is secretariat once applied (an invitation only counts once accepted)."""
        return (
            self.kind in (Kind.NEW_MEMBERSHIP, Kind.CHANGED)
            and self.terms.role == Role.SECRETARIAT
            and (self.before is None or self.before.role != Role.SECRETARIAT)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "kind": self.kind,
            "email": self.email,
            "name": self.name,
            "terms": self.terms.to_json(),
            "before": self.before.to_json() if self.before else None,
            "replaces_invitation": self.replaces_invitation,
            "invited": self.invited,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(
            **{
                **data,
                "terms": Terms.from_json(data["terms"]),
                "before": Terms.from_json(data["before"]) if data["before"] else None,
            }
        )


@dataclass(frozen=True)
class ImportPlan:
    """The file read and, row by row, what importing it into the organisation does."""

    members: MemberList
    changes: tuple[Change, ...]
    #: rows the file allowed but the organisation does not (the last secretariat)
    refused_here: tuple[RefusedRow, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def refused(self) -> list[RefusedRow]:
        """Every refused row, in the file's order."""
        return sorted((*self.members.refused, *self.refused_here), key=lambda r: r.row)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    @property
    def to_apply(self) -> list[Change]:
        return [change for change in self.changes if change.kind != Kind.UNCHANGED]

    def same_changes(self, other: ImportPlan) -> bool:
        """True when `other` (computed again) would do exactly what this plan said."""
        return self.changes == other.changes and self.refused_here == other.refused_here

    def to_json(self) -> dict[str, Any]:
        return {
            "members": self.members.to_json(),
            "changes": [change.to_json() for change in self.changes],
            "refused_here": [row.to_json() for row in self.refused_here],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportPlan:
        return _counted(
            cls(
                MemberList.from_json(data["members"]),
                tuple(Change.from_json(change) for change in data["changes"]),
                tuple(RefusedRow.from_json(row) for row in data["refused_here"]),
            )
        )


def _counted(plan: ImportPlan) -> ImportPlan:
    counts = Counter(change.kind for change in plan.changes)
    return replace(
        plan, counts={kind: counts.get(kind, 0) for kind in Kind.ALL} | {"refused": len(plan.refused)}
    )


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def accounts_by_email(emails: list[str]) -> dict[str, User]:
    accounts: dict[str, User] = {}
    for chunk in _chunks(emails):
        for user in db.session.scalars(select(User).where(User.email.in_(chunk))):
            accounts[user.email] = user
    return accounts


def _open_invitations(org: Organisation, now: datetime) -> dict[str, Invitation]:
    """The newest invitation into `org` that still works, per e-mail."""
    invitations = db.session.scalars(
        select(Invitation)
        .where(
            Invitation.org_id == org.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.created_at, Invitation.id)
    )
    return {invitation.email: invitation for invitation in invitations}


def vote_terms(org: Organisation, voting: bool, weight: int) -> tuple[bool, int]:
    """The voting right and weight a membership of `org` gets: none (and weight 1) in an agency."""
    return (voting, weight) if org.members_vote else (False, 1)


def _terms(org: Organisation, row: MemberRow, before: Terms | None) -> Terms:
    voting = row.voting if row.voting is not None else (before.voting if before else row.role == Role.MEMBER)
    weight = row.weight if row.weight is not None else (before.weight if before else 1)
    voting, weight = vote_terms(org, voting, weight)
    unit = row.unit if row.unit is not None else (before.unit if before else None)
    return Terms(row.role, voting, weight, unit)


def _membership_terms(membership: Membership) -> Terms:
    return Terms(membership.role, membership.voting, membership.weight, membership.unit)


def _invitation_terms(invitation: Invitation) -> Terms:
    return Terms(invitation.role, invitation.voting, invitation.weight, invitation.unit)


def plan_members(org: Organisation, members: MemberList, *, now: datetime) -> ImportPlan:
    """What importing `members` into `org` does at `now`, row by row (three queries, no writes)."""
    accounts = accounts_by_email([row.email for row in members.rows])
    memberships = {
        m.user_id: m for m in db.session.scalars(select(Membership).where(Membership.org_id == org.id))
    }
    invitations = _open_invitations(org, now)
    changes: list[Change] = []
    for row in members.rows:
        user = accounts.get(row.email)
        membership = memberships.get(user.id) if user is not None else None
        if user is None:
            invitation = invitations.get(row.email)
            terms = _terms(org, row, None)
            if invitation is not None and _invitation_terms(invitation) == terms:
                changes.append(Change(row.row, Kind.UNCHANGED, row.email, row.name, terms, invited=True))
            else:
                changes.append(
                    Change(
                        row.row,
                        Kind.NEW_ACCOUNT,
                        row.email,
                        row.name,
                        terms,
                        replaces_invitation=invitation is not None,
                    )
                )
        elif membership is None:
            changes.append(Change(row.row, Kind.NEW_MEMBERSHIP, row.email, user.name, _terms(org, row, None)))
        else:
            before = _membership_terms(membership)
            terms = _terms(org, row, before)
            kind = Kind.UNCHANGED if terms == before else Kind.CHANGED
            changes.append(Change(row.row, kind, row.email, user.name, terms, before))
    kept, refused_here = _keep_a_secretariat(org, memberships.values(), changes)
    return _counted(ImportPlan(members, tuple(kept), tuple(refused_here)))


def _keep_a_secretariat(
    org: Organisation, memberships: Iterable[Membership], changes: list[Change]
) -> tuple[list[Change], list[RefusedRow]]:
    """Refuse the demotions that would leave the association without a secretariat member.

    Promotions apply first (`apply_member_import`), then demotions in the file's order: a demotion is
    refused when the secretariat it leaves would be empty, as `change_membership` refuses it.
    """
    if Role.SECRETARIAT not in org.roles:
        return changes, []
    count = sum(1 for m in memberships if m.role == Role.SECRETARIAT)
    count += sum(1 for change in changes if change.makes_secretariat)
    kept: list[Change] = []
    refused: list[RefusedRow] = []
    for change in changes:
        if change.demotes_secretariat:
            if count <= 1:
                refused.append(
                    RefusedRow(change.row, change.email, (("last_secretariat", {"email": change.email}),))
                )
                continue
            count -= 1
        kept.append(change)
    return kept, refused
