"""The rows of the tables out of the comments, as data: the 征求意见汇总处理表 (序号, 章条编号, 意见内容,
提出单位, 处理意见, 理由) and the ISO/IEC commenting template. Exports lays them out in XLSX and DOCX
(exports.comment_tables); nothing here knows a file format."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from accounts.permissions import Actor
from authoring.models import Standard
from workflow.comments.models import Moderation, Status
from workflow.comments.reading import Anchored, anchored_in, clause_numbers
from workflow.models import current_period


@dataclass(frozen=True)
class SummaryRow:
    number: int
    clause_number: str
    comment: str
    organisation: str
    decision: str
    reason: str


@dataclass(frozen=True)
class IsoRow:
    member_body: str
    line: str
    clause: str
    element: str
    type: str
    comment: str
    proposed_change: str
    observations: str


@dataclass(frozen=True)
class TableHeading:
    title: str
    revision: int
    period: str


def _tabled(
    standard: Standard, actor: Actor
) -> tuple[Standard, int, list[Anchored], dict[str, dict[str, Any]]]:
    revision = standard.latest_revision()
    number = revision.number if revision is not None else 0
    numbers = clause_numbers(revision)
    items = [
        item
        for item in anchored_in(standard, number, actor, order=numbers)
        if item.comment.status != Status.WITHDRAWN.value
        and item.comment.moderation == Moderation.PUBLISHED.value
    ]
    return standard, number, items, numbers


def heading(standard: Standard) -> TableHeading:
    """The standard's title, the revision the table is made for and the comment period."""
    period = current_period(standard)
    words = (
        _(
            "%(opens)s to %(closes)s (revision %(number)s)",
            opens=period.opens_at.date().isoformat(),
            closes=period.closes_at.isoformat(),
            number=period.revision,
        )
        if period is not None
        else _("no comment period")
    )
    return TableHeading(standard.title_zh, standard.latest_number, words)


def _clause_number(item: Anchored, numbers: dict[str, dict[str, Any]]) -> str:
    info = numbers.get(item.clause)
    if info is not None and item.state != "outdated":
        return info["number"] or info["label"] or item.clause
    return _("%(clause)s (no longer in the text)", clause=item.clause)


def summary_rows(standard: Standard, actor: Actor) -> list[SummaryRow]:
    """One row per comment (withdrawn and unpublished ones left out), grouped by clause in document order."""
    _standard, _number, items, numbers = _tabled(standard, actor)
    rows = []
    for index, item in enumerate(items, start=1):
        comment = item.comment
        words = comment.comment
        if comment.proposed_change:
            words += "\n" + _("Proposed change: %(text)s", text=comment.proposed_change)
        rows.append(
            SummaryRow(
                number=index,
                clause_number=_clause_number(item, numbers),
                comment=words,
                organisation=comment.organisation or comment.author_name,
                decision=comment.decision_enum.label if comment.decision_enum else "",
                reason=comment.reason,
            )
        )
    return rows


def iso_rows(standard: Standard, actor: Actor) -> list[IsoRow]:
    """One row per comment in the ISO/IEC template's columns."""
    _standard, _number, items, numbers = _tabled(standard, actor)
    rows = []
    for item in items:
        comment, anchor = item.comment, item.anchor
        line = ""
        info = numbers.get(item.clause)
        if info is not None and anchor is not None and item.state != "outdated":
            line = str(info.get("line", "")) if info.get("line") else ""
        observations = ""
        if comment.decision_enum:
            observations = f"{comment.decision_enum.label}: {comment.reason}"
        rows.append(
            IsoRow(
                member_body=comment.organisation or comment.author_name,
                line=line,
                clause=_clause_number(item, numbers),
                element=(anchor.exact if anchor is not None else comment.exact)[:200],
                type=comment.type,
                comment=comment.comment,
                proposed_change=comment.proposed_change,
                observations=observations,
            )
        )
    return rows
