"""Calls for proposals and eligibility: who may lead or co-organise, a limit per lead organisation,
and staff letting one late proposal in.

Revision ID: d4a7c2e9b031
Revises: c3d9e1a7f255
Create Date: 2026-12-03 11:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a7c2e9b031'
down_revision = 'c3d9e1a7f255'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lead_kinds', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('co_organiser_kinds', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('lead_rule_in_person_only', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('max_events_per_lead', sa.Integer(), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('late_allowed', sa.Boolean(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('late_allowed')
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.drop_column('max_events_per_lead')
        batch_op.drop_column('lead_rule_in_person_only')
        batch_op.drop_column('co_organiser_kinds')
        batch_op.drop_column('lead_kinds')
