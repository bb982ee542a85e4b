"""Change notices: published events whose move has not been announced yet.

Revision ID: 7c3d2e8f4a10
Revises: 5e1f0c7a9b21
Create Date: 2026-12-02 03:10:00

"""
from alembic import op
import sqlalchemy as sa



revision = '7c3d2e8f4a10'
down_revision = '5e1f0c7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('change_notices',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('first_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_change_notices_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_change_notices'))
    )
    with op.batch_alter_table('change_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_notices_first_changed_at'), ['first_changed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('change_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_notices_first_changed_at'))
    op.drop_table('change_notices')
