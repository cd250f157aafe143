"""The world the load runs in, built into a fresh database and written down for the locustfile.

    .venv/bin/python bench/load/world.py DATABASE_URL WORLD_JSON [--voters 200 --editors 20 ...]

The demo data first (its published standards fill the registry the readers page through), then one
association of its own: the members who vote (each with an API token), the drafters of the
standards being edited (tokens), the exporters and the readers (who log in through the form, with
one password), a standard in review with a ballot open for two days, a standard in review without
a ballot (its page changes only when the reader's own state does: the page cache's best case), and
the standards the editors save, four drafters each. Everything is made by the operations the app
uses, and every user shares one password hash: scrypt for each of 300 accounts would cost minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: the password every user of the load's association logs in with
PASSWORD = "load-password"
#: drafters who save each edited standard (so saves race on each one)
DRAFTERS_PER_STANDARD = 4
#: the association's code; its standards are the ones the load works on
CODE = "LOAD"


@dataclass
class World:
    """What the locustfile needs: ids, tokens, e-mail addresses (written as JSON)."""

    password: str
    ballot_id: int
    ballot_standard_id: int
    quiet_standard_id: int
    #: standard id → the drafters' tokens, one editor user each
    edited: dict[str, list[str]] = field(default_factory=dict)
    voter_tokens: list[str] = field(default_factory=list)
    #: the same voters' addresses: every other voter votes through the ballot page's form
    voter_emails: list[str] = field(default_factory=list)
    exporter_emails: list[str] = field(default_factory=list)
    #: the exporters' tokens, to read the latest revision of what they export
    exporter_tokens: list[str] = field(default_factory=list)
    reader_emails: list[str] = field(default_factory=list)
    #: the secretariat's token: the runner may close the ballot during the load (--close-ballot-after)
    secretariat_token: str = ""

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> World:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def migrate(database_url: str, instance: Path) -> None:
    """`flask db upgrade` into `database_url`, as `make migrate` does."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL"}}
    env.update(DATABASE_URL=database_url, INSTANCE_PATH=str(instance), DEMO="1", FLASK_APP="wsgi")
    flask = str(Path(sys.executable).with_name("flask"))
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


def build(
    database_url: str,
    instance: Path,
    *,
    voters: int = 200,
    editors: int = 20,
    exporters: int = 5,
    readers: int = 100,
) -> World:
    """Migrate the empty database at `database_url`, load the demo, then the load's association."""
    migrate(database_url, instance)
    from werkzeug.security import generate_password_hash

    from accounts import tokens
    from accounts.database import utcnow
    from accounts.hooks import hooks
    from accounts.models import Membership, Organisation, OrgKind, Role, User
    from accounts.permissions import OPERATOR
    from authoring import operations as authoring
    from authoring.examples import example_text
    from authoring.models import Stage, Standard
    from extensions import db
    from workflow.ballots import operations as ballots
    from wsgi import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "load-world",
            "BASE_URL": "http://127.0.0.1",
            "DEMO": True,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    with app.app_context():
        for load in hooks(app).demo_loaders:
            load(app)
            db.session.commit()
        password_hash = generate_password_hash(PASSWORD)
        association = Organisation(kind=OrgKind.ASSOCIATION, name="负载测试协会", code=CODE)
        db.session.add(association)

        def people(role: Role, count: int, prefix: str, *, voting: bool) -> list[User]:
            made = []
            for n in range(count):
                user = User(email=f"{prefix}{n}@load.test", name=f"{prefix}{n}", password_hash=password_hash)
                db.session.add(user)
                db.session.add(Membership(user=user, org=association, role=role, voting=voting, weight=1))
                made.append(user)
            return made

        (secretariat,) = people(Role.SECRETARIAT, 1, "secretariat", voting=False)
        voting_members = people(Role.MEMBER, voters, "voter", voting=True)
        drafters = people(Role.DRAFTER, editors, "drafter", voting=False)
        exporting = people(Role.MEMBER, exporters, "exporter", voting=False)
        reading = people(Role.MEMBER, readers, "reader", voting=False)
        db.session.flush()
        now = utcnow()
        text = example_text("community-care")

        def standard(title: str, group: list[User]) -> int:
            made = authoring.create_standard(
                association,
                secretariat,
                title_zh=title,
                title_en=None,
                committee=None,
                drafters=[d.membership_in(association) for d in group],
                text=text,
                now=now,
            )
            db.session.flush()
            return made.id

        groups = [
            drafters[i : i + DRAFTERS_PER_STANDARD] for i in range(0, len(drafters), DRAFTERS_PER_STANDARD)
        ]
        edited = {standard(f"负载测试：编辑中的标准{n}", group): group for n, group in enumerate(groups)}
        ballot_standard = db.session.get(Standard, standard("负载测试：投票中的标准", drafters[:1]))
        quiet_standard = db.session.get(Standard, standard("负载测试：审查中的标准", drafters[:1]))
        ballot_standard.stage = Stage.REVIEW.value
        quiet_standard.stage = Stage.REVIEW.value
        db.session.flush()
        ballot = ballots.open_ballot(
            ballot_standard,
            secretariat,
            kind="review",
            rule="cn-tc",
            closes_at=now + timedelta(days=2),
            now=now,
        )

        def token(user: User) -> str:
            return tokens.create_token(OPERATOR, user, "load", now=now).secret

        world = World(
            password=PASSWORD,
            ballot_id=ballot.id,
            ballot_standard_id=ballot_standard.id,
            quiet_standard_id=quiet_standard.id,
            edited={str(sid): [token(d) for d in group] for sid, group in edited.items()},
            voter_tokens=[token(v) for v in voting_members],
            voter_emails=[v.email for v in voting_members],
            exporter_emails=[u.email for u in exporting],
            exporter_tokens=[token(u) for u in exporting],
            reader_emails=[u.email for u in reading],
            secretariat_token=token(secretariat),
        )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("world_json", type=Path)
    parser.add_argument("--instance", type=Path, default=None, help="the app's instance folder")
    for name, default in (("voters", 200), ("editors", 20), ("exporters", 5), ("readers", 100)):
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args(argv)
    instance = args.instance or args.world_json.parent / "instance"
    world = build(
        args.database_url,
        instance,
        voters=args.voters,
        editors=args.editors,
        exporters=args.exporters,
        readers=args.readers,
    )
    world.save(args.world_json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
