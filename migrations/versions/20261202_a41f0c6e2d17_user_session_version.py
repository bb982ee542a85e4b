"""A session version per user, so a password change signs every other device out.

Revision ID: a41f0c6e2d17
Revises: 6bd04851edc1
Create Date: 2026-12-02 03:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a41f0c6e2d17'
down_revision = '6bd04851edc1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
