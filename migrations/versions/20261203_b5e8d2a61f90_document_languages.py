"""The language a concept note and a summary are written in, so their Word and PDF exports are in it.

Revision ID: b5e8d2a61f90
Revises: a41c7e9b2d60
Create Date: 2026-12-03 10:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b5e8d2a61f90'
down_revision = 'a41c7e9b2d60'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: documents written before it was recorded are exported in the language of their script.
    with op.batch_alter_table('concept_notes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('summaries', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('concept_notes', schema=None) as batch_op:
        batch_op.drop_column('language')
