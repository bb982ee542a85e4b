"""When an account proved its e-mail address.

Revision ID: 7c3e1a9d5b20
Revises: 1504290c29e9
Create Date: 2026-12-02 02:50:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7c3e1a9d5b20'
down_revision = '1504290c29e9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))
    # Staff accounts were made from the command line by whoever runs the site, so their
    # addresses count as proven; everyone else proves theirs with the link they are offered.
    op.execute(sa.text("UPDATE users SET email_verified_at = created_at WHERE is_staff"))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
