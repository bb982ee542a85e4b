"""Messages that the sending worker renders: the template and its parameters, kept until then.

Revision ID: a4d9c2e7b318
Revises: 7c2e4b9d1a35
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'a4d9c2e7b318'
down_revision = '7c2e4b9d1a35'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: a message rendered when it was queued (every row so far) has neither.
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.drop_column('template')
