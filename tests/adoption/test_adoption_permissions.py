"""The permission matrix for adoption: associations, reviewers and agencies (tests/permission_matrix.py).

Every route of the adoption blueprints has an entry here (the last test fails for a new one without).
Each association side gets a published standard with a built dossier (a small, valid one stored as a
finished job), a submission to the world's agency and a member's self-declaration.
"""

from __future__ import annotations

from typing import Any

import pytest
from finished_exports import finished_export
from permission_matrix import ROLES, Route, cells

from accounts.database import utcnow
from adoption import operations as adoption
from authoring import operations
from authoring.models import Stage
from exports.dossier_manifest import build_manifest, write_dossier
from extensions import db
from workflow.registry_index import index_published

TEXT = "---\ntitle:\n  zh: {title}\n---\n\n# 范围 {{#scope}}\n\n本文件规定了采信。\n"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"EXPORT_RUNNER": "sync"}


def _add_adoption(world, side) -> None:
    org = side.org
    standard = operations.create_standard(
        org,
        side.people["secretariat"],
        title_zh=f"{org.code}采信标准",
        title_en=None,
        committee=None,
        drafters=[side.membership("drafter")],
        text=TEXT.format(title=f"{org.code}采信标准"),
        now=utcnow(),
    )
    standard.number, standard.sequence = f"T/{org.code} 9\u20142026", 9
    standard.published_revision = standard.latest_number
    standard.stage = Stage.PUBLISHED.value
    db.session.flush()
    index_published(standard, standard.latest_revision().text)
    revision = standard.latest_revision()
    files = {"explanatory-note.json": b'{"chapters": []}'}
    manifest = build_manifest(
        files,
        number=standard.number,
        revision=revision.number,
        content_sha256=revision.content_hash,
        built_at=utcnow(),
        built_by="matrix",
    )
    job = finished_export(standard, revision, write_dossier(files, manifest), format="dossier")
    sha = job.result_sha256
    db.session.flush()
    side.extra["adopted_standard"] = standard
    side.extra["dossier"] = sha
    side.extra["dossier_job"] = job
    side.extra["submission"] = adoption.submit(
        standard, side.people["secretariat"], world.agency.org, sha, now=utcnow()
    )
    side.extra["declaration"] = adoption.declare(
        standard,
        side.people["member"],
        organisation="某公司",
        credit_code="91350100M000100Y43",
        product="产品",
        declared_on=None,
        contact="",
        now=utcnow(),
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_adoption,)


def expect(seen: bool = False, **statuses: int) -> dict[str, int]:
    """`statuses` per role; the rest 404 (403 when `seen`: a published standard is visible to all),
    anonymous to the login page."""
    base = {role: 403 if seen else 404 for role in ROLES}
    base["anonymous"] = 302
    base.update(statuses)
    return base


def _std(suffix: str):
    return lambda w, s: f"/standards/{s.adopted_standard.id}{suffix}"


def _sub(suffix: str = ""):
    return lambda w, s: f"/submissions/{s.submission.id}{suffix}"


def _decl(suffix: str):
    return lambda w, s: f"/declarations/{s.declaration.id}{suffix}"


ROUTES = [
    Route(
        "adoption page",
        "GET",
        _std("/adoption"),
        expect(True, secretariat=200, drafter=200, admin=200),
        expect_other={**expect(True, admin=200)},
    ),
    Route(
        "build dossier",
        "POST",
        _std("/dossiers"),
        expect(True, secretariat=303, drafter=403, admin=303),
        expect_other=expect(True, admin=303),
    ),
    Route(
        "explanatory note",
        "POST",
        _std("/explanatory-note"),
        expect(True, secretariat=303, drafter=303, admin=303),
        expect_other=expect(True, admin=303),
        data=lambda w, s: {"principles": "原则"},
    ),
    Route(
        "submit",
        "POST",
        _std("/submissions"),
        expect(True, secretariat=303, admin=403),
        expect_other=expect(True, admin=403),
        data=lambda w, s: {"agency": str(w.agency.org.id), "dossier": s.dossier},
    ),
    Route(
        "reviewers' desk",
        "GET",
        lambda w, s: "/review",
        {**expect(True), "reviewer": 200, "admin": 200},
        scoped=False,
    ),
    Route(
        "submission page",
        "GET",
        _sub(),
        expect(secretariat=200, reviewer=200, admin=200),
        expect_other=expect(reviewer=200, admin=200),
    ),
    Route(
        "submission dossier",
        "GET",
        _sub("/dossier"),
        expect(secretariat=200, reviewer=200, admin=200),
        expect_other=expect(reviewer=200, admin=200),
    ),
    Route(
        "checklist",
        "POST",
        _sub("/checklist"),
        expect(secretariat=403, reviewer=303, admin=403),
        expect_other=expect(reviewer=303, admin=403),
        data=lambda w, s: {"procedure-met": "y"},
    ),
    Route(
        "thread",
        "POST",
        _sub("/thread"),
        expect(secretariat=303, reviewer=303, admin=403),
        expect_other=expect(reviewer=303, admin=403),
        data=lambda w, s: {"text": "问"},
    ),
    Route(
        "decision",
        "POST",
        _sub("/decision"),
        expect(secretariat=403, reviewer=303, admin=403),
        expect_other=expect(reviewer=303, admin=403),
        data=lambda w, s: {"decision": "adopt", "reference": "文号1"},
    ),
    Route(
        "declare",
        "POST",
        lambda w, s: f"/registry/{s.adopted_standard.number}/declarations",
        {**{r: 303 for r in ROLES}, "anonymous": 302},
        expect_other={**{r: 303 for r in ROLES}, "anonymous": 302},
        data=lambda w, s: {"organisation": "某公司", "credit_code": "91350100M000100Y43", "product": "产品"},
    ),
    Route(
        "adopted catalogue",
        "GET",
        lambda w, s: "/registry/adopted",
        {**{r: 200 for r in ROLES}, "anonymous": 200},
        scoped=False,
    ),
    Route(
        "withdraw declaration",
        "POST",
        _decl("/withdraw"),
        {**{r: 403 for r in ROLES}, "member": 303, "anonymous": 302},
        expect_other={**{r: 403 for r in ROLES}, "anonymous": 302},
    ),
    Route(
        "flag declaration",
        "POST",
        _decl("/flag"),
        {**{r: 403 for r in ROLES}, "secretariat": 303, "anonymous": 302},
        expect_other={**{r: 403 for r in ROLES}, "anonymous": 302},
        data=lambda w, s: {"reason": "不实"},
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


def _api_expect(**statuses: int) -> dict[str, int]:
    """An API cell's statuses: `statuses` per role, the rest 404, anonymous (no token) 401."""
    return {**{role: 404 for role in ROLES}, "anonymous": 401, **statuses}


def _all(status: int) -> dict[str, int]:
    return {**{role: status for role in ROLES}, "anonymous": 401}


API_ROUTES = [
    Route(
        "declarations (API)",
        "GET",
        lambda w, s: f"/api/v1/standards/{s.adopted_standard.id}/declarations",
        {role: 200 for role in ROLES},
        expect_other={role: 200 for role in ROLES},
        api=True,
    ),
    Route(
        "declare (API)",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.adopted_standard.id}/declarations",
        _all(201),
        expect_other=_all(201),
        data=lambda w, s: {"organisation": "某公司", "credit_code": "91350100M000100Y43", "product": "产品"},
        api=True,
    ),
    Route("submissions (API)", "GET", lambda w, s: "/api/v1/submissions", _all(200), api=True, scoped=False),
    Route(
        "build a dossier (API)",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.adopted_standard.id}/dossiers",
        {**_all(403), "secretariat": 202, "admin": 202},
        expect_other={**_all(403), "admin": 202},
        api=True,
    ),
    Route(
        "submit (API), already under review",
        "POST",
        lambda w, s: f"/api/v1/standards/{s.adopted_standard.id}/submissions",
        {**_all(403), "secretariat": 409},
        expect_other=_all(403),
        data=lambda w, s: {"agency": w.agency.org.id, "dossier_sha256": s.dossier},
        api=True,
    ),
    Route(
        "thread (API)",
        "POST",
        lambda w, s: f"/api/v1/submissions/{s.submission.id}/thread",
        _api_expect(secretariat=201, reviewer=201, admin=403),
        expect_other=_api_expect(reviewer=201, admin=403),
        data=lambda w, s: {"text": "问"},
        api=True,
    ),
    Route(
        "decision (API)",
        "POST",
        lambda w, s: f"/api/v1/submissions/{s.submission.id}/decision",
        _api_expect(secretariat=403, reviewer=200, admin=403),
        expect_other=_api_expect(reviewer=200, admin=403),
        data=lambda w, s: {"decision": "adopt", "reference": "文号1"},
        api=True,
    ),
    # a job is its requester's and a dossier's also its secretariat's (this one has no requester)
    Route(
        "job (API)",
        "GET",
        lambda w, s: f"/api/v1/jobs/{s.dossier_job.id}",
        _api_expect(secretariat=200, admin=200),
        expect_other=_api_expect(admin=200),
        api=True,
    ),
    Route(
        "job download (API)",
        "GET",
        lambda w, s: f"/api/v1/jobs/{s.dossier_job.id}/download",
        _api_expect(secretariat=200, admin=200),
        expect_other=_api_expect(admin=200),
        api=True,
    ),
]


@pytest.mark.parametrize("cell", cells(API_ROUTES), ids=str)
def test_api_permission(cell, matrix):
    cell.check(matrix)


def test_every_adoption_route_is_in_the_matrix(app):
    """A new route of the adoption blueprints without a matrix entry fails here."""
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"adoption", "review", "catalogue"}
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert len(rules) == len(ROUTES), sorted(rules)
