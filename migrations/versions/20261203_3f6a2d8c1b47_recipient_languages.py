"""The language an invitation and an event's contact were made in, so later e-mails to them use it.

Revision ID: 3f6a2d8c1b47
Revises: f3a8c61d0b52
Create Date: 2026-12-03 09:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3f6a2d8c1b47'
down_revision = 'f3a8c61d0b52'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: rows made before languages were recorded are written to in the site's default.
    with op.batch_alter_table('speaker_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_locale', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('contact_locale')
    with op.batch_alter_table('speaker_assignments', schema=None) as batch_op:
        batch_op.drop_column('locale')
