"""The audit log: what the accounts verbs and pages write to it, the chain `audit verify` checks, and
the refusals (the ORM's and the database's triggers) that keep it append-only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from accounts import audit, operations
from accounts.audit import GENESIS_HASH, AuditEntry
from accounts.models import Role
from accounts.permissions import OPERATOR
from accounts.refusals import Refused
from extensions import db


def _entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _verify(app, *args: str):
    db.session.commit()  # the command shares the test's session: let it read what was written since
    return app.test_cli_runner().invoke(args=["audit", "verify", *args])


@pytest.fixture
def drop_triggers(app):
    """drop_triggers(): what an attacker with the database's owner rights does first. The
    PostgreSQL schema outlives the test, so the triggers are put back after it."""
    postgresql = db.engine.dialect.name == "postgresql"

    def drop() -> None:
        db.session.commit()  # PostgreSQL's DROP TRIGGER waits for every transaction that read the table
        if postgresql:
            statements = [
                "DROP TRIGGER audit_log_no_change ON audit_log",
                "DROP TRIGGER audit_log_no_truncate ON audit_log",
            ]
        else:
            statements = ["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"]
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))

    yield drop
    if postgresql:
        db.session.rollback()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"))
            connection.execute(text("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log"))
            for statement in audit.POSTGRESQL_TRIGGERS:
                connection.execute(text(statement))


def _chain_of(count: int) -> list[AuditEntry]:
    for number in range(count):
        audit.record("org_renamed", OPERATOR, subject=f"organisation:{number}", details={"to": f"名{number}"})
        db.session.commit()
    entries = _entries()
    db.session.expunge_all()  # the rows as written, readable after a test changes the table
    return entries


def test_a_login_writes_one_entry_with_the_user_the_address_and_utc_time(client, login, make_user):
    user = make_user()
    before = datetime.now(UTC)
    assert login(client, user).status_code == 302
    (entry,) = _entries()
    assert (entry.action, entry.actor_id, entry.actor_label) == ("login", user.id, user.email)
    assert entry.subject == f"user:{user.id}"
    assert entry.remote_addr == "127.0.0.1"
    assert entry.at.tzinfo == UTC and before <= entry.at <= datetime.now(UTC)
    assert entry.prev_hash == GENESIS_HASH and entry.hash == entry.computed_hash()


def test_a_failed_login_commits_its_own_entry_with_the_address_tried_and_no_password(
    client, login, make_user
):
    make_user("chen@example.org")
    response = login(client, "Chen@Example.org", "not the password")
    assert response.status_code == 200
    (entry,) = _entries()
    assert (entry.action, entry.actor_id, entry.actor_label) == ("login_failed", None, "")
    assert entry.details_dict == {"email": "chen@example.org"}
    assert "not the password" not in entry.details


def test_logout_and_a_password_change_are_recorded(client, login, make_user, password):
    user = make_user()
    login(client, user)
    response = client.post(
        "/account/password",
        data={
            "current_password": password,
            "new_password": "a new password 7",
            "confirm": "a new password 7",
        },
    )
    assert response.status_code == 302
    assert client.post("/logout").status_code == 302
    assert [(e.action, e.actor_id) for e in _entries()] == [
        ("login", user.id),
        ("password_changed", user.id),
        ("logout", user.id),
    ]


def test_a_role_change_writes_one_entry_with_the_roles_before_and_after(client, login, make_org, make_member):
    org = make_org()
    secretary = make_member(org, Role.SECRETARIAT)
    member = make_member(org, Role.MEMBER)
    membership = member.membership_in(org)
    login(client, secretary)
    response = client.post(
        f"/orgs/{org.id}/members/{membership.id}",
        data={f"m{membership.id}-role": "drafter", f"m{membership.id}-weight": "1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    entry = _entries()[-1]
    assert (entry.action, entry.actor_id, entry.organisation_id) == (
        "membership_changed",
        secretary.id,
        org.id,
    )
    assert entry.subject == f"membership:{membership.id}"
    details = entry.details_dict
    assert (details["from_role"], details["role"], details["email"]) == ("member", "drafter", member.email)


def test_a_refused_verb_leaves_no_entry(app, make_org, make_member):
    org = make_org()
    secretary = make_member(org, Role.SECRETARIAT)
    with pytest.raises(Refused):
        operations.change_membership(
            OPERATOR, secretary.membership_in(org), Role.MEMBER, voting=True, weight=1
        )  # the last secretariat
    db.session.rollback()
    db.session.commit()
    assert _entries() == []


def test_the_operator_s_commands_are_recorded_outside_a_request(app):
    result = app.test_cli_runner().invoke(
        args=["create-org", "--kind", "association", "--name", "协会", "--code", "SZXH"]
    )
    assert result.exit_code == 0, result.output
    (entry,) = _entries()
    assert (entry.action, entry.actor_id, entry.actor_label, entry.remote_addr) == (
        "org_created",
        None,
        "operator",
        None,
    )
    assert entry.details_dict == {"code": "SZXH", "name": "协会"}


def test_verify_passes_on_a_clean_chain_and_prints_the_count_and_head(app):
    entries = _chain_of(3)
    assert [e.prev_hash for e in entries] == [GENESIS_HASH, entries[0].hash, entries[1].hash]
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert f"3 entries, head {entries[-1].hash}" in result.output


def test_verify_of_an_empty_log_passes(app):
    result = _verify(app)
    assert result.exit_code == 0 and "0 entries" in result.output


def test_verify_names_the_row_whose_details_were_changed(app, drop_triggers):
    entries = _chain_of(4)
    drop_triggers()
    with db.engine.begin() as connection:
        forged = json.dumps({"to": "伪造"})
        connection.execute(
            text("UPDATE audit_log SET details = :d WHERE id = :id"), {"d": forged, "id": entries[2].id}
        )
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at entry {entries[2].id}: its content was changed" in result.output


def test_verify_finds_a_deleted_middle_row(app, drop_triggers):
    entries = _chain_of(4)
    drop_triggers()
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entries[1].id})
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at entry {entries[1].id}: entry {entries[1].id} is missing (deleted)" in result.output


def test_verify_finds_a_row_rewritten_with_a_fresh_hash(app, drop_triggers):
    """A forger who recomputes the changed row's hash still breaks the link from the next row."""
    entries = _chain_of(3)
    drop_triggers()
    row = entries[1]
    row_fields = row.canonical_fields() | {"details": json.dumps({"to": "伪造"})}
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE audit_log SET details = :d, hash = :h WHERE id = :id"),
            {"d": row_fields["details"], "h": audit.entry_hash(row_fields), "id": row.id},
        )
    result = _verify(app)
    assert result.exit_code == 1
    assert f"broken at entry {entries[2].id}: it does not follow the entry before it" in result.output


def test_verify_with_a_noted_head_finds_the_newest_rows_deleted(app, drop_triggers):
    entries = _chain_of(3)
    assert _verify(app, "--head", entries[-1].hash).exit_code == 0
    drop_triggers()
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": entries[-1].id})
    assert _verify(app).exit_code == 0  # the shorter chain holds by itself
    result = _verify(app, "--head", entries[-1].hash)
    assert result.exit_code == 1 and "no longer in it" in result.output


def test_the_orm_refuses_to_update_or_delete_an_entry(app):
    (written,) = _chain_of(1)
    entry = db.session.get(AuditEntry, written.id)
    entry.details = "{}"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, written.id))
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert len(_entries()) == 1


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET details = '{}'", "DELETE FROM audit_log"], ids=["update", "delete"]
)
def test_the_database_refuses_raw_changes(app, statement):
    _chain_of(2)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))
    assert _verify(app).exit_code == 0
    assert len(_entries()) == 2


def test_show_prints_the_newest_entries(app):
    _chain_of(3)
    result = app.test_cli_runner().invoke(args=["audit", "show", "--last", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("2\t") and lines[1].startswith("3\t")
    assert "org_renamed\toperator\torganisation:2" in lines[1]


def test_the_administrator_reads_the_log_newest_first_and_others_may_not(client, login, make_user):
    admin = make_user(is_admin=True)
    make_user("chen@example.org")
    login(client, "chen@example.org", "wrong password")
    login(client, admin)
    page = client.get("/admin/audit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.index('id="audit-2"') < body.index('id="audit-1"')
    assert "login_failed" in body and admin.email in body and "chen@example.org" in body
    assert "登录失败" in body  # each action in words, the stored code beside it


def test_the_log_names_organisations_and_the_actions_of_every_package(
    client, login, make_user, make_org, make_member
):
    from accounts import audit
    from extensions import db

    admin = make_user(is_admin=True)
    org = make_org(name="深圳市养老服务业协会")
    audit.record("stage_changed", make_member(org, "secretariat"), subject="standard:1", organisation=org)
    audit.record("vote_cast", None, subject="ballot:1", organisation=org)
    db.session.commit()
    login(client, admin)
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "深圳市养老服务业协会" in body and "阶段变更" in body and "投票" in body
    client.post("/logout")
    login(client, make_user())
    assert client.get("/admin/audit").status_code == 403
