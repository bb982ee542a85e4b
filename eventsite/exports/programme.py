"""The forum's programme as staff need it: a workbook with one sheet by event, one by agenda
item and one by speaker, the same as CSV, and a room-by-day grid."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..core.collation import in_order
from ..core.documents import csv_bytes, workbook_bytes
from ..core.time import to_local
from ..events.models import LISTED_STATUSES, Event, EventOrganiser
from ..extensions import db
from ..feeds.calendar import ROLE_NAMES
from ..registrations.models import Registration

EVENT_HEADER = ["Date", "Start", "End", "Timezone", "Room", "Title", "Status", "Organisers", "Organiser types",
                "SDGs", "Format", "Languages", "Confirmed speakers", "Page"]
ITEM_HEADER = ["Event", "Date", "Start", "End", "Room", "Item", "Kind", "Parallel", "Speakers"]
SPEAKER_HEADER = ["Family name", "Given name", "Honorific", "Position", "Organisation", "Country", "Role",
                  "Status", "Event", "Date", "Start", "Agenda item"]


def programme_events(forum) -> list[Event]:
    return list(db.session.scalars(
        select(Event).options(joinedload(Event.room), selectinload(Event.organisers).joinedload(
            EventOrganiser.organisation), selectinload(Event.sdgs), selectinload(Event.agenda_items),
            selectinload(Event.speakers))
        .where(Event.forum_id == forum.id, Event.status.in_(LISTED_STATUSES)).order_by(Event.starts_at, Event.id)))


def event_rows(events, page_url):
    for e in events:
        yield [f"{e.local_start:%Y-%m-%d}", f"{e.local_start:%H:%M}", f"{e.local_end:%H:%M}", e.timezone,
               e.room.name if e.room else e.external_venue, e.title, e.status.value,
               "; ".join(o.organisation.name for o in e.shown_organisers),
               "; ".join(sorted({o.organisation.kind.value for o in e.shown_organisers})),
               ", ".join(str(n) for n in e.sdg_numbers), e.format.value, e.languages,
               sum(1 for s in e.speakers if s.is_confirmed), page_url(e)]


def item_rows(events):
    for e in events:
        for i in e.agenda_items:
            speakers = "; ".join(s.person.full_name for s in e.speakers if s.agenda_item_id == i.id and s.is_confirmed)
            yield [e.title, f"{i.local_start:%Y-%m-%d}", f"{i.local_start:%H:%M}", f"{i.local_end:%H:%M}",
                   e.room.name if e.room else "", i.title, i.kind.value, "yes" if i.parallel else "", speakers]


def speaker_rows(events):
    items = {i.id: i for e in events for i in e.agenda_items}
    rows = []
    for e in events:
        for s in e.speakers:
            p = s.person
            item = items.get(s.agenda_item_id)
            rows.append([p.family_name, p.given_name, p.honorific, p.position, p.organisation, p.country or "",
                         str(ROLE_NAMES[s.role.value]), s.status.value, e.title, f"{e.local_start:%Y-%m-%d}",
                         f"{(item or e).local_start:%H:%M}", item.title if item else ""])
    return in_order(sorted(rows, key=lambda r: (r[9], r[10])), key=lambda r: (r[0], r[1]))


def programme_csv(events, page_url) -> bytes:
    return csv_bytes(EVENT_HEADER, event_rows(events, page_url))


def programme_xlsx(events, page_url) -> bytes:
    return workbook_bytes([("Events", EVENT_HEADER, event_rows(events, page_url)),
                           ("Agenda items", ITEM_HEADER, item_rows(events)),
                           ("Speakers", SPEAKER_HEADER, speaker_rows(events))])


@dataclass
class Grid:
    rooms: list[str]
    days: list[tuple[date, list[tuple[str, list[list[Event]]]]]]  # day -> [(time slot, events per room)]


def room_grid(events) -> Grid:
    """Days down, rooms across, one row per start time: the wall chart of the forum."""
    rooms = sorted({e.room.name if e.room else e.external_venue or "—" for e in events})
    column = {name: n for n, name in enumerate(rooms)}
    days: dict = {}
    for e in events:
        slot = f"{e.local_start:%H:%M}–{e.local_end:%H:%M}"
        cells = days.setdefault(e.local_start.date(), {}).setdefault(slot, [[] for _ in rooms])
        cells[column[e.room.name if e.room else e.external_venue or "—"]].append(e)
    return Grid(rooms, [(day, sorted(slots.items())) for day, slots in sorted(days.items())])


def registration_header() -> list[str]:
    """The forum registrations' column headings, in the reader's language."""
    return [_("Event"), _("Date"), _("Arrival"), _("Status"), _("Name"), _("E-mail"), _("Organisation"),
            _("Category"), _("Country"), _("Position"), _("Checked in"), _("Registered at (UTC)"),
            _("Interpretation into"), _("Live captioning (CART)"), _("Sign language")]


def forum_registrations(forum):
    rows = db.session.execute(
        select(Event.title, Event.starts_at, Event.timezone, Registration)
        .join(Registration, Registration.event_id == Event.id)
        .where(Event.forum_id == forum.id).order_by(Event.starts_at, Event.id, Registration.arrival))
    for title, starts_at, tz, r in rows:
        yield [title, f"{to_local(starts_at, tz):%Y-%m-%d}", r.arrival, r.status.value, r.name, r.email or "",
               r.organisation, r.category.value if r.category else "", r.country or "", r.position,
               "yes" if r.checked_in_at else "", r.created_at.strftime("%Y-%m-%d %H:%M"),
               # the services asked for, so interpreters and captioners can be booked forum-wide
               r.interpretation_language, "yes" if r.wants_captioning else "",
               (r.sign_language_wanted or "yes") if r.wants_sign_language else ""]


def registrations_xlsx(rows) -> bytes:
    return workbook_bytes([(_("Registrations"), registration_header(), rows)])
