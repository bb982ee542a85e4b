"""What the public API reads: plain functions over the pages' own queries, each in a fixed number
of queries, returning plain dicts that the schemas in views.py describe and dump."""
import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..agenda.models import AgendaItem
from ..core.time import as_utc, to_local
from ..errors import DomainError
from ..events import queries as event_queries
from ..events.access import split_languages
from ..events.models import LISTED_STATUSES, Event, Forum
from ..extensions import db
from ..speakers.models import InvitationStatus, SpeakerAssignment
from ..summaries.models import Summary, SummaryStatus


class BadCursor(DomainError):
    field = "cursor"


# ---------------------------------------------------------------- cursors

def encode_cursor(event: Event) -> str:
    raw = json.dumps([as_utc(event.starts_at).isoformat(), event.room_id or 0, event.id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int, int]:
    try:
        starts, room_id, event_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return as_utc(datetime.fromisoformat(starts)), int(room_id), int(event_id)
    except (ValueError, TypeError, binascii.Error):
        raise BadCursor("This cursor is not one the API gave out.") from None


def _after(cursor: tuple[datetime, int, int]):
    """Events after the cursor in programme order (start, room, id); no room sorts as 0."""
    starts, room_id, event_id = cursor
    room = func.coalesce(Event.room_id, 0)
    return or_(Event.starts_at > starts,
               and_(Event.starts_at == starts, room > room_id),
               and_(Event.starts_at == starts, room == room_id, Event.id > event_id))


# ---------------------------------------------------------------- serialisation

def _local(value: datetime, timezone: str) -> str:
    return to_local(value, timezone).isoformat()


def _split(languages: str) -> list[str]:
    return [part.strip() for part in languages.replace(";", ",").split(",") if part.strip()]


def room_dict(room) -> dict | None:
    if room is None:
        return None
    return {"id": room.id, "name": room.name, "capacity": room.capacity,
            "accessibility_notes": room.accessibility_notes}


def event_dict(event: Event) -> dict:
    """An event as the list shows it: no agenda or speakers, which have their own endpoints."""
    return {
        "slug": event.slug, "title": event.title, "subtitle": event.subtitle, "status": event.status.value,
        "status_reason": event.status_reason if event.status.value == "cancelled" else "",
        "forum": event.forum.slug if event.forum else None,
        "starts_at": _local(event.starts_at, event.timezone), "ends_at": _local(event.ends_at, event.timezone),
        "timezone": event.timezone, "room": room_dict(event.room), "place": event.place,
        "external_venue": event.external_venue, "format": event.format.value,
        "languages": _split(event.languages), "interpretation_languages": _split(event.interpretation_languages),
        "accessibility": {"captioning": event.captioning, "sign_language": event.sign_language,
                          "sign_languages": split_languages(event.sign_languages),
                          "wheelchair_access": event.wheelchair_access, "notes": event.accessibility_notes},
        "organisers": [{"name": o.organisation.name, "type": o.organisation.kind.value,
                        "country": o.organisation.country} for o in event.shown_organisers],
        "sdgs": event.sdg_numbers,
        "contact": ({"name": event.contact_name, "email": event.contact_email}
                    if event.contact_email_public and event.contact_email else None),
        "url": url_for("events.show", slug=event.slug, _external=True),
        "updated_at": as_utc(event.updated_at).isoformat(),
    }


def _speaker_dict(assignment: SpeakerAssignment) -> dict:
    return {"name": assignment.person.full_name, "role": assignment.role.value,
            "position": assignment.person.position, "organisation": assignment.person.organisation,
            "agenda_item": assignment.agenda_item_id}


def agenda_item_dict(item: AgendaItem, timezone: str, speakers: list[SpeakerAssignment]) -> dict:
    return {"id": item.id, "title": item.title, "kind": item.kind.value, "description": item.description,
            "starts_at": _local(item.starts_at, timezone), "ends_at": _local(item.ends_at, timezone),
            "parallel": item.parallel, "speakers": [_speaker_dict(s) for s in speakers if s.agenda_item_id == item.id]}


# ---------------------------------------------------------------- reads

def forums() -> list[dict]:
    """Every forum with its rooms and its number of public events, in two queries."""
    counts = dict(db.session.execute(select(Event.forum_id, func.count(Event.id))
                                     .where(Event.status.in_(LISTED_STATUSES)).group_by(Event.forum_id)).all())
    rows = db.session.scalars(select(Forum).options(selectinload(Forum.rooms)).order_by(Forum.starts_on.desc()))
    return [forum_dict(forum, counts.get(forum.id, 0)) for forum in rows]


def forum_dict(forum: Forum, event_count: int) -> dict:
    return {"slug": forum.slug, "name": forum.name, "theme": forum.theme, "starts_on": forum.starts_on,
            "ends_on": forum.ends_on, "timezone": forum.timezone, "venue": forum.venue,
            "rooms": [room_dict(room) for room in forum.rooms], "event_count": event_count,
            "url": url_for("forums.programme", slug=forum.slug, _external=True)}


def forum(slug: str) -> dict | None:
    found = event_queries.forum_by_slug(slug)
    if found is None:
        return None
    count = db.session.scalar(select(func.count(Event.id))
                              .where(Event.forum_id == found.id, Event.status.in_(LISTED_STATUSES)))
    return forum_dict(found, count)


@dataclass
class EventPage:
    data: list[dict]
    next_cursor: str | None


def events_page(filters: event_queries.ProgrammeFilters, *, forum_slug: str | None, cursor: str | None,
                limit: int) -> EventPage | None:
    """One page of listed events matching filters, in programme order; None if the forum is unknown.
    Four queries (forum, events, organisers, SDGs), whatever the page's length."""
    forum_ = None
    if forum_slug:
        forum_ = db.session.scalar(select(Forum).where(Forum.slug == forum_slug))
        if forum_ is None:
            return None
    query = (event_queries.listed_events_query(filters, forum_).order_by(None)
             .order_by(Event.starts_at, func.coalesce(Event.room_id, 0), Event.id))  # the cursor's order
    if cursor:
        query = query.where(_after(decode_cursor(cursor)))
    events = list(db.session.scalars(query.limit(limit + 1)).unique())
    more = len(events) > limit
    events = events[:limit]
    return EventPage([event_dict(e) for e in events], encode_cursor(events[-1]) if more else None)


def _listed_event(slug: str, *options) -> Event | None:
    return db.session.scalar(select(Event).options(*options)
                             .where(Event.slug == slug, Event.status.in_(LISTED_STATUSES)))


def _confirmed(event: Event) -> list[SpeakerAssignment]:
    return [s for s in event.speakers if s.status == InvitationStatus.CONFIRMED]


def event_detail(slug: str) -> dict | None:
    """A listed event with its agenda and confirmed speakers."""
    event = _listed_event(slug, *event_queries._event_list_options(), selectinload(Event.agenda_items),
                          selectinload(Event.speakers), joinedload(Event.summary))
    if event is None:
        return None
    speakers = _confirmed(event)
    return {**event_dict(event),
            "agenda": [agenda_item_dict(item, event.timezone, speakers) for item in event.agenda_items],
            "speakers": [_speaker_dict(s) for s in speakers],
            "has_summary": bool(event.summary and event.summary.status == SummaryStatus.PUBLISHED)}


def agenda(slug: str) -> list[dict] | None:
    event = _listed_event(slug, selectinload(Event.agenda_items), selectinload(Event.speakers))
    if event is None:
        return None
    speakers = _confirmed(event)
    return [agenda_item_dict(item, event.timezone, speakers) for item in event.agenda_items]


def speakers(slug: str) -> list[dict] | None:
    """The public speaker list: confirmed speakers in the official order."""
    event = _listed_event(slug, selectinload(Event.speakers))
    return None if event is None else [_speaker_dict(s) for s in _confirmed(event)]


def summary(slug: str) -> dict | None:
    """The event's summary once published; None otherwise (drafts are not public)."""
    row = db.session.execute(select(Summary, Event.slug).join(Event, Event.id == Summary.event_id)
                             .where(Event.slug == slug, Event.status.in_(LISTED_STATUSES),
                                    Summary.status == SummaryStatus.PUBLISHED)).first()
    if row is None:
        return None
    found, event_slug = row
    return {"event": event_slug, "template": found.template_key, "header": found.header or {},
            "sections": found.sections or {},
            "published_at": as_utc(found.published_at).isoformat() if found.published_at else None}


# ---------------------------------------------------------------- fingerprints for ETags

def events_fingerprint(forum_slug: str | None) -> tuple:
    """Changes whenever any listed event (of the forum) or anything it shows changes (events/shown.py)."""
    if forum_slug:
        return event_queries.programme_fingerprint(forum_slug) or ("no forum", forum_slug)
    row = db.session.execute(select(func.count(Event.id), func.max(Event.updated_at), func.sum(Event.id),
                                    select(func.max(Forum.updated_at)).scalar_subquery())
                             .where(Event.status.in_(LISTED_STATUSES))).first()
    return tuple(row)


def event_fingerprint(slug: str) -> tuple:
    row = db.session.execute(select(Event.id, Event.updated_at, Event.status).where(Event.slug == slug)).first()
    return tuple(row) if row else ("none", slug)


def summary_fingerprint(slug: str) -> tuple:
    row = db.session.execute(select(Event.id, Event.status, Summary.status, Summary.updated_at)
                             .outerjoin(Summary, Summary.event_id == Event.id).where(Event.slug == slug)).first()
    return tuple(row) if row else ("none", slug)


def forums_fingerprint() -> tuple:
    row = db.session.execute(select(func.count(Forum.id), func.max(Forum.updated_at), func.sum(Forum.id),
                                    select(func.count(Event.id)).where(Event.status.in_(LISTED_STATUSES))
                                    .scalar_subquery())).first()
    return tuple(row)


# ---------------------------------------------------------------- for the event's team

def registration_dict(registration, labels: dict[str, str]) -> dict:
    """A registration as its organisers see it on the page; answers keyed by the question's label."""
    return {"id": registration.id, "name": registration.name, "email": registration.email,
            "organisation": registration.organisation, "position": registration.position,
            "category": registration.category.value if registration.category else None,
            "country": registration.country, "status": registration.status.value,
            "registered_at": as_utc(registration.created_at).isoformat(),
            "checked_in_at": as_utc(registration.checked_in_at).isoformat() if registration.checked_in_at else None,
            "answers": {labels.get(key, key): value for key, value in (registration.answers or {}).items()}}


def answer_labels(event) -> dict[str, str]:
    """The labels of the event's registration questions, by their field name."""
    from ..registrations import services
    return {question.field_name: question.label for question in services.questions_of(event)}


def registrations(event) -> list[dict]:
    """The event's registrations in the page's order, in two queries."""
    from ..registrations import reports
    labels = answer_labels(event)
    return [registration_dict(r, labels) for r in reports.registrations_of(event)]
