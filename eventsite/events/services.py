"""The rules of forums, events and concept notes. Services flush; the caller commits."""
import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import authz
from ..accounts.models import Membership, Role, User
from ..accounts.services import grant
from ..activity.services import diff as activity_diff, record
from ..core.merge import EditConflict, merge_sections
from ..core.time import local_to_utc, to_local, utcnow
from ..errors import Conflict, DomainError, NotAllowed
from ..extensions import db
from . import changes as change_notices
from .models import (ROOM_HOLDING_STATUSES, ConceptNote, ConceptNoteRevision, DeletedEvent, Event, EventOrganiser,
                     EventOccurrence, EventSdg, Format, Forum, Organisation, OrganisationKind, Repeat, Room, Status,
                     StatusChange)
from . import recurrence
from .queries import organisation_named, team_of
from ..core.sanitise import html_to_paragraphs
from ..core.slugs import slugify
from ..core.collation import search_fold
from ..core.documents import document_language
from ..core.dates import clock, day_text


# ---------------------------------------------------------------- slugs

def unique_slug(model, text: str, max_length: int = 80) -> str:
    base = slugify(text, max_length)
    taken = set(db.session.scalars(select(model.slug).where(model.slug.like(f"{base}%"))))
    if model is Event:  # a removed event's address keeps answering 410, so it is never given out again
        taken |= set(db.session.scalars(select(DeletedEvent.slug).where(DeletedEvent.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# ---------------------------------------------------------------- forums and rooms

@dataclass
class ForumInput:
    name: str
    starts_on: date
    ends_on: date
    timezone: str
    theme: str = ""
    venue: str = ""
    call_opens_on: date | None = None
    call_closes_on: date | None = None
    concept_note_guidance: str = ""
    concept_note_questions: str = ""
    summary_template: str = "sti-side-event"
    slug: str | None = None
    lead_kinds: list[str] | None = None  # None leaves the forum's eligibility as it is
    co_organiser_kinds: list[str] | None = None
    lead_rule_in_person_only: bool = False
    max_events_per_lead: int | None = None
    eligibility_preset: str = ""  # a key of ELIGIBILITY_PRESETS, applied over the lists above
    co_organisers_must_confirm: bool = False
    official_overlap_rule: str = "warn"


def _published_in(condition) -> list[tuple[Event, dict]]:
    """Published events matching condition, each with what its change notice would start from."""
    return [(event, change_notices.snapshot(event)) for event in db.session.scalars(
        select(Event).where(condition, Event.status == Status.PUBLISHED))]


def save_forum(data: ForumInput, *, user: User, forum: Forum | None = None, notify: bool = True) -> Forum:
    """Create or change a forum; a new venue is announced to the people of its rooms' published events
    unless notify is False (a typo fixed)."""
    if not authz.can(user, "forum.manage", forum):
        raise NotAllowed(_("Only staff manage forums."))
    if data.ends_on < data.starts_on:
        raise DomainError(_("The forum ends before it starts."), field="ends_on")
    if data.call_opens_on and data.call_closes_on and data.call_closes_on < data.call_opens_on:
        raise DomainError(_("The call for side events closes before it opens."), field="call_closes_on")
    data.name = " ".join(data.name.split())
    taken = _("There is already a forum called %(name)s; give this one a name of its own.", name=data.name)
    if db.session.scalar(select(Forum.id).where(func.lower(Forum.name) == data.name.lower(),
                                                Forum.id != (forum.id if forum else -1))):
        raise Conflict(taken, field="name")
    moved = []  # published events held in the forum's rooms: a new venue is a new place for them
    if forum is None:
        forum = Forum(slug=data.slug or unique_slug(Forum, data.name, 60))
        db.session.add(forum)
    elif forum.venue != data.venue:
        moved = _published_in((Event.forum_id == forum.id) & Event.room_id.is_not(None))
    for name in ("name", "starts_on", "ends_on", "timezone", "theme", "venue", "call_opens_on", "call_closes_on",
                 "concept_note_guidance", "concept_note_questions", "summary_template"):
        setattr(forum, name, getattr(data, name))
    forum.max_events_per_lead = data.max_events_per_lead
    forum.co_organisers_must_confirm = data.co_organisers_must_confirm
    forum.official_overlap_rule = data.official_overlap_rule if data.official_overlap_rule in ("warn", "refuse") \
        else "warn"
    preset = ELIGIBILITY_PRESETS.get(data.eligibility_preset)
    if preset is not None:
        forum.lead_kinds, forum.co_organiser_kinds = ",".join(preset["lead"]), ",".join(preset["co"])
        forum.lead_rule_in_person_only = preset["in_person_only"]
    elif data.lead_kinds is not None:
        forum.lead_kinds = ",".join(k for k in data.lead_kinds if k in KIND_VALUES)
        forum.co_organiser_kinds = ",".join(k for k in data.co_organiser_kinds or () if k in KIND_VALUES)
        forum.lead_rule_in_person_only = data.lead_rule_in_person_only
    try:
        with db.session.begin_nested():  # the named constraint decides when two saves race
            db.session.flush()
    except IntegrityError:
        raise Conflict(taken, field="name") from None
    for event, before in moved:
        change_notices.record_change(event, before, user=user, notify=notify)
    return forum


def save_room(forum: Forum, *, user: User, name: str, capacity: int | None, accessibility_notes: str = "",
              room: Room | None = None, notify: bool = True) -> Room:
    """Add or change a room; a new name is a new place for its published events, announced to their
    people unless notify is False (a typo fixed)."""
    if not authz.can(user, "forum.manage", forum):
        raise NotAllowed(_("Only staff manage rooms."))
    clash = db.session.scalar(select(Room).where(Room.forum_id == forum.id, func.lower(Room.name) == name.lower(),
                                                 Room.id != (room.id if room else -1)))
    if clash:
        raise Conflict(_("This forum already has a room called %(name)s.", name=clash.name), field="name")
    moved = _published_in(Event.room_id == room.id) if room is not None and room.name != name.strip() else []
    room = room or Room(forum=forum)
    room.name, room.capacity, room.accessibility_notes = name.strip(), capacity, accessibility_notes
    db.session.add(room)
    db.session.flush()
    for event, before in moved:
        change_notices.record_change(event, before, user=user, notify=notify)
    return room


# ---------------------------------------------------------------- events

@dataclass
class OrganiserInput:
    name: str
    kind: OrganisationKind
    country: str | None = None


KEEP = object()  # an EventInput field that leaves the event's value as it is


@dataclass
class EventInput:
    title: str
    day: date
    start: time
    end: time
    timezone: str
    forum: Forum | None = None
    subtitle: str = ""
    room: Room | None = None
    external_venue: str = ""
    format: Format = Format.IN_PERSON
    webcast_url: str = ""
    meeting_passcode: str = ""
    languages: str = "English"
    interpretation_languages: str = ""
    captioning: bool = False
    sign_language: bool = False
    sign_languages: str = ""
    wheelchair_access: bool = False
    accessibility_notes: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_email_public: bool = False
    contact_locale: str | None = None  # the language of the page the contact was entered in
    audience_size: int | None = None
    sdgs: list[int] = field(default_factory=list)
    organisers: list[OrganiserInput] = field(default_factory=list)
    # Shapes of time: the last day of a multi-day event (None: the same day), an all-day entry (start and
    # end are then not used), a repeat rule with its last day. KEEP leaves the event's as they are.
    end_day: date | None = None
    all_day: bool | None = None
    repeat: Repeat | None = None
    repeat_until: date | None = None
    series: object = KEEP  # a Series, None for none, or KEEP


def time_input(event: Event) -> dict:
    """The event's time as its edit form sends it back unchanged."""
    return {"day": event.local_start.date(), "start": event.local_start.time(), "end": event.local_end.time(),
            "end_day": event.local_last_day if event.all_day else event.local_end.date(), "all_day": event.all_day,
            "repeat": event.repeat, "repeat_until": event.repeat_until}


def _instants(data: EventInput, event: Event | None = None) -> tuple[datetime, datetime]:
    """The event's first (or only) meeting as UTC instants. An all-day entry runs from local midnight of
    its first day to local midnight after its last (the exclusive end a calendar's DATE DTEND has)."""
    all_day = data.all_day if data.all_day is not None else bool(event and event.all_day)
    last_day = data.end_day or data.day
    if last_day < data.day:
        raise DomainError(_("The last day cannot come before the first."), field="end_day")
    if all_day:
        return (local_to_utc(data.day, time(0), data.timezone),
                local_to_utc(last_day + timedelta(days=1), time(0), data.timezone))
    if data.start is None:
        raise DomainError(_("Give a start time, or mark the entry as all-day."), field="start")
    if data.end is None:
        raise DomainError(_("Give an end time, or mark the entry as all-day."), field="end")
    return local_to_utc(data.day, data.start, data.timezone), local_to_utc(last_day, data.end, data.timezone)


def _lock_room(room_id: int) -> None:
    """Serialise bookings of one room until commit (row lock on PostgreSQL, write lock on SQLite)."""
    db.session.execute(update(Room).where(Room.id == room_id).values(booking_version=Room.booking_version + 1))


def room_conflict(room_id: int, starts_at: datetime, ends_at: datetime,
                  exclude_event_id: int | None) -> tuple[Event, datetime, datetime] | None:
    """The first event holding room_id at an overlapping time, if any, with the meeting's times.

    A one-off event holds the room from its start to its end, a multi-day one included; a
    recurring event holds it for each of its meetings (EventOccurrence rows) that is not skipped."""
    query = (select(Event).where(Event.room_id == room_id, Event.starts_at < ends_at, Event.ends_at > starts_at,
                                 Event.repeat == Repeat.NONE, Event.status.in_(ROOM_HOLDING_STATUSES))
             .order_by(Event.starts_at).limit(1))
    meetings = (select(EventOccurrence).join(Event, Event.id == EventOccurrence.event_id)
                .where(Event.room_id == room_id, EventOccurrence.starts_at < ends_at,
                       EventOccurrence.ends_at > starts_at, EventOccurrence.skipped.is_(False),
                       Event.repeat != Repeat.NONE, Event.status.in_(ROOM_HOLDING_STATUSES))
                .order_by(EventOccurrence.starts_at).limit(1))
    if exclude_event_id:
        query = query.where(Event.id != exclude_event_id)
        meetings = meetings.where(Event.id != exclude_event_id)
    found = [(e, e.starts_at, e.ends_at) for e in db.session.scalars(query)]
    found += [(o.event, o.starts_at, o.ends_at) for o in db.session.scalars(meetings)]
    return min(found, key=lambda f: f[1]) if found else None


def room_booked_message(room: Room, conflict) -> str:
    other, starts_at, ends_at = conflict
    start, end = to_local(starts_at, other.timezone), to_local(ends_at, other.timezone)
    return _("%(room)s is already booked for “%(title)s” on %(day)s, %(start)s–%(end)s.",
             room=room.name, title=other.title, day=day_text(start, weekday=False),
             start=clock(start), end=f"{clock(end)} {end:%Z}")


def check_room_free(room: Room | None, meetings: list[tuple[datetime, datetime]], event_id: int | None) -> None:
    """Refuse a booking of room at any of meetings that another event holds (the room row locked first)."""
    if room is None:
        return
    _lock_room(room.id)
    for starts_at, ends_at in meetings:
        other = room_conflict(room.id, starts_at, ends_at, event_id)
        if other:
            raise Conflict(room_booked_message(room, other), field="room")


def _repeat_of(data: EventInput, event: Event | None) -> tuple[Repeat, date | None]:
    if data.repeat is None:
        return (event.repeat, event.repeat_until) if event else (Repeat.NONE, None)
    return data.repeat, data.repeat_until if data.repeat != Repeat.NONE else None


def _check_place_and_time(data: EventInput, starts_at: datetime, ends_at: datetime, event: Event | None):
    """The event's days inside its forum's and its room free at each of its meetings; the meetings
    (each of a recurring event's, or the one of any other) are returned for materialising."""
    if ends_at <= starts_at:
        raise DomainError(_("The event must end after it starts."), field="end")
    repeat, until = _repeat_of(data, event)
    meetings = [(starts_at, ends_at)]
    if repeat != Repeat.NONE:
        if until is None:
            raise DomainError(_("Give the day of the last meeting."), field="repeat_until")
        if data.end_day and data.end_day != data.day:
            raise DomainError(_("A repeating meeting starts and ends on one day (or runs past midnight); "
                                "give its last meeting under “Repeats until”."), field="end_day")
        meetings = recurrence.meetings(repeat, starts_at, ends_at, until, data.timezone)
        if len(meetings) > recurrence.MAX_MEETINGS:
            raise DomainError(_("At most %(n)s meetings can repeat; choose an earlier last day.",
                                n=recurrence.MAX_MEETINGS), field="repeat_until")
    if data.forum:
        last_day = to_local(meetings[-1][1] - timedelta(microseconds=1), data.timezone).date()
        # Recurring meetings may run up to the forum (weekly briefings before it); others fall inside it.
        first_ok = data.day <= data.forum.ends_on if repeat != Repeat.NONE else data.forum.starts_on <= data.day
        if not (first_ok and last_day <= data.forum.ends_on):
            raise DomainError(_("%(forum)s runs from %(start)s to %(end)s; choose a day inside those dates.",
                                forum=data.forum.name, start=day_text(data.forum.starts_on, weekday=False),
                                end=day_text(data.forum.ends_on, weekday=False)),
                              field="day" if not first_ok or data.day > data.forum.ends_on
                              else ("repeat_until" if repeat != Repeat.NONE else "end_day"))
    if data.room:
        if data.forum is None or data.room.forum_id != data.forum.id:
            raise DomainError(_("This room does not belong to the event's forum."), field="room")
        check_room_free(data.room, meetings, event.id if event else None)
        from ..programme.services import room_taken_by_meeting, when
        for meeting_start, meeting_end in meetings:
            official = room_taken_by_meeting(data.room.id, meeting_start, meeting_end)
            if official is not None:
                raise Conflict(_("%(room)s is booked for the official meeting “%(title)s” (%(when)s).",
                                 room=data.room.name, title=official.title, when=when(official)), field="room")
    elif data.format != Format.VIRTUAL and not data.external_venue.strip() and not data.forum:
        raise DomainError(_("Give a room or a venue for an event that is not virtual."), field="external_venue")
    all_day = data.all_day if data.all_day is not None else bool(event and event.all_day)
    if data.forum and not all_day:  # a forum day ("Registration day") marks the day, it takes no slot
        from ..programme.services import check_side_event_time
        check_side_event_time(data.forum, meetings)  # every meeting of a recurring event
    return meetings


def _organisation(entry: OrganiserInput) -> Organisation:
    existing = organisation_named(entry.name)
    if existing:
        return existing
    organisation = Organisation(name=entry.name.strip(), kind=entry.kind, country=entry.country or None)
    db.session.add(organisation)
    return organisation


def _apply_time(event: Event, data: EventInput, meetings) -> None:
    """The shape of the event's time, and its meetings as rows when it repeats."""
    if data.all_day is not None:
        event.all_day = data.all_day
    event.repeat, event.repeat_until = _repeat_of(data, event)
    if data.series is not KEEP:
        event.series = data.series
    recurrence.sync_occurrences(event, meetings if event.repeat != Repeat.NONE else [])


def _apply(event: Event, data: EventInput, starts_at: datetime, ends_at: datetime) -> None:
    # SEQUENCE is not counted here: events/shown.py raises it once for whatever the calendar
    # entries of a published event now show differently.
    for name in ("title", "subtitle", "external_venue", "format", "webcast_url", "meeting_passcode", "languages",
                 "interpretation_languages", "captioning", "sign_language", "sign_languages",
                 "wheelchair_access", "accessibility_notes", "contact_name", "contact_email", "contact_email_public", "audience_size", "timezone"):
        if name == "contact_email" and data.contact_email and (data.contact_email != event.contact_email
                                                                or not event.contact_locale):
            event.contact_locale = data.contact_locale  # a new contact is written to in the language it came in
        setattr(event, name, getattr(data, name))
    event.forum, event.room = data.forum, data.room
    if event.id is not None and event.starts_at != starts_at:
        # The running order moves with the event, so a rescheduled agenda stays consistent.
        shift = starts_at - event.starts_at
        for item in event.agenda_items:
            item.starts_at, item.ends_at = item.starts_at + shift, item.ends_at + shift
    event.starts_at, event.ends_at = starts_at, ends_at
    # Keep the rows of SDGs that stay, so that saving an unchanged form changes nothing.
    wanted = set(data.sdgs)
    kept = [tag for tag in event.sdgs if tag.sdg in wanted]
    event.sdgs = sorted(kept + [EventSdg(sdg=n) for n in wanted - {t.sdg for t in kept}], key=lambda t: t.sdg)
    seen, organisers = set(), []
    for position, entry in enumerate(e for e in data.organisers if e.name.strip()):
        organisation = _organisation(entry)
        if organisation.name.lower() in seen:
            continue
        seen.add(organisation.name.lower())
        link = next((o for o in event.organisers if o.organisation is organisation), None) \
            or EventOrganiser(organisation=organisation)
        link.position = position
        organisers.append(link)
    event.organisers = organisers


def create_event(data: EventInput, *, user: User) -> Event:
    """Propose an event; its author becomes its organiser."""
    if not authz.can(user, "event.propose", data.forum):
        raise NotAllowed(_("Sign in to propose an event."))
    starts_at, ends_at = _instants(data)
    meetings = _check_place_and_time(data, starts_at, ends_at, None)
    if data.forum is not None:
        check_call_open(data.forum, user=user)
        lead = next((o for o in data.organisers if o.name.strip()), None)
        if lead is not None:
            check_lead_limit(data.forum, lead.name, user=user)
    event = Event(slug=unique_slug(Event, data.title), status=Status.DRAFT, created_by_id=user.id)
    _apply(event, data, starts_at, ends_at)
    _apply_time(event, data, meetings)
    db.session.add(event)
    db.session.flush()
    event.status_changes.append(StatusChange(actor_id=user.id, from_status=None, to_status=Status.DRAFT))
    grant(user, Role.ORGANISER, event=event)
    refresh_search_text(event)
    record("event.created", actor=user, event=event)
    db.session.flush()
    return event


def _details(event: Event) -> dict:
    """What the edit form changes, as plain values, so the log can say before → after."""
    return {"title": event.title, "subtitle": event.subtitle, "day": event.local_start.date().isoformat(),
            "start": event.local_start.strftime("%H:%M"), "end": event.local_end.strftime("%H:%M"),
            "end_day": event.local_last_day.isoformat(), "all_day": event.all_day,
            "repeat": event.repeat.value + (f" {event.repeat_until}" if event.repeat_until else ""),
            "series": event.series.title if event.series else "",
            "timezone": event.timezone, "room": event.room.name if event.room else "",
            "external_venue": event.external_venue, "format": event.format.value, "webcast_url": event.webcast_url,
            "languages": event.languages, "interpretation_languages": event.interpretation_languages,
            "captioning": event.captioning, "sign_language": event.sign_language,
            "sign_languages": event.sign_languages, "wheelchair_access": event.wheelchair_access,
            "accessibility_notes": event.accessibility_notes, "contact_name": event.contact_name,
            "contact_email": event.contact_email, "contact_email_public": event.contact_email_public,
            "audience_size": event.audience_size,
            "sdgs": ", ".join(str(n) for n in event.sdg_numbers),
            "organisers": "; ".join(o.organisation.name for o in event.organisers)}


def update_event(event: Event, data: EventInput, *, user: User, notify: bool = True) -> Event:
    """Save the event's details; a published event's new time or place is announced to the people
    it concerns (events/changes.py), unless notify is False (a correction nobody needs to hear of)."""
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot edit this event."))
    if event.status in (Status.HELD, Status.CANCELLED):
        raise DomainError(_("A held or cancelled event can no longer be changed."))
    announced = change_notices.snapshot(event)
    starts_at, ends_at = _instants(data, event)
    meetings = _check_place_and_time(data, starts_at, ends_at, event)
    before = _details(event)
    from ..coorganisers import services as co_organisers
    asked = co_organisers.snapshot(event)
    _apply(event, data, starts_at, ends_at)
    kept = {o.id for o in event.organisers if o.id is not None}
    co_organisers.organisers_removed(event, [v for k, v in asked.items() if k not in kept])
    _apply_time(event, data, meetings)
    refresh_search_text(event)
    db.session.flush()
    changes = activity_diff(before, _details(event))
    if changes:
        record("event.edited", actor=user, event=event, changes=changes)
        if event.status == Status.PUBLISHED:
            from ..webhooks.services import notify as notify_webhooks
            notify_webhooks("event.changed", event)
    change_notices.record_change(event, announced, user=user, notify=notify)
    return event


def overlapping_own_events(event: Event, user: User) -> list[Event]:
    """Other live events this user organises that overlap this one: a warning, not an error."""
    own_ids = select(Membership.event_id).where(Membership.user_id == user.id,
                                                 Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]))
    return list(db.session.scalars(
        select(Event).where(Event.id.in_(own_ids), Event.id != event.id, Event.starts_at < event.ends_at,
                            Event.ends_at > event.starts_at, Event.status.in_(ROOM_HOLDING_STATUSES))
        .order_by(Event.starts_at)))


def rename_organisation(organisation: Organisation, name: str, *, user: User) -> Organisation:
    """Correct an organisation's name everywhere it organises (staff only: the name is shared)."""
    if not authz.can(user, "forum.manage", None):
        raise NotAllowed(_("Only staff rename organisations."))
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the organisation's name."), field="name")
    clash = db.session.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower(),
                                                         Organisation.id != organisation.id))
    if clash:
        raise Conflict(_("%(name)s already exists.", name=clash.name), field="name")
    organisation.name = name
    db.session.flush()
    for event in db.session.scalars(select(Event).join(EventOrganiser)
                                    .where(EventOrganiser.organisation_id == organisation.id)):
        refresh_search_text(event)
    db.session.flush()
    return organisation


def touch(*events: Event) -> None:
    """Mark events as changed where only their agenda, speakers or concept note changed, so
    that calendar feeds and conditional requests see the change."""
    now = utcnow()
    for event in events:
        event.updated_at = now


def touch_events_of_person(person_id: int) -> None:
    from ..speakers.models import SpeakerAssignment
    db.session.execute(update(Event).where(Event.id.in_(
        select(SpeakerAssignment.event_id).where(SpeakerAssignment.person_id == person_id)))
        .values(updated_at=utcnow()).execution_options(synchronize_session=False))


def concept_note_texts(content: dict) -> list[str]:
    """The note's own words (not its fixed headings), to tell which script it is written in."""
    return html_to_paragraphs(content.get("background") or "") + [
        item for name in ("objectives", "target_audience", "guiding_questions", "expected_outcomes")
        for item in content.get(name) or []]


def refresh_search_text(event: Event) -> None:
    parts = [event.title, event.subtitle] + [o.organisation.name for o in event.shown_organisers]
    note = event.concept_note
    if note:
        parts += html_to_paragraphs(note.background) + note.objectives + note.target_audience \
            + note.guiding_questions + note.expected_outcomes
    event.search_text = search_fold(" ".join(p for p in parts if p))


def add_team_member(event: Event, member: User, role: Role, *, user: User) -> Membership:
    if not authz.can(user, "event.manage_team", event):
        raise NotAllowed(_("Only the event's organiser or staff add people to its team."))
    known = any(m.event_id == event.id and m.role == role for m in member.memberships)
    membership = grant(member, role, event=event)
    if not known:
        record("team.added", actor=user, event=event, subject=f"{member.name} <{member.email}>",
               changes=[["role", "", role.value]])
    return membership


def remove_team_member(event: Event, membership: Membership, *, user: User) -> None:
    """Take a role away; the event always keeps at least one organiser."""
    if not authz.can(user, "event.manage_team", event):
        raise NotAllowed(_("Only the event's organiser or staff change its team."))
    if membership.event_id != event.id:
        raise DomainError(_("This person is not on the event's team."))
    organisers = [m for m in team_of(event) if m.role == Role.ORGANISER]
    if membership.role == Role.ORGANISER and len(organisers) <= 1:
        raise DomainError(_("The event needs at least one organiser; add another one first."))
    member = membership.user
    record("team.removed", actor=user, event=event, subject=f"{member.name} <{member.email}>",
           changes=[["role", membership.role.value, ""]])
    member.memberships.remove(membership)
    db.session.delete(membership)
    db.session.flush()


# ---------------------------------------------------------------- removal

def removal_recipients(event: Event) -> list:
    """Everyone who counted on the event: its registrants, its speakers and its team, each with their language."""
    from ..registrations.models import ACTIVE, RegistrationStatus
    from ..speakers.models import InvitationStatus
    from .mail import event_recipients
    waiting = [s for s in ACTIVE if s != RegistrationStatus.UNVERIFIED]  # an unproven address is not written to
    return sorted(event_recipients(event, registration_statuses=waiting,
                                   speaker_statuses=[InvitationStatus.INVITED, InvitationStatus.CONFIRMED]),
                  key=lambda recipient: recipient.email)


def delete_event(event: Event, *, user: User, reason: str) -> DeletedEvent:
    """Remove an event that should never have existed; a tombstone keeps its address answering 410."""
    if not authz.can(user, "event.delete", event):
        raise NotAllowed(_("Only staff remove events."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the event is removed; the people told of it will read it."), field="reason")
    from .mail import announce_removal
    announce_removal(event, removal_recipients(event), reason)
    tombstone = DeletedEvent(slug=event.slug, title=event.title, forum_id=event.forum_id, reason=reason,
                             deleted_by_id=user.id)
    db.session.add(tombstone)
    record("event.deleted", actor=user, forum=event.forum, subject=event.slug, note=reason, title=event.title)
    db.session.delete(event)  # its rows go with it: agenda, speakers, registrations, summary, log
    db.session.flush()
    db.session.expire_all()  # memberships and registrations removed by the database's cascades
    return tombstone


# ---------------------------------------------------------------- workflow

# from-status -> {to-status: the permission it needs}
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED: "event.submit", Status.CANCELLED: "event.cancel"},
    Status.SUBMITTED: {Status.APPROVED: "event.review", Status.REJECTED: "event.review",
                       Status.DRAFT: "event.submit", Status.CANCELLED: "event.cancel"},
    Status.REJECTED: {Status.SUBMITTED: "event.submit", Status.DRAFT: "event.submit"},
    Status.APPROVED: {Status.PUBLISHED: "event.publish", Status.CANCELLED: "event.cancel"},
    Status.PUBLISHED: {Status.HELD: "event.publish", Status.CANCELLED: "event.cancel"},
    Status.HELD: {},
    Status.CANCELLED: {},
}
NEEDS_REASON = {Status.REJECTED, Status.CANCELLED}
# Changes the organisers are told of by e-mail: the decisions others take about their event.
ANNOUNCED = {Status.APPROVED, Status.REJECTED, Status.PUBLISHED, Status.CANCELLED}


def missing_for_submission(event: Event) -> list[str]:
    """What an organiser still has to add before the event can be submitted."""
    missing = []
    note = event.concept_note
    if note is None or not note.background.strip():
        missing.append(_("a concept note with its background"))
    if note is None or not note.objectives:
        missing.append(_("objectives in the concept note"))
    if event.room is None and event.format != Format.VIRTUAL and not event.external_venue:
        missing.append(_("a room or venue"))
    if not event.organisers:
        missing.append(_("at least one organising entity"))
    if not event.contact_email:
        missing.append(_("a contact e-mail address"))
    return missing


def allowed_transitions(event: Event, user) -> list[Status]:
    """The steps this user may take now; "held" only once the event has ended."""
    ended = event.ends_at <= utcnow()
    return [to for to, permission in TRANSITIONS[event.status].items()
            if authz.can(user, permission, event) and (to != Status.HELD or ended)]


WEBHOOK_KINDS = {Status.PUBLISHED: "event.published", Status.CANCELLED: "event.cancelled"}


def change_status(event: Event, to: Status, *, user: User, reason: str = "") -> StatusChange:
    """Move an event through its workflow, record the step and tell the organisers."""
    permission = TRANSITIONS[event.status].get(to)
    if permission is None:
        raise DomainError(_("A %(from)s event cannot become %(to)s.", **{"from": _(event.status.value), "to": _(to.value)}))
    if not authz.can(user, permission, event):
        raise NotAllowed(_("You cannot make this event %(to)s.", to=_(to.value)))
    reason = (reason or "").strip()
    if to in NEEDS_REASON and not reason:
        raise DomainError(_("Give a reason; the organisers will read it."), field="reason")
    if to == Status.SUBMITTED:
        missing = missing_for_submission(event)
        if missing:
            raise DomainError(_("Before submitting, add: %(items)s.", items="; ".join(missing)))
        if event.forum is not None:
            check_call_open(event.forum, user=user, event=event)
            problems = eligibility_problems(event)
            if problems:
                raise DomainError(" ".join(problems))
            if event.organisers:
                check_lead_limit(event.forum, event.organisers[0].organisation.name, user=user, event=event)
    if to in (Status.SUBMITTED, Status.APPROVED) and event.forum is not None:
        from ..programme.services import check_side_event_time, event_intervals
        check_side_event_time(event.forum, event_intervals(event), field=None)  # a meeting placed since
    if to == Status.APPROVED:
        from ..coorganisers.services import check_confirmed
        check_confirmed(event)
    if to == Status.HELD and event.ends_at > utcnow():
        raise DomainError(_("An event can be marked as held only after it has ended."))
    change = StatusChange(actor_id=user.id, from_status=event.status, to_status=to, reason=reason)
    before = change_notices.snapshot(event)
    event.status_changes.append(change)
    record("event.status", actor=user, event=event, changes=[["status", event.status.value, to.value]], note=reason)
    event.status, event.status_reason = to, reason
    if to in ANNOUNCED:
        from .mail import announce_status_change
        announce_status_change(event, change)
    db.session.flush()
    if to == Status.CANCELLED:  # marking a past event as held tells participants nothing new
        change_notices.record_change(event, before, user=user)
    if to in WEBHOOK_KINDS:
        from ..webhooks.services import notify as notify_webhooks
        notify_webhooks(WEBHOOK_KINDS[to], event)
    return change


def change_status_in_bulk(events: list[Event], to: Status, *, user: User, reason: str = "") -> tuple[int, list[str]]:
    """Apply one decision to many submissions; returns how many changed and why others did not."""
    done, problems = 0, []
    for event in events:
        try:
            with db.session.begin_nested():
                change_status(event, to, user=user, reason=reason)
            done += 1
        except DomainError as error:
            problems.append(f"{event.title}: {error.message}")
    return done, problems


# ---------------------------------------------------------------- concept notes

CONCEPT_NOTE_SECTIONS = ("background", "objectives", "target_audience", "guiding_questions", "expected_outcomes")


def concept_note_content(note: ConceptNote | None) -> dict:
    if note is None:
        return {"background": "", "objectives": [], "target_audience": [], "guiding_questions": [],
                "expected_outcomes": []}
    return {name: getattr(note, name) for name in CONCEPT_NOTE_SECTIONS}


def concept_note_at(note: ConceptNote | None, number: int) -> dict:
    """The concept note as revision `number` left it; revision 0 is the empty note."""
    revision = next((r for r in note.revisions if r.number == number), None) if note and number else None
    content = revision.content if revision else {}
    return {name: content.get(name) or ([] if name != "background" else "") for name in CONCEPT_NOTE_SECTIONS}


def _note_lines(name: str, value) -> list[str]:
    return html_to_paragraphs(value or "") if name == "background" else list(value or [])


def concept_note_conflict(event: Event, content: dict, *, base_revision: int, user: User) -> EditConflict | None:
    """What changed since the revision an editor was loaded from, section by section; None when
    nobody saved meanwhile."""
    note = event.concept_note
    current = note.revision if note else 0
    if base_revision == current:
        return None
    last = note.revisions[-1] if note and note.revisions else None
    mine = {name: content.get(name) or ([] if name != "background" else "") for name in CONCEPT_NOTE_SECTIONS}
    sections = merge_sections(CONCEPT_NOTE_SECTIONS, concept_note_at(note, base_revision), concept_note_content(note),
                              mine, _note_lines)
    if last is not None and last.author_id == user.id:
        who, message = _("your other window"), _(
            "You saved a newer version in another tab or window while editing here. Below, section by section, is "
            "what changed there; sections changed in only one place are merged. Nothing is saved until you save again.")
    else:
        who = last.author.name if last and last.author else _("Someone")
        message = _("%(who)s saved a newer version while you were editing. Below, section by section, is what they "
                    "changed; sections only one of you changed are merged. Nothing is saved until you save again.",
                    who=who)
    return EditConflict(message, sections=sections, revision=current, author=who)


def save_concept_note(event: Event, content: dict, *, user: User, base_revision: int | None = None,
                      details: EventInput | None = None, notify: bool = True,
                      language: str | None = None) -> ConceptNote:
    """Save the concept note as a new revision; a save based on an outdated revision is refused
    with a merge of both versions for the person to finish. `details` are the event's details with
    what the organiser chose to take from an imported file's header, saved as the details form
    saves them (room bookings, change notices unless notify is False, the activity log)."""
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot edit this concept note."))
    if base_revision is not None:
        conflict = concept_note_conflict(event, content, base_revision=base_revision, user=user)
        if conflict is not None:
            raise conflict
    if details is not None:
        update_event(event, details, user=user, notify=notify)
    note = event.concept_note
    if note is None:
        note = ConceptNote(event=event, revision=0)
        db.session.add(note)
    cleaned = {name: content.get(name) or ([] if name != "background" else "") for name in CONCEPT_NOTE_SECTIONS}
    if note.revision and cleaned == concept_note_content(note) and (language is None or language == note.language):
        return note  # nothing changed: no empty revision
    for name, value in cleaned.items():
        setattr(note, name, value)
    note.language = language or document_language(note.language, concept_note_texts(cleaned), writer=user.locale)
    note.revision += 1
    note.revisions.append(ConceptNoteRevision(event_id=event.id, number=note.revision, author_id=user.id,
                                              content=cleaned))
    refresh_search_text(event)
    touch(event)
    db.session.flush()
    return note


def concept_note_as_lines(content: dict) -> list[str]:
    """A readable plain-text rendering, used for diffs."""
    lines = ["Background"] + html_to_paragraphs(content.get("background", ""))
    for name, title in (("objectives", "Objectives"), ("target_audience", "Target audience"),
                        ("guiding_questions", "Guiding questions"), ("expected_outcomes", "Expected outcomes")):
        lines += ["", title] + [f"- {item}" for item in content.get(name, [])]
    return lines


def diff_revisions(old: ConceptNoteRevision, new: ConceptNoteRevision) -> list[tuple[str, str]]:
    """Line-by-line differences between two revisions, as (kind, text) with kind in '+', '-', ' '."""
    diff = difflib.ndiff(concept_note_as_lines(old.content), concept_note_as_lines(new.content))
    return [(line[0], line[2:]) for line in diff if line[0] in "+- "]


# ---------------------------------------------------------------- calls for proposals and eligibility

KIND_VALUES = {kind.value for kind in OrganisationKind}
# At UN Headquarters only Member States, intergovernmental organisations and UN entities may host an
# event in person; any kind of organisation may co-organise, and lead a virtual event.
ELIGIBILITY_PRESETS = {
    "unhq_in_person": {"lead": [OrganisationKind.MEMBER_STATE.value, OrganisationKind.INTERGOVERNMENTAL.value,
                                OrganisationKind.UN_ENTITY.value],
                       "co": [kind.value for kind in OrganisationKind], "in_person_only": True},
}
# Proposals that count towards a lead organisation's limit: every one not turned down or cancelled.
COUNTED_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED, Status.HELD)


def forum_today(forum: Forum) -> date:
    """Today's date where the forum is held: calls open and close by the forum's calendar."""
    from zoneinfo import ZoneInfo
    return utcnow().astimezone(ZoneInfo(forum.timezone)).date()


def call_state(forum: Forum, today: date | None = None) -> str | None:
    """"not_open", "open" or "closed"; None when the forum sets no call dates."""
    if forum.call_opens_on is None and forum.call_closes_on is None:
        return None
    today = today or forum_today(forum)
    if forum.call_opens_on and today < forum.call_opens_on:
        return "not_open"
    if forum.call_closes_on and today > forum.call_closes_on:
        return "closed"
    return "open"


def is_over(forum: Forum, today: date | None = None) -> bool:
    """The forum's last day has passed: nobody is offered to propose an event to it."""
    return forum.ends_on < (today or forum_today(forum))


def call_dates_text(forum: Forum) -> str:
    """"from 1 February 2025 to 14 March 2025" as the reader's language writes it."""
    if forum.call_opens_on and forum.call_closes_on:
        return _("from %(opens)s to %(closes)s", opens=day_text(forum.call_opens_on, weekday=False),
                 closes=day_text(forum.call_closes_on, weekday=False))
    if forum.call_closes_on:
        return _("until %(closes)s", closes=day_text(forum.call_closes_on, weekday=False))
    return _("from %(opens)s", opens=day_text(forum.call_opens_on, weekday=False))


def check_call_open(forum: Forum, *, user: User, event: Event | None = None) -> None:
    """Refuse a proposal outside the forum's call, saying its dates; staff, and a proposal staff
    let in, pass."""
    state = call_state(forum)
    if state in (None, "open") or authz.can(user, "forum.manage", forum) or (event is not None and event.late_allowed):
        return
    if state == "not_open":
        raise DomainError(_("The call for side events at %(forum)s opens on %(opens)s; it runs %(dates)s.",
                            forum=forum.name, opens=day_text(forum.call_opens_on, weekday=False),
                            dates=call_dates_text(forum)))
    raise DomainError(_("The call for side events at %(forum)s closed on %(closes)s (it ran %(dates)s). "
                        "Ask the forum's staff if a late proposal can be considered.",
                        forum=forum.name, closes=day_text(forum.call_closes_on, weekday=False),
                        dates=call_dates_text(forum)))


def check_lead_limit(forum: Forum, lead_name: str, *, user: User, event: Event | None = None) -> None:
    """Refuse a proposal beyond the forum's limit of proposals per lead organisation."""
    if not forum.max_events_per_lead or authz.can(user, "forum.manage", forum):
        return
    organisation = organisation_named(lead_name)
    if organisation is None:
        return
    first = (select(EventOrganiser.event_id).where(EventOrganiser.organisation_id == organisation.id,
                                                   EventOrganiser.position == 0))
    query = select(func.count(Event.id)).where(Event.forum_id == forum.id, Event.id.in_(first),
                                               Event.status.in_(COUNTED_STATUSES))
    if event is not None:
        query = query.where(Event.id != event.id)
    if db.session.scalar(query) >= forum.max_events_per_lead:
        raise DomainError(_("%(organisation)s already leads %(count)s proposal(s) to %(forum)s, the most the forum "
                            "accepts from one lead organiser.", organisation=organisation.name,
                            count=forum.max_events_per_lead, forum=forum.name))


def kinds_of(text: str) -> list[OrganisationKind]:
    return [OrganisationKind(k) for k in (text or "").split(",") if k in KIND_VALUES]


def eligibility_rules(forum: Forum) -> list[str]:
    """The forum's eligibility rules, as sentences for its page, the editor and the review screen."""
    from .labels import ORGANISATION_KIND_LABELS as KINDS
    rules = []
    if forum.lead_kinds:
        kinds = ", ".join(str(KINDS[k]) for k in kinds_of(forum.lead_kinds))
        rules.append(_("Only these may lead an in-person or hybrid event: %(kinds)s.", kinds=kinds)
                     if forum.lead_rule_in_person_only else _("Only these may lead an event: %(kinds)s.", kinds=kinds))
    if forum.co_organiser_kinds and set(kinds_of(forum.co_organiser_kinds)) != set(OrganisationKind):
        rules.append(_("Only these may co-organise: %(kinds)s.",
                       kinds=", ".join(str(KINDS[k]) for k in kinds_of(forum.co_organiser_kinds))))
    return rules


def eligibility_problems(event: Event) -> list[str]:
    """Each organising entity the forum's rules do not allow in its place, naming rule and organisation."""
    from .labels import ORGANISATION_KIND_LABELS as KINDS
    forum = event.forum
    if forum is None or not event.organisers:
        return []
    problems = []
    lead, *others = event.organisers
    applies = not forum.lead_rule_in_person_only or event.format != Format.VIRTUAL
    if forum.lead_kinds and applies and lead.organisation.kind not in kinds_of(forum.lead_kinds):
        allowed = ", ".join(str(KINDS[k]) for k in kinds_of(forum.lead_kinds))
        if forum.lead_rule_in_person_only:
            problems.append(_("%(organisation)s (%(kind)s) cannot lead an in-person or hybrid event at %(forum)s: "
                              "only these may, %(allowed)s. It may co-organise, or lead a virtual event.",
                              organisation=lead.organisation.name, kind=KINDS[lead.organisation.kind],
                              forum=forum.name, allowed=allowed))
        else:
            problems.append(_("%(organisation)s (%(kind)s) cannot lead an event at %(forum)s: only these may, "
                              "%(allowed)s.", organisation=lead.organisation.name, kind=KINDS[lead.organisation.kind],
                              forum=forum.name, allowed=allowed))
    if forum.co_organiser_kinds:
        allowed_co = kinds_of(forum.co_organiser_kinds)
        for other in others:
            if other.organisation.kind not in allowed_co:
                problems.append(_("%(organisation)s (%(kind)s) cannot co-organise an event at %(forum)s: only "
                                  "these may, %(allowed)s.", organisation=other.organisation.name,
                                  kind=KINDS[other.organisation.kind], forum=forum.name,
                                  allowed=", ".join(str(KINDS[k]) for k in allowed_co)))
    return problems


def extend_call(forum: Forum, closes_on: date, *, user: User) -> Forum:
    """Move the call's closing day later; the log keeps the old and new day."""
    if not authz.can(user, "forum.manage", forum):
        raise NotAllowed(_("Only staff extend a call for proposals."))
    if forum.call_closes_on and closes_on <= forum.call_closes_on:
        raise DomainError(_("Choose a day after %(closes)s, when the call now closes.",
                            closes=day_text(forum.call_closes_on, weekday=False)), field="closes_on")
    if forum.call_opens_on and closes_on < forum.call_opens_on:
        raise DomainError(_("The call for side events closes before it opens."), field="closes_on")
    if closes_on > forum.ends_on:
        raise DomainError(_("Choose a day by %(last)s, the forum's last day.",
                            last=day_text(forum.ends_on, weekday=False)), field="closes_on")
    before = forum.call_closes_on.isoformat() if forum.call_closes_on else ""
    forum.call_closes_on = closes_on
    record("forum.call_extended", actor=user, forum=forum, changes=[["call_closes_on", before, closes_on.isoformat()]])
    db.session.flush()
    return forum


def allow_late_proposal(event: Event, *, user: User, note: str = "") -> Event:
    """Let this one proposal be submitted outside its forum's call; recorded in the activity log."""
    if event.forum is None or not authz.can(user, "forum.manage", event.forum):
        raise NotAllowed(_("Only staff let a late proposal in."))
    if event.status not in (Status.DRAFT, Status.REJECTED):
        raise DomainError(_("Only a proposal that is not yet submitted can be let in late."))
    if not event.late_allowed:
        event.late_allowed = True
        record("event.late_allowed", actor=user, event=event, note=note)
        db.session.flush()
    return event


def call_summary(forum: Forum) -> dict:
    """What a proposer reads of the forum's call: its dates and state, its guiding questions and its rules."""
    state = call_state(forum)
    states = {"not_open": _("not open yet"), "open": _("open"), "closed": _("closed")}
    return {"state": state, "state_text": states.get(state, ""),
            "dates": call_dates_text(forum) if state else "",
            "guidance": forum.concept_note_guidance,
            "questions": [line.strip() for line in forum.concept_note_questions.splitlines() if line.strip()],
            "rules": eligibility_rules(forum), "limit": forum.max_events_per_lead}


# ---------------------------------------------------------------- meetings of a recurring event

def _meeting_editable(occurrence: EventOccurrence, user: User) -> Event:
    event = occurrence.event
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot change this event's meetings."))
    if event.status in (Status.HELD, Status.CANCELLED):
        raise DomainError(_("A held or cancelled event can no longer be changed."))
    return event


def skip_meeting(occurrence: EventOccurrence, *, user: User, skipped: bool = True) -> EventOccurrence:
    """Take one meeting out of the series (a calendar's EXDATE), or put it back where it was."""
    event = _meeting_editable(occurrence, user)
    if not skipped and event.room is not None:
        check_room_free(event.room, [(occurrence.starts_at, occurrence.ends_at)], event.id)
    occurrence.skipped = skipped
    touch(event)
    record("event.meeting_skipped" if skipped else "event.meeting_restored", actor=user, event=event,
           changes=[("meeting", to_local(occurrence.original_start, event.timezone).strftime("%Y-%m-%d %H:%M"),
                     "" if skipped else to_local(occurrence.starts_at, event.timezone).strftime("%Y-%m-%d %H:%M"))])
    db.session.flush()
    return occurrence


def move_meeting(occurrence: EventOccurrence, day: date, start: time, end: time, *, user: User) -> EventOccurrence:
    """Hold one meeting at another time (a calendar's RECURRENCE-ID entry); an end before the start is the
    next day. The room must be free then."""
    event = _meeting_editable(occurrence, user)
    starts_at = local_to_utc(day, start, event.timezone)
    ends_at = local_to_utc(day + timedelta(days=1) if end <= start else day, end, event.timezone)
    if ends_at - starts_at > timedelta(hours=24):
        raise DomainError(_("A meeting lasts at most a day."), field="end")
    if event.forum and day > event.forum.ends_on:
        raise DomainError(_("%(forum)s runs from %(start)s to %(end)s; choose a day inside those dates.",
                            forum=event.forum.name, start=day_text(event.forum.starts_on, weekday=False),
                            end=day_text(event.forum.ends_on, weekday=False)), field="day")
    others = {to_local(o.starts_at, event.timezone).date() for o in event.occurrences
              if o is not occurrence and not o.skipped}
    if day in others:
        raise DomainError(_("Another meeting of this series is already on that day."), field="day")
    if event.room is not None:
        check_room_free(event.room, [(starts_at, ends_at)], event.id)
        from ..programme.services import room_taken_by_meeting, when
        official = room_taken_by_meeting(event.room.id, starts_at, ends_at)
        if official is not None:
            raise Conflict(_("%(room)s is booked for the official meeting “%(title)s” (%(when)s).",
                             room=event.room.name, title=official.title, when=when(official)), field="day")
    if event.forum:
        from ..programme.services import check_side_event_time
        check_side_event_time(event.forum, [(starts_at, ends_at)], field="day")
    before = to_local(occurrence.starts_at, event.timezone).strftime("%Y-%m-%d %H:%M")
    occurrence.starts_at, occurrence.ends_at, occurrence.skipped = starts_at, ends_at, False
    touch(event)
    record("event.meeting_moved", actor=user, event=event,
           changes=[("meeting", before, to_local(starts_at, event.timezone).strftime("%Y-%m-%d %H:%M"))])
    db.session.flush()
    return occurrence
