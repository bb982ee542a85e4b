"""One row per change worth answering "who did that, and when?" about."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime
from ..core.time import utcnow
from ..extensions import db


class ActivityEntry(db.Model):
    """Something a person did to an event (or, for a removed event, to its forum)."""

    __tablename__ = "activity_entries"
    __table_args__ = (Index("ix_activity_entries_event_at", "event_id", "at"),
                      Index("ix_activity_entries_forum_at", "forum_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The event's entries go with it when it is removed; the removal itself is kept on the forum.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    # The title when it happened, so the forum's log still reads after a rename or removal.
    event_title: Mapped[str] = mapped_column(String(300), default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # Whom the action concerned (a registrant, a team member): blanked when their data is erased.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"),
                                                        index=True)
    subject: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # [[field, before, after], ...] for edits and status changes.
    changes: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    actor = relationship("User", lazy="joined")
    event = relationship("Event", lazy="joined")

    def __repr__(self):
        return f"<ActivityEntry {self.id} {self.kind} event={self.event_id}>"
