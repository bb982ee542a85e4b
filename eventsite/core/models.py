"""Column types and mixins shared by every domain."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .time import as_utc, utcnow


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back timezone-aware in UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else as_utc(value)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RevisionMixin:
    """One saved state of a document that belongs to an event (concept note, summary): numbered
    from 1 per event, with its author and its whole content, so any two can be compared or merged."""

    document_table: str  # the table of the document, whose event_id is its key

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[dict] = mapped_column(JSON)

    @declared_attr.directive
    def __table_args__(cls):
        return (UniqueConstraint("event_id", "number"),)

    @declared_attr
    def event_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey(f"{cls.document_table}.event_id", ondelete="CASCADE"))

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def author(cls):
        return relationship("User", lazy="joined")  # every revision in the history shows its author

    def __repr__(self):
        return f"<{type(self).__name__} event={self.event_id} #{self.number}>"
