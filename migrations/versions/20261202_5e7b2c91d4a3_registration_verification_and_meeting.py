"""Registrations prove their address with their own e-mailed token, expire unproven, and record
their language; events get a meeting passcode.

Revision ID: 5e7b2c91d4a3
Revises: 7c3d2e8f4a10
Create Date: 2026-12-02 03:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5e7b2c91d4a3'
down_revision = '7c3d2e8f4a10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_passcode', sa.String(length=100), server_default='', nullable=False))

    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('verification_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_registrations_verification_hash'), ['verification_hash'])
        batch_op.create_index('ix_registrations_status_verification_expires_at', ['status', 'verification_expires_at'],
                              unique=False)

    # Registrations that already hold their place were accepted before addresses had to be proven:
    # they keep it. Unverified ones were confirmable with their manage token, which no longer
    # confirms anything; they expire and are purged like any unproven registration.
    op.execute("UPDATE registrations SET verified_at = created_at WHERE status <> 'unverified'")
    op.execute("UPDATE registrations SET verification_expires_at = created_at WHERE status = 'unverified'")


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_status_verification_expires_at')
        batch_op.drop_constraint(batch_op.f('uq_registrations_verification_hash'), type_='unique')
        batch_op.drop_column('locale')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verification_expires_at')
        batch_op.drop_column('verification_hash')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('meeting_passcode')
