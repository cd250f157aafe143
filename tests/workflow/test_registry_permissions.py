"""The registry in the permission matrix: its pages and downloads answer 200 to everyone, logged in or
not, for a published standard of either association; a drafting standard's would-be address is 404
for everyone, its own association's members included (the registry is not where drafts are read)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from finished_exports import finished_export
from permission_matrix import ROLES, Route, Side, World, cells

from accounts.database import utcnow
from authoring.models import Stage
from extensions import db
from workflow.registry_index import index_published


def _add_registry_standards(world: World, side: Side) -> None:
    for name, stage in (("registry_published", Stage.PUBLISHED), ("registry_draft", Stage.DRAFTING)):
        standard = side.new_standard(f"{side.org.name}的目录标准", stage)
        side.extra[name] = standard
        side.extra[f"{name}_number"] = f"T/{side.org.code} 1\u20142026"
    published = side.extra["registry_published"]
    published.number, published.sequence = side.extra["registry_published_number"], 1
    published.published_on, published.published_revision = utcnow().date(), published.latest_number
    db.session.flush()
    index_published(published, published.latest_revision().text)
    # its PDF, already made: the download route answers with the file
    data = b"%PDF-1.7 registry matrix"
    finished_export(
        published, published.latest_revision(), data, format="pdf", cache_key=f"matrix-{published.id}"
    )
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_registry_standards,)


def _everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def _published(side: Side) -> str:
    return "/registry/" + quote(side.registry_published_number)


def _would_be(side: Side) -> str:
    """The address the drafting standard would have: the number is the published one's with 2."""
    return "/registry/" + quote(side.registry_published_number.replace(" 1", " 2"))


ROUTES = [
    Route("registry", "GET", lambda w, s: "/registry", _everyone(200), scoped=False),
    Route("registry search", "GET", lambda w, s: "/registry?q=目录标准", _everyone(200), scoped=False),
    Route(
        "registry standard", "GET", lambda w, s: _published(s), _everyone(200), expect_other=_everyone(200)
    ),
    Route(
        "registry download",
        "GET",
        lambda w, s: _published(s) + "/download.pdf",
        _everyone(200),
        expect_other=_everyone(200),
    ),
    Route("registry draft", "GET", lambda w, s: _would_be(s), _everyone(404), expect_other=_everyone(404)),
    Route(
        "registry draft download",
        "GET",
        lambda w, s: _would_be(s) + "/download.pdf",
        _everyone(404),
        expect_other=_everyone(404),
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


def test_the_drafting_standard_is_not_in_the_registry_list(matrix):
    client = matrix.client_as("anonymous")
    html = client.get("/registry").get_data(as_text=True)
    assert matrix.world.own.registry_published_number in html
    from sqlalchemy import func, select

    from authoring.models import Standard
    from extensions import db

    numbered = db.session.scalar(select(func.count()).where(Standard.number.is_not(None)))
    # every published one (other packages' matrix set-ups publish theirs too), and no draft
    assert html.count('class="registry-hit"') == numbered >= 2
