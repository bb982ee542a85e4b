"""Which events each feed holds, read as plain rows in five queries whatever their number,
what those rows are (declared once, for the snapshot and for events/shown.py), and a one-query
fingerprint of each feed for conditional requests.

Feeds are the hottest read: building ORM objects for 200 events, 1,200 agenda items and
their speakers would cost more than serialising the calendar, so only the columns the
calendar shows are selected.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, false, func, literal, select, true

from ..accounts.models import Membership, User
from ..agenda.models import AgendaItem
from ..events import shown
from ..events.models import (LISTED_STATUSES, Confirmation, ConceptNote, Event, EventOccurrence, EventOrganiser,
                             EventSdg, Forum, Organisation, Room)
from ..series.models import Series
from ..extensions import db
from ..registrations.models import ACTIVE, Registration, RegistrationStatus
from ..speakers.models import InvitationStatus, Person, SpeakerAssignment


@dataclass
class ItemEntry:
    id: int
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    speakers: list[tuple[str, str, str]] = field(default_factory=list)  # (role, name, affiliation)


@dataclass
class MeetingEntry:
    """One meeting of a recurring event: the rule's instant (RECURRENCE-ID) and when it is held."""
    original_start: datetime
    starts_at: datetime
    ends_at: datetime
    skipped: bool


@dataclass
class EventEntry:
    id: int
    slug: str
    title: str
    subtitle: str
    status: str
    status_reason: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    updated_at: datetime
    sequence: int
    place: str
    online: bool
    contact_email: str  # empty unless the organiser made the contact address public
    contact_name: str
    background: str
    organisers: list[str] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    speakers: list[tuple[str, str, str]] = field(default_factory=list)
    items: list[ItemEntry] = field(default_factory=list)
    # Set only in the feed of someone who may join: an organiser or a confirmed, proven participant.
    meeting_url: str = ""
    meeting_passcode: str = ""
    all_day: bool = False
    repeat: str = ""  # "", "weekly", "monthly"
    repeat_until: object = None  # a date, with repeat
    meetings: list[MeetingEntry] = field(default_factory=list)  # the rows of a recurring event


# ---------------------------------------------------------------- what a calendar entry shows
# The snapshot below selects exactly these columns (plus each row's id and stamps), and every
# change to one of them gives the event a new updated_at and, once published, a new SEQUENCE
# where its entry now reads differently. Add a column here to show it.

EVENT_SHOWS = ("slug", "title", "subtitle", "status", "status_reason", "timezone", "starts_at", "ends_at",
               "room_id", "external_venue", "format", "webcast_url", "contact_email", "contact_email_public",
               "contact_name", "meeting_passcode", "all_day", "repeat", "repeat_until")
EVENT_STAMPS = ("id", "created_at", "updated_at", "sequence")
ROOM_SHOWS = ("name",)
FORUM_SHOWS = ("venue",)
NOTE_SHOWS = ("background",)
ORGANISATION_SHOWS = ("name",)
ITEM_SHOWS = ("title", "description", "starts_at", "ends_at")
MEETING_SHOWS = ("original_start", "starts_at", "ends_at", "skipped")
ASSIGNMENT_SHOWS = ("role", "status", "position", "person_id", "agenda_item_id")
PERSON_SHOWS = ("honorific", "given_name", "family_name", "position", "organisation")


def _columns(model, names):
    return [getattr(model, name) for name in names]


def _events_in_rooms(ids):
    return select(Event.id).where(Event.room_id.in_(ids))


def _events_of_forums(ids):
    return select(Event.id).where(Event.forum_id.in_(ids))


def _events_of_organisations(ids):
    return select(EventOrganiser.event_id).where(EventOrganiser.organisation_id.in_(ids))


def _events_of_people(ids):
    return select(SpeakerAssignment.event_id).where(SpeakerAssignment.person_id.in_(ids))


CALENDAR_READS = [
    shown.Reads(Event, EVENT_SHOWS, Event, "id"),
    shown.Reads(Room, ROOM_SHOWS, Event, _events_in_rooms),
    shown.Reads(Forum, FORUM_SHOWS, Event, _events_of_forums),
    shown.Reads(ConceptNote, NOTE_SHOWS, Event, "event_id"),
    shown.Reads(EventOrganiser, None, Event, "event_id"),
    shown.Reads(Organisation, ORGANISATION_SHOWS, Event, _events_of_organisations),
    shown.Reads(EventSdg, None, Event, "event_id"),
    shown.Reads(AgendaItem, ITEM_SHOWS, Event, "event_id"),
    shown.Reads(EventOccurrence, MEETING_SHOWS, Event, "event_id"),
    shown.Reads(SpeakerAssignment, ASSIGNMENT_SHOWS, Event, "event_id"),
    shown.Reads(Person, PERSON_SHOWS, Event, _events_of_people),
]


def _calendar_digests(event_ids):
    from .calendar import entry_digests
    return entry_digests(feed_snapshot(Event.id.in_(event_ids)))


shown.declare("calendar", CALENDAR_READS, digests=_calendar_digests)


# ---------------------------------------------------------------- which events each feed holds

def forum_condition(forum_id):
    return (Event.forum_id == forum_id) & Event.status.in_(LISTED_STATUSES)


def series_condition(series_id):
    return (Event.series_id == series_id) & Event.status.in_(LISTED_STATUSES)


def room_condition(room_id):
    return (Event.room_id == room_id) & Event.status.in_(LISTED_STATUSES)


def _shown_organiser():
    """A co-organiser that declined is named in no feed (and an organisation's feed leaves the event out)."""
    return (EventOrganiser.position == 0) | (EventOrganiser.confirmation != Confirmation.DECLINED)


def organisation_condition(organisation_id):
    return Event.id.in_(select(EventOrganiser.event_id).where(EventOrganiser.organisation_id == organisation_id,
                                                              _shown_organiser())) \
        & Event.status.in_(LISTED_STATUSES)


def personal_condition(user_id, email, verified):
    """Events the user registered for, speaks at or helps organise; drafts of their own included.

    The values, or User's columns (the fingerprint correlates with the user row). As in
    registrations.services.belongs_to, an address counts only once the account has proven it."""
    if isinstance(verified, bool):
        verified = true() if verified else false()
    registered = select(Registration.event_id).where(
        (Registration.user_id == user_id)
        | (verified & (Registration.email == email) & (Registration.status != RegistrationStatus.UNVERIFIED)),
        Registration.status.in_(ACTIVE))
    speaking = select(SpeakerAssignment.event_id).join(Person, Person.id == SpeakerAssignment.person_id).where(
        verified & (Person.email == email), SpeakerAssignment.status != InvitationStatus.DECLINED)
    organising = select(Membership.event_id).where(Membership.user_id == user_id, Membership.event_id.is_not(None))
    return (Event.id.in_(registered) & Event.status.in_(LISTED_STATUSES)) \
        | (Event.id.in_(speaking) & Event.status.in_(LISTED_STATUSES)) | Event.id.in_(organising)


def _seated(user_id, email, verified):
    """The user's confirmed registrations under a proven address: their events may show the link to join."""
    if isinstance(verified, bool):
        verified = true() if verified else false()
    return ((Registration.user_id == user_id) | (verified & (Registration.email == email))) \
        & (Registration.status == RegistrationStatus.CONFIRMED) & Registration.verified_at.is_not(None)


# ---------------------------------------------------------------- fingerprints: one query per request

@dataclass
class FeedHead:
    """What a feed needs before deciding on a 304: its owner's id and name, and the mark of its
    events, (count, newest updated_at, sum of ids), which changes whenever the set of events or
    anything an entry shows changes (events/shown.py keeps updated_at true)."""
    id: int
    name: str
    detail: object  # the event's status; the user's e-mail
    mark: tuple


_MARK = (func.count(Event.id), func.max(Event.updated_at), func.sum(Event.id))


def _head(statement) -> FeedHead | None:
    row = db.session.execute(statement).first()
    return FeedHead(row[0], row[1], row[2], tuple(row[3:])) if row else None


def event_head(slug: str) -> FeedHead | None:
    return _head(select(Event.id, Event.title, Event.status, literal(1), Event.updated_at, Event.id)
                 .where(Event.slug == slug))


def forum_head(slug: str) -> FeedHead | None:
    """The forum feed's head, its official meetings counted in its mark and its newest change, in one query."""
    from ..programme.models import OfficialMeeting
    official = [select(aggregate).where(OfficialMeeting.forum_id == Forum.id).correlate(Forum).scalar_subquery()
                for aggregate in (func.count(OfficialMeeting.id), func.max(OfficialMeeting.updated_at),
                                  func.sum(OfficialMeeting.id))]
    head = _head(select(Forum.id, Forum.name, literal(None), *_MARK, *official).select_from(Forum)
                 .outerjoin(Event, forum_condition(Forum.id)).where(Forum.slug == slug).group_by(Forum.id, Forum.name))
    if head is None:
        return None
    count, newest, ids, official_count, official_newest, official_ids = head.mark
    if official_newest is not None:
        newest = official_newest if newest is None or official_newest > newest else newest
    return FeedHead(head.id, head.name, head.detail, (count, newest, ids, official_count, official_ids))


def series_head(slug: str) -> FeedHead | None:
    return _head(select(Series.id, Series.title, literal(None), *_MARK).select_from(Series)
                 .outerjoin(Event, series_condition(Series.id)).where(Series.slug == slug)
                 .group_by(Series.id, Series.title))


def room_head(slug: str, room_id: int) -> FeedHead | None:
    return _head(select(Room.id, Forum.name + literal(" — ") + Room.name, Forum.slug, *_MARK)
                 .select_from(Room).join(Forum, Forum.id == Room.forum_id).outerjoin(Event, room_condition(Room.id))
                 .where(Forum.slug == slug, Room.id == room_id).group_by(Room.id, Room.name, Forum.name, Forum.slug))


def organisation_head(organisation_id: int) -> FeedHead | None:
    return _head(select(Organisation.id, Organisation.name, literal(None), *_MARK).select_from(Organisation)
                 .outerjoin(EventOrganiser, (EventOrganiser.organisation_id == Organisation.id) & _shown_organiser())
                 .outerjoin(Event, (Event.id == EventOrganiser.event_id) & Event.status.in_(LISTED_STATUSES))
                 .where(Organisation.id == organisation_id).group_by(Organisation.id, Organisation.name))


def personal_head(token: str) -> FeedHead | None:
    """The detail is the account's address once proven, else None: only then does it match anything.
    Its mark also counts the confirmed seats, which decide the entries that carry a link to join."""
    verified = User.email_verified_at.is_not(None)
    proven = case((verified, func.lower(User.email)), else_=None)
    seats = _seated(User.id, func.lower(User.email), verified)
    seat_count = select(func.count(Registration.id)).where(seats).correlate(User).scalar_subquery()
    seat_sum = select(func.coalesce(func.sum(Registration.id), 0)).where(seats).correlate(User).scalar_subquery()
    return _head(select(User.id, User.name, proven, *_MARK, seat_count, seat_sum).select_from(User)
                 .outerjoin(Event, personal_condition(User.id, func.lower(User.email), verified))
                 .where(User.calendar_token == token).group_by(User.id, User.name, User.email, User.email_verified_at))


def meeting_event_ids(user_id: int, email, verified: bool) -> frozenset[int]:
    """The events whose link to join online this user's personal feed may carry: those they help
    organise, and those they hold a confirmed seat at under a proven address."""
    seated = select(Registration.event_id).where(_seated(user_id, email, verified))
    organising = select(Membership.event_id).where(Membership.user_id == user_id, Membership.event_id.is_not(None))
    return frozenset(db.session.scalars(select(Event.id).where(
        Event.webcast_url != "", Event.id.in_(seated) | Event.id.in_(organising))))


def _person_name(honorific, given, family):
    return " ".join(p for p in (honorific, given, family) if p)


def feed_snapshot(condition, meeting_ids: frozenset[int] = frozenset()) -> list[EventEntry]:
    """The events of a feed with organisers, SDGs, confirmed speakers and agenda, in five queries;
    the link to join online only for the events in meeting_ids."""
    rows = db.session.execute(
        select(*_columns(Event, EVENT_STAMPS + EVENT_SHOWS), *_columns(Room, ROOM_SHOWS),
               *_columns(Forum, FORUM_SHOWS), *_columns(ConceptNote, NOTE_SHOWS))
        .outerjoin(Room, Room.id == Event.room_id).outerjoin(Forum, Forum.id == Event.forum_id)
        .outerjoin(ConceptNote, ConceptNote.event_id == Event.id)
        .where(condition).order_by(Event.starts_at, Event.id))
    events: dict[int, EventEntry] = {}
    for row in rows:
        (id_, created, updated, sequence, slug, title, subtitle, status, reason, tz, starts, ends, _room_id,
         external, format_, webcast, email, email_public, name, passcode, all_day, repeat, until,
         room, venue, background) = row
        place = ", ".join(p for p in (room, venue) if p) if room else external
        events[id_] = EventEntry(id_, slug, title, subtitle, status.value, reason, tz, starts, ends, created, updated,
                                 # feeds are public: a personal address only where the organiser made it so
                                 sequence, place, bool(webcast) or format_.value == "virtual",
                                 email if email_public else "", name,
                                 background or "", all_day=all_day, repeat=repeat.value, repeat_until=until)
        if id_ in meeting_ids:
            events[id_].meeting_url, events[id_].meeting_passcode = webcast, passcode
    if not events:
        return []
    ids = select(Event.id).where(condition).scalar_subquery()
    for event_id, organisation in db.session.execute(
            select(EventOrganiser.event_id, *_columns(Organisation, ORGANISATION_SHOWS)).join(Organisation)
            .where(EventOrganiser.event_id.in_(ids), _shown_organiser())
            .order_by(EventOrganiser.event_id, EventOrganiser.position)):
        events[event_id].organisers.append(organisation)
    for event_id, sdg in db.session.execute(select(EventSdg.event_id, EventSdg.sdg).where(EventSdg.event_id.in_(ids))
                                            .order_by(EventSdg.event_id, EventSdg.sdg)):
        events[event_id].sdgs.append(sdg)
    if any(e.repeat for e in events.values()):  # one more query, only for feeds that hold a recurring meeting
        for event_id, *values in db.session.execute(
                select(EventOccurrence.event_id, *_columns(EventOccurrence, MEETING_SHOWS))
                .where(EventOccurrence.event_id.in_(ids)).order_by(EventOccurrence.event_id,
                                                                  EventOccurrence.original_start)):
            events[event_id].meetings.append(MeetingEntry(*values))
    items: dict[int, ItemEntry] = {}
    for event_id, *values in db.session.execute(
            select(AgendaItem.event_id, AgendaItem.id, *_columns(AgendaItem, ITEM_SHOWS), AgendaItem.sequence)
            .where(AgendaItem.event_id.in_(ids))
            .order_by(AgendaItem.event_id, AgendaItem.starts_at, AgendaItem.parallel, AgendaItem.id)):
        item = ItemEntry(*values)
        items[item.id] = item
        events[event_id].items.append(item)
    for event_id, item_id, role, honorific, given, family, position, organisation in db.session.execute(
            select(SpeakerAssignment.event_id, SpeakerAssignment.agenda_item_id, SpeakerAssignment.role,
                   *_columns(Person, PERSON_SHOWS))
            .join(Person, Person.id == SpeakerAssignment.person_id)
            .where(SpeakerAssignment.event_id.in_(ids), SpeakerAssignment.status == InvitationStatus.CONFIRMED)
            .order_by(SpeakerAssignment.event_id, SpeakerAssignment.position, SpeakerAssignment.id)):
        speaker = (role.value, _person_name(honorific, given, family),
                   ", ".join(p for p in (position, organisation) if p))
        events[event_id].speakers.append(speaker)
        if item_id in items:
            items[item_id].speakers.append(speaker)
    return list(events.values())


# ---------------------------------------------------------------- the forum's official programme

@dataclass
class OfficialEntry:
    id: int
    title: str
    starts_at: object
    ends_at: object
    timezone: str
    place: str
    sequence: int
    updated_at: object
    forum_slug: str
    side_events: str


def official_entries(forum_id: int) -> list[OfficialEntry]:
    """The forum's official meetings as calendar entries, in one query."""
    from ..programme.models import OfficialMeeting
    rows = db.session.execute(
        select(OfficialMeeting.id, OfficialMeeting.title, OfficialMeeting.starts_at, OfficialMeeting.ends_at,
               Forum.timezone, Room.name, Forum.venue, OfficialMeeting.location, OfficialMeeting.sequence,
               OfficialMeeting.updated_at, Forum.slug, OfficialMeeting.side_events, Forum.official_overlap_rule)
        .join(Forum, Forum.id == OfficialMeeting.forum_id).outerjoin(Room, Room.id == OfficialMeeting.room_id)
        .where(OfficialMeeting.forum_id == forum_id).order_by(OfficialMeeting.starts_at, OfficialMeeting.id))
    return [OfficialEntry(id_, title, starts, ends, tz, ", ".join(p for p in (room, venue) if p) if room else location,
                          sequence, updated, slug, side or rule)
            for id_, title, starts, ends, tz, room, venue, location, sequence, updated, slug, side, rule in rows]
