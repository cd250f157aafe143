"""Who may export, follow a job, download, and see or change figures: role × route × own/other association.

Each association side gets a drafting standard and a published one, each with a finished export job
and a figure. Exporting answers 303 (to the job's page); a stranger to an unpublished standard gets
404, a visitor who is not logged in the login page; published standards are exported for everyone.
"""

from __future__ import annotations

import io

import pytest
from finished_exports import finished_export
from permission_matrix import ROLES, Route, Side, World, cells, own_members

from accounts.database import utcnow
from authoring.figures import upload_figure
from authoring.models import Stage
from exports.models import ExportJob
from extensions import db


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(out, format="PNG")
    return out.getvalue()


def _finished_job(standard, revision) -> ExportJob:
    return finished_export(standard, revision, f"<!doctype html><p>{standard.id}</p>".encode(), format="html")


def _add_exports(world: World, side: Side) -> None:
    for name, stage in (("export_draft", Stage.DRAFTING), ("export_published", Stage.PUBLISHED)):
        standard = side.new_standard(f"{side.org.name}的导出标准")
        db.session.flush()
        upload_figure(standard, side.people["drafter"], "flow.png", _png(), now=utcnow())
        standard.stage = stage.value
        side.extra[name] = standard
        side.extra[f"{name}_job"] = _finished_job(standard, standard.latest_revision())
    db.session.commit()


#: what this module's routes need in each association side of the world (tests/conftest.py `matrix`)
MATRIX_SETUPS = (_add_exports,)


@pytest.fixture
def app_config():
    return {"EXPORT_RUNNER": "sync"}


def _everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def _ask(world, side):
    return {"revision": "1", "format": "sts"}


def _figure_upload(world, side):
    return {"figure": (io.BytesIO(_png()), "new.png")}


READER = own_members(200)
#: exporting answers 303 See Other (to the job's page)
EXPORTER = own_members(303)
#: figures change with the text: drafters and secretariat; a member or the administrator only reads
FIGURE_EDITOR = own_members(302, member=403, admin=403)

ROUTES = [
    Route("export", "POST", lambda w, s: f"/standards/{s.export_draft.id}/exports", EXPORTER, data=_ask),
    Route("job page", "GET", lambda w, s: f"/exports/{s.export_draft_job.id}", READER),
    Route("job status", "GET", lambda w, s: f"/exports/{s.export_draft_job.id}/status", READER),
    Route("download", "GET", lambda w, s: f"/exports/{s.export_draft_job.id}/download", READER),
    Route(
        "export published",
        "POST",
        lambda w, s: f"/standards/{s.export_published.id}/exports",
        _everyone(303),
        expect_other=_everyone(303),
        data=_ask,
    ),
    Route(
        "download published",
        "GET",
        lambda w, s: f"/exports/{s.export_published_job.id}/download",
        _everyone(200),
        expect_other=_everyone(200),
    ),
    Route("figure", "GET", lambda w, s: f"/standards/{s.export_draft.id}/figures/flow.png", READER),
    Route(
        "upload figure",
        "POST",
        lambda w, s: f"/standards/{s.export_draft.id}/figures",
        FIGURE_EDITOR,
        data=_figure_upload,
    ),
    Route(
        "delete figure",
        "POST",
        lambda w, s: f"/standards/{s.export_draft.id}/figures/flow.png/delete",
        FIGURE_EDITOR,
    ),
    Route(
        "figure of published",
        "GET",
        lambda w, s: f"/standards/{s.export_published.id}/figures/flow.png",
        _everyone(200),
        expect_other=_everyone(200),
    ),
    Route(
        "upload figure to published",
        "POST",
        lambda w, s: f"/standards/{s.export_published.id}/figures",
        {**_everyone(403), "anonymous": 302},
        expect_other={**_everyone(403), "anonymous": 302},
        data=_figure_upload,
    ),
]


@pytest.mark.parametrize("cell", cells(ROUTES), ids=str)
def test_permission(cell, matrix):
    cell.check(matrix)


def test_a_job_that_does_not_exist_is_404_and_sends_visitors_to_log_in(client, login, make_user):
    assert client.get("/exports/999/status").status_code == 302
    login(client, make_user())
    assert client.get("/exports/999/status").status_code == 404
