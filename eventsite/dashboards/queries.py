"""The figures behind a forum's and an event's dashboard, counted by the database.

Each function is one grouped query whatever the forum's size: registrations (200,000 at the
scale-10 workload) are only ever counted in SQL, never loaded. Rows that come back are bounded
by the number of events, days or categories.
"""
from datetime import date, datetime

from sqlalchemy import case, func, select

from ..events.models import ROOM_HOLDING_STATUSES, Event, EventOrganiser, EventSdg, Forum, Organisation, StatusChange
from ..extensions import db
from ..registrations.models import Registration, RegistrationSettings, RegistrationStatus
from ..summaries.models import Summary

# Events counted in the programme's shape: proposals still alive (rejected and cancelled ones left
# out), as in the speakers' balance (speakers.balance.forum_balance).
LIVE = ROOM_HOLDING_STATUSES


def _day(value) -> date:
    """A day from func.date(): a date on PostgreSQL, an ISO string on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def fingerprint(forum_id: int) -> tuple:
    """What every figure of the forum's dashboard depends on, in one query.

    Events get a new updated_at whenever anything of theirs that pages show changes (their
    organisers, SDGs, speakers, rooms, summary status, status changes: events/shown.py); a new
    registration raises its event's `arrivals`, and any change to a registration its updated_at
    (the newest, found by its index, whatever the forum)."""
    in_forum = Event.forum_id == forum_id
    events = [select(column).where(in_forum).scalar_subquery()
              for column in (func.count(Event.id), func.max(Event.updated_at), func.sum(Event.id))]
    arrivals = (select(func.coalesce(func.sum(RegistrationSettings.arrivals), 0))
                .join(Event, Event.id == RegistrationSettings.event_id).where(in_forum).scalar_subquery())
    newest = select(func.max(Registration.updated_at)).scalar_subquery()
    row = db.session.execute(select(Forum.updated_at, *events, arrivals, newest).where(Forum.id == forum_id)).first()
    return tuple(row) if row else ()


def status_counts(forum_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Event.status, func.count()).where(Event.forum_id == forum_id)
                              .group_by(Event.status))
    return {status.value: n for status, n in rows}


def status_changes_by_day(forum_id: int) -> list[tuple[date, str | None, str, int]]:
    """(day, from, to, how many) for every status change of the forum's events; from is None at creation."""
    day = func.date(StatusChange.at)
    rows = db.session.execute(
        select(day, StatusChange.from_status, StatusChange.to_status, func.count())
        .join(Event, Event.id == StatusChange.event_id).where(Event.forum_id == forum_id)
        .group_by(day, StatusChange.from_status, StatusChange.to_status).order_by(day))
    return [(_day(d), f.value if f else None, t.value, n) for d, f, t, n in rows]


def events_by_sdg(forum_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(EventSdg.sdg, func.count()).join(Event, Event.id == EventSdg.event_id)
        .where(Event.forum_id == forum_id, Event.status.in_(LIVE)).group_by(EventSdg.sdg))
    return dict(rows.all())


def events_by_lead(forum_id: int) -> list[tuple[str, str | None, int]]:
    """(organisation kind, country, events) for each event's lead organiser (its first organising entity)."""
    first = (select(func.min(EventOrganiser.position)).where(EventOrganiser.event_id == Event.id)
             .correlate(Event).scalar_subquery())
    rows = db.session.execute(
        select(Organisation.kind, Organisation.country, func.count(func.distinct(Event.id)))
        .select_from(Event).join(EventOrganiser, EventOrganiser.event_id == Event.id)
        .join(Organisation, Organisation.id == EventOrganiser.organisation_id)
        .where(Event.forum_id == forum_id, Event.status.in_(LIVE), EventOrganiser.position == first)
        .group_by(Organisation.kind, Organisation.country))
    return [(kind.value, country, n) for kind, country, n in rows]


def room_bookings(forum_id: int) -> list[tuple[int, datetime, datetime]]:
    """(room, start, end) of each live event holding one of the forum's rooms: one row per event."""
    return [tuple(row) for row in db.session.execute(
        select(Event.room_id, Event.starts_at, Event.ends_at)
        .where(Event.forum_id == forum_id, Event.status.in_(LIVE), Event.room_id.is_not(None)))]


# Registrations that came in: an unproven address is not one yet.
_RECEIVED = Registration.status != RegistrationStatus.UNVERIFIED


def registrations_by_day(condition) -> dict[date, int]:
    day = func.date(Registration.created_at)
    rows = db.session.execute(select(day, func.count()).join(Event, Event.id == Registration.event_id)
                              .where(condition, _RECEIVED).group_by(day).order_by(day))
    return {_day(d): n for d, n in rows}


def fullness(condition) -> list[tuple[int, str, str, int | None, int | None, int, int]]:
    """(id, title, slug, capacity, room capacity, confirmed, waitlisted) per event, counted in SQL."""
    from ..events.models import Room
    confirmed = func.count(case((Registration.status == RegistrationStatus.CONFIRMED, Registration.id)))
    waiting = func.count(case((Registration.status == RegistrationStatus.WAITLISTED, Registration.id)))
    rows = db.session.execute(
        select(Event.id, Event.title, Event.slug, RegistrationSettings.capacity, Room.capacity, confirmed, waiting)
        .select_from(Event).outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id)
        .outerjoin(Room, Room.id == Event.room_id).outerjoin(Registration, Registration.event_id == Event.id)
        .where(condition).group_by(Event.id, Event.title, Event.slug, RegistrationSettings.capacity, Room.capacity)
        .order_by(Event.starts_at, Event.id))
    return [tuple(row) for row in rows]


def summaries(condition, now: datetime) -> list[tuple[int, str, str, datetime, str | None]]:
    """(id, title, slug, end, summary status or None) of each held or published event that has ended."""
    from ..events.models import Status
    rows = db.session.execute(
        select(Event.id, Event.title, Event.slug, Event.ends_at, Summary.status)
        .outerjoin(Summary, Summary.event_id == Event.id)
        .where(condition, Event.status.in_((Status.PUBLISHED, Status.HELD)), Event.ends_at <= now)
        .order_by(Event.ends_at, Event.id))
    return [(i, t, s, e, st.value if st else None) for i, t, s, e, st in rows]


def forum_events(forum_id: int):
    return Event.forum_id == forum_id


def public_events_of_forum(forum_id: int):
    from ..events.models import LISTED_STATUSES
    return (Event.forum_id == forum_id) & Event.status.in_(LISTED_STATUSES)


def one_event(event_id: int):
    return Event.id == event_id


def event_fingerprint(event_id: int) -> tuple:
    """The event's dashboard changes with the event (see fingerprint) and with its registrations."""
    row = db.session.execute(
        select(Event.updated_at, RegistrationSettings.arrivals,
               select(func.max(Registration.updated_at)).where(Registration.event_id == event_id).scalar_subquery())
        .outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id).where(Event.id == event_id)).first()
    return tuple(row) if row else ()
