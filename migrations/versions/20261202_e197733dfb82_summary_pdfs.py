"""Summary PDFs made by a job worker, stored once per summary revision.

Revision ID: e197733dfb82
Revises: 17bb4cb1fa09
Create Date: 2026-12-02 04:17:51.804231

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e197733dfb82'
down_revision = '17bb4cb1fa09'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('summary_pdfs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['summaries.event_id'], name=op.f('fk_summary_pdfs_event_id_summaries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_pdfs')),
    sa.UniqueConstraint('event_id', 'revision', name=op.f('uq_summary_pdfs_event_id_revision'))
    )


def downgrade():
    op.drop_table('summary_pdfs')
