"""Summary PDFs are typeset in the request now: the table of stored conversions goes.

Revision ID: f3a8c61d0b52
Revises: 5e7b2c91d4a3
Create Date: 2026-12-02 07:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c61d0b52'
down_revision = '5e7b2c91d4a3'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('summary_pdfs')


def downgrade():
    # The stored files are not brought back: the next download typesets the PDF again.
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
