"""Find anything: search across every forum, and the archive of past forums by year.

Words are folded as the in-forum search folds them (core.collation.search_fold) and matched in the
database against the events' kept search text (title, subtitle, organisers, concept note) and the
names of their confirmed speakers, so a search costs the same few queries however many events there
are. Only what the searcher may see is found (authz.event_visible_clause).
"""
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import authz
from ..core.collation import search_fold
from ..core.time import utcnow
from ..extensions import db
from .access import SERVICE_KEYS, interpretation_condition, service_condition
from .models import LISTED_STATUSES, PUBLIC_STATUSES, Event, EventOrganiser, Forum

PER_PAGE = 20
MAX_WORDS = 8
MAX_PAGE = 500


@dataclass
class SearchPage:
    groups: list[tuple[Forum | None, list[Event]]]   # results on this page, forum by forum, newest forum first
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _speaker_match(word: str):
    from ..speakers.models import InvitationStatus, Person, SpeakerAssignment
    return Event.id.in_(select(SpeakerAssignment.event_id).join(Person, Person.id == SpeakerAssignment.person_id)
                        .where(SpeakerAssignment.status == InvitationStatus.CONFIRMED,
                               Person.search_text.contains(word, autoescape=True)))


def words_of(text: str) -> list[str]:
    return search_fold(text).split()[:MAX_WORDS]


def search_condition(text: str, *, user, services: tuple[str, ...] = (), interpretation: str = ""):
    """Events the user may see with every word in their own text or a confirmed speaker's name."""
    conditions = [authz.event_visible_clause(user)]
    conditions += [or_(Event.search_text.contains(word, autoescape=True), _speaker_match(word))
                   for word in words_of(text)]
    conditions += [service_condition(key) for key in services if key in SERVICE_KEYS]
    if interpretation.strip():
        conditions.append(interpretation_condition(interpretation))
    return conditions


def search_events(text: str, *, user, page: int = 1, services: tuple[str, ...] = (), interpretation: str = "",
                  per_page: int = PER_PAGE) -> SearchPage:
    """One page of the events matching text in every forum, grouped by forum (newest first), in a fixed
    number of queries: the count, the page, its organisers, SDGs and speakers."""
    from ..speakers.models import SpeakerAssignment
    page = min(max(page, 1), MAX_PAGE)
    conditions = search_condition(text, user=user, services=services, interpretation=interpretation)
    total = db.session.scalar(select(func.count(Event.id)).where(*conditions))
    query = (select(Event).outerjoin(Forum, Forum.id == Event.forum_id)
             .options(joinedload(Event.room), joinedload(Event.forum),
                      selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
                      selectinload(Event.sdgs), selectinload(Event.speakers).joinedload(SpeakerAssignment.person))
             .where(*conditions)
             .order_by(Forum.starts_on.desc().nulls_last(), Forum.id, Event.starts_at, Event.id)
             .limit(per_page).offset((page - 1) * per_page))
    events = db.session.scalars(query).all() if total else []
    groups = [(forum, list(items)) for forum, items in groupby(events, key=lambda e: e.forum)]
    return SearchPage(groups, total or 0, page, per_page)


def search_fingerprint() -> tuple:
    """What anonymous search results and the archive show changes only when one of these does: any listed
    event (and what it shows: speakers, organisers, summaries bump its updated_at, events/shown.py), any
    forum, and the day (a forum passes into the archive)."""
    row = db.session.execute(select(func.count(Event.id), func.max(Event.updated_at), func.sum(Event.id),
                                    select(func.max(Forum.updated_at)).scalar_subquery(),
                                    select(func.count(Forum.id)).scalar_subquery())
                             .where(Event.status.in_(LISTED_STATUSES))).first()
    return tuple(row) + (utcnow().date(),)


@dataclass
class ArchivedForum:
    forum: Forum
    events: int      # public side events
    summaries: int   # published summaries, compiled in its outcome report


def archive(today: date) -> list[tuple[int, list[ArchivedForum]]]:
    """Forums over before today, by year (newest first), with their public events and published summaries
    counted, in one query."""
    from ..summaries.models import Summary, SummaryStatus
    events = (select(Event.forum_id, func.count(Event.id).label("n"))
              .where(Event.status.in_(PUBLIC_STATUSES)).group_by(Event.forum_id).subquery())
    summaries = (select(Event.forum_id, func.count(Summary.event_id).label("n"))
                 .join(Summary, Summary.event_id == Event.id)
                 .where(Summary.status == SummaryStatus.PUBLISHED, Event.status.in_(LISTED_STATUSES))
                 .group_by(Event.forum_id).subquery())
    rows = db.session.execute(
        select(Forum, func.coalesce(events.c.n, 0), func.coalesce(summaries.c.n, 0))
        .outerjoin(events, events.c.forum_id == Forum.id).outerjoin(summaries, summaries.c.forum_id == Forum.id)
        .where(Forum.ends_on < today).order_by(Forum.starts_on.desc(), Forum.name))
    past = [ArchivedForum(forum, n_events, n_summaries) for forum, n_events, n_summaries in rows]
    return [(year, list(items)) for year, items in groupby(past, key=lambda a: a.forum.starts_on.year)]
