"""Search text folded as search now compares it: accents, Arabic vowel marks and tatweel dropped, ё read as е.

Revision ID: 7c2e4b9d1a35
Revises: 3f6a2d8c1b47
Create Date: 2026-12-03 10:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7c2e4b9d1a35'
down_revision = '3f6a2d8c1b47'
branch_labels = None
depends_on = None


def _fold(text):
    # A copy of eventsite.core.collation.search_fold as it was written: a migration never imports the app.
    text = unicodedata.normalize("NFKD", text or "").replace("\u0640", "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def _refold(table_name):
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("search_text", sa.Text))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c.search_text)).all()
    for row_id, text in rows:
        folded = _fold(text)
        if folded != text:
            connection.execute(table.update().where(table.c.id == row_id).values(search_text=folded))


def upgrade():
    _refold("events")
    _refold("people")


def downgrade():
    pass  # folded text is still found by the older, lower-case-only search for every unaccented word
