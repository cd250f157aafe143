"""The verbs that change standards: create a project, save a revision, restore an old one.

Each takes the acting user and the time explicitly and only flushes; the view commits once. Saving is
the one place where two people race, so it is written to lose nothing: every save names the revision
it was based on; when someone else saved meanwhile the two edits are merged three ways, and when they
overlap the drafter gets a `Conflict` that carries their text byte for byte. One revision per
(standard, number) is guaranteed by taking the write lock before the next number is decided
(`BEGIN IMMEDIATE` on SQLite, `SELECT … FOR UPDATE` on the standard row on PostgreSQL) with the
unique constraint as the backstop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import fast_diff_match_patch
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from accounts.database import write_lock
from accounts.models import Membership, Organisation, User
from accounts.refusals import Refused
from authoring import analysis
from authoring.document import DocumentTooLarge, parse, with_derived_ids
from authoring.document.merge import merge3
from authoring.events import record
from authoring.models import RenderCache, Revision, Stage, Standard, StandardDrafter, content_hash
from authoring.permissions import can_create_standard, can_edit_standard
from authoring.skeleton import blank_standard
from extensions import db

#: the largest text a standard may have, in bytes of UTF-8 (a long standard is 300–400 KB)
MAX_TEXT_BYTES = 1_000_000


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
    """The text of an uploaded Standard Markdown file: UTF-8 (a BOM is dropped), size-capped."""
    if len(data) > MAX_TEXT_BYTES:
        raise Refused(
            "too_large",
            _(
                "The file %(name)s is %(size)s KB; a standard may have at most %(limit)s KB.",
                name=filename,
                size=len(data) // 1000,
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
                name=filename,
            ),
        ) from error
    if "\x00" in text:
        raise Refused("invalid", _("The file %(name)s is not a text file.", name=filename))
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
) -> Standard:
    """A new project in the drafting stage whose revision 1 is `text` or a blank GB/T 1.1 skeleton.

    Revision 1 is by `first_author` when given (a drafter who wrote the uploaded file), else by the
    creator. Without a title the uploaded file's `title.zh` is used.
    """
    can_create_standard(creator, association).require()
    if not title_zh and text is not None:
        title_zh = _title_of(text)
    if not title_zh:
        raise Refused(
            "invalid", _("Give the Chinese title, or upload a file whose front matter has title.zh.")
        )
    kind = "uploaded" if text is not None else "created"
    if text is None:
        text = blank_standard(title_zh=title_zh, title_en=title_en, association=association.name)
    check_size(text)
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
    _add_revision(
        standard,
        first_author or creator,
        with_derived_ids(normalise_newlines(text)),
        "",
        now=now,
        kind=kind,
    )
    db.session.flush()
    return standard


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
    # the expensive part (parse, lint, render) runs before the lock, so writers queue only briefly
    prepared, parsed = analysis.prepare(normalise_newlines(text))
    prepared_analysis = analysis.cached(prepared, parsed)
    del parsed

    _lock_for_save(standard, author)
    latest = standard.latest_revision()
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
        revision = _add_revision(
            standard, author, prepared, message, now=now, kind="saved", prepared=prepared_analysis
        )
        return Saved("saved", revision, prepared)

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
    merged = with_derived_ids(merge.merged)
    if merged == latest.text:
        return Saved("unchanged", latest, latest.text)
    revision = _add_revision(
        standard,
        author,
        merged,
        message,
        now=now,
        kind="merged",
        prepared=prepared_analysis if merged == prepared else None,
    )
    return Saved("merged", revision, merged)


def restore_revision(standard: Standard, author: User, number: int, message: str, *, now: datetime) -> Saved:
    """Make the text of revision `number` the current draft again, as a new revision."""
    old = standard.revision(number)
    if old is None:
        raise Refused("not_found", _("This standard has no revision %(number)s.", number=number))
    text = old.text
    _lock_for_save(standard, author)
    latest = standard.latest_revision()
    assert latest is not None
    if latest.text == text:
        return Saved("unchanged", latest, text)
    revision = _add_revision(standard, author, text, message, now=now, kind="restored", restored_from=number)
    return Saved("saved", revision, text)


def _lock_for_save(standard: Standard, author: User) -> None:
    """Hold the standard's write lock until the commit, re-read it under the lock, and check that
    `author` may still edit it (a stage change may have frozen the text since the request was let in).

    The lock is `accounts.database.write_lock`: the next number is decided on fresh data.
    """
    write_lock(standard)
    decision = can_edit_standard(author, standard)
    decision.require("closed" if not standard.stage_enum.editable else "forbidden")


def _add_revision(
    standard: Standard,
    author: User,
    text: str,
    message: str,
    *,
    now: datetime,
    kind: str,
    prepared: RenderCache | analysis.Analysis | None = None,
    restored_from: int | None = None,
) -> Revision:
    """Write revision latest+1 with its cached analysis and what it changed against its parent."""
    digest = content_hash(text)
    result = prepared if prepared is not None and prepared.content_hash == digest else analysis.cached(text)
    if isinstance(result, analysis.Analysis):
        analysis.store(result)
    parent = standard.latest_revision()
    added, removed = _character_changes(parent.text if parent else "", text)
    parent_digests = _digests_of(parent)
    revision = Revision(
        standard_id=standard.id,
        number=standard.latest_number + 1,
        text=text,
        content_hash=digest,
        author=author,
        created_at=now,
        message=message.strip()[:500],
        parent=parent,
        kind=kind,
        restored_from=restored_from,
        chars_added=added,
        chars_removed=removed,
        touched=touched_clauses(parent_digests, result.clause_digests),
    )
    db.session.add(revision)
    standard.latest_number = revision.number
    record(standard, author, kind, now=now, revision=revision.number, note=revision.message)
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
    return revision


def _digests_of(revision: Revision | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    digests = analysis.stored_digests(revision.content_hash)
    return digests if digests is not None else analysis.analyse(revision.text).clause_digests


def _character_changes(old: str, new: str) -> tuple[int, int]:
    """Characters inserted and deleted from `old` to `new` (C++ diff-match-patch, no time limit)."""
    added = removed = 0
    for op, length in fast_diff_match_patch.diff(old, new, cleanup="Semantic"):
        if op == "+":
            added += length
        elif op == "-":
            removed += length
    return added, removed


def touched_clauses(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, list[Any]]:
    """The ids a revision changed, added, deleted or moved, from the clause digests of both texts.

    A clause is changed when its own source (heading and text, children excluded) differs, moved
    when its parent differs; a first revision adds everything.
    """
    if old is None:
        return {"changed": [], "added": list(new), "deleted": [], "moved": []}
    changed = [cid for cid, (own, _parent) in new.items() if cid in old and old[cid][0] != own]
    added = [cid for cid in new if cid not in old]
    deleted = [cid for cid in old if cid not in new]
    moved = [
        {"id": cid, "from_parent": old[cid][1], "to_parent": parent}
        for cid, (_own, parent) in new.items()
        if cid in old and old[cid][1] != parent
    ]
    return {"changed": changed, "added": added, "deleted": deleted, "moved": moved}
