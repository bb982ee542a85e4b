"""Read-side queries of series, each in a fixed number of queries."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..events.models import LISTED_STATUSES, Event, EventOrganiser
from ..extensions import db
from .models import Series


def all_series() -> list[Series]:
    return list(db.session.scalars(select(Series).order_by(Series.title)))


def series_by_slug(slug: str) -> Series | None:
    return db.session.scalar(select(Series).where(Series.slug == slug))


def listed_events(series: Series) -> list[Event]:
    """The series' public events across forums, newest forum first, with what the list shows."""
    return list(db.session.scalars(
        select(Event).options(joinedload(Event.room), joinedload(Event.forum),
                              selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
                              selectinload(Event.sdgs))
        .where(Event.series_id == series.id, Event.status.in_(LISTED_STATUSES))
        .order_by(Event.starts_at.desc(), Event.id)))
