"""Recurring meetings: the instants a weekly or monthly rule gives, computed with dateutil's rrule in
the event's own zone (a 10:00 briefing stays at 10:00 across a change of summer time), and kept as
EventOccurrence rows so that every meeting is an interval the room and overlap checks read.

The calendar entry carries the same rule (RRULE with UNTIL in UTC), an EXDATE per skipped meeting
and a RECURRENCE-ID entry per moved one (feeds/calendar.py); tests expand the served bytes with
recurring-ical-events and compare them with the page's list.
"""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from ..core.time import UTC, as_utc
from ..errors import DomainError
from .models import Event, EventOccurrence, Repeat

MAX_MEETINGS = 120

_FREQ = {Repeat.WEEKLY: "WEEKLY", Repeat.MONTHLY: "MONTHLY"}


def until_instant(until: date, tz_name: str) -> datetime:
    """The rule's UNTIL: the end of its last local day, in UTC (RFC 5545 wants UTC with a TZID start)."""
    return datetime.combine(until, time(23, 59, 59), tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def rule_text(repeat: Repeat, until: date, tz_name: str) -> str:
    """The RRULE value, e.g. "FREQ=WEEKLY;UNTIL=20270430T035959Z"."""
    return f"FREQ={_FREQ[repeat]};UNTIL={until_instant(until, tz_name):%Y%m%dT%H%M%SZ}"


def meetings(repeat: Repeat, starts_at: datetime, ends_at: datetime, until: date,
             tz_name: str) -> list[tuple[datetime, datetime]]:
    """Each meeting the rule gives, as UTC (start, end), the first one included."""
    from dateutil.rrule import rrulestr  # the rule as the calendar entry writes it
    if repeat == Repeat.NONE:
        return [(starts_at, ends_at)]
    zone = ZoneInfo(tz_name)
    first = as_utc(starts_at).astimezone(zone)
    if until < first.date():
        raise DomainError(_("The last meeting cannot come before the first."), field="repeat_until")
    # Wall-clock instants in the zone, then each converted: the length stays the same in minutes.
    length = as_utc(ends_at) - as_utc(starts_at)
    rule = rrulestr(f"FREQ={_FREQ[repeat]};UNTIL={until_instant(until, tz_name):%Y%m%dT%H%M%SZ}",
                    dtstart=first.replace(tzinfo=zone))
    found = []
    for local in rule:
        start = local.replace(tzinfo=zone).astimezone(UTC)
        found.append((start, start + length))
        if len(found) > MAX_MEETINGS:
            break
    return found


def sync_occurrences(event: Event, wanted: list[tuple[datetime, datetime]]) -> None:
    """Make the event's rows the rule's meetings. A meeting skipped or moved stays so while the rule
    still has a meeting on its day (a new start time moves the rule, not the exceptions)."""
    tz = event.timezone
    by_day = {o.original_start.astimezone(ZoneInfo(tz)).date(): o for o in event.occurrences}
    rows = []
    for starts_at, ends_at in wanted:
        day = starts_at.astimezone(ZoneInfo(tz)).date()
        row = by_day.pop(day, None)
        if row is None:
            row = EventOccurrence(original_start=starts_at, starts_at=starts_at, ends_at=ends_at)
        else:
            moved = row.starts_at != row.original_start or (row.ends_at - row.starts_at) != (ends_at - starts_at)
            row.original_start = starts_at
            if not moved:
                row.starts_at, row.ends_at = starts_at, ends_at
        rows.append(row)
    event.occurrences = rows


def listed(event: Event) -> list[EventOccurrence]:
    """The meetings that take place, in the order they do (a moved one where it now falls)."""
    return sorted((o for o in event.occurrences if not o.skipped), key=lambda o: o.starts_at)


def span(event: Event) -> tuple[datetime, datetime]:
    """From the first meeting's start to the last one's end (one-off events: their own times)."""
    held = listed(event)
    if not held:
        return event.starts_at, event.ends_at
    return min(o.starts_at for o in held), max(o.ends_at for o in held)


def intervals(event: Event) -> list[tuple[datetime, datetime]]:
    """Every (start, end) the event takes place at: for overlap checks (rooms, the official programme)."""
    if event.repeat == Repeat.NONE:
        return [(event.starts_at, event.ends_at)]
    return [(o.starts_at, o.ends_at) for o in listed(event)]
