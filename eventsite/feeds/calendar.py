"""iCalendar output, built with the icalendar library only.

Every event is one VEVENT with a UID that never changes and a SEQUENCE raised once for each
change a subscriber can see after publication (events/shown.py compares entry_digests below
with the stored ones); a cancelled event stays in, as STATUS:CANCELLED,
so calendar clients remove it rather than keep a stale copy. Times carry the event's TZID
and a VTIMEZONE for it, bounded to the calendar's span (unbounded ones confuse some parsers),
sorted by TZID so that every worker writes the same bytes whatever its hash seed.
No attendee, participant or speaker e-mail is ever written, and the event's contact
address (ORGANIZER) only when the organiser marked it public: ORGANIZER must be a
calendar address (RFC 5545 3.8.4.3), so without one it is left out and the organisers are
named in DESCRIPTION.

Shapes of time: a multi-day event or one past midnight is one VEVENT from its start to its end;
an all-day entry (a forum day) is written with DATE values and the exclusive DTEND RFC 5545
asks for (a one-day entry on 3 May ends on 4 May); a recurring meeting is one VEVENT with the
RRULE the site expands (events/recurrence.py), an EXDATE per skipped meeting and, per moved
one, a VEVENT of the same UID with RECURRENCE-ID.
"""
import hashlib
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # icalendar (~6 MiB) loads when a calendar is built, not in every web worker
    from icalendar import Event as VEvent

from flask_babel import gettext as _

from ..core.languages import speaking
from ..core.sdgs import sdg_title
from ..events.models import Event, Status
from ..core.sanitise import html_to_paragraphs
from ..speakers.labels import ROLE_LABELS

PRODID = "-//Eventsite//Side events and forums//EN"
STATUS = {Status.CANCELLED.value: "CANCELLED", Status.PUBLISHED.value: "CONFIRMED", Status.HELD.value: "CONFIRMED"}
# The fixed words of an entry are written in the current language: a feed's ?lang=, an e-mail's
# recipient's. Feeds are shared by everyone who subscribes, so without ?lang= they speak English.
ROLE_NAMES = {role.value: label for role, label in ROLE_LABELS.items()}


class CalendarSite:
    """What every VEVENT needs from the site: where events live and the UID domain."""

    def __init__(self, base_url: str, uid_domain: str):
        self.base_url = base_url.rstrip("/")
        self.uid_domain = uid_domain


class Words:
    """The fixed words of entries, translated once per calendar rather than once per entry and speaker."""

    def __init__(self):
        self.roles = {role: str(label) for role, label in ROLE_NAMES.items()}
        self.online, self.organised_by, self.agenda = _("Online"), _("Organized by:"), _("Agenda:")
        self.join_online = _("Join online")
        self.official_meeting = _("Official meeting")
        self.no_side_events = _("No side events during this meeting.")


def _speaker_line(speaker, words: Words) -> str:
    role, name, affiliation = speaker
    return f"{words.roles[role]}: {name}" + (f" ({affiliation})" if affiliation else "")


def _description(entry, url: str, tz, words: Words) -> str:
    parts = []
    if entry.status == "cancelled" and entry.status_reason:
        parts.append(_("CANCELLED: %(reason)s", reason=entry.status_reason))
    if entry.subtitle:
        parts.append(entry.subtitle)
    if entry.background:
        parts.append("\n\n".join(html_to_paragraphs(entry.background)[:2]))
    if entry.organisers:
        parts.append(f"{words.organised_by} {'; '.join(entry.organisers)}")
    if entry.speakers:
        parts.append("\n".join(_speaker_line(s, words) for s in entry.speakers))
    if entry.items:
        parts.append(words.agenda + "\n" + "\n".join(
            f"{i.starts_at.astimezone(tz):%H:%M}–{i.ends_at.astimezone(tz):%H:%M} {i.title}" for i in entry.items))
    if entry.meeting_url:
        parts.append("\n".join([_("Join online: %(link)s", link=entry.meeting_url),
                                *([_("Passcode: %(code)s", code=entry.meeting_passcode)]
                                  if entry.meeting_passcode else [])]))
    parts.append(url)
    return "\n\n".join(parts)


# Properties are set as typed values rather than through Component.add(): the same
# library output, at half the cost per property on a 1,400-event feed.

def _when(value, tz, all_day: bool):
    """A DTSTART/DTEND value: a local time with the zone, or a DATE for an all-day entry (stored at local
    midnight, so its exclusive end is the day after the last)."""
    from icalendar import vDDDTypes
    local = value.astimezone(tz)
    return vDDDTypes(local.date() if all_day else local)


def _event_component(entry, site: CalendarSite, tz, words: Words) -> "VEvent":
    from icalendar import Event as VEvent, vCalAddress, vCategory, vDDDLists, vDDDTypes, vInt, vRecur, vText, vUri
    url = f"{site.base_url}/events/{entry.slug}"
    vevent = VEvent()
    vevent["UID"] = vText(f"event-{entry.id}@{site.uid_domain}")
    vevent["DTSTAMP"] = vevent["LAST-MODIFIED"] = vDDDTypes(entry.updated_at)
    vevent["SEQUENCE"] = vInt(entry.sequence)
    vevent["DTSTART"] = _when(entry.starts_at, tz, entry.all_day)
    vevent["DTEND"] = _when(entry.ends_at, tz, entry.all_day)
    if entry.repeat:
        from ..events.models import Repeat
        from ..events.recurrence import rule_text
        vevent["RRULE"] = vRecur.from_ical(rule_text(Repeat(entry.repeat), entry.repeat_until, entry.timezone))
        skipped = [m.original_start.astimezone(tz) for m in entry.meetings if m.skipped]
        if skipped:
            vevent["EXDATE"] = vDDDLists([s.date() if entry.all_day else s for s in skipped])
    vevent["SUMMARY"] = vText(entry.title)
    location = entry.place or (words.online if entry.online else "")
    if location:
        vevent["LOCATION"] = vText(location)
    vevent["URL"] = vUri(url)
    vevent["DESCRIPTION"] = vText(_description(entry, url, tz, words))
    vevent["STATUS"] = vText(STATUS.get(entry.status, "TENTATIVE"))
    if entry.contact_email:
        lead = entry.organisers[0] if entry.organisers else entry.contact_name
        vevent["ORGANIZER"] = vCalAddress(f"mailto:{entry.contact_email}", params={"CN": lead or entry.contact_email})
    if entry.meeting_url:  # RFC 7986: calendar clients show a "join" button
        vevent["CONFERENCE"] = vUri(entry.meeting_url, params={"VALUE": "URI", "FEATURE": "VIDEO",
                                                               "LABEL": words.join_online})
    if entry.sdgs:
        vevent["CATEGORIES"] = vCategory([sdg_title(n) for n in entry.sdgs])
    return vevent


def _event_components(entry, site: CalendarSite, tz, words: Words) -> list:
    """The event's VEVENT and, for a recurring one, a VEVENT per moved meeting (RECURRENCE-ID)."""
    main = _event_component(entry, site, tz, words)
    components = [main]
    for meeting in entry.meetings:
        if meeting.skipped or (meeting.starts_at == meeting.original_start
                               and meeting.ends_at - meeting.starts_at == entry.ends_at - entry.starts_at):
            continue
        moved = _event_component(entry, site, tz, words)
        for name in ("RRULE", "EXDATE"):
            moved.pop(name, None)
        moved["RECURRENCE-ID"] = _when(meeting.original_start, tz, entry.all_day)
        moved["DTSTART"] = _when(meeting.starts_at, tz, entry.all_day)
        moved["DTEND"] = _when(meeting.ends_at, tz, entry.all_day)
        components.append(moved)
    return components


def _item_component(item, entry, site: CalendarSite, tz, words: Words) -> "VEvent":
    from icalendar import Event as VEvent, vDDDTypes, vInt, vText, vUri
    url = f"{site.base_url}/events/{entry.slug}#item-{item.id}"
    vevent = VEvent()
    vevent["UID"] = vText(f"agenda-item-{item.id}@{site.uid_domain}")
    vevent["DTSTAMP"] = vevent["LAST-MODIFIED"] = vDDDTypes(entry.updated_at)
    vevent["SEQUENCE"] = vInt(item.sequence)
    vevent["DTSTART"] = vDDDTypes(item.starts_at.astimezone(tz))
    vevent["DTEND"] = vDDDTypes(item.ends_at.astimezone(tz))
    vevent["SUMMARY"] = vText(f"{item.title} — {entry.title}")
    location = entry.place or (words.online if entry.online else "")
    if location:
        vevent["LOCATION"] = vText(location)
    vevent["DESCRIPTION"] = vText("\n".join([*(_speaker_line(s, words) for s in item.speakers), item.description,
                                             url]).strip())
    vevent["URL"] = vUri(url)
    vevent["RELATED-TO"] = vText(f"event-{entry.id}@{site.uid_domain}")
    vevent["STATUS"] = vText(STATUS.get(entry.status, "TENTATIVE"))
    return vevent


def _official_component(entry, site: CalendarSite, tz, words: Words) -> "VEvent":
    """An official meeting of the forum: CATEGORIES says so, and so does the start of its DESCRIPTION."""
    from icalendar import Event as VEvent, vCategory, vDDDTypes, vInt, vText, vUri
    url = f"{site.base_url}/forums/{entry.forum_slug}"
    vevent = VEvent()
    vevent["UID"] = vText(f"official-{entry.id}@{site.uid_domain}")
    vevent["DTSTAMP"] = vevent["LAST-MODIFIED"] = vDDDTypes(entry.updated_at)
    vevent["SEQUENCE"] = vInt(entry.sequence)
    vevent["DTSTART"] = vDDDTypes(entry.starts_at.astimezone(tz))
    vevent["DTEND"] = vDDDTypes(entry.ends_at.astimezone(tz))
    vevent["SUMMARY"] = vText(entry.title)
    if entry.place:
        vevent["LOCATION"] = vText(entry.place)
    lines = [words.official_meeting]
    if entry.side_events == "refuse":
        lines.append(words.no_side_events)
    vevent["DESCRIPTION"] = vText("\n".join(lines + [url]))
    vevent["URL"] = vUri(url)
    vevent["STATUS"] = vText("CONFIRMED")
    vevent["CATEGORIES"] = vCategory([words.official_meeting])
    return vevent


def build_calendar(entries, site: CalendarSite, *, name: str, with_agenda: bool = False,
                   refresh: timedelta = timedelta(hours=1), official=()) -> bytes:
    from icalendar import Calendar, vDuration, vText
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
    words, tzids = Words(), set()
    for entry in entries:
        tz = ZoneInfo(entry.timezone)
        components = _event_components(entry, site, tz, words)
        vevent = components[0]
        for component in components:
            calendar.add_component(component)
        if with_agenda and not entry.all_day:
            for item in entry.items:
                calendar.add_component(_item_component(item, entry, site, tz, words))
        tzids.add(vevent["DTSTART"].params.get("TZID"))  # none for UTC, written with Z
        day = entry.starts_at.astimezone(tz).date()
        end_day = max([entry.ends_at, *(m.ends_at for m in entry.meetings)]).astimezone(tz).date()
        first = day if first is None or day < first else first
        last = end_day if last is None or end_day > last else last
    for entry in official:
        tz = ZoneInfo(entry.timezone)
        vevent = _official_component(entry, site, tz, words)
        calendar.add_component(vevent)
        tzids.add(vevent["DTSTART"].params.get("TZID"))
        day = entry.starts_at.astimezone(tz).date()
        first = day if first is None or day < first else first
        last = day if last is None or day > last else last
    if first is not None:
        # The zones the entries use are known as they are written: one VTIMEZONE each, in one order for
        # every process, instead of add_missing_timezones() walking every property of a large feed again.
        span = (min(first - timedelta(days=1), ZONE_SPAN[0]), max(last + timedelta(days=2), ZONE_SPAN[1]))
        zones = [_zone(tzid, *span) for tzid in sorted(tzid for tzid in tzids if tzid)]
        calendar.subcomponents = zones + calendar.subcomponents
    return calendar.to_ical()


# Every feed writes a zone over the same span (wider only for events outside it): a client, or a parser,
# that keeps the first VTIMEZONE it met for a TZID then reads every feed's times alike. A zone bounded
# to one feed's dates (May 2025 only) applied to another feed's March 2027 meeting put it an hour early.
ZONE_SPAN = (date(2020, 1, 1), date(2035, 12, 31))


@lru_cache(maxsize=64)
def _zone(tzid: str, first: date, last: date):
    from icalendar import Timezone
    return _one_block_per_transition(Timezone.from_tzid(tzid, first_date=first, last_date=last))


def _one_block_per_transition(zone):
    """A VTIMEZONE whose STANDARD/DAYLIGHT blocks each list one onset: over more than a year icalendar
    gathers the onsets in RDATE lists, which vobject/dateutil misread (a March 2027 meeting in a feed
    that also holds 2025 events came out an hour early), while one block per onset is read alike."""
    from copy import deepcopy
    blocks = []
    for block in zone.subcomponents:
        rdates = block.pop("RDATE", None)
        blocks.append(block)
        if rdates is None:
            continue
        for listed in rdates if isinstance(rdates, list) else [rdates]:
            for onset in listed.dts:
                extra = deepcopy(block)
                extra["DTSTART"] = onset
                blocks.append(extra)
    zone.subcomponents = sorted(blocks, key=lambda b: b["DTSTART"].dt)
    return zone


# Properties that say when an entry was written, not what it shows.
_STAMPS = ("SEQUENCE", "DTSTAMP", "LAST-MODIFIED")


def _digest(component) -> str:
    for name in _STAMPS:
        component.pop(name, None)
    return hashlib.sha256(component.to_ical()).hexdigest()


def entry_digests(entries) -> dict[int, tuple[str, dict[int, str]]]:
    """What each event's entry, and each of its agenda items' entries, shows, as digests (in English, so the
    language of whoever made the change never counts as a change)."""
    site = CalendarSite("", "")
    digests = {}
    with speaking("en"):
        words = Words()
        for entry in entries:
            tz = ZoneInfo(entry.timezone)
            digests[entry.id] = (hashlib.sha256("".join(_digest(c) for c in _event_components(entry, site, tz, words))
                                                .encode()).hexdigest() if entry.meetings else
                                 _digest(_event_component(entry, site, tz, words)),
                                 {item.id: _digest(_item_component(item, entry, site, tz, words))
                                  for item in entry.items})
    return digests


def current_site() -> CalendarSite:
    from flask import current_app, url_for
    return CalendarSite(url_for("events.home", _external=True), current_app.config["CALENDAR_UID_DOMAIN"])


def event_ics(event, *, meeting=None) -> bytes:
    """One event as a calendar file, for a download or an e-mail attachment; with the link to
    join online only when given one (for someone allowed to see it)."""
    from .queries import feed_snapshot
    return build_calendar(feed_snapshot(Event.id == event.id, frozenset({event.id}) if meeting else frozenset()),
                          current_site(), name=event.title)
