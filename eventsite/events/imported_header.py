"""An imported concept note's header set against the event's details: where they differ, what taking
the file's value would do, and the event's details with the fields the organiser chose to take.

Plain functions of the event and the file's header (as concept_note_io reads it); the caller saves
the result through services.update_event, so bookings, notices and the log behave as for the form.
"""
from flask_babel import gettext as _

from ..core import reading
from ..errors import DomainError
from .concept_note_io import HEADER_FIELDS
from .models import Event, Room
from .queries import organisation_named
from .services import EventInput, OrganiserInput

# The header field a service's refusal concerns, so that its message is shown beside that choice.
FIELD_OF = {"title": "title", "subtitle": "subtitle", "day": "date", "date": "date", "start": "time", "end": "time",
            "time": "time", "room": "venue", "external_venue": "venue", "venue": "venue", "organisers": "organisers"}
_MAX_LENGTH = {"title": 300, "subtitle": 300, "venue": 300}


def record_header(event: Event) -> dict:
    """The event's own details, written as an imported header is read ("6 May 2025", "11:45 - 13:00")."""
    start, end = event.local_start, event.local_end
    return {"title": event.title, "subtitle": event.subtitle or "", "date": reading.format_date(start.date()),
            "time": f"{start:%H:%M} - {end:%H:%M}", "venue": event.place or "",
            "organisers": [o.organisation.name for o in event.organisers]}


def room_named_in(venue: str, rooms) -> Room | None:
    """The room a venue line names: "Conference Room 12, UN Headquarters" is Conference Room 12, never
    Conference Room 1; of several rooms named, the longest name wins."""
    text = f" {reading.fold(venue)} "
    named = [room for room in rooms if reading.fold(room.name) and f" {reading.fold(room.name)} " in text]
    return max(named, key=lambda room: len(reading.fold(room.name)), default=None)


def differences(event: Event, from_file: dict) -> list[str]:
    """The header fields the file gives differently from the event's details. A venue that names the
    event's own room with less of the address ("Conference Room 6" for "Conference Room 6, UN
    Headquarters, New York") is the same place."""
    record = record_header(event)
    names = reading.header_differences(from_file, record, HEADER_FIELDS)
    venue = from_file.get("venue") or ""
    if "venue" in names and event.room and room_named_in(venue, [event.room]) \
            and reading.fold(venue) in reading.fold(record["venue"]):
        names.remove("venue")
    return names


def venue_room(event: Event, venue: str) -> Room | None:
    """The forum room the file's venue names, if any; otherwise the venue would be recorded as an
    external venue."""
    return room_named_in(venue, event.forum.rooms) if event.forum else None


def new_organisations(names: list[str]) -> list[str]:
    """The organisers no organisation on the site is called yet: their type is asked before they are added."""
    return [name for name in names if organisation_named(name) is None]


def event_input(event: Event) -> EventInput:
    """The event's details as its edit form would send them back unchanged."""
    return EventInput(
        title=event.title, subtitle=event.subtitle, forum=event.forum, day=event.local_start.date(),
        start=event.local_start.time(), end=event.local_end.time(), timezone=event.timezone, room=event.room,
        external_venue=event.external_venue, format=event.format, webcast_url=event.webcast_url,
        meeting_passcode=event.meeting_passcode, languages=event.languages,
        interpretation_languages=event.interpretation_languages, captioning=event.captioning,
        sign_language=event.sign_language, accessibility_notes=event.accessibility_notes,
        contact_name=event.contact_name, contact_email=event.contact_email,
        contact_email_public=event.contact_email_public, audience_size=event.audience_size, sdgs=event.sdg_numbers,
        organisers=[OrganiserInput(o.organisation.name, o.organisation.kind, o.organisation.country)
                    for o in event.organisers])


def _text(from_file: dict, name: str) -> str:
    value = " ".join((from_file.get(name) or "").split())
    if not value:
        raise DomainError(_("The file gives no value here; choose “As in the event's record”."), field=name)
    if len(value) > _MAX_LENGTH[name]:
        raise DomainError(_("The file's text is longer than %(n)s characters; choose “As in the event's record” "
                            "and shorten it in the event's details.", n=_MAX_LENGTH[name]), field=name)
    return value


def _organiser(name: str, new_kinds: dict) -> OrganiserInput:
    known = organisation_named(name)
    if known is not None:
        return OrganiserInput(known.name, known.kind, known.country)
    if name not in new_kinds:
        raise DomainError(_("Choose the type of %(name)s, which is new to the site.", name=name), field="organisers")
    return new_kinds[name]


def details_with_header(event: Event, from_file: dict, taken, *, new_kinds: dict | None = None) -> EventInput:
    """The event's details with the header fields in `taken` replaced by the file's: the date and the
    time as read, the venue as the forum room it names or else as an external venue, the organisers
    in the file's order (`new_kinds` gives, by name, the type and country of those new to the site)."""
    data, taken = event_input(event), set(taken)
    if "title" in taken:
        data.title = _text(from_file, "title")
    if "subtitle" in taken:
        data.subtitle = _text(from_file, "subtitle")
    if "date" in taken:
        found = reading.find_date(from_file.get("date") or "")
        if found is None:
            raise DomainError(_("“%(text)s” could not be read as a date.", text=from_file.get("date") or ""),
                              field="date")
        data.day = found.value
    if "time" in taken:
        found = reading.find_time(from_file.get("time") or "")
        if found is None:
            raise DomainError(_("“%(text)s” could not be read as a time.", text=from_file.get("time") or ""),
                              field="time")
        data.start, data.end = found.start, found.end
    if "venue" in taken:
        venue = _text(from_file, "venue")
        room = venue_room(event, venue)
        data.room, data.external_venue = room, "" if room else venue
    if "organisers" in taken:
        names = [" ".join(name.split()) for name in from_file.get("organisers") or [] if name.strip()]
        if not names:
            raise DomainError(_("The file gives no value here; choose “As in the event's record”."),
                              field="organisers")
        data.organisers = [_organiser(name, new_kinds or {}) for name in names]
    return data
