"""The forum's official programme: plenaries, the ministerial segment, VNR presentations."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import TimestampMixin, UTCDateTime
from ..core.time import to_local
from ..events.models import Forum, Room
from ..extensions import db

# What a side event overlapping the meeting meets: "" follows the forum's rule.
SIDE_EVENT_RULES = ("", "allow", "warn", "refuse")


class OfficialMeeting(TimestampMixin, db.Model):
    """One meeting of the forum's own programme, entered by staff, in UTC like events."""

    __tablename__ = "official_meetings"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="ends_after_start"),
                      CheckConstraint("side_events IN ('', 'allow', 'warn', 'refuse')", name="side_events_rule"),
                      Index("ix_official_meetings_forum_start", "forum_id", "starts_at"),
                      Index("ix_official_meetings_room_start", "room_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    # A place outside the forum's rooms, such as "General Assembly Hall".
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    side_events: Mapped[str] = mapped_column(String(10), default="", server_default="")
    # The calendar entry's SEQUENCE, raised by every change of what it shows.
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    forum: Mapped[Forum] = relationship()
    room: Mapped[Room | None] = relationship(lazy="joined")

    def __repr__(self):
        return f"<OfficialMeeting {self.title!r}>"

    @property
    def local_start(self) -> datetime:
        return to_local(self.starts_at, self.forum.timezone)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.forum.timezone)

    @property
    def place(self) -> str:
        if self.room:
            return ", ".join(part for part in (self.room.name, self.forum.venue) if part)
        return self.location

    def rule(self) -> str:
        """The rule that applies to side events overlapping it: "allow", "warn" or "refuse"."""
        return self.side_events or self.forum.official_overlap_rule or "warn"
