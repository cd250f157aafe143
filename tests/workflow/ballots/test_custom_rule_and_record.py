"""The secretariat opens a ballot under a custom rule from the standard page's form (every parameter
its own field, a wrong one named in the reader's language), and after the close anyone who reads the
ballot downloads its record as CSV, with the reasons voters typed kept as text."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from accounts.database import utcnow
from extensions import db
from workflow.ballots import operations
from workflow.ballots.models import Ballot


def _as(app, login, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def _closes_at() -> str:
    return (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")


CUSTOM = {
    "kind": "review",
    "rule": "custom",
    "quorum": "3/5",
    "approval": "0.8",
    "approval_basis": "cast",
    "max_against": "",
    "against_basis": "cast",
    "abstentions_count": "on",
    "negative_needs_reasons": "on",
}


def test_the_form_offers_a_custom_rule_filled_with_the_associations(app, login, secretariat, in_review):
    page = _as(app, login, secretariat).get(f"/standards/{in_review.id}").get_data(as_text=True)
    assert '<option value="custom">' in page and 'id="custom-rule"' in page
    assert 'name="quorum" inputmode="decimal" maxlength="20" value="3/4"' in page  # cn-tc's quorum


def test_a_custom_rule_from_the_form_is_the_ballots_rule(app, login, secretariat, in_review, voters):
    client = _as(app, login, secretariat)
    answer = client.post(f"/standards/{in_review.id}/ballots", data={**CUSTOM, "closes_at": _closes_at()})
    assert answer.status_code == 302
    ballot = db.session.scalar(select(Ballot).where(Ballot.standard_id == in_review.id))
    assert ballot.rule_json == {
        "preset": "custom",
        "quorum": "3/5",
        "approval": "4/5",
        "approval_basis": "cast",
        "approval_strict": False,
        "max_against": None,
        "against_basis": "cast",
        "abstentions_count": True,
        "negative_needs_reasons": True,
        "exclude_drafters": False,
    }
    page = client.get(f"/ballots/{ballot.id}").get_data(as_text=True)
    assert "<code>custom</code>" in page and "3/5" in page and "4/5" in page


def test_a_wrong_parameter_is_named_in_chinese_and_opens_nothing(app, login, secretariat, in_review, voters):
    client = _as(app, login, secretariat)
    data = {**CUSTOM, "quorum": "5/3", "closes_at": _closes_at()}
    answer = client.post(f"/standards/{in_review.id}/ballots", data=data, follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "法定人数" in text and "0 到 1" in text
    data = {**CUSTOM, "approval": "", "max_against": "", "closes_at": _closes_at()}
    text = client.post(f"/standards/{in_review.id}/ballots", data=data, follow_redirects=True).get_data(
        as_text=True
    )
    assert "至少" in text or "批准比例" in text
    assert db.session.scalar(select(Ballot).where(Ballot.standard_id == in_review.id)) is None


def test_the_record_downloads_as_csv_after_the_close(app, login, secretariat, in_review, voters):
    now = utcnow()
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="iso", closes_at=now + timedelta(days=3), now=now
    )
    operations.cast_vote(ballot, voters[0], "approve", now=now)
    operations.cast_vote(ballot, voters[1], "disapprove", '=HYPERLINK("http://x","看")', now=now)
    db.session.commit()
    member = _as(app, login, voters[2])
    assert member.get(f"/ballots/{ballot.id}/record.csv").status_code == 404  # open: no record yet
    operations.close_ballot(ballot, secretariat, now=utcnow(), reason="全部表决完毕")
    db.session.commit()

    page = member.get(f"/ballots/{ballot.id}").get_data(as_text=True)
    assert f"/ballots/{ballot.id}/record.csv" in page
    answer = member.get(f"/ballots/{ballot.id}/record.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert f"ballot-record-{ballot.id}.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert rows[0][0] == "表决人 Voter" and len(rows) == 1 + ballot.electorate_size
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[voters[0].name][3] == "赞成"
    assert by_name[voters[1].name][3:5] == ["反对", '\'=HYPERLINK("http://x","看")']
    assert by_name[voters[4].name][3] == "未表决"


def test_another_associations_member_gets_no_record(
    app, login, secretariat, in_review, voters, make_org, make_member
):
    from accounts.models import Role

    now = utcnow()
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="iso", closes_at=now + timedelta(days=3), now=now
    )
    operations.cast_vote(ballot, voters[0], "approve", now=now)
    operations.close_ballot(ballot, secretariat, now=utcnow(), reason="提前结束")
    db.session.commit()
    outsider = make_member(make_org(name="别的协会", code="OTHER"), Role.MEMBER)
    assert _as(app, login, outsider).get(f"/ballots/{ballot.id}/record.csv").status_code == 404


def test_every_formula_start_in_reasons_and_names_is_text_in_the_record(
    app, login, secretariat, in_review, voters
):
    """OWASP's starts (= + - @ tab CR) typed as reasons, and a voter named like a formula: each cell
    of the CSV begins with the apostrophe a spreadsheet hides, and reads back as typed after it."""
    from hostile_files import FORMULA_CELLS

    voters[0].name = '=HYPERLINK("http://x","y")'
    now = utcnow()
    ballot = operations.open_ballot(
        in_review, secretariat, kind="review", rule="iso", closes_at=now + timedelta(days=3), now=now
    )
    typed = FORMULA_CELLS[: len(voters)]
    for voter, reasons in zip(voters, typed, strict=False):
        operations.cast_vote(ballot, voter, "disapprove", reasons, now=now)
    operations.close_ballot(ballot, secretariat, now=utcnow(), reason="全部表决完毕")
    db.session.commit()
    rows = list(
        csv.reader(
            io.StringIO(
                _as(app, login, voters[1]).get(f"/ballots/{ballot.id}/record.csv").data.decode("utf-8-sig")
            )
        )
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + voters[0].name in cells
    kept = {cell[1:] for cell in cells if cell.startswith("'")}
    for reasons in typed:
        assert reasons.strip() in {k.strip() for k in kept}, reasons
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "@", "\t", "\r") or cell.startswith("-2")]
