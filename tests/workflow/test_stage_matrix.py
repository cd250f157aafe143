"""The permission matrix's stage dimension: the routes whose answer depends on where a standard is in
its life, for a standard in each of the twelve stages × every role × own/other association.

What the stages decide (DESIGN.md, "Stages"; authoring/models.py's EDITABLE_STAGES and PUBLIC_STAGES):
- the text is written only while drafting and while disposing of comments; in every other stage the
  editor sends its readers to the read view and a save is refused, whoever asks;
- from publication on (published, adoption review, adopted, periodic review, withdrawn) everyone
  reads it, in any organisation; before that only its association's people and the administrator;
- drafters and the secretariat comment internally before approval (drafting to review);
- the secretariat cancels a project at any stage before publication, and at no stage after;
- the secretariat starts the periodic review of a standard in force: published or adopted, nothing else;
- a Word file becomes a new revision only where the text is written;
- a technical-review ballot is opened only in the review stage.

One test per (route, stage) builds the world once and walks its 14 cells (7 roles × 2 sides), each with
the matrix's own check (status; a refused POST leaves every table as it was), and reports every wrong
cell at once. The world's standards are put in their stage directly: which moves lead there is the
stage machine's test (tests/workflow/test_stage_machine.py), who may make them test_stage_permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta

import pytest
from permission_matrix import Route, Side, World, api_members, cells, everyone, own_members

from accounts.database import utcnow
from authoring.models import EDITABLE_STAGES, PUBLIC_STAGES, Stage
from extensions import db

#: where drafters and the secretariat comment (workflow/comments/permissions.py INTERNAL_STAGES)
INTERNAL_COMMENT_STAGES = {Stage.DRAFTING, Stage.CONSULTATION, Stage.DISPOSITION, Stage.REVIEW}
#: where the secretariat starts a periodic review (workflow/stages.py REVIEWED_STAGES)
REVIEWABLE_STAGES = {Stage.PUBLISHED, Stage.ADOPTED}
#: where the secretariat may still cancel the project
CANCELLABLE_STAGES = {
    Stage.PROPOSAL, Stage.DRAFTING, Stage.CONSULTATION, Stage.DISPOSITION, Stage.REVIEW, Stage.APPROVAL,
}  # fmt: skip


def _put_in_stage(side: Side, stage: Stage) -> None:
    """A standard of `side`'s association in `stage`, its drafter on the drafting group; from
    publication on it has a number, as every published standard does."""
    standard = side.new_standard(f"{side.org.name}的{stage.label}标准", stage)
    if stage in PUBLIC_STAGES:
        standard.number, standard.sequence = f"T/{side.org.code} 7\u20142026", 7
        standard.published_on, standard.published_revision = utcnow().date(), standard.latest_number
    side.extra["staged"] = standard
    db.session.commit()


def _unchanged_text(world: World, side: Side) -> dict[str, str]:
    """The current text unchanged: a permitted save answers "nothing changed" and redirects."""
    return {"text": side.staged.latest_revision().text, "base_revision": "1", "message": ""}


@dataclass(frozen=True)
class StagedRoute:
    """A route of the staged standard, and its expected statuses in a given stage (own, other)."""

    name: str
    method: str
    path: Callable[[Side], str]
    expect: Callable[[Stage], tuple[Mapping[str, int], Mapping[str, int] | None]]
    data: Callable[[World, Side], dict[str, object]] | None = None
    api: bool = False

    def at(self, stage: Stage) -> Route:
        own, other = self.expect(stage)
        return Route(
            f"{self.name} in {stage.value}",
            self.method,
            lambda world, side: self.path(side),
            own,
            expect_other=other,
            data=self.data,
            api=self.api,
        )


def _read(stage: Stage):
    """Everyone from publication on; before it the association's people and the administrator."""
    if stage in PUBLIC_STAGES:
        return everyone(200, anonymous=200), everyone(200, anonymous=200)
    return own_members(200), None


def _editor(stage: Stage):
    """Editors write where the text is written; every other reader is sent to the read view."""
    if stage in EDITABLE_STAGES:
        return own_members(200, member=302, admin=302), None
    if stage in PUBLIC_STAGES:
        return everyone(302), everyone(302)
    return own_members(302), None


def _save(stage: Stage):
    """A save where the text is written by its editors; refused everywhere else, to everyone."""
    if stage in EDITABLE_STAGES:
        return own_members(302, member=403, admin=403), None
    if stage in PUBLIC_STAGES:
        return everyone(403), everyone(403)
    return own_members(403), None


def _word_import(stage: Stage):
    """The secretariat's new revision from a Word file, where the text is written."""
    if stage in EDITABLE_STAGES:
        return own_members(200, drafter=403, member=403, admin=403), None
    if stage in PUBLIC_STAGES:
        return everyone(403), everyone(403)
    return own_members(403), None


def _internal_comment(stage: Stage):
    """Drafters and the secretariat comment before approval; a member only in an open period (none
    here), a stranger never (the API: 401 without a token)."""
    editors = 201 if stage in INTERNAL_COMMENT_STAGES else 403
    if stage in PUBLIC_STAGES:  # everyone reads it, nobody comments
        return {**everyone(403), "anonymous": 401}, {**everyone(403), "anonymous": 401}
    return api_members(403, secretariat=editors, drafter=editors), None


def _cancel(stage: Stage):
    """Only the secretariat moves a standard: its page answers the secretariat's cancel with the
    standard's page (cancelled, or why not: the move exists only before publication), and everyone
    else with 403, before it says which moves the stage has."""
    if stage in PUBLIC_STAGES:
        return {**everyone(403), "secretariat": 302}, everyone(403)
    return own_members(403, secretariat=302), None


def _api_cancel(stage: Stage):
    """The same move through the API: 200 before publication, 409 where the stage has no cancel."""
    secretariat = 200 if stage in CANCELLABLE_STAGES else 409
    return _api_secretariat_only(stage, secretariat)


def _api_secretariat_only(stage: Stage, secretariat: int):
    """An API verb of the association's secretariat: the others who read the standard get 403."""
    if stage in PUBLIC_STAGES:
        readers = {**everyone(403), "anonymous": 401}
        return {**readers, "secretariat": secretariat}, readers
    return api_members(403, secretariat=secretariat), None


def _api_periodic_review(stage: Stage):
    """The periodic review starts from a standard in force, published or adopted: 409 elsewhere."""
    return _api_secretariat_only(stage, 200 if stage in REVIEWABLE_STAGES else 409)


def _review_ballot(stage: Stage):
    """The secretariat opens a technical-review ballot only in review (elsewhere the stage refuses
    it: 409); nobody else opens one."""
    return _api_secretariat_only(stage, 201 if stage == Stage.REVIEW else 409)


#: a ballot's close, five days on, as the API takes it
CLOSES_AT = (utcnow() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:00+08:00")

ROUTES = [
    StagedRoute("read view", "GET", lambda s: f"/standards/{s.staged.id}", _read),
    StagedRoute("history", "GET", lambda s: f"/standards/{s.staged.id}/history", _read),
    StagedRoute("editor", "GET", lambda s: f"/standards/{s.staged.id}/edit", _editor),
    StagedRoute("save", "POST", lambda s: f"/standards/{s.staged.id}/save", _save, data=_unchanged_text),
    StagedRoute("word import", "GET", lambda s: f"/standards/{s.staged.id}/import", _word_import),
    StagedRoute(
        "api internal comment",
        "POST",
        lambda s: f"/api/v1/standards/{s.staged.id}/comments",
        _internal_comment,
        data=lambda w, s: {
            "revision": 1,
            "clause": "scope",
            "exact": "",
            "type": "te",
            "comment": "内部意见",
        },
        api=True,
    ),
    StagedRoute(
        "cancel",
        "POST",
        lambda s: f"/standards/{s.staged.id}/stages",
        _cancel,
        data=lambda w, s: {"move": "cancel", "reason": "不再需要"},
    ),
    StagedRoute(
        "api cancel",
        "POST",
        lambda s: f"/api/v1/standards/{s.staged.id}/transitions",
        _api_cancel,
        data=lambda w, s: {"to": "cancel", "note": "不再需要"},
        api=True,
    ),
    StagedRoute(
        "api periodic review",
        "POST",
        lambda s: f"/api/v1/standards/{s.staged.id}/transitions",
        _api_periodic_review,
        data=lambda w, s: {"to": "periodic_review", "note": "五年复审"},
        api=True,
    ),
    StagedRoute(
        "api open a review ballot",
        "POST",
        lambda s: f"/api/v1/standards/{s.staged.id}/ballots",
        _review_ballot,
        data=lambda w, s: {"kind": "review", "rule": "iso", "closes_at": CLOSES_AT},
        api=True,
    ),
]


@pytest.mark.parametrize("stage", list(Stage), ids=lambda stage: stage.value)
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_each_role_in_each_stage(route, stage, matrix):
    for side in (matrix.world.own, matrix.world.other):
        _put_in_stage(side, stage)
    wrong = []
    # the refusals first: a permitted POST (a cancel, a ballot) changes the standard for the next cell
    for cell in sorted(cells([route.at(stage)]), key=lambda cell: not cell.refusal_expected()):
        try:
            cell.check(matrix)
        except AssertionError as mismatch:
            wrong.append(str(mismatch).split("\n")[0])
    assert not wrong, "\n".join(wrong)
