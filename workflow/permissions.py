"""Who may move a standard between stages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from accounts.models import Role
from accounts.permissions import Actor, Operator, role_in
from accounts.refusals import Decision
from authoring.models import Standard


def can_move_stages(actor: Actor, standard: Standard) -> Decision:
    """The association's secretariat, and the operator at the command line."""
    allowed = isinstance(actor, Operator) or role_in(actor, standard.association) == Role.SECRETARIAT
    return Decision.of(allowed, _l("Only the association's secretariat moves a standard between stages."))
