"""The comments' and ballots' parts of the dossier: the 汇总处理表 and the ballot record go into the ZIP,
and the explanatory note's counts are those of the comments and the stored tally."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
from sqlalchemy import select

from accounts.database import utcnow
from accounts.operations import find_user_by_email
from accounts.permissions import OPERATOR
from authoring.models import Standard
from exports.dossier_sections import DossierContext
from exports.dossier_workflow import ballots, comments
from extensions import db
from workflow.ballots import operations as ballot_operations
from workflow.ballots.models import Ballot
from workflow.comments import demo as comments_demo
from workflow.comments.models import Comment


def _standard(title_zh: str) -> Standard:
    return db.session.scalar(select(Standard).where(Standard.title_zh == title_zh))


def test_the_comment_part_holds_the_summary_table_and_counts_by_disposition(demo):
    standard = _standard(comments_demo.TITLE_ZH)
    made = db.session.scalars(select(Comment).where(Comment.standard_id == standard.id)).all()
    assert made, "the demo's consultation has comments"
    part = comments(DossierContext(standard, standard.latest_number, utcnow()))
    assert part is not None and part.slot == "comments"
    sheet = openpyxl.load_workbook(io.BytesIO(part.files["comment-table.xlsx"])).active
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert all(any(comment.comment in text for text in texts) for comment in made)
    assert part.files["comment-table.docx"].startswith(b"PK")
    (block,) = part.blocks
    assert block.table[-1][0] == "合计" and block.table[-1][-1] == str(len(made))
    assert f"意见 {len(made)} 条" in block.paragraphs[0]


def test_a_standard_without_comments_or_closed_ballots_adds_nothing(demo):
    context = DossierContext(demo.standard, demo.standard.latest_number, utcnow())
    assert comments(context) is None
    assert ballots(context) is None


def test_the_ballot_part_gives_every_check_and_every_counted_vote(demo):
    ballot = db.session.scalar(select(Ballot).where(Ballot.closed_at.is_(None)).order_by(Ballot.id))
    assert ballot is not None, "the demo has an open review ballot"
    now = utcnow()
    for number, choice in ((1, "approve"), (2, "approve"), (3, "disapprove"), (4, "approve")):
        voter = find_user_by_email(f"member{number}@demo.test")
        ballot_operations.cast_vote(
            ballot, voter, choice, "理由：第 5 章不可操作" if choice == "disapprove" else "", now=now
        )
    ballot_operations.close_ballot(ballot, OPERATOR, now=now + timedelta(seconds=1), reason="全部到齐")
    db.session.commit()

    part = ballots(DossierContext(ballot.standard, ballot.revision, utcnow()))
    assert part is not None and part.slot == "ballots"
    (block,) = part.blocks
    stored = ballot.result_in("zh")
    assert [row[0] for row in block.table[1:]] == [check["name"] for check in stored["checks"]]
    assert [row[1:3] for row in block.table[1:]] == [
        (str(c["numerator"]), str(c["denominator"])) for c in stored["checks"]
    ]
    assert ("通过" if ballot.passed else "未通过") in block.paragraphs[0]
    rows = list(csv.reader(io.StringIO(part.files[f"ballot-record-{ballot.id}.csv"].decode("utf-8-sig"))))
    counted = {row[3] for row in rows[1:]}
    assert len(rows) - 1 == ballot.electorate_size
    assert {"赞成", "反对"} <= counted
    assert any("第 5 章不可操作" in row[4] for row in rows[1:])
