"""Reminding rapporteurs that a summary is due: a service the CLI and the job workers call.

An event is claimed by a conditional UPDATE of its summary's reminded_at (or by inserting
its summary row, which the primary key makes unique), so two machines remind once.
"""
from datetime import datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Membership, Role, User
from ..core.languages import speaking
from ..core.mail import queue_mail
from ..core.time import utcnow
from ..events.models import Event, Status
from ..extensions import db
from .models import Summary, SummaryStatus


def summaries_due(after: timedelta, now=None) -> list[Event]:
    """Held events that ended at least `after` ago whose summary is not yet submitted nor reminded."""
    now = now or utcnow()
    settled = select(Summary.event_id).where((Summary.status != SummaryStatus.DRAFT) | Summary.reminded_at.is_not(None))
    return list(db.session.scalars(select(Event).where(
        Event.status.in_([Status.HELD, Status.PUBLISHED]), Event.ends_at <= now - after, Event.id.not_in(settled))
        .order_by(Event.id)))


def _claim(event: Event, now: datetime) -> bool:
    """Mark the event's summary as reminded; False when another run already did."""
    claimed = db.session.execute(update(Summary).where(Summary.event_id == event.id, Summary.reminded_at.is_(None))
                                 .values(reminded_at=now)).rowcount
    if claimed:
        return True
    if db.session.get(Summary, event.id) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(Summary(event_id=event.id, template_key=event.forum.summary_template if event.forum
                                   else "sti-side-event", reminded_at=now, revision=0, header={}, sections={}))
    except IntegrityError:  # another run inserted it first
        return False
    return True


def remind_rapporteurs(after: timedelta, now: datetime | None = None) -> int:
    """Queue a reminder, in each rapporteur's language, for every event whose summary is due; returns how many."""
    now = now or utcnow()
    count = 0
    for event in summaries_due(after, now=now):
        rapporteurs = db.session.execute(select(User.email, User.locale).join(Membership).where(
            Membership.event_id == event.id, Membership.role == Role.RAPPORTEUR)).all()
        if not rapporteurs or not _claim(event, now):
            continue
        link = url_for("summaries.edit", slug=event.slug, _external=True)
        for email, locale in rapporteurs:
            with speaking(locale):
                queue_mail(email, _("Summary due: %(title)s", title=event.title),
                           render_template("emails/summary_due.txt", event=event, link=link))
            count += 1
    db.session.flush()
    return count


def remind_rapporteurs_job() -> None:
    """The periodic job: RAPPORTEUR_REMINDER_DAYS after the event."""
    remind_rapporteurs(timedelta(days=current_app.config["RAPPORTEUR_REMINDER_DAYS"]))
