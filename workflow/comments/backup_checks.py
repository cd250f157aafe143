"""What comments ask a restore to prove (wsgi.BACKUP_CHECKS, accounts.backup): comments and replies
per association."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.backup_checks import N_, counts_by
from authoring.models import Standard
from workflow.comments.models import Comment, CommentReply


def organisation_counts(session: Session, *, recompute: bool) -> dict[str, Any]:
    """Comments and replies per association id."""
    return {
        N_("comments per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(Comment.id)).join(
                Comment, Comment.standard_id == Standard.id
            ),
        ),
        N_("comment replies per organisation"): counts_by(
            session,
            select(Standard.association_id, func.count(CommentReply.id))
            .join(Comment, Comment.standard_id == Standard.id)
            .join(CommentReply, CommentReply.comment_id == Comment.id),
        ),
    }
