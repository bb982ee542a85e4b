"""Read-side queries for pages and exports; each loads what its page shows in a fixed number of queries."""
from dataclasses import dataclass
from functools import cache
from datetime import date, time, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import Membership, Role
from ..core.collation import search_fold
from ..core.time import local_to_utc, utcnow
from ..extensions import db
from . import shown
from .access import SERVICE_KEYS, interpretation_condition, service_condition
from .models import (LISTED_STATUSES, PUBLIC_STATUSES, Confirmation, ConceptNote, Event, EventOccurrence,
                     EventOrganiser, EventSdg, Format, Forum, Organisation, OrganisationKind, Repeat, Room, Status,
                     StatusChange)


def _event_list_options():
    return (joinedload(Event.room), joinedload(Event.forum),
            selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
            selectinload(Event.sdgs))


def forums_with_counts() -> list[tuple[Forum, int]]:
    counts = (select(Event.forum_id, func.count(Event.id).label("n"))
              .where(Event.status.in_(PUBLIC_STATUSES)).group_by(Event.forum_id).subquery())
    rows = db.session.execute(select(Forum, func.coalesce(counts.c.n, 0))
                              .outerjoin(counts, counts.c.forum_id == Forum.id)
                              .order_by(Forum.starts_on.desc()))
    return [(forum, n) for forum, n in rows]


def upcoming_public_events(limit: int = 8) -> list[Event]:
    return list(db.session.scalars(
        select(Event).options(*_event_list_options())
        .where(Event.status.in_(PUBLIC_STATUSES), Event.ends_at >= utcnow())
        .order_by(Event.starts_at).limit(limit)))


def forum_by_slug(slug: str) -> Forum | None:
    return db.session.scalar(select(Forum).options(selectinload(Forum.rooms)).where(Forum.slug == slug))


def event_for_registration(slug: str) -> Event | None:
    """An event with just what registering needs: its place and its settings."""
    return db.session.scalar(
        select(Event).options(joinedload(Event.room), joinedload(Event.forum), joinedload(Event.registration_settings))
        .where(Event.slug == slug))


def event_by_slug(slug: str) -> Event | None:
    """One event with everything its pages show: concept note, history, agenda and speakers."""
    from ..speakers.models import SpeakerAssignment
    return db.session.scalar(
        select(Event).options(*_event_list_options(), selectinload(Event.concept_note),
                              selectinload(Event.status_changes), selectinload(Event.agenda_items),
                              selectinload(Event.occurrences), joinedload(Event.series),
                              selectinload(Event.registration_settings),
                              selectinload(Event.speakers).joinedload(SpeakerAssignment.agenda_item))
        .where(Event.slug == slug))


@dataclass
class ProgrammeFilters:
    day: date | None = None
    room_id: int | None = None
    sdg: int | None = None
    organiser_kind: OrganisationKind | None = None
    format: Format | None = None
    text: str = ""
    services: tuple[str, ...] = ()   # keys of events/access.py: each must be offered
    interpretation: str = ""         # interpreted into this language


def listed_events_query(filters: ProgrammeFilters, forum: Forum | None = None):
    """The SELECT of listed events matching filters (in forum, if given; a day is in the forum's
    timezone, else in UTC), in programme order, with what a list shows eager-loaded."""
    query = (select(Event).options(*_event_list_options()).where(Event.status.in_(LISTED_STATUSES))
             .order_by(Event.starts_at, Event.room_id, Event.id))
    if forum is not None:
        query = query.where(Event.forum_id == forum.id)
    if filters.room_id:
        query = query.where(Event.room_id == filters.room_id)
    if filters.sdg:
        query = query.where(Event.id.in_(select(EventSdg.event_id).where(EventSdg.sdg == filters.sdg)))
    if filters.organiser_kind:
        query = query.where(Event.id.in_(select(EventOrganiser.event_id).join(Organisation)
                                         .where(Organisation.kind == filters.organiser_kind,
                                                (EventOrganiser.position == 0)
                                                | (EventOrganiser.confirmation != Confirmation.DECLINED))))
    if filters.format:
        query = query.where(Event.format == filters.format)
    for key in filters.services:
        if key in SERVICE_KEYS:
            query = query.where(service_condition(key))
    if filters.interpretation.strip():
        query = query.where(interpretation_condition(filters.interpretation))
    if filters.day:
        timezone = forum.timezone if forum is not None else "UTC"
        day_start = local_to_utc(filters.day, time(0), timezone)
        day_end = local_to_utc(filters.day + timedelta(days=1), time(0), timezone)
        # Whatever runs that day: a two-day workshop on both, a weekly briefing on the days it meets.
        meets = select(EventOccurrence.event_id).where(
            EventOccurrence.starts_at < day_end, EventOccurrence.ends_at > day_start,
            EventOccurrence.skipped.is_(False))
        query = query.where(((Event.repeat == Repeat.NONE) & (Event.starts_at < day_end) & (Event.ends_at > day_start))
                            | ((Event.repeat != Repeat.NONE) & Event.id.in_(meets)))
    for word in search_fold(filters.text).split()[:8]:
        query = query.where(Event.search_text.contains(word, autoescape=True))
    return query


class OnDay:
    """An event as one day of the programme lists it: a recurring event with that day's meeting's
    times; a multi-day one marked with which of its days this is. Everything else is the event's."""

    def __init__(self, event: Event, starts_at=None, ends_at=None, day_number=None, days=None):
        self._event, self.day_number, self.days = event, day_number, days
        self.starts_at = starts_at or event.starts_at
        self.ends_at = ends_at or event.ends_at

    def __getattr__(self, name):
        return getattr(self._event, name)

    @property
    def local_start(self):
        from ..core.time import to_local
        return to_local(self.starts_at, self._event.timezone)

    @property
    def local_end(self):
        from ..core.time import to_local
        return to_local(self.ends_at, self._event.timezone)


def _days_of(event: Event, tz_name: str) -> list[tuple[date, OnDay]]:
    """The forum days (in the forum's zone) an event is listed on, each with what that day shows."""
    from ..core.time import to_local
    from .recurrence import listed
    if event.is_recurring:
        return [(to_local(o.starts_at, tz_name).date(), OnDay(event, o.starts_at, o.ends_at))
                for o in listed(event)]
    first = to_local(event.starts_at, tz_name).date()
    last = to_local(event.ends_at - timedelta(microseconds=1), tz_name).date()
    if event.all_day:
        first, last = event.local_start.date(), event.local_last_day
    count = (last - first).days + 1
    if count == 1 or (not event.all_day and count == 2 and event.ends_at - event.starts_at <= timedelta(hours=12)):
        return [(first, OnDay(event))]  # a reception until 01:00 is listed on its evening
    return [(first + timedelta(days=n), OnDay(event, day_number=n + 1, days=count)) for n in range(count)]


def programme(forum: Forum, filters: ProgrammeFilters | None = None) -> list[tuple[date, list[OnDay]]]:
    """The forum's public events matching filters, grouped by day in the forum's timezone; an event over
    several days is listed on each of them, a recurring one on each day it meets."""
    filters = filters or ProgrammeFilters()
    events = db.session.scalars(listed_events_query(filters, forum).options(selectinload(Event.occurrences))).all()
    by_day: dict[date, list[OnDay]] = {}
    for event in events:
        for day, shown_as in _days_of(event, forum.timezone):
            if filters.day is None or day == filters.day:
                by_day.setdefault(day, []).append(shown_as)
    return [(day, sorted(items, key=lambda e: (not e.all_day, e.day_number is not None and e.day_number > 1,
                                               e.starts_at, e.room_id or 0, e.id)))
            for day, items in sorted(by_day.items())]


def forum_days(forum: Forum) -> list[date]:
    return [forum.starts_on + timedelta(days=n) for n in range((forum.ends_on - forum.starts_on).days + 1)]


def events_of_user(user) -> list[tuple[Event, set[Role]]]:
    """Events in which user holds a role, with the roles, for the organiser dashboard."""
    rows = db.session.execute(
        select(Event, Membership.role).join(Membership, Membership.event_id == Event.id)
        .options(*_event_list_options(), selectinload(Event.concept_note))
        .where(Membership.user_id == user.id).order_by(Event.starts_at)).all()
    by_event: dict[int, tuple[Event, set[Role]]] = {}
    for event, role in rows:
        by_event.setdefault(event.id, (event, set()))[1].add(role)
    return list(by_event.values())


def review_queue(user) -> list[Event]:
    """Submissions waiting for a decision that this user may take."""
    query = (select(Event).options(*_event_list_options(), selectinload(Event.concept_note),
                                   selectinload(Event.occurrences))
             .where(Event.status == Status.SUBMITTED).order_by(Event.forum_id, Event.starts_at))
    if not user.is_staff:
        forum_ids = [m.forum_id for m in user.memberships if m.forum_id and m.role == Role.ORGANISER]
        query = query.where(Event.forum_id.in_(forum_ids))
    return list(db.session.scalars(query))


def events_by_ids(ids: list[int]) -> list[Event]:
    return list(db.session.scalars(select(Event).options(*_event_list_options()).where(Event.id.in_(ids))))


def has_room_events(room: Room) -> bool:
    return db.session.scalar(select(func.count(Event.id)).where(Event.room_id == room.id)) > 0


def team_of(event: Event) -> list[Membership]:
    return list(db.session.scalars(select(Membership).options(joinedload(Membership.user))
                                   .where(Membership.event_id == event.id).order_by(Membership.role)))


# ---------------------------------------------------------------- page fingerprints (core.page_cache)

def _events_in_rooms(ids):
    return select(Event.id).where(Event.room_id.in_(ids))


def _events_of_forums(ids):
    return select(Event.id).where(Event.forum_id.in_(ids))


def _events_of_organisations(ids):
    return select(EventOrganiser.event_id).where(EventOrganiser.organisation_id.in_(ids))


def _events_of_series(ids):
    return select(Event.id).where(Event.series_id.in_(ids))


def _events_of_people(ids):
    from ..speakers.models import SpeakerAssignment
    return select(SpeakerAssignment.event_id).where(SpeakerAssignment.person_id.in_(ids))


def _page_reads():
    """What the event page (event_by_slug, the registration box) and the programme page
    (forum_by_slug, programme) read: whole rows, since they load ORM objects. A change to any
    of them gives the showing events or forum a new updated_at (events/shown.py), which the
    fingerprints below read; seats, which change with every registration, are counted instead."""
    from ..agenda.models import AgendaItem
    from ..series.models import Series
    from ..registrations.models import RegistrationSettings
    from ..speakers.models import Person, SpeakerAssignment
    from ..summaries.models import Summary
    return [
        shown.Reads(Forum, None, Event, _events_of_forums),
        shown.Reads(Room, None, Event, _events_in_rooms),
        shown.Reads(Room, None, Forum, "forum_id"),
        shown.Reads(Organisation, None, Event, _events_of_organisations),
        shown.Reads(EventOrganiser, None, Event, "event_id"),
        shown.Reads(EventSdg, None, Event, "event_id"),
        shown.Reads(ConceptNote, None, Event, "event_id"),
        shown.Reads(AgendaItem, None, Event, "event_id"),
        shown.Reads(EventOccurrence, None, Event, "event_id"),
        shown.Reads(Series, None, Event, _events_of_series),
        shown.Reads(SpeakerAssignment, None, Event, "event_id"),
        shown.Reads(Person, None, Event, _events_of_people),
        shown.Reads(RegistrationSettings, None, Event, "event_id"),
        shown.Reads(Summary, ("status",), Event, "event_id"),
        shown.Reads(StatusChange, None, Event, "event_id"),  # loaded with the event, shown to its team
    ]


shown.declare("pages", _page_reads())


# Built once: these run on every anonymous page view, where composing the statement would
# cost more than executing it.
@cache
def _event_page_fingerprint_statement():
    from ..registrations.models import Registration, RegistrationSettings, RegistrationStatus
    seats_taken = (select(func.count(Registration.id))
                   .where(Registration.event_id == Event.id, Registration.status == RegistrationStatus.CONFIRMED)
                   .scalar_subquery())
    now = bindparam("now")
    # Registration opens and closes with the clock, not with a change of any row.
    phase = (func.coalesce(RegistrationSettings.opens_at <= now, False),
             func.coalesce(func.coalesce(RegistrationSettings.closes_at, Event.starts_at) <= now, False))
    return (select(Event.id, Event.updated_at, Event.status, RegistrationSettings.arrivals, seats_taken, *phase)
            .outerjoin(RegistrationSettings, RegistrationSettings.event_id == Event.id)
            .where(Event.slug == bindparam("slug")))


def event_page_fingerprint(slug: str) -> tuple | None:
    """What the public event page shows changes only when one of these does."""
    row = db.session.execute(_event_page_fingerprint_statement(), {"slug": slug, "now": utcnow()}).first()
    return tuple(row) if row else None


@cache
def _programme_fingerprint_statement():
    return (select(Forum.id, Forum.updated_at, func.count(Event.id), func.max(Event.updated_at), func.sum(Event.id))
            .outerjoin(Event, (Event.forum_id == Forum.id) & Event.status.in_(LISTED_STATUSES))
            .where(Forum.slug == bindparam("slug")).group_by(Forum.id, Forum.updated_at))


def embed_origins(slug: str) -> str | None:
    """The sites that may frame the forum's programme, as stored (one origin per line)."""
    return db.session.scalar(select(Forum.embed_origins).where(Forum.slug == slug))


def programme_fingerprint(slug: str) -> tuple | None:
    row = db.session.execute(_programme_fingerprint_statement(), {"slug": slug}).first()
    # the day is part of it: a call for proposals opens and closes with the calendar
    return tuple(row) + (utcnow().date(),) if row else None


def tombstone(slug: str):
    """The trace of a removed event at this address, if any."""
    from .models import DeletedEvent
    return db.session.scalar(select(DeletedEvent).options(joinedload(DeletedEvent.forum))
                             .where(DeletedEvent.slug == slug))


def organisation_named(name: str) -> Organisation | None:
    """The organisation of that name, whatever its case: organisations are shared by name."""
    return db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.strip().lower()))
