"""A forum's (and an event's) shape as charts with their tables.

`forum_figures` counts everything once per change (kept per worker under the dashboard's
fingerprint); `forum_charts` names the figures in the reader's language. The speakers' figures
are the balance statistics of speakers.balance, the same as on the forum's speakers page.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..core.cache import LruCache
from ..core.charts import Chart, Series
from ..core.dates import day_text, short_day
from ..core.regions import REGION_LABELS, regional_group
from ..core.sdgs import sdg_name, sdg_short
from ..core.time import to_local, utcnow
from ..events.labels import ORGANISATION_KIND_LABELS, STATUS_LABELS
from ..events.models import Event, Forum, OrganisationKind, Status
from ..speakers.balance import UNKNOWN, Balance, event_balance, forum_balance
from ..speakers.labels import GENDER_LABELS
from . import queries

# A room's day, for "booked against available": 09:00 to 18:00 in the forum's timezone.
ROOM_HOURS_PER_DAY = 9
MAX_COLUMNS = 30  # longer periods are summed into weeks or more per column
FULLEST_SHOWN = 25


@dataclass
class Table:
    """A table of its own (events named, not counted): a header and rows, downloadable as CSV."""
    key: str
    title: str
    header: list[str]
    rows: list[list]
    links: list[str | None] = field(default_factory=list)  # an address for each row's first cell
    notes: list[str] = field(default_factory=list)


@dataclass
class Figures:
    """Every count the dashboard shows, independent of the reader's language."""
    today: date
    pipeline: list[tuple[date, dict[str, int]]]
    sdgs: dict[int, int]
    lead_kinds: Counter
    lead_regions: Counter
    balance: Balance
    rooms: list[tuple[date, float, float]]  # day, booked hours, available hours
    registrations: list[tuple[date, date, int]]  # first day, last day, registrations received
    fullness: list[tuple[int, str, str, int | None, int, int]]  # id, title, slug, capacity, confirmed, waitlisted
    summaries: list[tuple[int, str, str, datetime, str | None]]
    summary_due_days: int


_cache = LruCache(16, max_age=300)
sections_cache = LruCache(32, max_age=300)  # the figures named in one language, with their SVG (views.py)


def _buckets(days: list[date]) -> int:
    return max(1, -(-len(days) // MAX_COLUMNS))


def _pipeline(forum_id: int, today: date) -> list[tuple[date, dict[str, int]]]:
    """How many of the forum's events stood in each status at the end of each day (or week), walked
    back from today's counts through the status changes."""
    changes = queries.status_changes_by_day(forum_id)
    state = Counter(queries.status_counts(forum_id))
    if not changes:
        return [(today, dict(state))]
    first = changes[0][0]
    last = max(today, changes[-1][0])
    by_day: dict[date, list] = {}
    for day, before, after, n in changes:
        by_day.setdefault(day, []).append((before, after, n))
    snapshots = []
    day = last
    while day >= first:
        snapshots.append((day, dict(state)))
        for before, after, n in by_day.get(day, ()):
            state[after] -= n
            if before:
                state[before] += n
        day -= timedelta(days=1)
    snapshots.reverse()
    step = _buckets([d for d, _ in snapshots])
    return snapshots[len(snapshots) - 1::-step][::-1]  # always ending today


def _room_use(forum: Forum) -> list[tuple[date, float, float]]:
    days = [forum.starts_on + timedelta(days=n) for n in range((forum.ends_on - forum.starts_on).days + 1)]
    booked = Counter()
    for _room, start, end in queries.room_bookings(forum.id):
        booked[to_local(start, forum.timezone).date()] += (end - start).total_seconds() / 3600
    available = len(forum.rooms) * ROOM_HOURS_PER_DAY
    return [(day, round(booked[day], 2), available) for day in days]


def _by_period(counts: dict[date, int]) -> list[tuple[date, date, int]]:
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    step = _buckets(days)
    return [(days[i], days[min(i + step, len(days)) - 1], sum(counts.get(d, 0) for d in days[i:i + step]))
            for i in range(0, len(days), step)]


def _fullness(condition) -> list[tuple[int, str, str, int | None, int, int]]:
    return [(i, title, slug, capacity or room_capacity, confirmed, waiting)
            for i, title, slug, capacity, room_capacity, confirmed, waiting in queries.fullness(condition)]


def forum_figures(forum: Forum, *, summary_due_days: int, now: datetime | None = None) -> Figures:
    """The forum's figures, counted again only when its fingerprint changes."""
    now = now or utcnow()
    key = ("forum", forum.id, queries.fingerprint(forum.id), now.date(), summary_due_days)
    figures = _cache.get(key)
    if figures is None:
        kinds, regions = Counter(), Counter()
        for kind, country, n in queries.events_by_lead(forum.id):
            kinds[kind] += n
            regions[regional_group(country) or UNKNOWN] += n
        figures = Figures(
            today=now.date(), pipeline=_pipeline(forum.id, now.date()), sdgs=queries.events_by_sdg(forum.id),
            lead_kinds=kinds, lead_regions=regions, balance=forum_balance(forum), rooms=_room_use(forum),
            registrations=_by_period(queries.registrations_by_day(queries.public_events_of_forum(forum.id))),
            fullness=_fullness(queries.public_events_of_forum(forum.id)),
            summaries=queries.summaries(queries.forum_events(forum.id), now), summary_due_days=summary_due_days)
        _cache.put(key, figures)
    return figures


def fingerprint(forum: Forum, now: datetime | None = None) -> tuple:
    return (queries.fingerprint(forum.id), (now or utcnow()).date())


# ---------------------------------------------------------------- naming the figures

def number(value) -> str:
    return format_decimal(value)


def _share(part: float, whole: float) -> str:
    return format_percent(part / whole) if whole else "—"


def _period(first: date, last: date) -> str:
    return short_day(first) if first == last else f"{short_day(first)}–{short_day(last)}"


STATUS_ORDER = [Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.REJECTED, Status.PUBLISHED, Status.HELD,
                Status.CANCELLED]


def _pipeline_chart(figures: Figures) -> Chart:
    statuses = [s for s in STATUS_ORDER if any(counts.get(s.value) for _, counts in figures.pipeline)]
    last = figures.pipeline[-1][1] if figures.pipeline else {}
    now_text = ", ".join(f"{STATUS_LABELS[s]} {number(last.get(s.value, 0))}" for s in statuses)
    return Chart("pipeline", _("Proposals by status over time"),
                 _("How many of the forum's proposals stood in each status at the end of each day shown. "
                   "Today: %(counts)s.", counts=now_text or _("none")),
                 _("Day"), [short_day(d) for d, _counts in figures.pipeline],
                 [Series(str(STATUS_LABELS[s]).capitalize(), [counts.get(s.value, 0) for _, counts in figures.pipeline])
                  for s in statuses], kind="columns", stacked=True)


def _counted(key: str, title: str, label: str, pairs: list[tuple[str, int]], description: str) -> Chart:
    return Chart(key, title, description, label, [name for name, _n in pairs],
                 [Series(_("Events") if key.startswith("events") else _("Speakers"), [n for _name, n in pairs])])


def _top(pairs: list[tuple[str, int]]) -> str:
    ranked = sorted(pairs, key=lambda p: -p[1])[:3]
    return ", ".join(f"{name} ({number(n)})" for name, n in ranked if n) or _("none")


def _label(labels: dict, key: str) -> str:
    return str(labels.get(key, _("Not given"))) if key != UNKNOWN else _("Not given")


def _balance_charts(balance: Balance, prefix: str) -> list[Chart]:
    south_labels = {"developing": _("Developing (Global South)"), "developed": _("Developed")}
    kind_labels = {k.value: v for k, v in ORGANISATION_KIND_LABELS.items()}
    gender_labels = {k.value: v for k, v in GENDER_LABELS.items()}
    specs = [
        ("gender", _("Speakers by gender"), _("Gender"), balance.gender, gender_labels),
        ("region", _("Speakers by UN regional group"), _("UN regional group"), balance.region,
         {k: v for k, v in REGION_LABELS.items()}),
        ("south", _("Speakers from developing and developed countries"), _("Developing / developed"),
         balance.south, south_labels),
        ("stakeholder", _("Speakers by stakeholder type"), _("Stakeholder type"), balance.stakeholder, kind_labels),
    ]
    charts = []
    for key, title, label, counter, labels in specs:
        pairs = [(_label(labels, k), n) for k, n in counter.most_common()]
        description = _("%(title)s, %(total)s in all. Most: %(top)s.", title=title, total=number(balance.speakers),
                        top=_top(pairs))
        if key == "south" and balance.global_south_share is not None:
            description += " " + _("%(n)s%% from developing countries (Global South).", n=balance.global_south_share)
        charts.append(_counted(f"{prefix}{key}", title, label, pairs, description))
    return charts


def _panels_table(balance: Balance, with_events: bool) -> Table:
    gender_labels = {k: v for k, v in GENDER_LABELS.items()}
    header = ([_("Event")] if with_events else []) + [_("Panel"), _("Gender"), _("Speakers")]
    rows = [([p.event_title] if with_events else []) + [p.panel or _("the panel"), str(gender_labels[p.gender]), p.size]
            for p in balance.single_gender_panels]
    return Table("panels", _("Panels whose speakers are all of one gender"), header, rows)


def _registrations_chart(periods, key="registrations") -> Chart:
    total = sum(n for *_days, n in periods)
    busiest = max(periods, key=lambda p: p[2]) if periods else None
    description = _("Registrations received by day: %(total)s in all.", total=number(total))
    if busiest and busiest[2]:
        description += " " + _("The most on %(day)s (%(n)s).", day=_period(busiest[0], busiest[1]), n=number(busiest[2]))
    return Chart(key, _("Registrations by day"), description, _("Day"),
                 [_period(first, last) for first, last, _n in periods],
                 [Series(_("Registrations"), [n for *_days, n in periods])], kind="columns",
                 notes=[_("Days in UTC; a registration counts once its e-mail address is confirmed.")])


FULLNESS_BANDS = ("no_capacity", "under_half", "half", "three_quarters", "full", "waitlist")


def _band(capacity, confirmed, waiting) -> str:
    if waiting:
        return "waitlist"
    if not capacity:
        return "no_capacity"
    share = confirmed / capacity
    return "full" if share >= 1 else "three_quarters" if share >= .75 else "half" if share >= .5 else "under_half"


def _fullness_chart(fullness) -> Chart:
    labels = {"no_capacity": _("No capacity set"), "under_half": _("Under half full"),
              "half": _("Half to three-quarters full"), "three_quarters": _("Three-quarters full or more"),
              "full": _("Full"), "waitlist": _("Full, with a waiting list")}
    bands = Counter(_band(capacity, confirmed, waiting) for *_id, capacity, confirmed, waiting in fullness)
    pairs = [(str(labels[b]), bands[b]) for b in FULLNESS_BANDS]
    return Chart("fullness", _("How full the events are"),
                 _("The forum's public events by their confirmed registrations against their capacity: %(counts)s.",
                   counts=", ".join(f"{name} {number(n)}" for name, n in pairs)),
                 _("How full"), [name for name, _n in pairs], [Series(_("Events"), [n for _name, n in pairs])])


def _fullness_table(fullness, limit: int | None) -> Table:
    def fill(row):
        return (row[4] + row[5]) / row[3] if row[3] else -1
    rows = sorted(fullness, key=fill, reverse=True)
    shown = rows[:limit] if limit else rows
    notes = [_("The %(n)s fullest of %(total)s events; the CSV has every one.", n=len(shown), total=len(rows))] \
        if limit and len(rows) > limit else []
    return Table("events-fullness", _("Registrations per event"),
                 [_("Event"), _("Confirmed"), _("Waiting list"), _("Capacity"), _("Confirmed / capacity")],
                 [[title, confirmed, waiting, capacity if capacity else "", _share(confirmed, capacity or 0)]
                  for _id, title, _slug, capacity, confirmed, waiting in shown],
                 links=[slug for _id, _title, slug, *_rest in shown], notes=notes)


def _summary_charts(figures: Figures, now: datetime) -> tuple[Chart, Table]:
    labels = {None: _("Not started"), "draft": _("Being written"), "submitted": _("Submitted"),
              "approved": _("Approved"), "published": _("Published")}
    counts = Counter(status for *_rest, status in figures.summaries)
    pairs = [(str(labels[k]), counts[k]) for k in (None, "draft", "submitted", "approved", "published")]
    due = len(figures.summaries)
    chart = Chart("summaries", _("Summaries of events that have ended"),
                  _("%(due)s events have ended and owe a summary: %(counts)s.", due=number(due),
                    counts=", ".join(f"{name} {number(n)}" for name, n in pairs)),
                  _("Summary"), [name for name, _n in pairs], [Series(_("Events"), [n for _name, n in pairs])])
    late_after = timedelta(days=figures.summary_due_days)
    overdue = [(title, slug, ends_at) for _id, title, slug, ends_at, status in figures.summaries
               if status in (None, "draft") and ends_at <= now - late_after]
    table = Table("overdue", _("Overdue summaries"), [_("Event"), _("Ended"), _("Days late")],
                  [[title, day_text(ends_at.date(), weekday=False), (now - late_after - ends_at).days]
                   for title, _slug, ends_at in overdue], links=[slug for _t, slug, _e in overdue],
                  notes=[_("A summary is due %(n)s days after its event ends.", n=figures.summary_due_days)])
    return chart, table


def forum_dashboard(forum: Forum, figures: Figures, now: datetime | None = None, *,
                    full_tables: bool = False) -> list[tuple[str, list]]:
    """The dashboard's sections, each a heading and its charts and tables, in the reader's language
    (full_tables: every event in the table of registrations per event, for its CSV)."""
    now = now or utcnow()
    sdg_pairs = [(f"{sdg_short(n)} · {sdg_name(n)}", figures.sdgs.get(n, 0)) for n in range(1, 18)]
    kind_pairs = [(str(ORGANISATION_KIND_LABELS[k]), figures.lead_kinds.get(k.value, 0)) for k in OrganisationKind]
    region_pairs = [(str(REGION_LABELS[k]), n) for k, n in figures.lead_regions.most_common()]
    events = [
        _counted("events-sdg", _("Events by SDG"), _("SDG"), sdg_pairs,
                 _("How many of the forum's live events address each goal (an event may address several). Most: "
                   "%(top)s.", top=_top(sdg_pairs))),
        _counted("events-kind", _("Events by lead organiser's type"), _("Organisation type"), kind_pairs,
                 _("The forum's live events by the type of their lead organiser. Most: %(top)s.", top=_top(kind_pairs))),
        _counted("events-region", _("Events by lead organiser's UN regional group"), _("UN regional group"),
                 region_pairs, _("The forum's live events by the regional group of their lead organiser's country. "
                                 "Most: %(top)s.", top=_top(region_pairs))),
    ]
    rooms = Chart("rooms", _("Room use by day"),
                  _("Hours booked in the forum's rooms each day against the hours they are open: %(days)s.",
                    days="; ".join(f"{short_day(d)} {number(b)} / {number(a)}" for d, b, a in figures.rooms)),
                  _("Day"), [short_day(d) for d, _b, _a in figures.rooms],
                  [Series(_("Hours booked"), [b for _d, b, _a in figures.rooms]),
                   Series(_("Hours available"), [a for _d, _b, a in figures.rooms])], kind="columns",
                  notes=[_("Each room counts %(n)s hours a day (09:00–18:00); proposals not yet published count "
                           "as they hold their room.", n=ROOM_HOURS_PER_DAY)])
    summary_chart, overdue = _summary_charts(figures, now)
    return [
        (_("Proposals"), [_pipeline_chart(figures)]),
        (_("Programme"), events),
        (_("Speakers"), [*_balance_charts(figures.balance, "speakers-"), _panels_table(figures.balance, True)]),
        (_("Rooms"), [rooms]),
        (_("Registrations"), [_registrations_chart(figures.registrations), _fullness_chart(figures.fullness),
                              _fullness_table(figures.fullness, None if full_tables else FULLEST_SHOWN)]),
        (_("Summaries"), [summary_chart, overdue]),
    ]


def event_dashboard(event: Event) -> list[tuple[str, list]]:
    """The event's own: its registrations by day and against capacity, and its speakers' balance."""
    condition = queries.one_event(event.id)
    fullness = _fullness(condition)
    _id, _title, _slug, capacity, confirmed, waiting = fullness[0]
    seats = Chart("seats", _("Registrations against capacity"),
                  _("%(confirmed)s confirmed and %(waiting)s on the waiting list, for %(capacity)s places.",
                    confirmed=number(confirmed), waiting=number(waiting),
                    capacity=number(capacity) if capacity else _("unlimited")),
                  _("Registrations"), [_("Confirmed"), _("Waiting list"), _("Capacity")],
                  [Series(_("Registrations"), [confirmed, waiting, capacity or 0])])
    balance = event_balance(event)
    return [
        (_("Registrations"), [_registrations_chart(_by_period(queries.registrations_by_day(condition))), seats]),
        (_("Speakers"), [*_balance_charts(balance, "speakers-"), _panels_table(balance, False)]),
    ]


def table_rows(item) -> list[list]:
    """The rows of a chart's table or of a table."""
    return item.rows() if callable(item.rows) else item.rows


def find(sections: list[tuple[str, list]], key: str):
    """The chart or table of that key, or None."""
    return next((item for _heading, items in sections for item in items if item.key == key), None)
