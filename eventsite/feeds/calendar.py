"""iCalendar output, built with the icalendar library only.

Every event is one VEVENT with a UID that never changes and a SEQUENCE the services raise
whenever its time, room or status changes; a cancelled event stays in, as STATUS:CANCELLED,
so calendar clients remove it rather than keep a stale copy. Times carry the event's TZID
and a VTIMEZONE for it, bounded to the calendar's span (unbounded ones confuse some parsers).
No attendee, participant or speaker e-mail is ever written.
"""
from datetime import timedelta

from icalendar import Calendar, Event as VEvent, vDuration, vText

from ..events.models import Status
from ..events.sanitise import html_to_paragraphs

PRODID = "-//Eventsite//Side events and forums//EN"
STATUS = {Status.CANCELLED: "CANCELLED", Status.PUBLISHED: "CONFIRMED", Status.HELD: "CONFIRMED"}
ROLE_NAMES = {"opening": "Opening remarks", "moderator": "Moderator", "keynote": "Keynote speaker",
              "panellist": "Panellist", "discussant": "Discussant", "closing": "Closing remarks",
              "rapporteur": "Rapporteur"}


class CalendarSite:
    """What every VEVENT needs from the site: where events live and the UID domain."""

    def __init__(self, base_url: str, uid_domain: str):
        self.base_url = base_url.rstrip("/")
        self.uid_domain = uid_domain

    def event_url(self, event) -> str:
        return f"{self.base_url}/events/{event.slug}"

    def event_uid(self, event) -> str:
        return f"event-{event.id}@{self.uid_domain}"

    def item_uid(self, item) -> str:
        return f"agenda-item-{item.id}@{self.uid_domain}"


def _location(event) -> str:
    return event.place or ("Online" if event.webcast_url or event.format.value == "virtual" else "")


def _speaker_lines(event) -> list[str]:
    lines = []
    for s in event.speakers:
        if s.is_confirmed:
            person = s.person
            lines.append(f"{ROLE_NAMES[s.role.value]}: {person.full_name}"
                         + (f" ({person.affiliation})" if person.affiliation else ""))
    return lines


def _description(event, url: str) -> str:
    parts = []
    if event.subtitle:
        parts.append(event.subtitle)
    note = event.concept_note
    if note is not None and note.background:
        parts.append("\n\n".join(html_to_paragraphs(note.background)[:2]))
    if event.organisers:
        parts.append("Organized by: " + "; ".join(o.organisation.name for o in event.organisers))
    speakers = _speaker_lines(event)
    if speakers:
        parts.append("\n".join(speakers))
    if event.agenda_items:
        parts.append("Agenda:\n" + "\n".join(
            f"{i.local_start:%H:%M}–{i.local_end:%H:%M} {i.title}" for i in event.agenda_items))
    if event.status == Status.CANCELLED and event.status_reason:
        parts.insert(0, f"CANCELLED: {event.status_reason}")
    parts.append(url)
    return "\n\n".join(parts)


def _event_component(event, site: CalendarSite) -> VEvent:
    url = site.event_url(event)
    vevent = VEvent()
    vevent.add("uid", site.event_uid(event))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("created", event.created_at)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.local_start)
    vevent.add("dtend", event.local_end)
    vevent.add("summary", event.title)
    location = _location(event)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("description", _description(event, url))
    vevent.add("status", STATUS.get(event.status, "TENTATIVE"))
    vevent.add("transp", "OPAQUE")
    if event.contact_email:
        lead = event.organisers[0].organisation.name if event.organisers else event.contact_name
        vevent.add("organizer", f"mailto:{event.contact_email}", parameters={"CN": lead or event.contact_email})
    if event.sdgs:
        vevent.add("categories", [f"SDG {sdg}" for sdg in event.sdg_numbers])
    return vevent


def _item_component(item, event, site: CalendarSite) -> VEvent:
    url = f"{site.event_url(event)}#item-{item.id}"
    vevent = VEvent()
    vevent.add("uid", site.item_uid(item))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("sequence", event.sequence + item.sequence)
    vevent.add("dtstart", item.local_start)
    vevent.add("dtend", item.local_end)
    vevent.add("summary", f"{item.title} — {event.title}")
    location = _location(event)
    if location:
        vevent.add("location", location)
    speakers = [f"{ROLE_NAMES[s.role.value]}: {s.person.full_name}" for s in event.speakers
                if s.is_confirmed and s.agenda_item_id == item.id]
    vevent.add("description", "\n".join([*speakers, item.description, url]).strip())
    vevent.add("url", url)
    vevent.add("related-to", site.event_uid(event))
    vevent.add("status", STATUS.get(event.status, "TENTATIVE"))
    return vevent


def build_calendar(events, site: CalendarSite, *, name: str, with_agenda: bool = False,
                   refresh: timedelta = timedelta(hours=1)) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar does not escape these two when given through add(): set them as vText.
    calendar["NAME"] = vText(name)
    calendar["X-WR-CALNAME"] = vText(name)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    first = last = None
    for event in events:
        calendar.add_component(_event_component(event, site))
        if with_agenda:
            for item in event.agenda_items:
                calendar.add_component(_item_component(item, event, site))
        day = event.local_start.date()
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is not None:
        calendar.add_missing_timezones(first_date=first - timedelta(days=1), last_date=last + timedelta(days=2))
    return calendar.to_ical()




def current_site() -> CalendarSite:
    from flask import current_app, url_for
    return CalendarSite(url_for("core.home", _external=True), current_app.config["CALENDAR_UID_DOMAIN"])


def event_ics(event) -> bytes:
    """One event as a calendar file, for a download or an e-mail attachment."""
    return build_calendar([event], current_site(), name=event.title)
