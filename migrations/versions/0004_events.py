"""events: a standard's append-only history (created, saved, restored, exported; workflow adds more)

Revision ID: 0004_events
Revises: 0003_exports
Create Date: 2026-12-02 06:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0004_events'
down_revision = '0003_exports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('standard_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('from_stage', sa.String(length=32), nullable=True),
    sa.Column('to_stage', sa.String(length=32), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_standard_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_standard_events_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_events'))
    )
    with op.batch_alter_table('standard_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_events_standard_id'), ['standard_id'], unique=False)


def downgrade():
    with op.batch_alter_table('standard_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_events_standard_id'))
    op.drop_table('standard_events')
