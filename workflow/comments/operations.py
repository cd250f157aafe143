"""The verbs of comments: make, edit, withdraw, answer, dispose, moderate, and place them again at
every save (`reanchor_revision`, the `wsgi.REVISION_SAVED` hook authoring calls).

Each takes the actor and `now`, checks its own predicate (`workflow.comments.permissions`), reads
and parses before `write_lock`, decides again under it (a period may have closed meanwhile), records
an event and only flushes: the view or API route commits once. Refusals: "forbidden", "closed" (the
period has closed: the message names the day), "invalid" (with `fields`), "not_found".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.database import write_lock
from accounts.models import User
from accounts.permissions import Actor
from accounts.refusals import Refused
from authoring.events import record
from authoring.models import Revision, Standard
from extensions import db
from workflow import notices
from workflow.comments import anchoring
from workflow.comments.models import (
    AnchorState,
    Comment,
    CommentAnchor,
    CommentEdit,
    CommentReply,
    CommentType,
    Decision,
    Moderation,
    Status,
)
from workflow.comments.permissions import (
    can_change_comment,
    can_comment,
    can_comment_publicly,
    can_dispose,
    can_moderate,
    can_reply,
    comment_closed,
    is_editor,
)
from workflow.models import current_period

#: the longest comment, proposed change, reason or reply kept (a long comment is a page)
MAX_TEXT = 10_000
#: the longest quote kept
MAX_QUOTE = 2_000
#: public comments one e-mail address may make per hour
PUBLIC_PER_HOUR = 5

#: control characters other than line breaks and tabs, removed from plain text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class CommentFields:
    """What a commenter writes, in the ISO/IEC template's fields."""

    type: str
    comment: str
    proposed_change: str = ""


@dataclass(frozen=True)
class Selector:
    """Where in a revision: a clause and (optionally) the exact words with a little context."""

    revision: int
    clause: str
    exact: str = ""
    prefix: str = ""
    suffix: str = ""


def plain_text(value: str | None, limit: int = MAX_TEXT) -> str:
    """Plain text with line breaks: CRLF made LF, control characters dropped, trimmed, capped."""
    text = _CONTROL.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    return text[:limit]


def checked_fields(fields: CommentFields) -> CommentFields:
    """The fields cleaned; a refusal names every wrong one at once."""
    wrong: dict[str, str] = {}
    if fields.type not in CommentType._value2member_map_:
        wrong["type"] = _("Choose the type: general (ge), technical (te) or editorial (ed).")
    comment = plain_text(fields.comment, MAX_TEXT + 1)
    if not comment:
        wrong["comment"] = _("Write the comment.")
    elif len(comment) > MAX_TEXT:
        wrong["comment"] = _("A comment may have at most %(limit)s characters.", limit=MAX_TEXT)
    proposed = plain_text(fields.proposed_change, MAX_TEXT + 1)
    if len(proposed) > MAX_TEXT:
        wrong["proposed_change"] = _(
            "A proposed change may have at most %(limit)s characters.", limit=MAX_TEXT
        )
    if wrong:
        raise Refused(
            "invalid", _("Some of the details are missing or wrong."), list(wrong.values()), fields=wrong
        )
    return CommentFields(fields.type, comment, proposed)


def sources_of(revision: Revision) -> dict[str, str]:
    """The clause sources of a revision (kept in-process by content hash)."""
    return anchoring.clause_sources_of(revision.text, revision.content_hash)


def locate(standard: Standard, selector: Selector) -> tuple[Revision, anchoring.Placement]:
    """The revision and where the selector's words are in it; 422 for an unknown revision or clause, or
    words that clause does not hold. Slow (a parse), so callers do it before the lock."""
    revision = standard.revision(selector.revision)
    if revision is None:
        raise Refused(
            "invalid",
            _("This standard has no revision %(number)s.", number=selector.revision),
            fields={"revision": _("No such revision.")},
        )
    sources = sources_of(revision)
    source = sources.get(selector.clause)
    if source is None:
        raise Refused(
            "invalid",
            _(
                "Revision %(number)s has no clause “%(clause)s”.",
                number=revision.number,
                clause=selector.clause[:80],
            ),
            fields={"clause": _("No such clause in this revision.")},
        )
    exact = plain_text(selector.exact, MAX_QUOTE)
    if not exact:
        return revision, anchoring.Placement("placed", selector.clause, "", 0, 0)
    start = anchoring.find_quote(source, exact, selector.prefix or "", selector.suffix or "")
    if start is None:
        raise Refused(
            "invalid",
            _(
                "The quoted words are not in clause “%(clause)s” of revision %(number)s.",
                clause=selector.clause[:80],
                number=revision.number,
            ),
            fields={"exact": _("These words are not in that clause.")},
        )
    prefix, suffix = anchoring.context_of(source, start, start + len(exact))
    return revision, anchoring.Placement(
        "placed", selector.clause, exact, start, start + len(exact), prefix, suffix
    )


def _anchor(
    comment: Comment, for_revision: int, revision: int, placement: anchoring.Placement
) -> CommentAnchor:
    return CommentAnchor(
        comment=comment,
        for_revision=for_revision,
        revision=revision,
        clause=placement.clause[:200],
        exact=placement.exact,
        prefix=placement.prefix[:200],
        suffix=placement.suffix[:200],
        start=placement.start,
        end=placement.end,
        state=placement.state,
    )


def _forward(
    standard: Standard, revision: Revision, placement: anchoring.Placement
) -> list[tuple[int, int, anchoring.Placement]]:
    """(for_revision, found-in revision, placement) from `revision` to the latest: a comment made on
    an older revision is placed in every later one, as the saves would have placed it."""
    chain = [(revision.number, revision.number, placement)]
    current, found_in, old = placement, revision.number, sources_of(revision)
    for number in range(revision.number + 1, standard.latest_number + 1):
        later = standard.revision(number)
        if later is None:
            continue
        new = sources_of(later)
        quote = anchoring.Quote(current.clause, current.exact, current.prefix, current.suffix, current.start)
        placed = anchoring.reanchor(old, new, [quote])[0]
        if placed.state != AnchorState.OUTDATED.value:
            current, found_in, old = placed, number, new
        chain.append((number, found_in, placed))
    return chain


def create_comment(
    standard: Standard,
    actor: Actor,
    selector: Selector,
    fields: CommentFields,
    *,
    now: datetime,
    organisation: str | None = None,
) -> Comment:
    """A member's, drafter's or the secretariat's comment on `selector`'s words."""
    _require_may_comment(actor, standard, selector.revision, now)
    fields = checked_fields(fields)
    revision, placement = locate(standard, selector)
    chain = _forward(standard, revision, placement)
    write_lock(standard)
    _require_may_comment(actor, standard, selector.revision, now)
    assert isinstance(actor, User)
    membership = actor.membership_in(standard.association)
    period = current_period(standard)
    comment = Comment(
        standard=standard,
        author=actor,
        author_name=actor.name,
        organisation=(organisation or (membership.unit if membership else None) or standard.association.name)[
            :200
        ],
        origin="internal" if is_editor(actor, standard) else "member",
        period_id=period.id if period is not None and period.is_open else None,
        **_made_on(revision, placement, fields, now),
    )
    db.session.add(comment)
    for for_revision, found_in, placed in chain:
        db.session.add(_anchor(comment, for_revision, found_in, placed))
    record(standard, actor, "commented", now=now, revision=revision.number, note=_note(comment))
    db.session.flush()
    return comment


def _made_on(
    revision: Revision, placement: anchoring.Placement, fields: CommentFields, now: datetime
) -> dict:
    return {
        "type": fields.type,
        "comment": fields.comment,
        "proposed_change": fields.proposed_change,
        "made_on_revision": revision.number,
        "clause": placement.clause[:200],
        "exact": placement.exact,
        "prefix": placement.prefix[:200],
        "suffix": placement.suffix[:200],
        "start": placement.start,
        "created_at": now,
        "updated_at": now,
    }


def _note(comment: Comment) -> str:
    return f"{comment.clause}: {comment.comment[:120]}"


def _require_may_comment(actor: Actor, standard: Standard, revision: int, now: datetime) -> None:
    decision = can_comment(actor, standard, revision, now)
    if decision:
        return
    kind = "closed" if comment_closed(standard, now) and not is_editor(actor, standard) else "forbidden"
    decision.require(kind)


def create_public_comment(
    standard: Standard,
    selector: Selector,
    fields: CommentFields,
    *,
    name: str,
    organisation: str,
    email: str,
    now: datetime,
) -> Comment:
    """A comment from anyone with the link in a public period: held until the secretariat publishes it,
    at most `PUBLIC_PER_HOUR` per e-mail address an hour."""
    can_comment_publicly(standard, now).require("closed" if comment_closed(standard, now) else "forbidden")
    wrong: dict[str, str] = {}
    name, organisation, email = (plain_text(v, 200) for v in (name, organisation, email))
    if not name:
        wrong["name"] = _("Give your name.")
    if not organisation:
        wrong["organisation"] = _("Give your organisation.")
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        wrong["email"] = _("Give an e-mail address we can answer to.")
    if wrong:
        raise Refused(
            "invalid", _("Some of the details are missing or wrong."), list(wrong.values()), fields=wrong
        )
    fields = checked_fields(fields)
    revision, placement = locate(standard, selector)
    write_lock(standard)
    can_comment_publicly(standard, now).require("closed")
    recent = db.session.scalar(
        select(func.count()).where(
            Comment.email == email.lower(), Comment.created_at > now - timedelta(hours=1)
        )
    )
    if (recent or 0) >= PUBLIC_PER_HOUR:
        raise Refused(
            "rate_limited", _("Too many comments from this address in the last hour. Try again later.")
        )
    period = current_period(standard)
    if revision.number != (period.revision if period else 0):
        raise Refused("invalid", _("Comments are taken on the revision released for consultation."))
    comment = Comment(
        standard=standard,
        author=None,
        author_name=name,
        organisation=organisation,
        email=email.lower(),
        origin="public",
        moderation=Moderation.HELD.value,
        period_id=period.id if period else None,
        **_made_on(revision, placement, fields, now),
    )
    db.session.add(comment)
    db.session.add(_anchor(comment, revision.number, revision.number, placement))
    record(
        standard,
        None,
        "commented",
        now=now,
        revision=revision.number,
        note=_("A public comment awaits moderation."),
    )
    db.session.flush()
    return comment


def edit_comment(comment: Comment, actor: Actor, fields: CommentFields, *, now: datetime) -> Comment:
    """The author rewrites their open comment; the wording it had is kept."""
    can_change_comment(actor, comment, now).require(_kind(comment, now))
    fields = checked_fields(fields)
    write_lock(comment.standard)
    db.session.refresh(comment)
    can_change_comment(actor, comment, now).require(_kind(comment, now))
    if (comment.type, comment.comment, comment.proposed_change) == (
        fields.type,
        fields.comment,
        fields.proposed_change,
    ):
        return comment
    comment.edits.append(
        CommentEdit(
            replaced_at=now,
            type=comment.type,
            comment=comment.comment,
            proposed_change=comment.proposed_change,
        )
    )
    comment.type, comment.comment, comment.proposed_change = (
        fields.type,
        fields.comment,
        fields.proposed_change,
    )
    comment.updated_at = now
    db.session.flush()
    return comment


def withdraw_comment(comment: Comment, actor: Actor, *, now: datetime) -> Comment:
    """The author takes their open comment back (it stays in the list, marked withdrawn)."""
    can_change_comment(actor, comment, now).require(_kind(comment, now))
    write_lock(comment.standard)
    db.session.refresh(comment)
    can_change_comment(actor, comment, now).require(_kind(comment, now))
    comment.status = Status.WITHDRAWN.value
    comment.withdrawn_at = comment.updated_at = now
    record(comment.standard, actor, "comment_withdrawn", now=now, note=_note(comment))
    db.session.flush()
    return comment


def _kind(comment: Comment, now: datetime) -> str:
    return (
        "closed" if comment.period_id is not None and comment_closed(comment.standard, now) else "forbidden"
    )


def reply(comment: Comment, actor: Actor, text: str, *, now: datetime) -> CommentReply:
    """A reply in the comment's thread."""
    can_reply(actor, comment).require()
    words = plain_text(text)
    if not words:
        raise Refused("invalid", _("Write the reply."), fields={"text": _("Write the reply.")})
    write_lock(comment.standard)
    can_reply(actor, comment).require()
    answer = CommentReply(
        comment=comment, author=actor if isinstance(actor, User) else None, text=words, created_at=now
    )
    db.session.add(answer)
    comment.updated_at = now
    db.session.flush()
    return answer


def dispose(
    comment: Comment,
    actor: Actor,
    decision: str,
    reason: str,
    *,
    applied_in_revision: int | None = None,
    now: datetime,
) -> Comment:
    """The drafters' or the secretariat's answer to a comment, with its reason (a later answer replaces it)."""
    can_dispose(actor, comment).require()
    wrong: dict[str, str] = {}
    if decision not in Decision._value2member_map_:
        wrong["decision"] = _("Choose accepted, accepted in principle, not accepted or noted.")
    words = plain_text(reason)
    if not words:
        wrong["reason"] = _("Give the reason for the disposition.")
    standard = comment.standard
    if applied_in_revision is not None and not 1 <= applied_in_revision <= standard.latest_number:
        wrong["applied_in_revision"] = _(
            "This standard has no revision %(number)s.", number=applied_in_revision
        )
    if wrong:
        raise Refused(
            "invalid", _("Some of the details are missing or wrong."), list(wrong.values()), fields=wrong
        )
    write_lock(standard)
    db.session.refresh(comment)
    can_dispose(actor, comment).require()
    comment.decision = decision
    comment.reason = words
    comment.disposed_by = actor if isinstance(actor, User) else None
    comment.disposed_at = comment.updated_at = now
    comment.applied_in_revision = applied_in_revision
    comment.status = Status.DISPOSED.value
    record(
        standard,
        actor,
        "comment_disposed",
        now=now,
        revision=applied_in_revision,
        note=f"{Decision(decision).label}: {_note(comment)}",
    )
    notices.comment_disposed(comment, now=now)
    db.session.flush()
    return comment


def moderate(comment: Comment, actor: Actor, publish: bool, *, now: datetime) -> Comment:
    """The secretariat publishes a held public comment, or hides it (it no longer counts as open)."""
    can_moderate(actor, comment.standard).require()
    write_lock(comment.standard)
    comment.moderation = (Moderation.PUBLISHED if publish else Moderation.HIDDEN).value
    comment.updated_at = now
    db.session.flush()
    return comment


# -- re-anchoring at save ----------------------------------------------------------------------------


def open_comments(standard: Standard) -> list[Comment]:
    """The comments that still wait for a disposition (held public ones too: they wait for the secretariat)."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.standard_id == standard.id,
                Comment.status == Status.OPEN.value,
                Comment.moderation != Moderation.HIDDEN.value,
            )
            .order_by(Comment.id)
        )
    )


def open_comment_count(standard: Standard) -> int:
    """How many comments on `standard` have no disposition: the disposition → review gate's number."""
    return (
        db.session.scalar(
            select(func.count()).where(
                Comment.standard_id == standard.id,
                Comment.status == Status.OPEN.value,
                Comment.moderation != Moderation.HIDDEN.value,
            )
        )
        or 0
    )


def reanchor_revision(standard: Standard, revision: Revision, *, now: datetime) -> None:
    """Place every open comment in the revision just written (authoring's save calls this under its
    lock, through `wsgi.REVISION_SAVED`): one parse per text, then the pure algorithm."""
    comments = [c for c in open_comments(standard) if c.made_on_revision < revision.number]
    if not comments:
        return
    new = sources_of(revision)
    by_base: dict[int, list[tuple[Comment, CommentAnchor]]] = {}
    for comment in comments:
        last = comment.anchor_in(revision.number - 1)
        if last is not None and last.for_revision < revision.number:
            by_base.setdefault(last.revision, []).append((comment, last))
    for base_number, pairs in by_base.items():
        base = standard.revision(base_number)
        old = sources_of(base) if base is not None else {}
        quotes = [anchoring.Quote(a.clause, a.exact, a.prefix, a.suffix, a.start) for _c, a in pairs]
        for (comment, last), placed in zip(pairs, anchoring.reanchor(old, new, quotes), strict=True):
            found_in = revision.number if placed.state != AnchorState.OUTDATED.value else last.revision
            db.session.add(_anchor(comment, revision.number, found_in, placed))
            if placed.state != AnchorState.PLACED.value or placed.clause != last.clause:
                comment.updated_at = now
    db.session.flush()


def visible(comments: Iterable[Comment], actor: Actor) -> list[Comment]:
    from workflow.comments.permissions import can_see_comment

    return [c for c in comments if can_see_comment(actor, c)]


# -- import of the ISO/IEC template ----------------------------------------------------------------


@dataclass(frozen=True)
class Imported:
    """What an import did: how many comments it made and the rows it could not read, by row number."""

    count: int
    problems: list[str]


def import_comments(standard: Standard, actor: Actor, rows: list, *, now: datetime) -> Imported:
    """Comments from template rows, each anchored by its clause number in the latest revision; a row
    that does not parse is reported by its number and skipped. The drafters and the secretariat."""
    from workflow.comments.reading import clause_numbers

    if not is_editor(actor, standard):
        raise Refused("forbidden", _("Only the drafters and the secretariat import comments."))
    revision = standard.latest_revision()
    if revision is None:
        raise Refused("invalid", _("This standard has no text to comment on yet."))
    by_number: dict[str, str] = {}
    for clause_id, info in clause_numbers(revision).items():
        for key in (info["number"], info["label"], clause_id):
            if key:
                by_number.setdefault(str(key).strip(), clause_id)
    problems: list[str] = []
    made: list[Comment] = []
    write_lock(standard)
    period = current_period(standard)
    for row in rows:
        clause = by_number.get(row.clause.strip().rstrip("."))
        kind = row.type[:2] if row.type else "ge"
        if clause is None:
            problems.append(
                _(
                    "Row %(row)s: there is no clause “%(clause)s” in revision %(number)s.",
                    row=row.row,
                    clause=row.clause[:40],
                    number=revision.number,
                )
            )
            continue
        if kind not in CommentType._value2member_map_:
            problems.append(
                _("Row %(row)s: the type “%(type)s” is not ge, te or ed.", row=row.row, type=row.type[:10])
            )
            continue
        text = plain_text(row.comment)
        if not text:
            problems.append(_("Row %(row)s: the comment is empty.", row=row.row))
            continue
        placement = anchoring.Placement("placed", clause, "", 0, 0)
        comment = Comment(
            standard=standard,
            author=None,
            author_name=plain_text(row.member_body, 200),
            organisation=plain_text(row.member_body, 200),
            origin="imported",
            period_id=period.id if period is not None else None,
            **_made_on(revision, placement, CommentFields(kind, text, plain_text(row.proposed_change)), now),
        )
        db.session.add(comment)
        db.session.add(_anchor(comment, revision.number, revision.number, placement))
        made.append(comment)
    if made:
        record(standard, actor, "comments_imported", now=now, revision=revision.number, note=str(len(made)))
    db.session.flush()
    return Imported(len(made), problems)
