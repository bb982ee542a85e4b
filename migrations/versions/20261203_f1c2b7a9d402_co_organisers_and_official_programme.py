"""Co-organisers confirm through their focal point; the forum's official programme.

Revision ID: f1c2b7a9d402
Revises: e6f1a3b8c420
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'f1c2b7a9d402'
down_revision = 'e6f1a3b8c420'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.add_column(sa.Column('co_organisers_must_confirm', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('official_overlap_rule', sa.String(length=10), server_default='warn',
                                      nullable=False))
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('focal_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('focal_email', sa.String(length=320), server_default='', nullable=False))
        batch_op.add_column(sa.Column('focal_locale', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('confirmation', sa.Enum('pending', 'confirmed', 'declined', name='confirmation',
                                                              native_enum=False, length=20),
                                      server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('link_nonce', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'official_meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=True),
        sa.Column('location', sa.String(length=300), server_default='', nullable=False),
        sa.Column('side_events', sa.String(length=10), server_default='', nullable=False),
        sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_official_meetings_ends_after_start')),
        sa.CheckConstraint("side_events IN ('', 'allow', 'warn', 'refuse')",
                           name=op.f('ck_official_meetings_side_events_rule')),
        sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_official_meetings_forum_id_forums'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_official_meetings_room_id_rooms'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_official_meetings')),
    )
    op.create_index('ix_official_meetings_forum_start', 'official_meetings', ['forum_id', 'starts_at'])
    op.create_index('ix_official_meetings_room_start', 'official_meetings', ['room_id', 'starts_at'])


def downgrade():
    op.drop_index('ix_official_meetings_room_start', table_name='official_meetings')
    op.drop_index('ix_official_meetings_forum_start', table_name='official_meetings')
    op.drop_table('official_meetings')
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        for name in ('responded_at', 'requested_at', 'link_nonce', 'confirmation', 'focal_locale', 'focal_email',
                     'focal_name'):
            batch_op.drop_column(name)
    with op.batch_alter_table('forums', schema=None) as batch_op:
        batch_op.drop_column('official_overlap_rule')
        batch_op.drop_column('co_organisers_must_confirm')
