"""Invitations to speak: the daily count per inviting account, and people who refuse them.

Revision ID: 9b4d2f6e8a31
Revises: a41f0c6e2d17
Create Date: 2026-12-02 03:40:00

"""
from alembic import op
import sqlalchemy as sa



revision = '9b4d2f6e8a31'
down_revision = 'a41f0c6e2d17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invitations_refused_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'sent_invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('sender_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=True),
        sa.Column('event_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_sent_invitations_event_id_events'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sent_invitations_person_id_people'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_sent_invitations_sender_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_invitations')))
    with op.batch_alter_table('sent_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_sent_invitations_sender_sent_at', ['sender_id', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_invitations_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sent_invitations_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sent_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sent_invitations_event_id'))
        batch_op.drop_index(batch_op.f('ix_sent_invitations_person_id'))
        batch_op.drop_index('ix_sent_invitations_sender_sent_at')
    op.drop_table('sent_invitations')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('invitations_refused_at')
