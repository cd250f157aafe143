"""Bench row: saving a ~300 KB standard (new revision + lint + render), median in process.

Target (issue 4, "Speed"): at most 300 ms. There is no bare baseline for a save, so the row reports
the target itself as the baseline (0.300 s) with a ratio target of 1.0: the ratio is our median
over 300 ms. Each save changes one paragraph, so every one makes a revision and none hits the cache;
the database is a SQLite file (WAL, BEGIN IMMEDIATE), as `make run` uses, and the process is tuned
as a gunicorn worker is (`wsgi.tune_for_serving`).
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from bench.corpus import standard_text
from bench.run import median_time

#: the issue's target for one save, in seconds
TARGET_SECONDS = 0.300


def run(report) -> None:
    from accounts.database import utcnow
    from accounts.models import Membership, Organisation, OrgKind, Role, User
    from authoring import operations
    from extensions import db
    from wsgi import create_app, tune_for_serving

    text = standard_text()
    marker = next(line for line in text.split("\n") if line.startswith("服务机构应建立培训制度"))
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "BASE_URL": "http://bench.test",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        with app.app_context():
            db.create_all()
            association = Organisation(kind=OrgKind.ASSOCIATION, name="基准协会", code="BENCH")
            drafter = User(email="bench@example.org", name="基准", password_hash="-")
            membership = Membership(user=drafter, org=association, role=Role.DRAFTER)
            secretary = User(email="secretariat@example.org", name="秘书处", password_hash="-")
            office = Membership(user=secretary, org=association, role=Role.SECRETARIAT)
            db.session.add_all([association, drafter, membership, secretary, office])
            db.session.commit()
            standard = operations.create_standard(
                association,
                secretary,
                title_zh="基准",
                title_en=None,
                committee=None,
                drafters=[membership],
                text=text,
                now=utcnow(),
                first_author=drafter,
            )
            db.session.commit()
            counter = itertools.count(1)
            current = {"text": standard.latest_revision().text, "number": 1}

            def save() -> None:
                edited = current["text"].replace(marker, f"{marker}第{next(counter)}次修改。", 1)
                outcome = operations.save_revision(
                    standard, drafter, edited, "bench", current["number"], now=utcnow()
                )
                db.session.commit()
                assert outcome.status == "saved", outcome.status
                current["text"], current["number"] = outcome.text, outcome.revision.number

            tune_for_serving()  # as each gunicorn worker does (gunicorn.conf.py)
            ours = median_time(save)
            db.session.remove()
    report(f"editor save 300 KB (vs {TARGET_SECONDS:.1f} s target)", ours, TARGET_SECONDS, 1.0)
