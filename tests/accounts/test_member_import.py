"""The secretariat imports members from a CSV or XLSX: preview, refused rows, confirm, invitations."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from member_files import CHINESE, csv_bytes, preview_path, upload, xlsx_bytes
from sqlalchemy import func, select

from accounts import operations
from accounts.database import utcnow
from accounts.member_import import ImportPlan, Kind
from accounts.models import Invitation, MemberImport, Membership, Role, User
from accounts.permissions import OPERATOR
from accounts.refusals import Refused


@pytest.fixture
def association(make_org):
    return make_org(name="深圳市养老服务业协会", code="SZYL")


@pytest.fixture
def secretariat(association, make_member):
    return make_member(association, Role.SECRETARIAT, name="陈秘书", email="chen@szyl.org")


@pytest.fixture
def as_secretariat(client, login, secretariat):
    login(client, secretariat)
    return client


def _membership(db, association, email):
    return db.session.scalar(
        select(Membership).join(User).where(Membership.org_id == association.id, User.email == email)
    )


def _invitations(db, association):
    return db.session.scalars(select(Invitation).where(Invitation.org_id == association.id)).all()


def test_an_english_csv_is_previewed_then_applied(as_secretariat, association, db):
    data = csv_bytes(
        [
            ("wang@example.org", "王五", "深圳康养科技有限公司", "member", "yes", 2),
            ("li@example.org", "李四", "", "drafter", "no", ""),
        ]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "导入预览" in page and "wang@example.org" in page and "深圳康养科技有限公司" in page
    assert "应用 2 项更改" in page
    assert _invitations(db, association) == []  # a preview changes nothing

    done = as_secretariat.post(preview.request.path)
    assert done.status_code == 200
    links = re.findall(r"https://standards\.example\.org/invitations/[\w-]+", done.get_data(as_text=True))
    assert len(links) == 2
    invitations = {i.email: i for i in _invitations(db, association)}
    wang = invitations["wang@example.org"]
    assert (wang.role, wang.voting, wang.weight, wang.unit, wang.name) == (
        Role.MEMBER,
        True,
        2,
        "深圳康养科技有限公司",
        "王五",
    )
    assert (invitations["li@example.org"].role, invitations["li@example.org"].voting) == (Role.DRAFTER, False)


def test_a_chinese_header_csv_with_chinese_values(as_secretariat, association, db):
    data = csv_bytes(
        [
            ("zhao@example.org", "赵六", "某公司", "起草人", "否", 1),
            ("qian@example.org", "钱七", "", "成员", "是", ""),
        ],
        header=CHINESE,
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    as_secretariat.post(preview.request.path)
    roles = {i.email: (i.role, i.voting) for i in _invitations(db, association)}
    assert roles == {"zhao@example.org": (Role.DRAFTER, False), "qian@example.org": (Role.MEMBER, True)}


def test_an_xlsx_is_read_from_its_first_sheet(as_secretariat, association, db):
    data = xlsx_bytes(
        [
            ("sun@example.org", "孙八", "某协会会员单位", "member", "是", 3),
            (None, None, None, None, None, None),
        ]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data, "会员名单.xlsx")))
    assert "XLSX" in preview.get_data(as_text=True)
    as_secretariat.post(preview.request.path)
    (invitation,) = _invitations(db, association)
    assert (invitation.email, invitation.weight, invitation.unit) == ("sun@example.org", 3, "某协会会员单位")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_a_csv_in_gbk_or_utf8_with_or_without_bom_is_read(as_secretariat, association, db, encoding):
    data = csv_bytes(
        [("zhou@example.org", "周九", "深圳市某某养老院", "成员", "是", 1)], header=CHINESE, encoding=encoding
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    assert "深圳市某某养老院" in preview.get_data(as_text=True)
    as_secretariat.post(preview.request.path)
    assert [i.name for i in _invitations(db, association)] == ["周九"]


def test_refused_rows_are_reported_with_their_row_numbers_and_change_nothing(as_secretariat, association, db):
    data = csv_bytes(
        [
            ("good@example.org", "好人", "", "member", "yes", 1),  # row 2
            ("not-an-address", "坏邮箱", "", "member", "yes", 1),  # row 3
            ("role@example.org", "错角色", "", "chairman", "yes", 1),  # row 4
            ("weight@example.org", "错权重", "", "member", "yes", "-2"),  # row 5
            ("half@example.org", "半票", "", "member", "yes", "1.5"),  # row 6
            ("twice@example.org", "重复一", "", "member", "yes", 1),  # row 7
            ("Twice@Example.org", "重复二", "", "drafter", "no", 1),  # row 8
            ("vote@example.org", "错表决", "", "member", "maybe", 1),  # row 9
            ("", "没邮箱", "", "member", "yes", 1),  # row 10
        ]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    page = preview.get_data(as_text=True)
    refused = page[page.index('id="refused-rows"') :]
    for row, words in [
        (3, "“not-an-address”不是电子邮箱地址"),
        (4, "未知角色“chairman”"),
        (5, "权重“-2”不是 1 到 100 之间的整数"),
        (6, "权重“1.5”"),
        (7, "在文件中出现了不止一次（第 7, 8 行）"),
        (8, "twice@example.org"),
        (9, "表决权“maybe”"),
        (10, "没有电子邮箱地址"),
    ]:
        assert re.search(rf"<td>{row}</td>[^\n]*?{re.escape(words)}", refused), (row, words)
    assert "应用 1 项更改" in page

    as_secretariat.post(preview.request.path)
    assert [i.email for i in _invitations(db, association)] == ["good@example.org"]


def test_an_existing_account_gets_the_membership_and_keeps_its_name(
    as_secretariat, association, make_user, db
):
    expert = make_user(email="expert@example.org", name="张专家")
    data = csv_bytes([("EXPERT@example.org", "另一个名字", "某大学", "member", "", "")])
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    page = preview.get_data(as_text=True)
    assert "已有账户加入" in page and "张专家" in page
    done = as_secretariat.post(preview.request.path)
    assert "/invitations/" not in done.get_data(as_text=True)
    membership = _membership(db, association, "expert@example.org")
    assert (membership.role, membership.voting, membership.weight, membership.unit) == (
        Role.MEMBER,
        True,
        1,
        "某大学",
    )
    db.session.refresh(expert)
    assert expert.name == "张专家"
    assert _invitations(db, association) == []


def test_a_changed_role_and_weight_are_shown_before_and_after_then_applied(
    as_secretariat, association, make_member, db
):
    member = make_member(association, Role.MEMBER, email="m@example.org", name="成员甲")
    same = make_member(association, Role.MEMBER, email="same@example.org", name="成员乙")
    data = csv_bytes(
        [("m@example.org", "", "", "drafter", "", 5), ("same@example.org", "", "", "member", "", "")]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    page = preview.get_data(as_text=True)
    changed = page[page.index('id="changed-memberships"') : page.index('id="unchanged"')]
    assert "成员甲" in changed and "成员乙" not in changed
    assert "角色: 成员 → <strong>起草人</strong>" in changed
    assert "表决权重: 1 → <strong>5</strong>" in changed
    assert "应用 1 项更改" in page
    as_secretariat.post(preview.request.path)
    membership = member.membership_in(association)
    db.session.refresh(membership)
    assert (membership.role, membership.voting, membership.weight) == (Role.DRAFTER, True, 5)
    assert same.membership_in(association).weight == 1


def test_an_import_never_demotes_the_last_secretariat(as_secretariat, association, secretariat, db):
    data = csv_bytes(
        [
            ("chen@szyl.org", "", "", "member", "yes", 1),
            ("new@example.org", "新人", "", "secretariat", "", ""),
        ]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    page = preview.get_data(as_text=True)
    assert re.search(r"<td>2</td>[^\n]*?chen@szyl\.org 是协会最后一名秘书处成员", page)
    as_secretariat.post(preview.request.path)
    membership = _membership(db, association, "chen@szyl.org")
    assert membership.role == Role.SECRETARIAT  # the invited secretariat does not count until it joins


def test_a_secretariat_is_demoted_when_another_is_promoted_in_the_same_file(
    as_secretariat, association, make_member, db
):
    make_member(association, Role.MEMBER, email="next@example.org")
    data = csv_bytes(
        [("chen@szyl.org", "", "", "member", "", ""), ("next@example.org", "", "", "秘书处", "", "")]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    assert "最后一名秘书处成员" not in preview.get_data(as_text=True)
    as_secretariat.post(preview.request.path)
    assert _membership(db, association, "chen@szyl.org").role == Role.MEMBER
    assert _membership(db, association, "next@example.org").role == Role.SECRETARIAT


def test_the_apply_verb_refuses_a_plan_that_would_remove_the_last_secretariat(
    association, secretariat, make_member, db
):
    """A plan made while two secretaries existed, applied after one was removed: nothing happens."""
    other = make_member(association, Role.SECRETARIAT, email="other@szyl.org")
    data = csv_bytes([("chen@szyl.org", "", "", "member", "", "")])
    plan = operations.read_member_list(secretariat, association, "m.csv", data, now=utcnow())
    assert plan.counts[Kind.CHANGED] == 1
    operations.remove_member(secretariat, other.membership_in(association))
    db.session.commit()
    with pytest.raises(Refused) as refused:
        operations.apply_member_import(
            secretariat, association, plan, now=utcnow(), valid_for=timedelta(days=1)
        )
    assert refused.value.kind == "conflict"
    db.session.rollback()
    assert _membership(db, association, "chen@szyl.org").role == Role.SECRETARIAT


def test_members_changed_since_the_preview_nothing_is_applied(as_secretariat, association, make_member, db):
    member = make_member(association, Role.MEMBER, email="m@example.org")
    data = csv_bytes(
        [("m@example.org", "", "", "drafter", "", ""), ("fresh@example.org", "新", "", "member", "", "")]
    )
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    membership = member.membership_in(association)
    membership.weight = 4  # someone changes the member on the members page meanwhile
    db.session.commit()
    answer = as_secretariat.post(preview.request.path)
    assert answer.status_code == 409
    assert "自预览生成以来成员已有变化" in answer.get_data(as_text=True)
    db.session.refresh(membership)
    assert membership.role == Role.MEMBER
    assert _invitations(db, association) == []


def test_a_preview_is_applied_once(as_secretariat, association, db):
    preview = as_secretariat.get(
        preview_path(
            upload(as_secretariat, association, csv_bytes([("a@example.org", "甲", "", "member", "", "")]))
        )
    )
    assert as_secretariat.post(preview.request.path).status_code == 200
    again = as_secretariat.post(preview.request.path)
    assert again.status_code == 409
    assert "已经应用" in again.get_data(as_text=True)
    assert len(_invitations(db, association)) == 1


def test_an_expired_preview_cannot_be_applied(as_secretariat, association, db):
    preview = as_secretariat.get(
        preview_path(
            upload(as_secretariat, association, csv_bytes([("a@example.org", "甲", "", "member", "", "")]))
        )
    )
    stored = db.session.scalar(select(MemberImport))
    stored.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert as_secretariat.post(preview.request.path).status_code == 409
    assert _invitations(db, association) == []


def test_importing_the_same_file_twice_keeps_the_open_invitations(as_secretariat, association, db):
    data = csv_bytes([("a@example.org", "甲", "", "member", "", "")])
    for _attempt in range(2):
        preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
        as_secretariat.post(preview.request.path)
    assert "已邀请" in preview.get_data(as_text=True)
    (invitation,) = _invitations(db, association)
    assert invitation.revoked_at is None


def test_the_invited_person_joins_with_the_imported_terms(app, as_secretariat, association, db):
    data = csv_bytes([("new@example.org", "新成员", "某公司", "member", "yes", 2)])
    preview = as_secretariat.get(preview_path(upload(as_secretariat, association, data)))
    done = as_secretariat.post(preview.request.path).get_data(as_text=True)
    link = re.search(r"https://standards\.example\.org(/invitations/[\w-]+)", done).group(1)
    visitor = app.test_client()
    form = visitor.get(link).get_data(as_text=True)
    assert 'value="新成员"' in form  # the name from the member list is offered
    visitor.post(link, data={"name": "新成员", "password": "a long password", "confirm": "a long password"})
    membership = _membership(db, association, "new@example.org")
    assert (membership.role, membership.voting, membership.weight, membership.unit) == (
        Role.MEMBER,
        True,
        2,
        "某公司",
    )


def test_a_missing_required_column_is_one_message_and_nothing_is_stored(as_secretariat, association, db):
    data = csv_bytes([("a@example.org", "甲")], header=("email", "name"))
    answer = upload(as_secretariat, association, data)
    assert answer.status_code == 422
    assert "第 1 行（表头）没有 role / 角色 列" in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(MemberImport.id))) == 0


def test_another_organisations_preview_is_not_found(
    as_secretariat, association, make_org, make_member, login, app
):
    other = make_org()
    their_secretariat = make_member(other, Role.SECRETARIAT)
    theirs = app.test_client()
    login(theirs, their_secretariat)
    their_preview = preview_path(
        upload(theirs, other, csv_bytes([("x@example.org", "", "", "member", "", "")]))
    )
    token = their_preview.rsplit("/", 1)[1]
    assert as_secretariat.get(f"/orgs/{association.id}/members/import/{token}").status_code == 404
    assert as_secretariat.post(f"/orgs/{association.id}/members/import/{token}").status_code == 404
    assert as_secretariat.get(their_preview).status_code == 404


def test_a_member_may_not_import(client, login, association, make_member):
    login(client, make_member(association, Role.MEMBER))
    answer = upload(client, association, csv_bytes([("x@example.org", "", "", "secretariat", "", "")]))
    assert answer.status_code == 403


def test_two_confirms_of_one_preview_at_once_apply_it_once(app, association, secretariat, db):
    """The second confirm waits for the write lock, then finds the import applied: one set of invitations."""
    data = csv_bytes(
        [("a@example.org", "甲", "", "member", "", ""), ("b@example.org", "乙", "", "drafter", "", "")]
    )
    stored_id = operations.preview_member_import(secretariat, association, "m.csv", data, now=utcnow()).id
    db.session.commit()
    first_applied, second_started = threading.Event(), threading.Event()
    outcomes: dict[int, object] = {}

    def confirm(index: int) -> None:
        with app.app_context():
            if index == 1:
                first_applied.wait(10)
                second_started.set()
            try:
                stored = db.session.get(MemberImport, stored_id)
                operations.apply_member_import(
                    OPERATOR,
                    stored.org,
                    ImportPlan.from_json(stored.plan),
                    now=utcnow(),
                    valid_for=timedelta(days=1),
                    stored=stored,
                )
                if index == 0:
                    first_applied.set()
                    second_started.wait(10)
                    time.sleep(0.3)  # the second confirm is waiting for the lock meanwhile
                db.session.commit()
                outcomes[index] = "applied"
            except Exception as error:  # the outcome is what the test checks
                db.session.rollback()
                outcomes[index] = error
            finally:
                first_applied.set()
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcomes[0] == "applied"
    assert isinstance(outcomes[1], Refused) and outcomes[1].kind == "closed"
    db.session.rollback()
    assert sorted(i.email for i in _invitations(db, association)) == ["a@example.org", "b@example.org"]
