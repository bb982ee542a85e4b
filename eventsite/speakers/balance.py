"""Who speaks: gender, region, Global South share and stakeholder type, per event and per
forum, and panels whose speakers are all of one gender."""
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from ..agenda.models import AgendaItem, ItemKind
from ..events.models import ROOM_HOLDING_STATUSES, Event
from ..extensions import db
from .models import Gender, InvitationStatus, Person, SpeakerAssignment, SpeakerRole
from ..core.regions import is_developing, regional_group

UNKNOWN = "unknown"


@dataclass
class SingleGenderPanel:
    event_id: int
    event_title: str
    event_slug: str
    panel: str
    gender: Gender
    size: int


@dataclass
class Balance:
    speakers: int = 0
    gender: Counter = field(default_factory=Counter)
    region: Counter = field(default_factory=Counter)
    south: Counter = field(default_factory=Counter)
    stakeholder: Counter = field(default_factory=Counter)
    single_gender_panels: list[SingleGenderPanel] = field(default_factory=list)

    @staticmethod
    def share(counter: Counter, key: str) -> int | None:
        """Percentage of key among the known values (unknown left out), or None when nothing is known."""
        known = sum(n for k, n in counter.items() if k != UNKNOWN)
        return round(100 * counter[key] / known) if known else None

    @property
    def global_south_share(self) -> int | None:
        return self.share(self.south, "developing")

    @property
    def women_share(self) -> int | None:
        known = sum(n for k, n in self.gender.items() if k not in (UNKNOWN, Gender.PREFER_NOT_TO_SAY.value))
        return round(100 * self.gender[Gender.WOMAN.value] / known) if known else None


@dataclass
class _Row:
    event_id: int
    event_title: str
    event_slug: str
    person_id: int
    gender: Gender | None
    country: str | None
    kind: str | None
    role: SpeakerRole
    item_id: int | None
    item_title: str | None
    item_kind: ItemKind | None


def _rows(condition) -> list[_Row]:
    statement = (
        select(Event.id, Event.title, Event.slug, Person.id, Person.gender, Person.country, Person.organisation_kind,
               SpeakerAssignment.role, AgendaItem.id, AgendaItem.title, AgendaItem.kind)
        .select_from(SpeakerAssignment)
        .join(Event, Event.id == SpeakerAssignment.event_id)
        .join(Person, Person.id == SpeakerAssignment.person_id)
        .outerjoin(AgendaItem, AgendaItem.id == SpeakerAssignment.agenda_item_id)
        .where(condition, SpeakerAssignment.status != InvitationStatus.DECLINED,
               # an unanswered add by address would tell the team the hidden person's gender and country
               or_(SpeakerAssignment.entered_family_name == "", SpeakerAssignment.status == InvitationStatus.CONFIRMED))
        .order_by(Event.starts_at, Event.id, SpeakerAssignment.position))
    return [_Row(*row) for row in db.session.execute(statement)]


def _balance(rows: list[_Row]) -> Balance:
    balance = Balance()
    counted = set()
    for row in rows:
        if (row.event_id, row.person_id) in counted:
            continue  # one person with two roles in one event counts once
        counted.add((row.event_id, row.person_id))
        balance.speakers += 1
        balance.gender[row.gender.value if row.gender else UNKNOWN] += 1
        balance.region[regional_group(row.country) or UNKNOWN] += 1
        developing = is_developing(row.country)
        balance.south[UNKNOWN if developing is None else ("developing" if developing else "developed")] += 1
        balance.stakeholder[row.kind.value if row.kind else UNKNOWN] += 1
    balance.single_gender_panels = _single_gender_panels(rows)
    return balance


def _single_gender_panels(rows: list[_Row]) -> list[SingleGenderPanel]:
    """Panels of two or more speakers whose genders are all known and all the same.

    A panel is an agenda item of kind "panel" with its speakers, or, for an event without
    such items, the event's panellists (with the moderator).
    """
    panels: dict[tuple, list[_Row]] = {}
    events_with_panel_items = {r.event_id for r in rows if r.item_kind == ItemKind.PANEL}
    for row in rows:
        if row.item_kind == ItemKind.PANEL:
            panels.setdefault((row.event_id, row.item_id), []).append(row)
        elif row.event_id not in events_with_panel_items and row.role in (SpeakerRole.PANELLIST,
                                                                           SpeakerRole.MODERATOR):
            panels.setdefault((row.event_id, None), []).append(row)
    found = []
    for (event_id, item_id), members in panels.items():
        people = {r.person_id: r.gender for r in members}
        genders = set(people.values())
        if len(people) >= 2 and len(genders) == 1 and None not in genders \
                and Gender.PREFER_NOT_TO_SAY not in genders and any(r.role == SpeakerRole.PANELLIST or item_id
                                                                    for r in members):
            first = members[0]
            found.append(SingleGenderPanel(event_id, first.event_title, first.event_slug,
                                           first.item_title or "", genders.pop(), len(people)))
    return found


def event_balance(event: Event) -> Balance:
    return _balance(_rows(SpeakerAssignment.event_id == event.id))


def forum_balance(forum) -> Balance:
    """The forum's live events together, in one query whatever their number."""
    return _balance(_rows((Event.forum_id == forum.id) & Event.status.in_(ROOM_HOLDING_STATUSES)))
