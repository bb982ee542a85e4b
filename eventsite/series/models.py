"""Series: threads of events across forums, such as "Oceans" at every HLPF."""
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import TimestampMixin
from ..extensions import db

if TYPE_CHECKING:
    from ..events.models import Event


class Series(TimestampMixin, db.Model):
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    events: Mapped[list["Event"]] = relationship(back_populates="series", order_by="Event.starts_at")

    def __repr__(self):
        return f"<Series {self.slug}>"
