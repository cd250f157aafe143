"""What the pages, the API and the tables read of comments: each comment with its anchor in a
revision, filtered, in document order, and the counts per clause the dashboard draws."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from accounts.permissions import Actor
from authoring.models import RenderCache, Revision, Standard
from extensions import db
from workflow.comments.models import Comment, CommentAnchor, CommentReply, Moderation
from workflow.comments.permissions import can_see_comment


@dataclass(frozen=True)
class Anchored:
    """A comment and where it is in the revision asked about."""

    comment: Comment
    anchor: CommentAnchor | None

    @property
    def clause(self) -> str:
        return self.anchor.clause if self.anchor is not None else self.comment.clause

    @property
    def state(self) -> str:
        return self.anchor.state if self.anchor is not None else "outdated"


@dataclass(frozen=True)
class Filters:
    """The list view's and the API's filters; empty means any."""

    clause: str = ""
    type: str = ""
    status: str = ""
    organisation: str = ""
    author: str = ""

    def keep(self, item: Anchored) -> bool:
        comment = item.comment
        return (
            (not self.clause or item.clause == self.clause)
            and (not self.type or comment.type == self.type)
            and (not self.status or comment.status == self.status)
            and (not self.organisation or self.organisation in comment.organisation)
            and (not self.author or self.author in comment.author_name)
        )


def clause_numbers(revision: Revision | None) -> dict[str, dict[str, Any]]:
    """{clause id: {"number", "label", "title", "order"}} of a revision, from its stored outline."""
    found: dict[str, dict[str, Any]] = {}
    outline = (
        db.session.scalar(
            select(RenderCache.outline).where(RenderCache.content_hash == revision.content_hash)
        )
        if revision is not None
        else None
    )

    def visit(entries: Iterable[dict[str, Any]]) -> None:
        for entry in entries:
            found[entry["id"]] = {
                "number": entry.get("number") or entry.get("label") or "",
                "label": entry.get("label") or "",
                "title": entry.get("title") or "",
                "order": len(found),
                "line": entry.get("line"),
            }
            visit(entry.get("children") or [])

    visit(outline or [])
    return found


def comments_of(standard: Standard) -> list[Comment]:
    """Every comment on `standard` with its anchors, replies and edits, oldest first."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.standard_id == standard.id)
            .options(
                selectinload(Comment.anchors),
                selectinload(Comment.replies).selectinload(CommentReply.author),
                selectinload(Comment.edits),
                selectinload(Comment.author),
                selectinload(Comment.disposed_by),
            )
            .order_by(Comment.id)
        )
    )


def anchored_in(
    standard: Standard,
    revision: int,
    actor: Actor,
    filters: Filters | None = None,
    *,
    order: dict[str, dict[str, Any]] | None = None,
) -> list[Anchored]:
    """The comments `actor` may see that were made on or before `revision`, with their anchor there,
    in document order of the clause (outdated ones after the clauses they no longer find)."""
    items = [
        Anchored(c, c.anchor_in(revision))
        for c in comments_of(standard)
        if c.made_on_revision <= revision and can_see_comment(actor, c)
    ]
    if filters is not None:
        items = [item for item in items if filters.keep(item)]
    positions = order or {}
    last = len(positions) + 1
    return sorted(
        items,
        key=lambda item: (
            positions.get(item.clause, {}).get("order", last),
            item.anchor.start if item.anchor is not None else 0,
            item.comment.id,
        ),
    )


@dataclass
class ClauseCounts:
    clause: str
    number: str
    title: str
    by_status: Counter[str] = field(default_factory=Counter)
    by_type: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def counts_per_clause(items: Sequence[Anchored], numbers: dict[str, dict[str, Any]]) -> list[ClauseCounts]:
    """Per clause in document order: how many comments by status and by type."""
    rows: dict[str, ClauseCounts] = {}
    for item in items:
        info = numbers.get(item.clause, {})
        row = rows.setdefault(
            item.clause, ClauseCounts(item.clause, info.get("number", ""), info.get("title", item.clause))
        )
        row.by_status[item.comment.status] += 1
        row.by_type[item.comment.type] += 1
    return list(rows.values())


def page_version(standard_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """What the read page's margin shows that can change without an event: the newest change of a
    comment (an edit, a reply, a disposition, a moderation, a re-anchoring) and how many there are."""
    return [
        select(func.max(Comment.updated_at)).where(Comment.standard_id == standard_id).scalar_subquery(),
        select(func.count(Comment.id))
        .where(Comment.standard_id == standard_id, Comment.moderation == Moderation.PUBLISHED.value)
        .scalar_subquery(),
    ]
