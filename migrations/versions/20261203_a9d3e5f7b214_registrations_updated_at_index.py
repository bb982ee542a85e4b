"""An index on registrations.updated_at: the forum dashboard's fingerprint reads the newest change.

Revision ID: a9d3e5f7b214
Revises: f1c2b7a9d402
Create Date: 2026-12-03 14:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a9d3e5f7b214'
down_revision = 'f1c2b7a9d402'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_updated_at', ['updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_updated_at')
