"""Calendar digests: what each event's and agenda item's calendar entry shows, for SEQUENCE.

Revision ID: 5e1f0c7a9b21
Revises: d8b2e5f14a63
Create Date: 2026-12-02 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e1f0c7a9b21'
down_revision = 'd8b2e5f14a63'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_digest', sa.String(length=64), nullable=True))
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_digest', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('calendar_digest')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('calendar_digest')
