"""What each public rendering shows, and the one hook that keeps fingerprints and SEQUENCE true.

Every rendering that is cached or fingerprinted (the calendar entries, the event page, a forum's
programme) declares, beside the query that reads it, the tables and columns it reads and how a
row of them leads to the rows that show it: events, or forums. After every flush that inserts,
deletes or changes a declared column, this hook gives the showing rows a new ``updated_at``, so
fingerprints stay one indexed query over the showing rows and no service has to remember to
"touch" anything.

A calendar rendering also names a digest of what each of its entries shows. For events a
subscriber could already see, the hook compares the digest with the stored one and raises the
SEQUENCE of exactly the entries (the event's, and each agenda item's) that now read differently,
once per transaction, which is once per change a person made. Publication stores the first
digest at SEQUENCE 0.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, event as sa_event, inspect, select, update
from sqlalchemy.orm import Session, attributes

from ..core.time import utcnow
from .models import LISTED_STATUSES, Event, Forum


@dataclass(frozen=True)
class Reads:
    """Columns of one table that a rendering shows, and the path from a row to its showing rows."""

    model: type
    columns: tuple[str, ...] | None  # None: the whole row (the rendering loads the ORM object)
    shown_by: type  # Event or Forum
    # The attribute holding the showing row's id ("id" for the row itself), or, for a row that
    # many share (a room, a person), a function of ids giving a SELECT of the showing rows' ids.
    via: str | Callable


# event ids -> {event id: (digest of the event's entry, {agenda item id: digest of its entry})}
Digests = Callable[[set[int]], dict[int, tuple[str, dict[int, str]]]]


@dataclass(frozen=True)
class Rendering:
    name: str
    reads: tuple[Reads, ...]
    digests: Digests | None = None  # calendar renderings: what each entry shows, for SEQUENCE


_renderings: dict[str, Rendering] = {}
_by_model: dict[type, list[tuple[Reads, bool]]] = {}  # model -> (reads, read by a calendar rendering?)


def declare(name: str, reads: list[Reads], *, digests: Digests | None = None) -> Rendering:
    """Register what a rendering reads; declaring a name again replaces it."""
    _renderings[name] = Rendering(name, tuple(reads), digests)
    _by_model.clear()
    for rendering_ in _renderings.values():
        for entry in rendering_.reads:
            _by_model.setdefault(entry.model, []).append((entry, rendering_.digests is not None))
    return _renderings[name]


def declared(name: str) -> Rendering:
    return _renderings[name]


def tables_read() -> set[str]:
    """Every table some declared rendering reads."""
    return {entry.model.__tablename__ for r in _renderings.values() for entry in r.reads}


# ---------------------------------------------------------------- the hook

@dataclass
class _Pending:
    # (showing model, for a calendar rendering?) -> ids of showing rows, and SELECTs of more
    ids: dict[tuple[type, bool], set[int]] = field(default_factory=dict)
    selects: dict[tuple[type, bool], list] = field(default_factory=dict)
    new_events: set[int] = field(default_factory=set)
    new_items: set[int] = field(default_factory=set)
    status_before: dict[int, object] = field(default_factory=dict)

    def add(self, key, ids=(), query=None):
        self.ids.setdefault(key, set()).update(i for i in ids if i is not None)
        if query is not None:
            self.selects.setdefault(key, []).append(query)


def _pending(session) -> _Pending:
    return session.info.setdefault("shown_pending", _Pending())


def _changed(obj, columns) -> bool:
    state = inspect(obj)
    names = columns if columns is not None else [a.key for a in state.mapper.column_attrs]
    return any(attributes.get_history(obj, name, passive=attributes.PASSIVE_NO_INITIALIZE).has_changes()
               for name in names)


def _via_ids(obj, via: str) -> set[int]:
    if via == "id":
        return {obj.id}
    history = attributes.get_history(obj, via, passive=attributes.PASSIVE_NO_INITIALIZE)
    return {*history.added, *history.unchanged, *history.deleted}


def _note(session, obj, pending: _Pending, state: str, *, shared: bool) -> None:
    """Record the showing rows of obj (shared: only the reads that go through a SELECT)."""
    for reads, calendar in _by_model.get(type(obj), ()):
        if callable(reads.via) != shared:
            continue
        if state == "dirty" and not _changed(obj, reads.columns):
            continue
        key = (reads.shown_by, calendar)
        if callable(reads.via):
            if state == "deleted":  # its links to the showing rows may go with it: find them now
                pending.add(key, session.execute(reads.via([obj.id])).scalars())
            else:
                pending.add(key, query=reads.via([obj.id]))
        elif not (reads.via == "id" and state != "dirty"):  # a new row is new anyway
            pending.add(key, _via_ids(obj, reads.via))


@sa_event.listens_for(Session, "before_flush")
def _before_flush(session, context, instances):
    if not _by_model or not session.deleted:
        return
    pending = _pending(session)
    with session.no_autoflush:
        for obj in list(session.deleted):
            _note(session, obj, pending, "deleted", shared=True)


@sa_event.listens_for(Session, "after_flush")
def _after_flush(session, context):
    if not _by_model:
        return
    from ..agenda.models import AgendaItem
    pending = _pending(session)
    for state, (is_delete, list_only) in list(context.states.items()):
        obj = state.obj()
        if obj is None or list_only:
            continue
        if is_delete:
            _note(session, obj, pending, "deleted", shared=False)
            continue
        if obj in session.new:
            if isinstance(obj, Event):
                pending.new_events.add(obj.id)
            elif isinstance(obj, AgendaItem):
                pending.new_items.add(obj.id)
            _note(session, obj, pending, "new", shared=False)
            _note(session, obj, pending, "new", shared=True)
        elif obj in session.dirty:
            if isinstance(obj, Event):
                history = attributes.get_history(obj, "status", passive=attributes.PASSIVE_NO_INITIALIZE)
                if history.deleted:
                    pending.status_before.setdefault(obj.id, history.deleted[0])
            _note(session, obj, pending, "dirty", shared=False)
            _note(session, obj, pending, "dirty", shared=True)


def _resolve(session, pending: _Pending, key) -> set[int]:
    ids = set(pending.ids.get(key, ()))
    for query in pending.selects.get(key, ()):
        ids.update(session.execute(query).scalars())
    return ids


def _expire(session, model, ids, names) -> None:
    mapper = inspect(model)
    for id_ in ids:
        obj = session.identity_map.get(mapper.identity_key_from_primary_key((id_,)))
        if obj is not None:
            session.expire(obj, names)


@sa_event.listens_for(Session, "after_flush_postexec")
def _after_flush_postexec(session, context):
    pending = session.info.pop("shown_pending", None)
    if pending is None or not (pending.ids or pending.selects):
        return
    calendar_events = _resolve(session, pending, (Event, True))
    events = calendar_events | _resolve(session, pending, (Event, False))
    forums = _resolve(session, pending, (Forum, True)) | _resolve(session, pending, (Forum, False))
    now = utcnow()
    if events:
        session.execute(update(Event.__table__).where(Event.__table__.c.id.in_(events)).values(updated_at=now))
        if calendar_events:
            _sequence(session, pending, calendar_events)
        _expire(session, Event, events, ["updated_at", "sequence", "calendar_digest"])
    if forums:
        session.execute(update(Forum.__table__).where(Forum.__table__.c.id.in_(forums)).values(updated_at=now))
        _expire(session, Forum, forums, ["updated_at"])


def _sequence(session, pending: _Pending, events: set[int]) -> None:
    """Raise SEQUENCE for the calendar entries that a subscriber sees differently now."""
    from ..agenda.models import AgendaItem
    digesting = [r for r in _renderings.values() if r.digests]
    if not digesting:
        return
    stored = {id_: (status, digest) for id_, status, digest in session.execute(
        select(Event.id, Event.status, Event.calendar_digest).where(Event.id.in_(events)))}
    seen_before = {i for i, (status, _) in stored.items()
                   if i not in pending.new_events and pending.status_before.get(i, status) in LISTED_STATUSES}
    first_shown = {i for i, (status, _) in stored.items() if status in LISTED_STATUSES} - seen_before
    check = seen_before | first_shown
    if not check:
        return
    done = session.info.setdefault("shown_sequenced", set())
    items_stored = dict(session.execute(select(AgendaItem.id, AgendaItem.calendar_digest)
                                        .where(AgendaItem.event_id.in_(check))).all())
    event_rows, item_rows = [], []
    for rendering_ in digesting:
        for event_id, (digest, item_digests) in rendering_.digests(check).items():
            if digest != stored[event_id][1]:
                raise_ = event_id in seen_before and ("event", event_id) not in done
                event_rows.append({"_id": event_id, "_digest": digest, "_step": int(raise_)})
                if raise_:
                    done.add(("event", event_id))
            for item_id, item_digest in item_digests.items():
                if item_digest != items_stored.get(item_id):
                    raise_ = event_id in seen_before and item_id not in pending.new_items \
                        and ("item", item_id) not in done
                    item_rows.append({"_id": item_id, "_digest": item_digest, "_step": int(raise_)})
                    if raise_:
                        done.add(("item", item_id))
    for model, rows in ((Event, event_rows), (AgendaItem, item_rows)):
        if rows:
            table = model.__table__
            session.connection().execute(
                update(table).where(table.c.id == bindparam("_id"))
                .values(calendar_digest=bindparam("_digest"), sequence=table.c.sequence + bindparam("_step")), rows)
    _expire(session, AgendaItem, [r["_id"] for r in item_rows], ["sequence", "calendar_digest"])


@sa_event.listens_for(Session, "after_commit")
@sa_event.listens_for(Session, "after_rollback")
def _end_of_change(session):
    session.info.pop("shown_sequenced", None)
    session.info.pop("shown_pending", None)
