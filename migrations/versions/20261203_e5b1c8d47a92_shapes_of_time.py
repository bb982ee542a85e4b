"""Shapes of time: all-day entries, recurring meetings (each meeting a row, so room checks see it)
and series of events across forums.

Revision ID: e5b1c8d47a92
Revises: a9d3e5f7b214
Create Date: 2026-12-03 13:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b1c8d47a92'
down_revision = 'a9d3e5f7b214'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), server_default='', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
        sa.UniqueConstraint('slug', name=op.f('uq_series_slug')),
        sa.UniqueConstraint('title', name=op.f('uq_series_title')),
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('all_day', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('repeat', sa.Enum('', 'weekly', 'monthly', name='repeat', native_enum=False,
                                                        length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('repeat_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_series_id'), ['series_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_series_id_series'), 'series', ['series_id'], ['id'],
                                    ondelete='SET NULL')
    op.create_table(
        'event_occurrences',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('original_start', sa.DateTime(timezone=True), nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('skipped', sa.Boolean(), server_default='0', nullable=False),
        sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_event_occurrences_ends_after_start')),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_occurrences_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_occurrences')),
        sa.UniqueConstraint('event_id', 'original_start', name=op.f('uq_event_occurrences_event_id_original_start')),
    )
    op.create_index('ix_event_occurrences_start', 'event_occurrences', ['starts_at'], unique=False)


def downgrade():
    op.drop_index('ix_event_occurrences_start', table_name='event_occurrences')
    op.drop_table('event_occurrences')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_series_id_series'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_series_id'))
        batch_op.drop_column('series_id')
        batch_op.drop_column('repeat_until')
        batch_op.drop_column('repeat')
        batch_op.drop_column('all_day')
    op.drop_table('series')
