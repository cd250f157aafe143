"""The permission matrix harness: role × route × own/other organisation → expected HTTP status.

Every package lists its routes as `Route` entries and runs them with `cells()` and the `matrix`
fixture (tests/conftest.py), e.g. in tests/workflow/test_permissions.py:

    from permission_matrix import Route, cells, own_members

    ROUTES = [
        Route("ballot page", "GET", lambda w, side: f"/ballots/{side.ballot.id}",
              own_members(200, reviewer=404)),
    ]

    @pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
    def test_permission(cell, matrix):
        cell.check(matrix)

The world: two associations ("own" and "other") each with a secretariat, a drafter and a voting
member (and one open invitation); a government agency with a reviewer; the platform administrator;
an outsider with no membership; and the anonymous visitor. The acting users are the "own"
association's people (plus reviewer, admin, outsider); `side` is the organisation named in the URL.
A module that needs more in the world (a standard, a ballot) names its hooks in `MATRIX_SETUPS`, a
tuple of `fn(world, side)` that set attributes on `side`; the `matrix` fixture runs the hooks of the
requesting module only, so a cell builds what its own routes name and nothing another package added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from accounts.models import Organisation, Role, User

#: who acts, in the order the matrix lists them
ROLES = ("anonymous", "outsider", "secretariat", "drafter", "member", "reviewer", "admin")
#: the organisation named in the URL
SIDES = ("own", "other")


def own_members(status: int, **overrides: int) -> dict[str, int]:
    """Expected statuses in the own organisation: its members get `status`, strangers 404, admin as members.

    `overrides` per role, e.g. own_members(200, drafter=403, member=403).
    """
    expected = {
        "anonymous": 302,
        "outsider": 404,
        "secretariat": status,
        "drafter": status,
        "member": status,
        "reviewer": 404,
        "admin": status,
    }
    expected.update(overrides)
    return expected


def api_members(status: int, **overrides: int) -> dict[str, int]:
    """`own_members` for an API route: anonymous (no token) gets 401, not the login page."""
    return own_members(status, anonymous=401, **overrides)


def everyone(status: int, anonymous: int = 302) -> dict[str, int]:
    """Expected statuses for a route every logged-in user may open (anonymous: to the login page)."""
    return {role: (anonymous if role == "anonymous" else status) for role in ROLES}


@dataclass
class Side:
    """An organisation in the world and its people; packages add their objects as attributes."""

    org: Organisation
    people: dict[str, User] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def membership(self, role: str) -> Any:
        return self.people[role].membership_in(self.org)

    def new_standard(self, title: str, stage: Any = None) -> Any:
        """A standard of this association made by its secretariat, its drafter on the drafting group,
        flushed; put straight into `stage` when given (how it got there is the stage machine's test)."""
        from accounts.database import utcnow
        from authoring import operations
        from extensions import db

        standard = operations.create_standard(
            self.org,
            self.people["secretariat"],
            title_zh=title,
            title_en=None,
            committee=None,
            drafters=[self.membership("drafter")],
            text=None,
            now=utcnow(),
        )
        if stage is not None:
            standard.stage = stage.value
        db.session.flush()
        return standard

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class World:
    own: Side
    other: Side
    agency: Side
    actors: dict[str, User | None]

    def side(self, name: str) -> Side:
        return self.own if name == "own" else self.other


@dataclass(frozen=True)
class Route:
    """One route of the matrix; `path(world, side)` builds the URL naming `side`'s organisation."""

    name: str
    method: str
    path: Callable[[World, Side], str]
    #: role → status when the URL names the actors' own association
    expect: Mapping[str, int]
    #: role → status for the other association; None: admin as in `expect`, anonymous 302, all others 404
    expect_other: Mapping[str, int] | None = None
    #: form data for POST routes
    data: Callable[[World, Side], dict[str, Any]] | None = None
    #: False for routes that name no organisation (only "own" cells are made)
    scoped: bool = True
    #: an API route: called with the actor's bearer token (none for anonymous) and `data` as JSON
    api: bool = False
    #: an anonymous visitor's 302 goes to the login page (False: the route sends anyone elsewhere)
    to_login: bool = True

    def expected(self, role: str, side: str) -> int:
        if side == "own":
            return self.expect[role]
        if self.expect_other is not None:
            return self.expect_other[role]
        anonymous = 401 if self.api else 302
        return {"anonymous": anonymous, "admin": self.expect["admin"]}.get(role, 404)


@dataclass(frozen=True)
class Cell:
    route: Route
    role: str
    side: str

    def __str__(self) -> str:
        return f"{self.route.name}-{self.role}-{self.side}"

    def refusal_expected(self) -> bool:
        """A refused cell: 4xx, or the login page for an anonymous visitor."""
        expected = self.route.expected(self.role, self.side)
        return expected >= 400 or (self.role == "anonymous" and expected == 302)

    def check(self, matrix: Matrix) -> None:
        before: dict[str, Any] | None = None
        side = matrix.world.side(self.side)
        path = self.route.path(matrix.world, side)
        data = self.route.data(matrix.world, side) if self.route.data else None
        if self.route.api:
            token = matrix.token_as(self.role)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = matrix.app.test_client().open(
                path, method=self.route.method, json=data, headers=headers
            )
        else:
            client = matrix.client_as(self.role)
            refused = self.route.method == "POST" and self.refusal_expected()
            before = database_state() if refused else None
            response = client.open(path, method=self.route.method, data=data)
        expected = self.route.expected(self.role, self.side)
        assert response.status_code == expected, (
            f"{self.role} {self.route.method} {path} ({self.side} organisation): "
            f"{response.status_code}, expected {expected}"
        )
        if not self.route.api and before is not None:
            changed = sorted(name for name, rows in database_state().items() if before.get(name) != rows)
            assert not changed, f"{self.role} POST {path} was refused but changed {', '.join(changed)}"
        if self.role == "anonymous" and expected == 302 and self.route.to_login:
            assert response.location.startswith("/login"), response.location


def database_state() -> dict[str, Any]:
    """Every table's rows (sorted, as text): what a refused POST must leave exactly as it was."""
    from extensions import db

    state: dict[str, Any] = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(table.select()).all()
            state[table.name] = sorted(repr(tuple(row)) for row in rows)
    return state


def cells(routes: list[Route]) -> list[Cell]:
    """Every (route, role, side) cell, as pytest parameters."""
    return list(_cells(routes))


def _cells(routes: list[Route]) -> Iterator[Cell]:
    for route in routes:
        for role in ROLES:
            for side in SIDES if route.scoped else ("own",):
                yield Cell(route, role, side)


#: a hook that puts a package's objects into one association side of the world
Setup = Callable[[World, Side], None]


class Matrix:
    """The world of one test, and clients logged in as each of its actors."""

    def __init__(
        self,
        app: Any,
        factories: Mapping[str, Callable[..., Any]],
        login: Callable[..., Any],
        setups: Sequence[Setup] = (),
    ) -> None:
        self.app = app
        self.login = login
        self.world = build_world(factories)
        for setup in setups:
            for side in (self.world.own, self.world.other):
                setup(self.world, side)

    def token_as(self, role: str) -> str | None:
        """A new API token of the actor `role` (None for anonymous)."""
        from accounts import tokens
        from accounts.database import utcnow
        from accounts.permissions import OPERATOR
        from extensions import db

        user = self.world.actors[role]
        if user is None:
            return None
        issued = tokens.create_token(OPERATOR, user, "matrix", now=utcnow())
        db.session.commit()
        return issued.secret

    def client_as(self, role: str) -> Any:
        client = self.app.test_client()
        user = self.world.actors[role]
        if user is not None:
            response = self.login(client, user)
            assert response.status_code == 302, f"could not log in as {role}"
        return client


def build_world(factories: Mapping[str, Callable[..., Any]]) -> World:
    from accounts import operations
    from accounts.database import utcnow
    from accounts.permissions import OPERATOR
    from extensions import db

    make_org, make_member, make_user = factories["make_org"], factories["make_member"], factories["make_user"]

    def association(label: str) -> Side:
        org = make_org(name=f"{label}协会", code=label.upper())
        side = Side(org)
        for role in (Role.SECRETARIAT, Role.DRAFTER, Role.MEMBER):
            side.people[role.value] = make_member(org, role, name=f"{label}-{role.value}")
        issued = operations.invite(
            OPERATOR,
            org,
            f"invited-{label}@example.org",
            Role.MEMBER,
            voting=True,
            weight=1,
            now=utcnow(),
            valid_for=timedelta(days=7),
        )
        side.extra["invitation"] = issued.invitation
        db.session.commit()
        return side

    own, other = association("own"), association("oth")
    agency = Side(make_org("agency", name="市场监督管理局"))
    agency.people["reviewer"] = make_member(agency.org, Role.REVIEWER, name="审查员")
    actors: dict[str, User | None] = {
        "anonymous": None,
        "outsider": make_user(name="局外人"),
        "secretariat": own.people["secretariat"],
        "drafter": own.people["drafter"],
        "member": own.people["member"],
        "reviewer": agency.people["reviewer"],
        "admin": make_user(name="管理员", is_admin=True),
    }
    return World(own=own, other=other, agency=agency, actors=actors)
