"""Reading the activity log for its pages and its CSV export."""
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from ..accounts.models import User
from ..core.collation import in_order
from ..core.time import local_to_utc
from ..extensions import db
from .models import ActivityEntry

PER_PAGE = 50


@dataclass
class Filters:
    kind: str = ""
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.actor_id or self.date_from or self.date_to)


def _scope(*, event=None, forum=None):
    if event is not None:
        return ActivityEntry.event_id == event.id
    return ActivityEntry.forum_id == forum.id


def entries_query(filters: Filters, tz_name: str, *, event=None, forum=None):
    """Newest first; the date range is read as whole days in the event's (or forum's) timezone."""
    query = select(ActivityEntry).where(_scope(event=event, forum=forum))
    if filters.kind:
        query = query.where(ActivityEntry.kind == filters.kind)
    if filters.actor_id:
        query = query.where(ActivityEntry.actor_id == filters.actor_id)
    if filters.date_from:
        query = query.where(ActivityEntry.at >= local_to_utc(filters.date_from, time(0), tz_name))
    if filters.date_to:
        query = query.where(ActivityEntry.at < local_to_utc(filters.date_to + timedelta(days=1), time(0), tz_name))
    return query.order_by(ActivityEntry.at.desc(), ActivityEntry.id.desc())


def page_of(filters: Filters, tz_name: str, page: int, *, event=None, forum=None):
    """One page of entries (actors loaded with them)."""
    return db.paginate(entries_query(filters, tz_name, event=event, forum=forum), page=page, per_page=PER_PAGE,
                       error_out=False)


def all_of(filters: Filters, tz_name: str, *, event=None, forum=None) -> list[ActivityEntry]:
    return list(db.session.scalars(entries_query(filters, tz_name, event=event, forum=forum)))


def actors(*, event=None, forum=None) -> list[User]:
    """Everyone who appears as an actor in this log, for the filter."""
    ids = select(ActivityEntry.actor_id).where(_scope(event=event, forum=forum)).distinct()
    return in_order(db.session.scalars(select(User).where(User.id.in_(ids))), key=lambda u: u.name or u.email)

