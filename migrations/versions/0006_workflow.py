"""workflow: comment periods (the consultation releases of a standard)

Revision ID: 0006_workflow
Revises: 0005_publication
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_workflow'
down_revision = '0005_publication'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comment_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.Date(), nullable=False),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_comment_periods_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_comment_periods_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_periods'))
    )
    with op.batch_alter_table('comment_periods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_periods_standard_id'), ['standard_id'], unique=False)


def downgrade():
    with op.batch_alter_table('comment_periods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_periods_standard_id'))
    op.drop_table('comment_periods')
