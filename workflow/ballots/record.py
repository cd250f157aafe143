"""The ballot record as a table: every voter of the electorate with the vote counted for them.

The ballot page lists it, its download is a CSV, and the adoption dossier carries the same file, so a
reviewer and the association's members read one record. Headings are bilingual and the choices in
Chinese, as the dossier is; the cells a voter typed go through `accounts.spreadsheets` (never a
formula).
"""

from __future__ import annotations

from sqlalchemy import select

from accounts.spreadsheets import csv_bytes
from extensions import db
from workflow.ballots.models import Ballot, BallotVoter

HEADINGS = [
    "表决人 Voter",
    "单位 Organisation",
    "权重 Weight",
    "表决 Choice",
    "理由 Reasons",
    "时间 Cast at",
    "次数 Casts",
]
CHOICE_WORDS = {
    "approve": "赞成",
    "approve_with_comments": "赞成（附意见）",
    "disapprove": "反对",
    "abstain": "弃权",
}


def record_voters(ballot: Ballot) -> list[BallotVoter]:
    """Every voter of the electorate with their counted vote (none: did not vote), in the order the
    electorate was fixed (the association's member list)."""
    return list(
        db.session.scalars(
            select(BallotVoter).where(BallotVoter.ballot_id == ballot.id).order_by(BallotVoter.id)
        )
    )


def record_rows(ballot: Ballot) -> list[list[str]]:
    """The record with its heading row; cast times in UTC, ISO 8601."""
    rows = [list(HEADINGS)]
    for voter in record_voters(ballot):
        rows.append(
            [
                voter.user.name if voter.user else "",
                voter.organisation,
                str(voter.weight),
                CHOICE_WORDS.get(voter.choice or "", "未表决"),
                voter.reasons,
                voter.cast_at.isoformat() if voter.cast_at else "",
                str(voter.casts),
            ]
        )
    return rows


def record_file_name(ballot: Ballot) -> str:
    return f"ballot-record-{ballot.id}.csv"


def record_csv(ballot: Ballot) -> bytes:
    return csv_bytes(record_rows(ballot))
