"""A save holds the write lock only to number and insert: the slow work is done before it.

Issue 9: 100,000 new CJK characters over 100,000 others held the lock 54 s while the save counted
changed characters, and another association's save and a logout failed meanwhile.
"""

from __future__ import annotations

import random
import threading
import time

from sqlalchemy import event

from authoring import operations
from authoring.revision_changes import character_changes
from extensions import db

LARGE = 100_000


def _cjk(count: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(count))


def test_unrelated_texts_of_100000_characters_are_counted_within_a_second():
    started = time.perf_counter()
    added, removed = character_changes(_cjk(LARGE, 1), _cjk(LARGE, 2))
    assert time.perf_counter() - started < 1.0
    # a bounded count never says less changed than did: at most every character is replaced
    assert LARGE * 0.9 <= added <= LARGE and LARGE * 0.9 <= removed <= LARGE


def test_an_edit_is_counted_exactly():
    old = "\n".join(_cjk(80, line) for line in range(2000))
    new = old[:5000] + "新增的三十个字符" * 3 + old[5100:]
    assert character_changes(old, new) == (24, 100)


def test_a_save_of_100000_new_characters_over_100000_others_holds_the_lock_briefly(
    make_standard, drafter, clock
):
    standard = make_standard()
    first = standard.latest_revision().text + "\n" + _cjk(LARGE, 3) + "\n"
    outcome = operations.save_revision(standard, drafter, first, "大段", 1, now=clock.tick())
    db.session.commit()
    replaced = outcome.text.replace(first.split("\n")[-2], _cjk(LARGE, 4))
    locked_at: list[float] = []
    committed_at: list[float] = []

    def lock_taken(_connection, _cursor, statement, *_args) -> None:
        if not locked_at and ("BEGIN IMMEDIATE" in statement or "FOR UPDATE" in statement):
            locked_at.append(time.perf_counter())

    def committed(_connection) -> None:
        committed_at.append(time.perf_counter())

    event.listen(db.engine, "before_cursor_execute", lock_taken)
    event.listen(db.engine, "commit", committed)
    try:
        outcome = operations.save_revision(standard, drafter, replaced, "换掉", 2, now=clock.tick())
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", lock_taken)
        event.remove(db.engine, "commit", committed)
    assert outcome.status == "saved"
    assert locked_at and committed_at, "the save took no write lock"
    held = committed_at[-1] - locked_at[0]
    assert held < 1.0, f"the save held the write lock {held:.1f} s"
    assert outcome.revision.chars_added >= LARGE * 0.9 and outcome.revision.chars_removed >= LARGE * 0.9


TRAINING_OLD = "在岗服务人员每年接受的继续培训宜不少于24学时。"
TRAINING_NEW = "在岗服务人员每年应接受不少于24学时的继续培训。"
ARCHIVE_OLD = "服务档案应在服务终止后保存5年以上。"
ARCHIVE_NEW = "服务档案应在服务终止后保存不少于5年，电子档案应定期备份。"


def test_a_save_overtaken_between_its_preparation_and_its_lock_merges_on_the_new_latest(
    app, make_standard, drafter, secretariat, community_care, clock
):
    """Someone saves while this save prepares outside the lock: it prepares again and merges."""
    standard = make_standard(community_care)
    base = standard.latest_revision().text
    standard_id, secretariat_id = standard.id, secretariat.id
    overtaken: list[int] = []
    started: list[bool] = []

    def save_theirs_first() -> None:
        from accounts.models import User
        from authoring.models import Standard

        with app.app_context():
            theirs = db.session.get(Standard, standard_id)
            outcome = operations.save_revision(
                theirs,
                db.session.get(User, secretariat_id),
                base.replace(ARCHIVE_OLD, ARCHIVE_NEW),
                "档案",
                1,
                now=clock.tick(),
            )
            db.session.commit()
            overtaken.append(outcome.revision.number)
            db.session.remove()

    def before_the_lock(_connection, _cursor, statement, *_args) -> None:
        if not started and ("BEGIN IMMEDIATE" in statement or "FOR UPDATE" in statement):
            started.append(True)  # once: their save takes the lock too
            other = threading.Thread(target=save_theirs_first)
            other.start()
            other.join()

    event.listen(db.engine, "before_cursor_execute", before_the_lock)
    try:
        outcome = operations.save_revision(
            standard, drafter, base.replace(TRAINING_OLD, TRAINING_NEW), "培训", 1, now=clock.tick()
        )
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", before_the_lock)
    assert overtaken == [2]
    assert outcome.status == "merged" and outcome.revision.number == 3
    assert TRAINING_NEW in outcome.revision.text and ARCHIVE_NEW in outcome.revision.text
    assert outcome.revision.parent.number == 2
    assert outcome.revision.touched["changed"] and outcome.revision.chars_added < 100
