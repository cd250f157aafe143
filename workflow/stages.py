"""The stages of a standard and the moves between them, as data: one table that the standard page, the
JSON API and the tests all read (DESIGN.md, "The life of a standard").

`authoring.models.Stage` stays the one list of stages; this module adds what each stage means for
records and covers (`STAGES`: its ISO harmonized stage code, its names, the draft name a cover
prints) and the one table of allowed moves (`TRANSITIONS`: from, to, the gate it needs and the
parameters it takes). The gates themselves are pure functions in `workflow.rules`, named here by key.

ISO codes follow ISO's harmonized stage codes (ISO/IEC Directives Part 1, Annex SD): the stage
00.00 proposal, 20.00 working draft, 40.20 enquiry (consultation) ballot, 40.60 close of voting,
50.20 approval ballot (our technical review), 50.60 close of approval, 60.60 publication, 90.20
periodic review, 95.99 withdrawal. A cancelled project has the code of the stage it left with the
subcode 98 ("project abandoned / deleted"): 00.98, 20.98, 40.98 or 50.98 (the table's "x.98"), so
`Stage.CANCELLED` alone has no fixed code and `cancelled_code(left)` gives it.

A periodic review ends where it began: "confirm" and "revise" return an adopted standard to adopted
and a published one to published. The table says so with two moves of one name, told apart by
`Transition.entered_from` (the stage the standard entered periodic review from, which its history
keeps); `transitions_from(stage, came_from)` offers the one that fits. Which way a move goes is not a
gate: a gate is "not yet, because …" and the page greys the move out with the reasons, while an
adopted standard can never be confirmed into plain "published", so that twin is not offered at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from flask_babel import lazy_gettext as _l

from authoring.models import Stage


@dataclass(frozen=True)
class StageInfo:
    """What a stage is called and coded: `label` in the reader's language, `name_zh`/`name_en` for
    records and the API, `draft_name` for the cover of a revision released in that stage."""

    stage: Stage
    #: the ISO harmonized stage code; None for adoption (no ISO counterpart) and cancelled (x.98)
    iso_code: str | None
    name_zh: str
    name_en: str
    #: the cover's draft label of a revision released in this stage, {"zh": …, "en": …}, or None
    draft_name: Mapping[str, str] | None = None

    @property
    def label(self) -> str:
        return self.stage.label

    def draft_label(self, language: str) -> str | None:
        """The cover's draft name in a document's language ("zh" or "en")."""
        if self.draft_name is None:
            return None
        return self.draft_name["en" if language == "en" else "zh"]


#: every stage of `Stage`, in the order of a project's life (the stage bar draws this order)
STAGES: Mapping[Stage, StageInfo] = {
    info.stage: info
    for info in (
        StageInfo(Stage.PROPOSAL, "00.00", "提案", "Proposal"),
        StageInfo(Stage.DRAFTING, "20.00", "起草", "Drafting", {"zh": "工作组讨论稿", "en": "Working draft"}),
        StageInfo(
            Stage.CONSULTATION,
            "40.20",
            "征求意见",
            "Consultation",
            {"zh": "征求意见稿", "en": "Draft for comments"},
        ),
        StageInfo(Stage.DISPOSITION, "40.60", "意见处理", "Disposition of comments"),
        StageInfo(
            Stage.REVIEW, "50.20", "技术审查", "Technical review", {"zh": "送审稿", "en": "Draft for review"}
        ),
        StageInfo(Stage.APPROVAL, "50.60", "批准", "Approval", {"zh": "报批稿", "en": "Draft for approval"}),
        StageInfo(Stage.PUBLISHED, "60.60", "发布", "Published"),
        StageInfo(Stage.ADOPTION_REVIEW, None, "采信审查", "Adoption review"),
        StageInfo(Stage.ADOPTED, None, "已采信", "Adopted"),
        StageInfo(Stage.PERIODIC_REVIEW, "90.20", "复审", "Periodic review"),
        StageInfo(Stage.WITHDRAWN, "95.99", "废止", "Withdrawn"),
        StageInfo(Stage.CANCELLED, None, "终止", "Cancelled"),
    )
}
assert set(STAGES) == set(Stage), "every Stage needs its StageInfo"

#: the stages a project passes on its way to publication: the stage bar's steps
PATH_TO_PUBLICATION = (
    Stage.PROPOSAL,
    Stage.DRAFTING,
    Stage.CONSULTATION,
    Stage.DISPOSITION,
    Stage.REVIEW,
    Stage.APPROVAL,
    Stage.PUBLISHED,
)
#: the stages from which a project may still be cancelled
BEFORE_PUBLICATION = frozenset(PATH_TO_PUBLICATION[:-1])


def cancelled_code(left: Stage | str | None) -> str | None:
    """The ISO code of a project cancelled in stage `left`: its stage group with subcode 98."""
    info = STAGES.get(Stage(left)) if left else None
    if info is None or info.iso_code is None:
        return None
    return f"{info.iso_code.split('.')[0]}.98"


#: names of the parameters a transition takes (its form fields and JSON members)
Parameter = Literal["closes_at", "audience", "reason", "note", "publish_date", "implement_date"]


@dataclass(frozen=True)
class Transition:
    """One allowed move: its `name`, the stage it leaves and enters, the gate (a key of
    `workflow.rules.GATES`), the parameters it takes and which of them it requires. A name is unique
    from its stage for each `entered_from`: moves that share one differ in where they lead."""

    name: str
    source: Stage
    target: Stage
    gate: str
    parameters: tuple[Parameter, ...] = ()
    required: tuple[Parameter, ...] = ()
    #: the button's words
    action: Any = None
    #: the move is the one for a standard that entered `source` from this stage (periodic review of an
    #: adopted standard confirms it back to adopted); None: for every standard in `source`
    entered_from: Stage | None = None

    @property
    def key(self) -> str:
        route = f"@{self.entered_from.value}" if self.entered_from is not None else ""
        return f"{self.source.value}:{self.name}{route}"

    def __str__(self) -> str:
        return f"{self.source.value}→{self.target.value} ({self.name})"


def _cancel(source: Stage) -> Transition:
    return Transition(
        "cancel",
        source,
        Stage.CANCELLED,
        "open",
        ("reason",),
        ("reason",),
        _l("Cancel the project"),
    )


#: the stages of a standard in force that a periodic review starts from and, confirmed or revised,
#: returns to (the first is where a review of unknown origin returns: see `transitions_from`)
REVIEWED_STAGES = (Stage.PUBLISHED, Stage.ADOPTED)

#: every allowed move, in the order the page offers them; nothing else moves a standard
TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", Stage.PROPOSAL, Stage.DRAFTING, "open", ("note",), (), _l("Accept the proposal")),
    _cancel(Stage.PROPOSAL),
    Transition(
        "release",
        Stage.DRAFTING,
        Stage.CONSULTATION,
        "has_text",
        ("closes_at", "audience", "note"),
        ("closes_at", "audience"),
        _l("Release for consultation"),
    ),
    _cancel(Stage.DRAFTING),
    Transition(
        "close",
        Stage.CONSULTATION,
        Stage.DISPOSITION,
        "period_ended",
        ("reason",),
        (),
        _l("Close the consultation"),
    ),
    _cancel(Stage.CONSULTATION),
    Transition(
        "submit",
        Stage.DISPOSITION,
        Stage.REVIEW,
        "no_open_comments",
        ("note",),
        (),
        _l("Submit for technical review"),
    ),
    _cancel(Stage.DISPOSITION),
    Transition(
        "approve",
        Stage.REVIEW,
        Stage.APPROVAL,
        "review_ballot_passed",
        ("note",),
        (),
        _l("Send for approval"),
    ),
    Transition(
        "reconsult",
        Stage.REVIEW,
        Stage.CONSULTATION,
        "review_ballot_failed",
        ("closes_at", "audience", "note"),
        ("closes_at", "audience"),
        _l("Consult again"),
    ),
    Transition(
        "redraft",
        Stage.REVIEW,
        Stage.DRAFTING,
        "review_ballot_failed",
        ("note",),
        (),
        _l("Back to drafting"),
    ),
    _cancel(Stage.REVIEW),
    Transition(
        "publish",
        Stage.APPROVAL,
        Stage.PUBLISHED,
        "lint_clean",
        ("publish_date", "implement_date", "note"),
        (),
        _l("Publish"),
    ),
    _cancel(Stage.APPROVAL),
    *(
        Transition(
            "periodic_review",
            reviewed,
            Stage.PERIODIC_REVIEW,
            "not_replaced",
            ("note",),
            (),
            _l("Start the periodic review"),
        )
        for reviewed in REVIEWED_STAGES
    ),
    *(
        Transition(
            "confirm",
            Stage.PERIODIC_REVIEW,
            reviewed,
            "open",
            ("note",),
            (),
            _l("Confirm the standard"),
            entered_from=reviewed,
        )
        for reviewed in REVIEWED_STAGES
    ),
    *(
        Transition(
            "revise",
            Stage.PERIODIC_REVIEW,
            reviewed,
            "no_revision_under_way",
            ("note",),
            (),
            _l("Revise: start a new project that will replace it"),
            entered_from=reviewed,
        )
        for reviewed in REVIEWED_STAGES
    ),
    Transition(
        "withdraw",
        Stage.PERIODIC_REVIEW,
        Stage.WITHDRAWN,
        "open",
        ("reason",),
        ("reason",),
        _l("Withdraw the standard"),
    ),
)

assert len({t.key for t in TRANSITIONS}) == len(TRANSITIONS), (
    "a transition's name is unique per stage and stage it was entered from"
)
assert all(_cancel(s) in TRANSITIONS for s in BEFORE_PUBLICATION), (
    "cancel from every stage before publication"
)


#: the stages with moves that depend on where the standard came from (`Transition.entered_from`)
ROUTED_STAGES = frozenset(t.source for t in TRANSITIONS if t.entered_from is not None)


def transitions_from(stage: Stage | str, came_from: Stage | str | None = None) -> tuple[Transition, ...]:
    """The moves out of `stage`, one for each name, in the table's order: of the moves that share a
    name, the one for a standard that entered `stage` from `came_from`, else the table's first (a
    history that does not say where the standard came from reads as the oldest way in)."""
    stage = Stage(stage)
    came = Stage(came_from) if came_from else None
    moves = [t for t in TRANSITIONS if t.source == stage]
    chosen: dict[str, Transition] = {}
    for move in moves:
        if move.name not in chosen or (came is not None and move.entered_from == came):
            chosen[move.name] = move
    return tuple(t for t in moves if chosen[t.name] is t)


def find_transition(
    stage: Stage | str, to: Stage | str, came_from: Stage | str | None = None
) -> Transition | None:
    """The move out of `stage` named `to` (a transition name such as "revise"), or else the first move
    into the stage `to` ("published" from periodic review is "confirm"), among the moves of a standard
    that entered `stage` from `came_from` (`transitions_from`); None when there is none."""
    moves = transitions_from(stage, came_from)
    by_name = next((t for t in moves if t.name == to), None)
    if by_name is not None:
        return by_name
    try:
        target = Stage(to)
    except ValueError:
        return None
    return next((t for t in moves if t.target == target), None)


def draft_name(stage: Stage | str, language: str) -> str | None:
    """The cover's draft name of a revision released in `stage`, in `language`."""
    return STAGES[Stage(stage)].draft_label(language)
