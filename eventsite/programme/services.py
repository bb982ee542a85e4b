"""The rules of the official programme: staff enter it; side events that overlap it are warned or refused.

Every overlap is decided by `overlapping`, over (start, end) UTC intervals: an event of one
interval today, an event of several days or occurrences tomorrow, asks the same question.
"""
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import gettext as _
from sqlalchemy import false, or_, select
from sqlalchemy.orm import joinedload

from .. import authz
from ..activity.services import record
from ..core.dates import day_and_times, day_text
from ..core.time import local_to_utc, to_local
from ..errors import Conflict, DomainError, NotAllowed
from ..extensions import db
from ..events.models import ROOM_HOLDING_STATUSES, Event, Forum, Room
from .models import SIDE_EVENT_RULES, OfficialMeeting

Interval = tuple[datetime, datetime]
OVERLAP_RULES = ("warn", "refuse")


def event_intervals(event: Event) -> list[Interval]:
    """The UTC intervals a side event occupies: each meeting of a recurring one; none for an all-day
    forum day ("Registration day"), which marks the day rather than taking a slot."""
    from ..events.recurrence import intervals
    return [] if event.all_day else intervals(event)


def _any_overlap(model, intervals: list[Interval]):
    return or_(*[(model.starts_at < end) & (model.ends_at > start) for start, end in intervals]) \
        if intervals else false()


def overlapping(forum_id: int, intervals: list[Interval], *, room_id: int | None = None,
                exclude_id: int | None = None) -> list[OfficialMeeting]:
    """The forum's official meetings (in room_id, if given) overlapping any of the intervals."""
    query = (select(OfficialMeeting).options(joinedload(OfficialMeeting.forum))
             .where(OfficialMeeting.forum_id == forum_id, _any_overlap(OfficialMeeting, intervals))
             .order_by(OfficialMeeting.starts_at, OfficialMeeting.id))
    if room_id is not None:
        query = query.where(OfficialMeeting.room_id == room_id)
    if exclude_id is not None:
        query = query.where(OfficialMeeting.id != exclude_id)
    return list(db.session.scalars(query).unique())


def when(meeting: OfficialMeeting) -> str:
    """"Tuesday 6 May 2025, 10:00–13:00 EDT", in the forum's timezone and the reader's language."""
    return day_and_times(meeting.local_start, meeting.local_end)


@dataclass
class Clash:
    meeting: OfficialMeeting
    rule: str  # "warn" or "refuse"

    @property
    def message(self) -> str:
        if self.rule == "refuse":
            return _("No side event may take place during the official meeting “%(meeting)s” (%(when)s); "
                     "choose another time.", meeting=self.meeting.title, when=when(self.meeting))
        return _("This side event overlaps the official meeting “%(meeting)s” (%(when)s).",
                 meeting=self.meeting.title, when=when(self.meeting))


def clashes(forum: Forum | None, intervals: list[Interval]) -> list[Clash]:
    """The official meetings a side event at these times would overlap, each with its rule."""
    if forum is None or forum.id is None:
        return []
    found = [Clash(m, m.rule()) for m in overlapping(forum.id, intervals)]
    return [c for c in found if c.rule in OVERLAP_RULES]


def check_side_event_time(forum: Forum | None, intervals: list[Interval], *, field: str | None = "start") -> None:
    """Refuse a side event at a time an official meeting keeps free of side events, naming it and its time."""
    refused = [c for c in clashes(forum, intervals) if c.rule == "refuse"]
    if refused:
        raise DomainError(" ".join(c.message for c in refused), field=field)


def room_taken_by_meeting(room_id: int, starts_at: datetime, ends_at: datetime) -> OfficialMeeting | None:
    """The official meeting holding the room at an overlapping time: a side event cannot book it."""
    room = db.session.get(Room, room_id)
    found = overlapping(room.forum_id, [(starts_at, ends_at)], room_id=room_id) if room else []
    return found[0] if found else None


def clashes_by_event(events: list[Event]) -> dict[int, list[Clash]]:
    """Each event's clashes with its forum's official programme, for a list (the review screen):
    one query for every forum's meetings, whatever the number of events."""
    forum_ids = {e.forum_id for e in events if e.forum_id}
    if not forum_ids:
        return {}
    meetings = list(db.session.scalars(select(OfficialMeeting).options(joinedload(OfficialMeeting.forum))
                                       .where(OfficialMeeting.forum_id.in_(forum_ids))
                                       .order_by(OfficialMeeting.starts_at, OfficialMeeting.id)).unique())
    found = {}
    for event in events:
        for start, end in event_intervals(event):
            for meeting in meetings:
                if meeting.forum_id == event.forum_id and meeting.starts_at < end and meeting.ends_at > start \
                        and meeting.rule() in OVERLAP_RULES:
                    found.setdefault(event.id, []).append(Clash(meeting, meeting.rule()))
    return found


# ---------------------------------------------------------------- staff enter the programme

@dataclass
class MeetingInput:
    title: str
    day: date
    start: time
    end: time
    room: Room | None = None
    location: str = ""
    side_events: str = ""


def meetings_of(forum: Forum) -> list[OfficialMeeting]:
    return list(db.session.scalars(select(OfficialMeeting).options(joinedload(OfficialMeeting.forum))
                                   .where(OfficialMeeting.forum_id == forum.id)
                                   .order_by(OfficialMeeting.starts_at, OfficialMeeting.id)).unique())


def meetings_by_day(forum: Forum, *, day: date | None = None, room_id: int | None = None) -> dict[date, list]:
    """The official meetings grouped by the forum's local day, for the programme page."""
    grouped: dict[date, list[OfficialMeeting]] = {}
    for meeting in meetings_of(forum):
        if (day and meeting.local_start.date() != day) or (room_id and meeting.room_id != room_id):
            continue
        grouped.setdefault(meeting.local_start.date(), []).append(meeting)
    return grouped


def programme_runs(grouped: list[tuple[date, list[Event]]], official: dict[date, list[OfficialMeeting]]) -> list:
    """Each day's side events and official meetings in the order they start, as runs of one kind:
    [(day, [("official", [meeting, ...]), ("events", [event, ...]), ...]), ...]."""
    events_by_day = dict(grouped)
    days = []
    for day in sorted(set(events_by_day) | set(official)):
        items = sorted([(m.starts_at, 0, "official", m) for m in official.get(day, [])]
                       + [(e.starts_at, 1, "events", e) for e in events_by_day.get(day, [])],
                       key=lambda item: item[:2])
        runs = []
        for _start, _order, kind, item in items:
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(item)
            else:
                runs.append((kind, [item]))
        days.append((day, runs))
    return days


def _details(meeting: OfficialMeeting) -> dict:
    return {"title": meeting.title, "starts_at": meeting.local_start.isoformat(timespec="minutes"),
            "ends_at": meeting.local_end.isoformat(timespec="minutes"),
            "room": meeting.room.name if meeting.room else "", "location": meeting.location,
            "side_events": meeting.side_events}


def save_meeting(forum: Forum, data: MeetingInput, *, user, meeting: OfficialMeeting | None = None) -> OfficialMeeting:
    """Add or change an official meeting; its room is then booked, as a side event's would be."""
    from ..events.services import _lock_room, room_conflict
    if not authz.can(user, "forum.manage", forum):
        raise NotAllowed(_("Only staff enter the forum's official programme."))
    if meeting is not None and meeting.forum_id != forum.id:
        raise NotAllowed(_("This meeting belongs to another forum."))
    title = " ".join(data.title.split())
    if not title:
        raise DomainError(_("Give the meeting's title."), field="title")
    if not forum.starts_on <= data.day <= forum.ends_on:
        raise DomainError(_("%(forum)s runs from %(start)s to %(end)s; choose a day inside those dates.",
                            forum=forum.name, start=day_text(forum.starts_on, weekday=False),
                            end=day_text(forum.ends_on, weekday=False)), field="day")
    starts_at = local_to_utc(data.day, data.start, forum.timezone)
    ends_at = local_to_utc(data.day, data.end, forum.timezone)
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="end")
    if data.side_events not in SIDE_EVENT_RULES:
        raise DomainError(_("Choose what side events overlapping it meet."), field="side_events")
    if data.room is not None:
        if data.room.forum_id != forum.id:
            raise DomainError(_("This room does not belong to the event's forum."), field="room")
        _lock_room(data.room.id)
        other = overlapping(forum.id, [(starts_at, ends_at)], room_id=data.room.id,
                            exclude_id=meeting.id if meeting else None)
        if other:
            raise Conflict(_("%(room)s is already booked for the official meeting “%(title)s” (%(when)s).",
                             room=data.room.name, title=other[0].title, when=when(other[0])), field="room")
        held = room_conflict(data.room.id, starts_at, ends_at, None)  # a recurring event's meetings count too
        if held is not None:
            event, held_start, held_end = held
            raise Conflict(_("%(room)s is already booked for the side event “%(title)s” (%(when)s); move it "
                             "first, or choose another room.", room=data.room.name, title=event.title,
                             when=day_and_times(to_local(held_start, event.timezone),
                                                to_local(held_end, event.timezone))), field="room")
    before = _details(meeting) if meeting is not None else None
    meeting = meeting or OfficialMeeting(forum=forum)
    meeting.forum = forum
    meeting.title, meeting.starts_at, meeting.ends_at = title, starts_at, ends_at
    meeting.room, meeting.location = data.room, "" if data.room else data.location.strip()
    meeting.side_events = data.side_events
    db.session.add(meeting)
    db.session.flush()
    after = _details(meeting)
    if before is None:
        record("official.added", actor=user, forum=forum, subject=title)
    elif before != after:
        meeting.sequence += 1  # a calendar that has the entry takes the new version
        record("official.changed", actor=user, forum=forum, subject=title,
               changes=[[k, before[k], after[k]] for k in after if before[k] != after[k]])
    db.session.flush()
    return meeting


def delete_meeting(meeting: OfficialMeeting, *, user) -> None:
    if not authz.can(user, "forum.manage", meeting.forum):
        raise NotAllowed(_("Only staff enter the forum's official programme."))
    record("official.removed", actor=user, forum=meeting.forum, subject=meeting.title)
    db.session.delete(meeting)
    db.session.flush()


def side_events_during(meeting: OfficialMeeting) -> list[Event]:
    """The forum's live side events overlapping the meeting, for staff who just placed it."""
    return list(db.session.scalars(
        select(Event).where(Event.forum_id == meeting.forum_id, Event.status.in_(ROOM_HOLDING_STATUSES),
                            _any_overlap(Event, [(meeting.starts_at, meeting.ends_at)]))
        .order_by(Event.starts_at, Event.id)))


# The programme page and the forum's fingerprint read the meetings: a change gives the forum a new updated_at.
def _declare_rendering():
    from ..events import shown
    shown.declare("official", [shown.Reads(OfficialMeeting, None, Forum, "forum_id")])


_declare_rendering()
