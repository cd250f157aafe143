"""workflow: ballots (the ballot, its electorate with the current votes, every cast) and an
association's default vote rule

Revision ID: 0013_ballots
Revises: 0012_comments
Create Date: 2026-12-02 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0013_ballots'
down_revision = '0012_comments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ballot_rule', sa.String(length=40), nullable=True))
    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('rule_json', sa.JSON(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('electorate_size', sa.Integer(), nullable=False),
    sa.Column('electorate_weight', sa.Integer(), nullable=False),
    sa.Column('cast_count', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_ballots_closed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_ballots_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_ballots_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballots_standard_id'), ['standard_id'], unique=False)
    op.create_table('ballot_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('choice', sa.String(length=24), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('cast_at', sa.DateTime(), nullable=True),
    sa.Column('receipt', sa.String(length=32), nullable=True),
    sa.Column('casts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_voters_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ballot_voters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_voters')),
    sa.UniqueConstraint('ballot_id', 'user_id', name=op.f('uq_ballot_voters_ballot_id'))
    )
    with op.batch_alter_table('ballot_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_voters_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ballot_voters_user_id'), ['user_id'], unique=False)
    op.create_table('vote_casts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=24), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('cast_at', sa.DateTime(), nullable=False),
    sa.Column('receipt', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_vote_casts_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['ballot_voters.id'], name=op.f('fk_vote_casts_voter_id_ballot_voters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_casts')),
    sa.UniqueConstraint('receipt', name=op.f('uq_vote_casts_receipt'))
    )
    with op.batch_alter_table('vote_casts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_casts_ballot_id'), ['ballot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_casts_voter_id'), ['voter_id'], unique=False)


def downgrade():
    with op.batch_alter_table('vote_casts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_casts_voter_id'))
        batch_op.drop_index(batch_op.f('ix_vote_casts_ballot_id'))
    op.drop_table('vote_casts')
    with op.batch_alter_table('ballot_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballot_voters_user_id'))
        batch_op.drop_index(batch_op.f('ix_ballot_voters_ballot_id'))
    op.drop_table('ballot_voters')
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ballots_standard_id'))
        batch_op.drop_index(batch_op.f('ix_ballots_closes_at'))
    op.drop_table('ballots')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('ballot_rule')
