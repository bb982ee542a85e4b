"""The running order of a side event: timed agenda items."""
import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime
from ..core.time import to_local
from ..events.models import Event, _enum
from ..extensions import db


class ItemKind(str, enum.Enum):
    OPENING = "opening"
    KEYNOTE = "keynote"
    PANEL = "panel"
    DISCUSSION = "discussion"
    QA = "qa"
    CLOSING = "closing"
    OTHER = "other"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="ends_after_start"),
                      Index("ix_agenda_items_event_start", "event_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ItemKind] = mapped_column(_enum(ItemKind), default=ItemKind.OTHER)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A parallel item (a breakout, an exhibition) may overlap the others.
    parallel: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The item's own calendar entry's SEQUENCE, kept like Event.sequence (events/shown.py).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    calendar_digest: Mapped[str | None] = mapped_column(String(64))
    event: Mapped[Event] = relationship(back_populates="agenda_items")

    def __repr__(self):
        return f"<AgendaItem {self.event_id} {self.title!r}>"

    @property
    def local_start(self) -> datetime:
        return to_local(self.starts_at, self.event.timezone)

    @property
    def local_end(self) -> datetime:
        return to_local(self.ends_at, self.event.timezone)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)
