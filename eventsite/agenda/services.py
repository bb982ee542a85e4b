"""Building an event's running order: every item inside the event's time, none overlapping
another unless one of them is marked parallel."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from .. import authz
from ..core.dates import clock
from ..core.time import local_to_utc, to_local
from ..errors import Conflict, DomainError, NotAllowed
from ..extensions import db
from ..events.models import Event
from ..events.services import touch
from .models import AgendaItem, ItemKind


@dataclass
class AgendaItemInput:
    title: str
    kind: ItemKind
    start: time
    end: time | None = None
    minutes: int | None = None
    description: str = ""
    parallel: bool = False
    day: date | None = None  # the local day it starts, for an event over several days; None: the first


def _clock(value: datetime, tz_name: str) -> str:
    return clock(to_local(value, tz_name))


def _span(starts_at, ends_at, tz_name) -> str:
    return f"{_clock(starts_at, tz_name)}–{_clock(ends_at, tz_name)}"


def _instants(event: Event, data: AgendaItemInput) -> tuple[datetime, datetime]:
    """An item's instants; an end earlier than the start is on the next day (music until 01:00), which
    the event must then run into. An item on the first day that starts before the event, in an event
    past midnight, is taken as after midnight."""
    day = data.day or event.local_start.date()
    starts_at = local_to_utc(day, data.start, event.timezone)
    if data.day is None and starts_at < event.starts_at and event.local_end.date() > day:
        day = day + timedelta(days=1)  # 00:30 in a reception 19:00–01:00
        starts_at = local_to_utc(day, data.start, event.timezone)
    if data.end is not None:
        ends_at = local_to_utc(day, data.end, event.timezone)
        if ends_at <= starts_at:
            next_day = local_to_utc(day + timedelta(days=1), data.end, event.timezone)
            if next_day <= event.ends_at:
                ends_at = next_day
    elif data.minutes:
        ends_at = starts_at + timedelta(minutes=data.minutes)
    else:
        raise DomainError(_("Give an end time or a duration."), field="end")
    if ends_at <= starts_at:
        raise DomainError(_("The item must end after it starts."), field="end")
    return starts_at, ends_at


def _check_fits(event: Event, item_id: int | None, starts_at, ends_at, parallel: bool) -> None:
    tz = event.timezone
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise DomainError(_("The event runs %(event)s; this item (%(item)s) falls outside it.",
                            event=_span(event.starts_at, event.ends_at, tz), item=_span(starts_at, ends_at, tz)),
                          field="start" if starts_at < event.starts_at else "end")
    if parallel:
        return
    for other in event.agenda_items:
        if other.id != item_id and not other.parallel and other.starts_at < ends_at and other.ends_at > starts_at:
            raise Conflict(_("Overlaps “%(title)s” (%(span)s). Change the times, or mark one of them as parallel.",
                             title=other.title, span=_span(other.starts_at, other.ends_at, tz)), field="start")


def save_agenda_item(event: Event, data: AgendaItemInput, *, user, item: AgendaItem | None = None) -> AgendaItem:
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot change this event's agenda."))
    starts_at, ends_at = _instants(event, data)
    _check_fits(event, item.id if item else None, starts_at, ends_at, data.parallel)
    if item is None:
        item = AgendaItem(event=event)
        db.session.add(item)
    item.title, item.kind, item.description, item.parallel = data.title, data.kind, data.description, data.parallel
    item.starts_at, item.ends_at = starts_at, ends_at
    touch(event)
    db.session.flush()
    db.session.expire(event, ["agenda_items"])
    return item


def delete_agenda_item(item: AgendaItem, *, user) -> None:
    if not authz.can(user, "event.edit", item.event):
        raise NotAllowed(_("You cannot change this event's agenda."))
    event = item.event
    db.session.delete(item)
    touch(event)
    db.session.flush()
    db.session.expire(event, ["agenda_items"])


def move_agenda_item(item: AgendaItem, direction: int, *, user) -> None:
    """Swap an item with its neighbour in the running order; both keep their durations.

    The earlier of the two slots keeps its start and the gap between them is kept, so
    nothing else in the agenda moves and the pair still fills the same span.
    """
    event = item.event
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot change this event's agenda."))
    sequence = [i for i in event.agenda_items if not i.parallel]
    if item not in sequence:
        raise DomainError(_("A parallel item keeps its own time; edit its times instead."))
    index = sequence.index(item)
    other_index = index + direction
    if not 0 <= other_index < len(sequence):
        return
    first, second = sorted((item, sequence[other_index]), key=lambda i: i.starts_at)
    gap = second.starts_at - first.ends_at
    new_first_start = first.starts_at
    new_first_end = new_first_start + (second.ends_at - second.starts_at)
    new_second_start = new_first_end + gap
    new_second_end = new_second_start + (first.ends_at - first.starts_at)
    second.starts_at, second.ends_at = new_first_start, new_first_end
    first.starts_at, first.ends_at = new_second_start, new_second_end
    touch(event)
    db.session.flush()
    db.session.expire(event, ["agenda_items"])


def agenda_problems(event: Event) -> list[str]:
    """What breaks the rules now, e.g. after the event itself was shortened."""
    problems, tz = [], event.timezone
    for item in event.agenda_items:
        if item.starts_at < event.starts_at or item.ends_at > event.ends_at:
            problems.append(_("“%(title)s” (%(item)s) falls outside the event's time (%(event)s).", title=item.title,
                              item=_span(item.starts_at, item.ends_at, tz),
                              event=_span(event.starts_at, event.ends_at, tz)))
    return problems


def next_free_start(event: Event) -> time:
    """Where a new item most likely starts: when the last one ends, or when the event starts."""
    ends = [i.ends_at for i in event.agenda_items if not i.parallel]
    return to_local(max(ends) if ends else event.starts_at, event.timezone).time()
