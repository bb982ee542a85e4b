"""Which events each feed holds, read as plain rows in five queries whatever their number,
and a one-query fingerprint of them for conditional requests.

Feeds are the hottest read: building ORM objects for 200 events, 1,200 agenda items and
their speakers would cost more than serialising the calendar, so only the columns the
calendar shows are selected.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import false, func, select

from ..accounts.models import Membership
from ..agenda.models import AgendaItem
from ..events.models import LISTED_STATUSES, ConceptNote, Event, EventOrganiser, EventSdg, Forum, Organisation, Room
from ..extensions import db
from ..registrations.models import ACTIVE, Registration
from ..registrations.services import belongs_to
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


def forum_named(slug: str) -> Forum | None:
    """The forum alone: a feed answering 304 needs nothing else."""
    return db.session.scalar(select(Forum).where(Forum.slug == slug))


def forum_condition(forum):
    return (Event.forum_id == forum.id) & Event.status.in_(LISTED_STATUSES)


def room_condition(room):
    return (Event.room_id == room.id) & Event.status.in_(LISTED_STATUSES)


def organisation_condition(organisation):
    return Event.id.in_(select(EventOrganiser.event_id).where(EventOrganiser.organisation_id == organisation.id)) \
        & Event.status.in_(LISTED_STATUSES)


def personal_condition(user):
    """Events the user registered for, speaks at or helps organise; drafts of their own included."""
    registered = select(Registration.event_id).where(belongs_to(user), Registration.status.in_(ACTIVE))
    # A speaker is matched by address, so only once the account has proven it is that address.
    speaking = select(SpeakerAssignment.event_id).join(Person, Person.id == SpeakerAssignment.person_id).where(
        (Person.email == user.email.lower()) if user.is_verified else false(),
        SpeakerAssignment.status != InvitationStatus.DECLINED)
    organising = select(Membership.event_id).where(Membership.user_id == user.id, Membership.event_id.is_not(None))
    return (Event.id.in_(registered) & Event.status.in_(LISTED_STATUSES)) \
        | (Event.id.in_(speaking) & Event.status.in_(LISTED_STATUSES)) | Event.id.in_(organising)


def fingerprint(condition) -> tuple:
    """(count, newest change, highest id): changes whenever anything the feed shows changes,
    because every service that alters an event's calendar entry touches its updated_at."""
    return tuple(db.session.execute(select(func.count(Event.id), func.max(Event.updated_at), func.max(Event.id))
                                    .where(condition)).one())


def _person_name(honorific, given, family):
    return " ".join(p for p in (honorific, given, family) if p)


def feed_snapshot(condition) -> list[EventEntry]:
    """The events of a feed with organisers, SDGs, confirmed speakers and agenda, in five queries."""
    rows = db.session.execute(
        select(Event.id, Event.slug, Event.title, Event.subtitle, Event.status, Event.status_reason, Event.timezone,
               Event.starts_at, Event.ends_at, Event.created_at, Event.updated_at, Event.sequence, Room.name,
               Forum.venue, Event.external_venue, Event.format, Event.webcast_url, Event.contact_email,
               Event.contact_email_public, Event.contact_name, ConceptNote.background)
        .outerjoin(Room, Room.id == Event.room_id).outerjoin(Forum, Forum.id == Event.forum_id)
        .outerjoin(ConceptNote, ConceptNote.event_id == Event.id)
        .where(condition).order_by(Event.starts_at, Event.id))
    events: dict[int, EventEntry] = {}
    for (id_, slug, title, subtitle, status, reason, tz, starts, ends, created, updated, sequence, room, venue,
         external, format_, webcast, email, email_public, name, background) in rows:
        place = ", ".join(p for p in (room, venue) if p) if room else external
        events[id_] = EventEntry(id_, slug, title, subtitle, status.value, reason, tz, starts, ends, created, updated,
                                 # feeds are public: a personal address only where the organiser made it so
                                 sequence, place, bool(webcast) or format_.value == "virtual",
                                 email if email_public else "", name,
                                 background or "")
    if not events:
        return []
    ids = select(Event.id).where(condition).scalar_subquery()
    for event_id, organisation in db.session.execute(
            select(EventOrganiser.event_id, Organisation.name).join(Organisation)
            .where(EventOrganiser.event_id.in_(ids)).order_by(EventOrganiser.event_id, EventOrganiser.position)):
        events[event_id].organisers.append(organisation)
    for event_id, sdg in db.session.execute(select(EventSdg.event_id, EventSdg.sdg).where(EventSdg.event_id.in_(ids))
                                            .order_by(EventSdg.event_id, EventSdg.sdg)):
        events[event_id].sdgs.append(sdg)
    items: dict[int, ItemEntry] = {}
    for event_id, *values in db.session.execute(
            select(AgendaItem.event_id, AgendaItem.id, AgendaItem.title, AgendaItem.description, AgendaItem.starts_at,
                   AgendaItem.ends_at, AgendaItem.sequence).where(AgendaItem.event_id.in_(ids))
            .order_by(AgendaItem.event_id, AgendaItem.starts_at, AgendaItem.parallel, AgendaItem.id)):
        item = ItemEntry(*values)
        items[item.id] = item
        events[event_id].items.append(item)
    for event_id, item_id, role, honorific, given, family, position, organisation in db.session.execute(
            select(SpeakerAssignment.event_id, SpeakerAssignment.agenda_item_id, SpeakerAssignment.role,
                   Person.honorific, Person.given_name, Person.family_name, Person.position, Person.organisation)
            .join(Person, Person.id == SpeakerAssignment.person_id)
            .where(SpeakerAssignment.event_id.in_(ids), SpeakerAssignment.status == InvitationStatus.CONFIRMED)
            .order_by(SpeakerAssignment.event_id, SpeakerAssignment.position, SpeakerAssignment.id)):
        speaker = (role.value, _person_name(honorific, given, family),
                   ", ".join(p for p in (position, organisation) if p))
        events[event_id].speakers.append(speaker)
        if item_id in items:
            items[item_id].speakers.append(speaker)
    return list(events.values())
