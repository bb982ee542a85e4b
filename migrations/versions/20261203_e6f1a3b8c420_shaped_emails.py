"""E-mails people can shape: the organisers' paragraph, the forum's texts, optional mail turned off,
and the outbox's HTML part and category.

Revision ID: e6f1a3b8c420
Revises: e8b1f4c2d907
Create Date: 2026-12-03 13:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6f1a3b8c420'
down_revision = 'e8b1f4c2d907'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('category', sa.String(length=30), nullable=True))
    op.create_table(
        'mail_opt_outs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('category', sa.String(length=30), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_opt_outs_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_opt_outs')),
        sa.UniqueConstraint('email', 'category', name='uq_mail_opt_outs_email_category'))
    op.create_table(
        'event_mail_paragraphs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=10), server_default='', nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_mail_paragraphs_event_id_events'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event_mail_paragraphs')),
        sa.UniqueConstraint('event_id', 'kind', 'locale', name='uq_event_mail_paragraphs_kind_locale'))
    op.create_table(
        'forum_mail_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('forum_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=10), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['forum_id'], ['forums.id'], name=op.f('fk_forum_mail_texts_forum_id_forums'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_forum_mail_texts_updated_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_forum_mail_texts')),
        sa.UniqueConstraint('forum_id', 'kind', 'locale', name='uq_forum_mail_texts_kind_locale'))


def downgrade():
    op.drop_table('forum_mail_texts')
    op.drop_table('event_mail_paragraphs')
    op.drop_table('mail_opt_outs')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('category')
        batch_op.drop_column('html')
