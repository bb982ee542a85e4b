"""Post-event summaries, written by rapporteurs in their forum's template."""
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import RevisionMixin, UTCDateTime
from ..core.time import utcnow
from ..events.models import Event, _enum
from ..extensions import db


class SummaryStatus(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"


class SummaryTemplate(db.Model):
    """A template staff define: ordered sections, each paragraphs or bullets, with counts and limits."""

    __tablename__ = "summary_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # [{"key", "title", "kind": "paragraphs"|"bullets", "min", "max", "word_limit", "guidance"}]
    sections: Mapped[list] = mapped_column(JSON, default=list)

    def __repr__(self):
        return f"<SummaryTemplate {self.key}>"


class Summary(db.Model):
    __tablename__ = "summaries"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    template_key: Mapped[str] = mapped_column(String(80))
    status: Mapped[SummaryStatus] = mapped_column(_enum(SummaryStatus), default=SummaryStatus.DRAFT,
                                                  server_default="draft")
    # {"title", "when", "venue", "organisers": [...]}: the header as it will be printed.
    header: Mapped[dict] = mapped_column(JSON, default=dict)
    # {section key: [paragraph or bullet, ...]}
    sections: Mapped[dict] = mapped_column(JSON, default=dict)
    language: Mapped[str | None] = mapped_column(String(10))  # as ConceptNote.language
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    event: Mapped[Event] = relationship(back_populates="summary")
    revisions: Mapped[list["SummaryRevision"]] = relationship(order_by="SummaryRevision.number",
                                                              cascade="all, delete-orphan")

    def __repr__(self):
        return f"<Summary event={self.event_id} {self.status.value} r{self.revision}>"


class SummaryRevision(RevisionMixin, db.Model):
    __tablename__ = "summary_revisions"
    document_table = "summaries"
