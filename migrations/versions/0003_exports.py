"""exports: export jobs and their files (bytes in the database, once per SHA-256); figures of standards

Export files live in the database (LargeBinary: bytea / BLOB) so that every gunicorn host and RQ
worker reads the same ones without a shared disk. A job row is found again by its cache_key.

Revision ID: 0003_exports
Revises: 0002_authoring
Create Date: 2026-11-26 19:33:52.458153

"""
import sqlalchemy as sa
from alembic import op

revision = '0003_exports'
down_revision = '0002_authoring'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_files',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_export_files'))
    )
    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_figures_standard_id_standards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_figures_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures')),
    sa.UniqueConstraint('standard_id', 'name', name='uq_figures_standard_name')
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_standard_id'), ['standard_id'], unique=False)

    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('standard_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('template_version', sa.String(length=32), nullable=False),
    sa.Column('cache_key', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=32), nullable=False),
    sa.Column('error_zh', sa.Text(), nullable=True),
    sa.Column('error_en', sa.Text(), nullable=True),
    sa.Column('warnings', sa.JSON(), nullable=False),
    sa.Column('result_sha256', sa.String(length=64), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('media_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['base_revision_id'], ['revisions.id'], name=op.f('fk_export_jobs_base_revision_id_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_export_jobs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['result_sha256'], ['export_files.sha256'], name=op.f('fk_export_jobs_result_sha256_export_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_export_jobs_revision_id_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['standard_id'], ['standards.id'], name=op.f('fk_export_jobs_standard_id_standards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_jobs_cache_key'), ['cache_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_jobs_standard_id'), ['standard_id'], unique=False)



def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_jobs_standard_id'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_revision_id'))
        batch_op.drop_index(batch_op.f('ix_export_jobs_cache_key'))

    op.drop_table('export_jobs')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_standard_id'))

    op.drop_table('figures')
    op.drop_table('export_files')
