"""Load the shared forum workload (200 events x 6 agenda items x 5 speakers x 100 registrants,
the data the reference systems were measured on) straight into the database."""
import secrets
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

from ..agenda.models import AgendaItem, ItemKind
from ..core.time import local_to_utc, utcnow
from ..events.models import Event, Forum, Room, Status
from ..extensions import db
from ..registrations.models import Mode, Registration, RegistrationSettings, RegistrationStatus
from ..speakers.models import InvitationStatus, Person, SpeakerAssignment, SpeakerRole

ITEM_KINDS = [ItemKind.OPENING, ItemKind.KEYNOTE, ItemKind.PANEL, ItemKind.PANEL, ItemKind.DISCUSSION,
              ItemKind.CLOSING]
ITEM_ROLES = [SpeakerRole.OPENING, SpeakerRole.KEYNOTE, SpeakerRole.PANELLIST, SpeakerRole.PANELLIST,
              SpeakerRole.MODERATOR, SpeakerRole.CLOSING]


def load_workload(data: dict, *, slug: str = "forum-workload", registrants: bool = True,
                  name: str | None = None) -> Forum:
    days = sorted({e["date"] for e in data["events"]})
    tz = data["timezone"]
    forum = Forum(slug=slug, name=name or data["category"], timezone=tz, venue=data["events"][0]["venue"],
                  starts_on=date.fromisoformat(days[0]), ends_on=date.fromisoformat(days[-1]))
    rooms = {name: Room(forum=forum, name=name, capacity=150)
             for name in sorted({e["room"] for e in data["events"]})}
    db.session.add(forum)
    db.session.flush()
    emails = {s["email"] for e in data["events"] for s in e["speakers"]}
    people: dict[str, Person] = {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}
    opens = utcnow() - timedelta(days=1)
    for spec in data["events"]:
        day = date.fromisoformat(spec["date"])
        starts_at = local_to_utc(day, time.fromisoformat(spec["start"]), tz)
        event = Event(slug=f"{slug}-{spec['key']}", forum=forum, title=spec["title"], timezone=tz,
                      starts_at=starts_at, ends_at=local_to_utc(day, time.fromisoformat(spec["end"]), tz),
                      room=rooms[spec["room"]], status=Status.PUBLISHED, search_text=spec["title"].lower(),
                      contact_email=f"{spec['key']}@forum.example.org", subtitle=spec["description"][:300])
        event.registration_settings = RegistrationSettings(opens_at=opens, mode=Mode.OPEN, waitlist=True,
                                                           allow_anonymous=True, capacity=10_000,
                                                           arrivals=len(spec["registrants"]) if registrants else 0)
        db.session.add(event)
        items = []
        for n, entry in enumerate(spec["contributions"]):
            item_start = starts_at + timedelta(minutes=entry["offset_minutes"])
            items.append(AgendaItem(event=event, title=entry["title"], kind=ITEM_KINDS[n % 6], starts_at=item_start,
                                    ends_at=item_start + timedelta(minutes=entry["duration_minutes"])))
        for position, entry in enumerate(spec["contributions"]):
            speaker = spec["speakers"][entry["speaker_index"]]
            person = people.get(speaker["email"])
            if person is None:
                person = people[speaker["email"]] = Person(
                    given_name=speaker["first_name"], family_name=speaker["last_name"],
                    organisation=speaker["affiliation"], email=speaker["email"],
                    search_text=f"{speaker['first_name']} {speaker['last_name']} {speaker['affiliation']}".lower())
            db.session.add(SpeakerAssignment(event=event, person=person, agenda_item=items[position],
                                             role=ITEM_ROLES[position % 6], position=position,
                                             status=InvitationStatus.CONFIRMED))
    db.session.flush()
    if registrants:
        _bulk_registrations(data, slug)
    return forum


def _bulk_registrations(data, slug):
    ids = dict(db.session.execute(select(Event.slug, Event.id).where(Event.slug.like(f"{slug}-%"))).all())
    now = datetime.now().astimezone()
    rows = []
    for spec in data["events"]:
        event_id = ids[f"{slug}-{spec['key']}"]
        for arrival, person in enumerate(spec["registrants"], start=1):
            rows.append({"event_id": event_id, "token": secrets.token_urlsafe(32), "checkin_code": secrets.token_hex(8),
                         "status": RegistrationStatus.CONFIRMED, "arrival": arrival,
                         "name": f"{person['first_name']} {person['last_name']}", "email": person["email"],
                         "organisation": person["affiliation"], "answers": {}, "created_at": now, "updated_at": now})
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(Registration), rows[start:start + 2000])
