"""Services for everyone: which sign languages and wheelchair access on events; services requested
by registrants.

Revision ID: e8b1f4c2d907
Revises: d4a7c2e9b031
Create Date: 2026-12-03 13:20:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8b1f4c2d907'
down_revision = 'd4a7c2e9b031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_languages', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('wheelchair_access', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interpretation_language', sa.String(length=60), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('wants_captioning', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('wants_sign_language', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('sign_language_wanted', sa.String(length=80), server_default='',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_column('sign_language_wanted')
        batch_op.drop_column('wants_sign_language')
        batch_op.drop_column('wants_captioning')
        batch_op.drop_column('interpretation_language')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('wheelchair_access')
        batch_op.drop_column('sign_languages')
