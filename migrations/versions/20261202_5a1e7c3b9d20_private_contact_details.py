"""Contact details stay private: the event contact is public only when marked so, photos get an
unguessable address, and a speaker added by an address already in the directory keeps the name
the team typed until they accept.

Revision ID: 5a1e7c3b9d20
Revises: 7c3e1a9d5b20
Create Date: 2026-12-02 03:20:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '5a1e7c3b9d20'
down_revision = '7c3e1a9d5b20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email_public', sa.Boolean(), server_default='0', nullable=False))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_key', sa.String(length=32), server_default='', nullable=False))
    with op.batch_alter_table('speaker_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entered_given_name', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('entered_family_name', sa.String(length=120), server_default='',
                                      nullable=False))
    # Photos already uploaded move to an unguessable address too.
    connection = op.get_bind()
    people = sa.table('people', sa.column('id', sa.Integer), sa.column('photo', sa.LargeBinary),
                      sa.column('photo_key', sa.String))
    for (person_id,) in connection.execute(sa.select(people.c.id).where(people.c.photo.is_not(None))).all():
        connection.execute(people.update().where(people.c.id == person_id)
                           .values(photo_key=secrets.token_urlsafe(16)))


def downgrade():
    with op.batch_alter_table('speaker_assignments', schema=None) as batch_op:
        batch_op.drop_column('entered_family_name')
        batch_op.drop_column('entered_given_name')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('photo_key')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('contact_email_public')
