"""The platform administrator creates organisations, renames them and sets an association's code."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accounts import operations
from accounts.models import Organisation, OrgKind, Role
from accounts.refusals import Refused

CODE_RULE = "协会代号由 2 至 12 个大写字母或数字组成"


@pytest.fixture
def admin(make_user):
    return make_user(name="平台管理员", is_admin=True)


@pytest.fixture
def as_admin(client, login, admin):
    login(client, admin)
    return client


def org_count(db) -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def test_the_administrator_creates_an_association_with_its_code(as_admin, db):
    response = as_admin.post(
        "/admin/organisations", data={"kind": "association", "name": " 深圳市护理协会 ", "code": "szhl"}
    )
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation))
    assert (org.kind, org.name, org.code) == (OrgKind.ASSOCIATION, "深圳市护理协会", "SZHL")
    listing = as_admin.get(response.location).get_data(as_text=True)
    assert "已创建 深圳市护理协会" in listing and ">SZHL<" in listing


def test_the_administrator_creates_an_agency_without_a_code(as_admin, db):
    response = as_admin.post("/admin/organisations", data={"kind": "agency", "name": "深圳市卫生健康委员会"})
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation))
    assert (org.kind, org.code) == (OrgKind.AGENCY, None)


@pytest.mark.parametrize("code", ["", "S", "SZ YL", "护理", "ABCDEFGHIJKLM", "SZ-HL"])
def test_an_association_without_a_well_formed_code_is_refused_with_the_rule(as_admin, db, code):
    response = as_admin.post(
        "/admin/organisations", data={"kind": "association", "name": "某协会", "code": code}
    )
    assert response.status_code == 400
    assert CODE_RULE in response.get_data(as_text=True)
    assert org_count(db) == 0


def test_a_code_another_association_has_is_refused(as_admin, make_org, db):
    make_org(code="SZYL")
    response = as_admin.post(
        "/admin/organisations", data={"kind": "association", "name": "新协会", "code": "SZYL"}
    )
    assert response.status_code == 400
    assert "代号 SZYL 已被其他协会使用" in response.get_data(as_text=True)
    assert org_count(db) == 1


def test_an_agency_is_given_no_code(as_admin, db):
    response = as_admin.post("/admin/organisations", data={"kind": "agency", "name": "某局", "code": "MJ"})
    assert response.status_code == 400
    assert "只有协会有代号" in response.get_data(as_text=True)
    assert org_count(db) == 0


def test_an_organisation_needs_a_name(as_admin, db):
    response = as_admin.post("/admin/organisations", data={"kind": "association", "name": "  ", "code": "AB"})
    assert response.status_code == 400
    assert "请填写组织名称" in response.get_data(as_text=True)


def test_an_unknown_kind_is_refused(as_admin, db):
    response = as_admin.post("/admin/organisations", data={"kind": "club", "name": "俱乐部", "code": "JLB"})
    assert response.status_code == 400
    assert org_count(db) == 0


def test_the_administrator_renames_an_organisation(as_admin, make_org, db):
    org = make_org(name="旧名协会", code="JMXH")
    response = as_admin.post(f"/admin/organisations/{org.id}/name", data={"name": "新名协会"})
    assert response.status_code == 302
    assert "组织已更名为 新名协会" in as_admin.get(response.location).get_data(as_text=True)
    assert (org.name, org.code) == ("新名协会", "JMXH")
    refused = as_admin.post(f"/admin/organisations/{org.id}/name", data={"name": ""})
    assert refused.status_code == 400 and "请填写组织名称" in refused.get_data(as_text=True)


def test_the_administrator_changes_an_associations_code(as_admin, make_org, db):
    org = make_org(code="OLD1")
    make_org(code="TAKEN")
    assert as_admin.post(f"/admin/organisations/{org.id}/code", data={"code": "new2"}).status_code == 302
    assert org.code == "NEW2"
    assert as_admin.post(f"/admin/organisations/{org.id}/code", data={"code": "NEW2"}).status_code == 302
    taken = as_admin.post(f"/admin/organisations/{org.id}/code", data={"code": "TAKEN"})
    assert taken.status_code == 400 and "代号 TAKEN 已被其他协会使用" in taken.get_data(as_text=True)
    bad = as_admin.post(f"/admin/organisations/{org.id}/code", data={"code": "x"})
    assert bad.status_code == 400 and CODE_RULE in bad.get_data(as_text=True)
    assert org.code == "NEW2"


def test_an_agency_has_no_code_to_set(as_admin, make_org, db):
    agency = make_org("agency")
    assert "保存代号" not in as_admin.get(f"/admin/organisations/{agency.id}").get_data(as_text=True)
    response = as_admin.post(f"/admin/organisations/{agency.id}/code", data={"code": "AGCY"})
    assert response.status_code == 400
    assert agency.code is None


def test_the_verbs_refuse_anyone_but_the_administrator(make_org, make_member, db):
    association = make_org(code="SZYL")
    secretariat = make_member(association, Role.SECRETARIAT)
    with pytest.raises(Refused):
        operations.create_org(secretariat, OrgKind.AGENCY, "某局")
    with pytest.raises(Refused):
        operations.rename_org(secretariat, association, "改名")
    with pytest.raises(Refused):
        operations.set_org_code(secretariat, association, "GM")
    db.session.rollback()
    assert (association.name, association.code) != ("改名", "GM")


def test_the_header_offers_the_organisations_page_to_the_administrator_only(client, login, admin, make_user):
    login(client, make_user())
    assert "/admin/organisations" not in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login(client, admin)
    header = client.get("/").get_data(as_text=True).split("<main", 1)[0]
    assert 'href="/admin/organisations"' in header


def test_the_command_line_and_the_page_share_the_rule_of_codes(app, as_admin, db):
    from flask.testing import FlaskCliRunner

    result = FlaskCliRunner(app).invoke(
        args=["create-org", "--kind", "association", "--name", "命令行协会", "--code", "cli1"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Organisation.code)) == "CLI1"
    page = as_admin.post(
        "/admin/organisations", data={"kind": "association", "name": "网页协会", "code": "CLI1"}
    )
    assert "代号 CLI1 已被其他协会使用" in page.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_creating_without_the_forms_token_is_refused(as_admin, db):
    response = as_admin.post("/admin/organisations", data={"kind": "agency", "name": "无令牌局"})
    assert response.status_code == 400
    assert org_count(db) == 0
