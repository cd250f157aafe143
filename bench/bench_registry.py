"""Bench rows: registry search over 5,000 generated published standards on SQLite (issue 10).

Target: a search answers in at most 50 ms at the 95th percentile. There is no bare baseline for a
search, so a row reports the target as its baseline (0.050 s) with a ratio target of 1.0, as the
editor row does for a save.

The standards are generated, not made through the verbs (5,000 saves would take minutes): organisations,
standards and their registry entries go in with bulk INSERTs into a SQLite file (WAL), and the FTS5
trigram index is filled by the entries' triggers, as a publication fills it. Each body is a window of
BODY_CHARS characters of the community-care example's plain text (a different window per standard)
plus one sentence of its own, so a common phrase matches thousands of standards and a rare one one.

Rows (each over every query of QUERIES, ROUNDS times, in process: `search_registry`, as the page
calls it, including the COUNT and the snippets):
- search p95 over all queries; and the worst kind's p95, to see which kind costs most;
- the registry page (/registry?q=…) through the test client, p95 (template and all);
- the list without a query, page 1 and page 200.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bench import run as bench_run

#: BENCH_REGISTRY_STANDARDS makes fewer (tests/test_bench.py only checks that the rows run)
STANDARDS = int(os.environ.get("BENCH_REGISTRY_STANDARDS", "5000"))
ASSOCIATIONS = 40
BODY_CHARS = 6_000
TARGET_SECONDS = 0.050
ROUNDS = 5

#: (kind, query); {n} is filled with a standard's serial number
QUERIES = [
    ("number", "T/AS7 12—2022"),
    ("number part", "AS13 4"),
    ("title phrase", "服务质量评价"),
    ("title word (short)", "养老"),
    ("body phrase, common", "服务机构应"),
    ("body phrase, rare", "第4321号专用条款"),
    ("body substring, no word", "照料服务记"),
    ("two terms", "康复护理 服务质量"),
    ("english", "elderly care"),
    ("no match", "量子纠缠通信协议"),
    ("association", "第17养老服务协会"),
    ("hostile", '"NEAR(服务 OR 机构)* %_'),
]

TITLES = [
    "养老机构服务质量评价规范",
    "居家养老上门服务规范",
    "社区日间照料中心服务要求",
    "老年人能力评估技术规范",
    "养老护理员职业技能要求",
    "智慧养老平台数据接口规范",
    "老年餐桌服务规范",
    "康复护理服务指南",
]


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def body_source() -> str:
    """The community-care example's plain text, as the registry indexes it."""
    from authoring.analysis import analyse
    from authoring.examples import example_text
    from workflow.registry_index import plain_text

    return plain_text(analyse(example_text("community-care")).html)


def generate(db, source: str, seed: int = 10) -> float:
    """Bulk-insert the associations, standards and registry entries; the seconds it took."""
    from sqlalchemy import insert

    from accounts.database import utcnow
    from accounts.models import Organisation, OrgKind
    from authoring.models import Standard
    from workflow.registry_index import RegistryEntry

    rng = random.Random(seed)
    start = time.perf_counter()
    now = utcnow()
    db.session.execute(
        insert(Organisation),
        [
            {
                "id": n,
                "kind": OrgKind.ASSOCIATION,
                "name": f"深圳市第{n}养老服务协会",
                "code": f"AS{n}",
                "created_at": now,
            }
            for n in range(1, ASSOCIATIONS + 1)
        ],
    )
    standards, entries = [], []
    stages = ["published"] * 8 + ["adopted", "withdrawn"]
    span = max(1, len(source) - BODY_CHARS)
    for n in range(1, STANDARDS + 1):
        association = n % ASSOCIATIONS + 1
        sequence = n // ASSOCIATIONS + 1
        year = 2020 + n % 6
        number = f"T/AS{association} {sequence}\u2014{year}"
        title = f"{TITLES[n % len(TITLES)]}（第{n}部分）"
        published = date(year, 1, 1) + timedelta(days=n % 360)
        standards.append(
            {
                "id": n,
                "association_id": association,
                "title_zh": title,
                "title_en": "Elderly care services" if n % 3 == 0 else None,
                "stage": stages[n % len(stages)],
                "latest_number": 1,
                "created_at": now,
                "number": number,
                "sequence": sequence,
                "published_on": published,
                "implemented_on": published + timedelta(days=30),
                "published_revision": 1,
                "replaces_id": n - ASSOCIATIONS * 6 if n % 17 == 0 and n > ASSOCIATIONS * 6 else None,
            }
        )
        offset = rng.randrange(span)
        entries.append(
            {
                "standard_id": n,
                "number": number,
                "title_zh": title,
                "title_en": "Elderly care services" if n % 3 == 0 else "",
                "association": f"深圳市第{association}养老服务协会",
                "body": f"本文件是第{n}号专用条款的载体。\n" + source[offset : offset + BODY_CHARS],
                "indexed_at": now,
            }
        )
    db.session.execute(insert(Standard), standards)
    db.session.execute(insert(RegistryEntry), entries)
    db.session.commit()
    return time.perf_counter() - start


def timed(function: Callable[[], object], rounds: int) -> list[float]:
    function()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def run(report) -> None:
    from extensions import db
    from workflow.registry_search import RegistryQuery, search_registry
    from wsgi import create_app

    rounds = max(ROUNDS, bench_run.REPEAT)
    source = body_source()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "registry.sqlite3"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "BASE_URL": "http://bench.test",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "RATELIMIT_STORAGE_URI": "memory://",
            }
        )
        with app.app_context():
            db.create_all()
            seconds = generate(db, source)
            size = database.stat().st_size + sum(p.stat().st_size for p in Path(folder).glob("*-wal"))
            print(
                f"  (generated {STANDARDS:,} published standards of {BODY_CHARS:,} characters in "
                f"{seconds:.1f} s; database {size / 1e6:.0f} MB)"
            )
            per_kind: dict[str, list[float]] = {}
            totals: dict[str, int] = {}
            for kind, text in QUERIES:
                query = RegistryQuery(text=text)
                per_kind[kind] = timed(lambda query=query: search_registry(query), rounds)
                totals[kind] = search_registry(query).total
            every = [t for times in per_kind.values() for t in times]
            worst = max(per_kind, key=lambda kind: p95(per_kind[kind]))
            print("  " + "; ".join(f"{kind}: {totals[kind]} hits" for kind in per_kind))
            report(f"registry search over {STANDARDS:,}, p95", p95(every), TARGET_SECONDS, 1.0)
            report(f"registry search, worst: {worst}"[:44], p95(per_kind[worst]), TARGET_SECONDS, 1.0)
            client = app.test_client()
            pages = [
                timed(lambda text=text: client.get("/registry", query_string={"q": text}), rounds)
                for _kind, text in QUERIES
            ]
            report(
                "registry page with a search, p95", p95([t for ts in pages for t in ts]), TARGET_SECONDS, 1.0
            )
            first = timed(lambda: client.get("/registry"), rounds)
            deep = timed(lambda: client.get("/registry?page=200"), rounds)
            report("registry list, page 1, p95", p95(first), TARGET_SECONDS, 1.0)
            report("registry list, page 200, p95", p95(deep), TARGET_SECONDS, 1.0)
            print(f"  (median search {statistics.median(every) * 1000:.1f} ms)")
            db.session.remove()
            db.engine.dispose()
