"""`flask --app wsgi import-members FILE --org CODE [--dry-run]`: the same plan as the page."""

from __future__ import annotations

import pytest
from member_files import CHINESE, csv_bytes, xlsx_bytes
from sqlalchemy import select

from accounts.cli import EXIT_REFUSED_FILE, EXIT_REFUSED_ROWS
from accounts.models import Invitation, Membership, Role


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["import-members", *args])


@pytest.fixture
def member_list(tmp_path, association, make_member, make_user):
    make_member(association, Role.SECRETARIAT, email="chen@szyl.org")
    make_member(association, Role.MEMBER, email="old@example.org", name="老成员")
    make_user(email="known@example.org", name="已注册")
    path = tmp_path / "会员.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ("new@example.org", "新人", "某公司", "成员", "是", 1),
                ("known@example.org", "", "", "drafter", "否", ""),
                ("old@example.org", "", "", "member", "", 3),
                ("chen@szyl.org", "", "", "secretariat", "", ""),
            ],
            header=CHINESE,
        )
    )
    return path


def test_dry_run_prints_the_preview_and_changes_nothing(app, db, association, member_list):
    result = run(app, str(member_list), "--org", "szyl", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "row 2: new_account new@example.org 新人: member, voting yes, weight 1, 某公司" in result.output
    assert "row 3: new_membership known@example.org 已注册: drafter, voting no, weight 1" in result.output
    assert "row 4: changed old@example.org 老成员: weight 1 -> 3" in result.output
    assert "row 5: unchanged chen@szyl.org" in result.output
    assert "dry run: nothing changed" in result.output
    assert db.session.scalars(select(Invitation)).all() == []
    assert len(association.memberships) == 2


def test_a_real_run_applies_and_prints_the_invitation_links(app, db, association, member_list):
    result = run(app, str(member_list), "--org", "SZYL")
    assert result.exit_code == 0, result.output
    assert "applied 3 changes" in result.output
    assert "invitation new@example.org: https://standards.example.org/invitations/" in result.output
    roles = {
        m.user.email: (m.role, m.weight)
        for m in db.session.scalars(select(Membership).where(Membership.org_id == association.id))
    }
    assert roles["known@example.org"] == (Role.DRAFTER, 1)
    assert roles["old@example.org"] == (Role.MEMBER, 3)
    assert [i.email for i in db.session.scalars(select(Invitation))] == ["new@example.org"]


def test_refused_rows_give_exit_status_three_and_the_rest_is_applied(app, db, association, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(
        csv_bytes([("ok@example.org", "好", "", "member", "", ""), ("bad", "坏", "", "member", "", "")])
    )
    dry = run(app, str(path), "--org", "SZYL", "--dry-run")
    assert dry.exit_code == EXIT_REFUSED_ROWS
    assert "row 3: refused bad: “bad”不是电子邮箱地址" in dry.output
    real = run(app, str(path), "--org", "SZYL")
    assert real.exit_code == EXIT_REFUSED_ROWS
    assert [i.email for i in db.session.scalars(select(Invitation))] == ["ok@example.org"]


def test_an_unreadable_file_gives_exit_status_one_and_changes_nothing(app, db, association, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"not a workbook")
    result = run(app, str(path), "--org", "SZYL")
    assert result.exit_code == EXIT_REFUSED_FILE
    assert "不是 Excel 工作簿" in result.output
    assert db.session.scalars(select(Invitation)).all() == []


def test_an_unknown_organisation_is_an_error(app, association, tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(csv_bytes([("a@example.org", "", "", "member", "", "")]))
    result = run(app, str(path), "--org", "NOPE")
    assert result.exit_code == 1
    assert "no organisation" in result.output


def test_the_example_member_list_of_the_readme_imports_cleanly(app, association):
    from app_testing import ROOT

    result = run(app, str(ROOT / "examples" / "members.csv"), "--org", "SZYL", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "total: 3 new_account, 0 new_membership, 0 changed, 0 unchanged, 0 refused" in result.output
