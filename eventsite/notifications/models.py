"""The words organisers and staff add to or put in place of the built-in e-mail texts."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import UTCDateTime
from ..core.time import utcnow
from ..extensions import db

# The e-mails of an event that carry the organisers' own paragraph, and the registration
# messages each covers: every message that says a seat is the person's, and the reminder.
PARAGRAPH_KINDS = {"confirmation": ("confirmed", "approved", "promoted"), "reminder": ("reminder",)}
# The messages whose opening text a forum's staff may write in their own words, per language.
# Verification and "your link" carry a link and a warning that must stay as they are.
FORUM_TEXT_KINDS = ("confirmed", "waitlisted", "pending", "approved", "promoted", "rejected", "reminder",
                    "cancelled")


class EventMailParagraph(db.Model):
    """The organisers' own paragraph in one kind of an event's e-mails, in one language ('' = any other)."""
    __tablename__ = "event_mail_paragraphs"
    __table_args__ = (UniqueConstraint("event_id", "kind", "locale", name="uq_event_mail_paragraphs_kind_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(10), default="", server_default="")
    text: Mapped[str] = mapped_column(Text)  # plain text, paragraphs separated by a blank line
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self):
        return f"<EventMailParagraph event={self.event_id} {self.kind} {self.locale or 'default'}>"


class ForumMailText(db.Model):
    """A forum's own opening text of one registration message, in one language."""
    __tablename__ = "forum_mail_texts"
    __table_args__ = (UniqueConstraint("forum_id", "kind", "locale", name="uq_forum_mail_texts_kind_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def __repr__(self):
        return f"<ForumMailText forum={self.forum_id} {self.kind} {self.locale}>"
