"""authoring: standards, their drafters, immutable revisions, the render cache

One revision per (standard, number) is the unique constraint uq_revisions_standard_number: the
backstop behind the save lock (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL).

Revision ID: 0002_authoring
Revises: 0001
Create Date: 2026-11-26 19:16:23.384676

"""
import sqlalchemy as sa
from alembic import op

revision = "0002_authoring"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('render_cache',
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('html', sa.Text(), nullable=False),
    sa.Column('outline', sa.JSON(), nullable=False),
    sa.Column('findings', sa.JSON(), nullable=False),
    sa.Column('labels', sa.JSON(), nullable=False),
    sa.Column('clause_digests', sa.JSON(), nullable=False),
    sa.Column('hints', sa.JSON(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('content_hash', name=op.f('pk_render_cache'))
    )
    op.create_table('standards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('association_id', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=True),
    sa.Column('committee', sa.String(length=200), nullable=True),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('latest_number', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['organisations.id'], name=op.f('fk_standards_association_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_standards_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standards'))
    )
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standards_association_id'), ['association_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('restored_from', sa.Integer(), nullable=True),
    sa.Column('chars_added', sa.Integer(), nullable=False),
    sa.Column('chars_removed', sa.Integer(), nullable=False),
    sa.Column('touched', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['revisions.id'], name=op.f('fk_revisions_parent_id_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_revisions_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('standard_id', 'number', name='uq_revisions_standard_number')
    )
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revisions_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_revisions_standard_id'), ['standard_id'], unique=False)

    op.create_table('standard_drafters',
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_standard_drafters_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_standard_drafters_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('standard_id', 'membership_id', name=op.f('pk_standard_drafters'))
    )
    with op.batch_alter_table('standard_drafters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_drafters_membership_id'), ['membership_id'], unique=False)



def downgrade():
    with op.batch_alter_table('standard_drafters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_drafters_membership_id'))

    op.drop_table('standard_drafters')
    with op.batch_alter_table('revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revisions_standard_id'))
        batch_op.drop_index(batch_op.f('ix_revisions_content_hash'))

    op.drop_table('revisions')
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standards_association_id'))

    op.drop_table('standards')
    op.drop_table('render_cache')
