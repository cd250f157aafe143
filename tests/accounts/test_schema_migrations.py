"""The schema comes from the Alembic migrations: upgrading a fresh database gives exactly the models.

When this fails after a model change, write the migration:
`flask --app wsgi db migrate -m "what changed"` against a database at the previous head, then review it.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from extensions import db
from workflow.registry_index import made_by_models
from wsgi import create_app


@pytest.fixture
def empty_app(database_url):
    """An application whose database has no tables at all (not even from create_all)."""
    from app_testing import forget_postgresql_schema, make_test_config, postgresql_url_and_options

    overrides = {}
    if database_url.startswith("postgresql"):
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = postgresql_url_and_options()[1]
    app = create_app(make_test_config(database_url, **overrides))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                schema = connection.execute(text("SHOW search_path")).scalar().split(",")[0].strip()
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
            forget_postgresql_schema()
        yield app
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def test_upgrading_a_fresh_database_matches_the_models(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": made_by_models})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "the models changed without a migration: " + repr(differences)[:2000]


def test_the_migrations_downgrade_to_nothing(empty_app):
    upgrade()
    downgrade(revision="base")
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()


def test_the_migrated_audit_log_refuses_update_and_delete(empty_app):
    """The triggers come with the migration too, not only with create_all."""
    from sqlalchemy.exc import DatabaseError

    from accounts import audit
    from accounts.permissions import OPERATOR

    upgrade()
    audit.record("org_created", OPERATOR, subject="organisation:1")
    db.session.commit()
    for statement in ("UPDATE audit_log SET details = '{}'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert audit.verify(db.session()).count == 1
