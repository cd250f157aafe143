"""registry: the search index of published standards (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)

Revision ID: 0007_registry
Revises: 0006_workflow
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op


revision = '0007_registry'
down_revision = '0006_workflow'
branch_labels = None
depends_on = None

HAYSTACK = (
    "(number || E'\\n' || title_zh || E'\\n' || title_en || E'\\n' || association || E'\\n' || body)"
)
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE registry_fts USING fts5(number, title_zh, title_en, association, body, "
    "content='registry_entries', content_rowid='standard_id', tokenize='trigram')",
    "CREATE TRIGGER registry_entries_ai AFTER INSERT ON registry_entries BEGIN "
    "INSERT INTO registry_fts(rowid, number, title_zh, title_en, association, body) "
    "VALUES (new.standard_id, new.number, new.title_zh, new.title_en, new.association, new.body); END",
    "CREATE TRIGGER registry_entries_ad AFTER DELETE ON registry_entries BEGIN "
    "INSERT INTO registry_fts(registry_fts, rowid, number, title_zh, title_en, association, body) "
    "VALUES ('delete', old.standard_id, old.number, old.title_zh, old.title_en, old.association, old.body); END",
    "CREATE TRIGGER registry_entries_au AFTER UPDATE ON registry_entries BEGIN "
    "INSERT INTO registry_fts(registry_fts, rowid, number, title_zh, title_en, association, body) "
    "VALUES ('delete', old.standard_id, old.number, old.title_zh, old.title_en, old.association, old.body); "
    "INSERT INTO registry_fts(rowid, number, title_zh, title_en, association, body) "
    "VALUES (new.standard_id, new.number, new.title_zh, new.title_en, new.association, new.body); END",
)
SQLITE_DROP = (
    'DROP TRIGGER IF EXISTS registry_entries_au',
    'DROP TRIGGER IF EXISTS registry_entries_ad',
    'DROP TRIGGER IF EXISTS registry_entries_ai',
    'DROP TABLE IF EXISTS registry_fts',
)


def upgrade():
    op.create_table('registry_entries',
    sa.Column('standard_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('association', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('indexed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_registry_entries_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('standard_id', name=op.f('pk_registry_entries'))
    )
    # the database's own index: the FTS5 table and its triggers, or pg_trgm and its GIN index
    # (the same DDL as workflow/registry_index.py runs after create_all; a migration keeps its copy)
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for statement in SQLITE_DDL:
            op.execute(statement)
    elif bind.dialect.name == 'postgresql':
        op.execute('SELECT pg_advisory_xact_lock(7007)')
        schema = bind.scalar(sa.text(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
        ))
        if schema is None:
            op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public')
            schema = 'public'
        op.execute(
            'CREATE INDEX ix_registry_entries_trgm ON registry_entries USING gin '
            f"({HAYSTACK} {schema}.gin_trgm_ops)"
        )
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standards_replaces_id'), ['replaces_id'], unique=False)


def downgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standards_replaces_id'))
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_DROP:
            op.execute(statement)
    else:
        op.execute('DROP INDEX IF EXISTS ix_registry_entries_trgm')
    op.drop_table('registry_entries')
