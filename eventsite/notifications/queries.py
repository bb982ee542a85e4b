"""Reading the words organisers and staff wrote for an e-mail, in the language it is written in."""
from sqlalchemy import select

from ..extensions import db
from .models import PARAGRAPH_KINDS, EventMailParagraph, ForumMailText


def paragraph_group(kind: str) -> str | None:
    """Which of the event's paragraphs a registration message of this kind carries ("confirmation", "reminder")."""
    return next((group for group, kinds in PARAGRAPH_KINDS.items() if kind in kinds), None)


def event_paragraphs(event_id: int, group: str) -> dict[str, str]:
    """The organisers' paragraph of this group, by language ('' for every other language)."""
    return dict(db.session.execute(select(EventMailParagraph.locale, EventMailParagraph.text).where(
        EventMailParagraph.event_id == event_id, EventMailParagraph.kind == group)).all())


def paragraph_in(paragraphs: dict[str, str], locale: str | None) -> str:
    """The version in this language, else the one for every language, else nothing."""
    return paragraphs.get(locale or "") or paragraphs.get("", "")


def forum_texts(forum_id: int, locale: str) -> dict[str, str]:
    """The forum's own opening texts in this language, by message kind."""
    return dict(db.session.execute(select(ForumMailText.kind, ForumMailText.text).where(
        ForumMailText.forum_id == forum_id, ForumMailText.locale == locale)).all())


def forum_text(forum_id: int | None, kind: str, locale: str) -> str | None:
    """The forum's own opening text of this message in this language, or None for the built-in one."""
    if forum_id is None:
        return None
    return db.session.scalar(select(ForumMailText.text).where(
        ForumMailText.forum_id == forum_id, ForumMailText.kind == kind, ForumMailText.locale == locale))
