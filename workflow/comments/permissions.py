"""Who may comment, change a comment, answer it, dispose of it and moderate public ones: one rule each.

Members comment during an open comment period on the released revision; the drafters and the
secretariat at any time before approval (internal review); in a public period anyone with the link
(`can_comment_publicly`). Only the author edits or withdraws a comment, until the period closes;
only the drafters and the secretariat dispose.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.models import Role, User
from accounts.permissions import Actor, role_in
from accounts.refusals import Decision
from authoring.models import Stage, Standard
from workflow.comments.models import Comment, Moderation, Status
from workflow.models import Audience, CommentPeriod, current_period
from workflow.transitions import local_today

#: the stages in which the drafters and the secretariat comment, answer and dispose (before approval)
INTERNAL_STAGES = frozenset({Stage.DRAFTING, Stage.CONSULTATION, Stage.DISPOSITION, Stage.REVIEW})
#: the stages in which dispositions are given (the consultation's own comments once it has closed)
DISPOSING_STAGES = frozenset({Stage.DRAFTING, Stage.DISPOSITION, Stage.REVIEW})


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_active else None


def is_editor(actor: Actor, standard: Standard) -> bool:
    """The standard's drafters and its association's secretariat."""
    user = _user(actor)
    return user is not None and (
        role_in(user, standard.association) == Role.SECRETARIAT or standard.is_drafter(user)
    )


def period_open(period: CommentPeriod | None, now: datetime) -> bool:
    """A period takes comments until it is closed or its last day has passed."""
    return period is not None and period.is_open and local_today(now) <= period.closes_at


def closed_words(period: CommentPeriod) -> str:
    """“The comment period closed on …”, with the day it closed (or ended)."""
    day = period.closed_at.date() if period.closed_at is not None else period.closes_at
    if period.closed_at is not None and period.closes_at < day:
        day = period.closes_at
    return _("The comment period closed on %(date)s; comments are no longer taken.", date=day.isoformat())


def can_comment(actor: Actor, standard: Standard, revision: int, now: datetime) -> Decision:
    """Drafters and the secretariat before approval; members during an open period, on its revision."""
    stage = standard.stage_enum
    if is_editor(actor, standard):
        return Decision.of(stage in INTERNAL_STAGES, _l("Comments are taken only before approval."))
    if role_in(actor, standard.association) is None:
        return Decision.no(_("Only the association's members comment on its drafts."))
    if stage not in (Stage.CONSULTATION, Stage.DISPOSITION, Stage.REVIEW):
        return Decision.no(_("Members comment while the draft is out for consultation."))
    period = current_period(standard)
    if period is None:
        return Decision.no(_("Members comment while the draft is out for consultation."))
    if not period_open(period, now):
        return Decision.no(closed_words(period))
    if revision != period.revision:
        return Decision.no(
            _(
                "Comments are taken on revision %(number)s, the one released for consultation.",
                number=period.revision,
            )
        )
    return Decision.yes()


def comment_closed(standard: Standard, now: datetime) -> bool:
    """True when a member's comment is refused because the period has closed (409 `closed`)."""
    period = current_period(standard)
    return period is not None and not period_open(period, now)


def can_comment_publicly(standard: Standard, now: datetime) -> Decision:
    """Anyone with the link, while a public comment period is open."""
    period = current_period(standard)
    if (
        period is None
        or period.audience != Audience.PUBLIC.value
        or standard.stage_enum != Stage.CONSULTATION
    ):
        return Decision.no(_("This draft is not open for public comments."))
    if not period_open(period, now):
        return Decision.no(closed_words(period))
    return Decision.yes()


def can_change_comment(actor: Actor, comment: Comment, now: datetime) -> Decision:
    """Its author, while it is open and its period has not closed (before approval for an internal one)."""
    user = _user(actor)
    if user is None or comment.author_id != user.id:
        return Decision.no(_("Only the author changes or withdraws a comment."))
    if comment.status != Status.OPEN.value:
        return Decision.no(_("This comment is no longer open."))
    period = comment.standard and current_period(comment.standard)
    if comment.period_id is not None and period is not None and period.id == comment.period_id:
        if not period_open(period, now):
            return Decision.no(closed_words(period))
    elif comment.standard.stage_enum not in INTERNAL_STAGES:
        return Decision.no(_("Comments are taken only before approval."))
    return Decision.yes()


def can_reply(actor: Actor, comment: Comment) -> Decision:
    """The drafters, the secretariat and the comment's author, before approval."""
    user = _user(actor)
    allowed = user is not None and (is_editor(user, comment.standard) or comment.author_id == user.id)
    if allowed and comment.standard.stage_enum not in INTERNAL_STAGES:
        return Decision.no(_("Comments are answered only before approval."))
    return Decision.of(allowed, _l("Only the drafters, the secretariat and the author answer a comment."))


def can_dispose(actor: Actor, comment: Comment) -> Decision:
    """The drafters and the secretariat, once the consultation has closed (or outside one), before approval."""
    if not is_editor(actor, comment.standard):
        return Decision.no(_("Only the drafters and the secretariat dispose of comments."))
    if comment.status == Status.WITHDRAWN.value:
        return Decision.no(_("This comment was withdrawn by its author."))
    if comment.standard.stage_enum not in DISPOSING_STAGES:
        return Decision.no(
            _(
                "Comments are disposed of after the consultation and before approval; the standard is in the stage “%(stage)s”.",
                stage=comment.standard.stage_enum.label,
            )
        )
    return Decision.yes()


def can_moderate(actor: Actor, standard: Standard) -> Decision:
    """The association's secretariat publishes or hides public comments."""
    allowed = role_in(actor, standard.association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the secretariat publishes or hides public comments."))


def can_see_comment(actor: Actor, comment: Comment) -> bool:
    """A published comment: every reader of the standard; a held or hidden one: its author and the
    secretariat."""
    if comment.moderation == Moderation.PUBLISHED.value:
        return True
    user = _user(actor)
    return bool(can_moderate(actor, comment.standard)) or (user is not None and comment.author_id == user.id)
