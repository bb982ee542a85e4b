"""Registered webhooks and every delivery made to them."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime
from ..core.time import utcnow
from ..extensions import db

KINDS = ("event.published", "event.changed", "event.cancelled", "registration.created", "registration.cancelled")


class Webhook(db.Model):
    """A URL told of changes to one event, or to every event of one forum."""

    __tablename__ = "webhooks"
    __table_args__ = (CheckConstraint("(event_id IS NULL) <> (forum_id IS NULL)", name="one_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    url: Mapped[str] = mapped_column(String(500))
    # The HMAC key: kept as it is, since signing needs it; shown to the team once, when created.
    secret: Mapped[str] = mapped_column(String(100))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deliveries: Mapped[list["WebhookDelivery"]] = relationship(
        back_populates="webhook", cascade="all, delete-orphan", passive_deletes=True,
        order_by="WebhookDelivery.id.desc()")

    def __repr__(self):
        return f"<Webhook {self.id} {self.url}>"


class WebhookDelivery(db.Model):
    """One notification and its delivery: attempts, the receiver's last answer, success or giving up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "delivered_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    webhook: Mapped[Webhook] = relationship(back_populates="deliveries")

    def __repr__(self):
        return f"<WebhookDelivery {self.id} {self.kind} attempts={self.attempts}>"
