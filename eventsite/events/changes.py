"""Telling people when a published event moves: its time, room, venue, format or status.

The service that makes a change records it here, keeping the earliest values from before it;
edits within the folding window (CHANGE_NOTICE_WINDOW_MINUTES, 10 by default) fold into one
notice. `send_due_change_notices(now)`, run periodically, then writes one e-mail per person
concerned (confirmed and waitlisted registrants, confirmed speakers, the event's team except
whoever made the change) with the net change, before → after, in the event's timezone and the
reader's own language (events/mail.py), and the updated .ics (same UID, higher SEQUENCE).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..core.dates import day_and_times
from ..core.languages import speaking
from ..core.models import UTCDateTime
from ..core.time import as_utc, to_local, utcnow
from ..extensions import db
from .labels import FORMAT_LABELS
from .models import PUBLIC_STATUSES, Event, Format, Status

DEFAULT_WINDOW_MINUTES = 10


class ChangeNotice(db.Model):
    """Changes to one published event not yet announced, with the values from before the first."""

    __tablename__ = "change_notices"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    first_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    before: Mapped[dict] = mapped_column(JSON)
    # Who made the changes: they know already, so their team copy is left out.
    changed_by: Mapped[list] = mapped_column(JSON, default=list)

    def __repr__(self):
        return f"<ChangeNotice event={self.event_id} since={self.first_changed_at:%H:%M}>"


# ---------------------------------------------------------------- recording

def snapshot(event: Event) -> dict:
    """What a notice announces, as plain values: time, place, format and status."""
    return {"starts_at": as_utc(event.starts_at).isoformat(), "ends_at": as_utc(event.ends_at).isoformat(),
            "timezone": event.timezone, "place": event.place or "", "format": event.format.value,
            "status": event.status.value, "reason": event.status_reason or ""}


def _window() -> timedelta:
    return timedelta(minutes=current_app.config.get("CHANGE_NOTICE_WINDOW_MINUTES", DEFAULT_WINDOW_MINUTES))


def record_change(event: Event, before: dict, *, user=None, notify: bool = True,
                  now: datetime | None = None) -> ChangeNotice | None:
    """After a service changed event: remember what it was, if people must be told."""
    if not notify or Status(before["status"]) not in PUBLIC_STATUSES or _differences(before, snapshot(event)) == []:
        return None
    now = now or utcnow()
    notice = db.session.get(ChangeNotice, event.id)
    if notice is None:
        notice = ChangeNotice(event_id=event.id, first_changed_at=now, last_changed_at=now, before=before,
                              changed_by=[])
        try:
            with db.session.begin_nested():
                db.session.add(notice)
        except IntegrityError:  # another request recorded the first change a moment ago: fold into it
            notice = db.session.get(ChangeNotice, event.id)
    notice.last_changed_at = now
    if user is not None and user.id not in notice.changed_by:
        notice.changed_by = [*notice.changed_by, user.id]
    db.session.flush()
    return notice


# ---------------------------------------------------------------- what changed

@dataclass
class Difference:
    field: str  # "time", "place", "format", "status"
    before: dict
    after: dict


def _differences(before: dict, after: dict) -> list[Difference]:
    found = []
    if (before["starts_at"], before["ends_at"], before["timezone"]) != (after["starts_at"], after["ends_at"],
                                                                       after["timezone"]):
        found.append(Difference("time", before, after))
    for name in ("place", "format", "status"):
        if before[name] != after[name]:
            found.append(Difference(name, before, after))
    return found


def _when(values: dict) -> str:
    start = to_local(datetime.fromisoformat(values["starts_at"]), values["timezone"])
    end = to_local(datetime.fromisoformat(values["ends_at"]), values["timezone"])
    return day_and_times(start, end)


def _format_label(value: str) -> str:
    return str(FORMAT_LABELS[Format(value)])


def describe(difference: Difference) -> tuple[str, str, str]:
    """(label, before, after) in the current locale."""
    b, a = difference.before, difference.after
    if difference.field == "time":
        return _("Time"), _when(b), _when(a)
    if difference.field == "place":
        return _("Room and venue"), b["place"] or _("Online"), a["place"] or _("Online")
    if difference.field == "format":
        return _("Format"), _format_label(b["format"]), _format_label(a["format"])
    status = _(a["status"]) + (f" ({a['reason']})" if a["reason"] and a["status"] == "cancelled" else "")
    return _("Status"), _(b["status"]), status


# ---------------------------------------------------------------- sending

def recipients(event: Event, *, leave_out: set[int] = frozenset()) -> list:
    """Everyone a change to event concerns, once per address, each with their language."""
    from ..registrations.models import RegistrationStatus
    from ..speakers.models import InvitationStatus
    from .mail import event_recipients
    return event_recipients(event, registration_statuses=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
                            speaker_statuses=[InvitationStatus.CONFIRMED], leave_out=leave_out)


def _cancelled(differences: list[Difference]) -> bool:
    return any(d.field == "status" and d.after["status"] == "cancelled" for d in differences)


def _subject(event: Event, differences: list[Difference]) -> str:
    if _cancelled(differences):
        return _("Cancelled: %(title)s", title=event.title)
    return _("Changed: %(title)s", title=event.title)


def send_due_change_notices(now: datetime | None = None) -> int:
    """Queue one e-mail per person for each event whose folding window has passed; returns how many."""
    from ..core.mail import queue_mail
    from ..core.mail_preferences import preferences_url
    from ..feeds.calendar import event_ics
    now = now or utcnow()
    due = db.session.scalars(select(ChangeNotice).where(ChangeNotice.first_changed_at <= now - _window())
                             .order_by(ChangeNotice.first_changed_at)).all()
    queued = 0
    for notice in due:
        event_id, first, before, leave_out = notice.event_id, notice.first_changed_at, notice.before, \
            set(notice.changed_by)
        # Claim it: a second runner finds nothing to delete and sends nothing.
        claimed = db.session.execute(delete(ChangeNotice).where(ChangeNotice.event_id == event_id,
                                                                ChangeNotice.first_changed_at == first))
        if claimed.rowcount != 1:
            continue
        event = db.session.get(Event, event_id)
        differences = _differences(before, snapshot(event)) if event else []
        if not differences:
            continue  # moved back where it was: nothing to say
        link = url_for("events.show", slug=event.slug, _external=True)
        calendars = {}  # one .ics per language: its fixed words are in the reader's
        for recipient in recipients(event, leave_out=leave_out):
            with speaking(recipient.locale):
                language = str(get_locale())
                if language not in calendars:
                    calendars[language] = [(f"{event.slug}.ics", "text/calendar; method=PUBLISH", event_ics(event))]
                # A change is an optional notice; that the event is cancelled is not (the seat is gone).
                category = None if _cancelled(differences) else "changes"
                body = render_template("emails/event_changed.txt", event=event, recipient=recipient, link=link,
                                       changes=[describe(d) for d in differences],
                                       preferences_link=category and preferences_url(recipient.email))
                queue_mail(recipient.email, _subject(event, differences), body, attachments=calendars[language],
                           category=category)
            queued += 1
    db.session.flush()
    return queued
