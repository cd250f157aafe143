"""members in bulk: a membership's work unit, an invitation's name and unit, stored import previews

Revision ID: 0009_members
Revises: 0007_registry
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_members'
down_revision = '0007_registry'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=200), nullable=True))
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=200), nullable=True))
    op.create_table('member_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_member_imports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_member_imports_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_imports')),
    sa.UniqueConstraint('token', name=op.f('uq_member_imports_token'))
    )
    with op.batch_alter_table('member_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_imports_org_id'), ['org_id'], unique=False)


def downgrade():
    with op.batch_alter_table('member_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_imports_org_id'))
    op.drop_table('member_imports')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('unit')
        batch_op.drop_column('name')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('unit')
