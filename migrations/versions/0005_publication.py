"""publication: a standard's number, dates, published revision and the standard it replaces

Revision ID: 0005_publication
Revises: 0004_events
Create Date: 2026-12-02 12:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0005_publication'
down_revision = '0004_events'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('implemented_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('published_revision', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_standards_number'), ['number'])
        batch_op.create_foreign_key(
            batch_op.f('fk_standards_replaces_id_standards'), 'standards', ['replaces_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('standards', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_standards_replaces_id_standards'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_standards_number'), type_='unique')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('published_revision')
        batch_op.drop_column('implemented_on')
        batch_op.drop_column('published_on')
        batch_op.drop_column('sequence')
        batch_op.drop_column('number')
