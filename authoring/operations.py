"""The verbs that change standards: create a project, save a revision, restore an old one.

Each takes the acting user and the time explicitly and only flushes; the view commits once. Saving is
the one place where two people race, so it is written to lose nothing: every save names the revision
it was based on; when someone else saved meanwhile the two edits are merged three ways, and when they
overlap the drafter gets a `Conflict` that carries their text byte for byte. One revision per
(standard, number) is guaranteed by taking the write lock before the next number is decided
(`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on the standard row on PostgreSQL) with the
unique constraint as the backstop. Everything slow (parse, render, merge, the character diff, the
clause digests) is done before the lock, against the latest revision as it was read; under the lock
a save only checks that nobody saved meanwhile, numbers and inserts (see `_prepare_then_lock`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from accounts.database import write_lock
from accounts.hooks import revision_saved
from accounts.models import Membership, Organisation, User
from accounts.refusals import Refused
from accounts.uploads import shown_name
from authoring import analysis
from authoring.document import DocumentTooLarge, parse, with_derived_ids
from authoring.document.merge import merge3
from authoring.events import record
from authoring.models import Revision, Stage, Standard, StandardDrafter
from authoring.permissions import can_create_standard, can_edit_standard
from authoring.revision_changes import RevisionDraft, draft_revision
from authoring.skeleton import blank_standard
from extensions import db

#: the largest text a standard may have, in bytes of UTF-8 (a long standard is 300–400 KB)
MAX_TEXT_BYTES = 1_000_000

#: how often a save prepares outside the lock when others keep saving first; the last attempt
#: prepares under the lock, so a save always ends
PREPARE_ATTEMPTS = 3


@dataclass(frozen=True)
class Saved:
    """A save that went through: `text` is what the standard now holds (ids written into headings)."""

    status: Literal["saved", "merged", "unchanged"]
    revision: Revision
    text: str


@dataclass(frozen=True)
class Conflict:
    """Someone else saved meanwhile and the edits overlap: nothing was written.

    `mine` is the drafter's text exactly as submitted; `merged_text` is the merge with both sides of
    every overlapping hunk marked, a starting point for resolving.
    """

    base_number: int
    latest: Revision
    mine: str
    merged_text: str
    conflicts: list[Any] = field(default_factory=list)
    status: Literal["conflict"] = "conflict"


SaveOutcome = Saved | Conflict


def check_size(text: str) -> None:
    """Refuse texts too large to edit, parse and render in a request (PITFALLS.md: cap input size),
    and texts that cannot be stored as UTF-8."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise Refused(
            "invalid",
            _(
                "The text has a broken character at position %(position)s (half of an emoji or a symbol). Delete it and try again.",
                position=error.start + 1,
            ),
        ) from error
    if size > MAX_TEXT_BYTES:
        raise Refused(
            "too_large",
            _(
                "The text is %(size)s KB; a standard may have at most %(limit)s KB. Split it into parts "
                "or remove embedded data.",
                size=size // 1000,
                limit=MAX_TEXT_BYTES // 1000,
            ),
        )


def read_upload(data: bytes, filename: str) -> str:
    """The text of an uploaded Standard Markdown file: UTF-8 (a BOM is dropped), size-capped. The
    caller reads at most MAX_TEXT_BYTES + 1 bytes of the upload, so a larger file is only "larger"."""
    name = shown_name(filename)
    if len(data) > MAX_TEXT_BYTES:
        raise Refused(
            "too_large",
            _(
                "The file %(name)s is larger than %(limit)s KB, the most a standard may have.",
                name=name,
                limit=MAX_TEXT_BYTES // 1000,
            ),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(
            "invalid",
            _(
                "The file %(name)s is not UTF-8 text (Standard Markdown is UTF-8). Save it as UTF-8 and upload it again.",
                name=name,
            ),
        ) from error
    if "\x00" in text:
        raise Refused("invalid", _("The file %(name)s is not a text file.", name=name))
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    """Browsers post textareas with CRLF; revisions store LF only, so diffs show real changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def create_standard(
    association: Organisation,
    creator: User,
    *,
    title_zh: str,
    title_en: str | None,
    committee: str | None,
    drafters: list[Membership],
    text: str | None,
    now: datetime,
    first_author: User | None = None,
    kind: str | None = None,
) -> Standard:
    """A new project in the drafting stage whose revision 1 is `text` or a blank GB/T 1.1 skeleton.

    Revision 1 is by `first_author` when given (a drafter who wrote the uploaded file), else by the
    creator. Without a title the uploaded file's `title.zh` is used. `kind` names how revision 1 came
    about when it is neither "created" nor "uploaded" (workflow's revision of a published standard).
    """
    can_create_standard(creator, association).require()
    if not title_zh and text is not None:
        title_zh = _title_of(text)
    if not title_zh:
        raise Refused(
            "invalid", _("Give the Chinese title, or upload a file whose front matter has title.zh.")
        )
    kind = kind or ("uploaded" if text is not None else "created")
    if text is None:
        text = blank_standard(title_zh=title_zh, title_en=title_en, association=association.name)
    check_size(text)
    # analysed before the first INSERT takes the write lock
    draft = draft_revision(_with_ids(normalise_newlines(text)), kind, None)
    standard = Standard(
        association=association,
        title_zh=title_zh,
        title_en=title_en or None,
        committee=committee or None,
        stage=Stage.DRAFTING.value,
        created_by=creator,
        created_at=now,
        latest_number=0,
    )
    standard.drafter_links = [StandardDrafter(membership=m) for m in drafters if m.org_id == association.id]
    db.session.add(standard)
    db.session.flush()
    _add_revision(standard, first_author or creator, draft, "", now=now)
    db.session.flush()
    return standard


def _with_ids(text: str) -> str:
    """`text` with derived heading ids written in; a text past the core's caps is refused whole."""
    try:
        return with_derived_ids(text)
    except DocumentTooLarge as error:
        raise analysis.refusal(error) from error


def _title_of(text: str) -> str | None:
    """The Chinese title from a text's front matter, if it can be read."""
    try:
        return parse(text).meta.title_zh
    except DocumentTooLarge:
        return None


def save_revision(
    standard: Standard,
    author: User,
    text: str,
    message: str,
    base_revision_number: int,
    *,
    now: datetime,
) -> SaveOutcome:
    """Save `text`, written from revision `base_revision_number`, as the standard's next revision.

    Unchanged text makes no revision. When someone else saved since the base, the two edits are
    merged three ways and the merge is saved if every hunk applies; otherwise a `Conflict` comes
    back and nothing is written. This starts the save's own transaction (the write lock), so it must
    be the first thing a request writes.
    """
    return _save_revision(standard, author, text, message, base_revision_number, now=now)


def _save_revision(
    standard: Standard,
    author: User,
    text: str,
    message: str,
    base_revision_number: int,
    *,
    now: datetime,
) -> SaveOutcome:
    check_size(text)
    submitted = text
    prepared, parsed = analysis.prepare(normalise_newlines(text))
    prepared_analysis = analysis.cached(prepared, parsed)
    del parsed

    def decide(latest: Revision | None) -> SaveOutcome | RevisionDraft:
        if latest is None or not 1 <= base_revision_number <= latest.number:
            raise Refused(
                "conflict",
                _(
                    "This save is based on revision %(number)s, which this standard does not have. Reload the editor; your text is kept in this browser.",
                    number=base_revision_number,
                ),
            )
        if base_revision_number == latest.number:
            if prepared == latest.text:
                return Saved("unchanged", latest, latest.text)
            return draft_revision(prepared, "saved", latest, prepared_analysis)
        base = standard.revision(base_revision_number)
        assert base is not None
        merge = merge3(base.text, prepared, latest.text)
        if not merge.clean:
            return Conflict(
                base_number=base.number,
                latest=latest,
                mine=submitted,
                merged_text=merge.merged,
                conflicts=list(merge.conflicts),
            )
        merged = _with_ids(merge.merged)
        if merged == latest.text:
            return Saved("unchanged", latest, latest.text)
        return draft_revision(merged, "merged", latest, prepared_analysis)

    decided = _prepare_then_lock(standard, author, decide)
    if not isinstance(decided, RevisionDraft):
        return decided
    revision = _add_revision(standard, author, decided, message, now=now)
    return Saved("saved" if decided.kind == "saved" else "merged", revision, decided.text)


def restore_revision(standard: Standard, author: User, number: int, message: str, *, now: datetime) -> Saved:
    """Make the text of revision `number` the current draft again, as a new revision."""
    old = standard.revision(number)
    if old is None:
        raise Refused("not_found", _("This standard has no revision %(number)s.", number=number))
    text = old.text

    def decide(latest: Revision | None) -> Saved | RevisionDraft:
        assert latest is not None
        if latest.text == text:
            return Saved("unchanged", latest, text)
        return draft_revision(text, "restored", latest)

    decided = _prepare_then_lock(standard, author, decide)
    if not isinstance(decided, RevisionDraft):
        return decided
    revision = _add_revision(standard, author, decided, message, now=now, restored_from=number)
    return Saved("saved", revision, text)


Decided = TypeVar("Decided")


def _prepare_then_lock(
    standard: Standard, author: User, decide: Callable[[Revision | None], Decided]
) -> Decided:
    """`decide` on the latest revision outside the write lock, then take the lock and keep the
    decision if nobody saved in between; else release the lock and decide again on the new latest.

    `decide` must only read: it runs in a read transaction. After `PREPARE_ATTEMPTS` tries it
    decides under the lock, so a save that others keep overtaking still ends (its work is bounded:
    see `revision_changes.character_changes`). On return the lock is held until the commit.
    """
    for attempt in range(PREPARE_ATTEMPTS):
        latest = standard.latest_revision()
        decided = decide(latest)
        _lock_for_save(standard, author)
        if standard.latest_number == (latest.number if latest else 0):
            return decided
        if attempt + 1 < PREPARE_ATTEMPTS:
            db.session.rollback()  # someone saved meanwhile: let them go on, and prepare again
    return decide(standard.latest_revision())


def _lock_for_save(standard: Standard, author: User) -> None:
    """Hold the standard's write lock until the commit, re-read it under the lock, and check that
    `author` may still edit it (a stage change may have frozen the text since the request was let in).

    The lock is `accounts.database.write_lock`: the next number is decided on fresh data.
    """
    write_lock(standard)
    require_may_save(standard, author)


def require_may_save(standard: Standard, author: User) -> None:
    """Refuse a save by `author`: 409 `closed` when the stage freezes the text, 403 when they may
    not edit it. A save checks it under the lock; a caller may ask first, before any slow work."""
    decision = can_edit_standard(author, standard)
    decision.require("closed" if not standard.stage_enum.editable else "forbidden")


def add_revision(
    standard: Standard, author: User | None, draft: RevisionDraft, message: str, *, now: datetime
) -> Revision:
    """Write `draft` (made by `revision_changes.draft_revision` before the lock) as the next revision,
    for a verb of another package that holds the standard's write lock and checked its own rule:
    publication writes its final revision this way, although the text is frozen for drafters."""
    return _add_revision(standard, author, draft, message, now=now)


def _add_revision(
    standard: Standard,
    author: User | None,
    draft: RevisionDraft,
    message: str,
    *,
    now: datetime,
    restored_from: int | None = None,
) -> Revision:
    """Write `draft` as revision latest+1: only inserts, the draft was computed before the lock."""
    if isinstance(draft.result, analysis.Analysis):
        analysis.store(draft.result)
    revision = Revision(
        standard_id=standard.id,
        number=standard.latest_number + 1,
        text=draft.text,
        content_hash=draft.result.content_hash,
        author=author,
        created_at=now,
        message=message.strip()[:500],
        parent=standard.latest_revision(),
        kind=draft.kind,
        restored_from=restored_from,
        chars_added=draft.chars_added,
        chars_removed=draft.chars_removed,
        touched=draft.touched,
    )
    db.session.add(revision)
    standard.latest_number = revision.number
    record(standard, author, draft.kind, now=now, revision=revision.number, note=revision.message)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Refused(
            "conflict",
            _(
                "Another save took the same revision number at the same moment. Save again: your text is kept in the editor."
            ),
        ) from error
    # other packages follow the text (comments are placed again), in the same unit of work
    revision_saved(standard, revision, now=now)
    return revision
