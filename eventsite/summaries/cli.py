from datetime import timedelta

import click
from flask import render_template, url_for
from flask.cli import with_appcontext
from sqlalchemy import select

from ..accounts.models import Membership, Role, User
from ..core.mail import deliver_outbox, queue_mail
from ..core.time import utcnow
from ..events.models import Event, Status
from ..extensions import db
from .models import Summary, SummaryStatus


def summaries_due(after: timedelta, now=None) -> list[Event]:
    """Held events that ended at least `after` ago whose summary is not yet submitted."""
    now = now or utcnow()
    submitted = select(Summary.event_id).where(Summary.status != SummaryStatus.DRAFT)
    return list(db.session.scalars(select(Event).where(
        Event.status.in_([Status.HELD, Status.PUBLISHED]), Event.ends_at <= now - after, Event.id.not_in(submitted))))


@click.command("remind-rapporteurs")
@click.option("--days-after", default=2, show_default=True, help="Remind once the event ended this many days ago.")
@with_appcontext
def remind_rapporteurs(days_after):
    """E-mail the rapporteurs of events whose summary is due (once per event)."""
    count = 0
    for event in summaries_due(timedelta(days=days_after)):
        summary = event.summary
        if summary is not None and summary.reminded_at is not None:
            continue
        link = url_for("summaries.edit", slug=event.slug, _external=True)
        emails = db.session.scalars(select(User.email).join(Membership).where(
            Membership.event_id == event.id, Membership.role == Role.RAPPORTEUR)).all()
        for email in emails:
            queue_mail(email, f"Summary due: {event.title}",
                       render_template("emails/summary_due.txt", event=event, link=link))
            count += 1
        if summary is not None:
            summary.reminded_at = utcnow()
        elif emails:
            db.session.add(Summary(event=event, template_key=event.forum.summary_template if event.forum
                                   else "sti-side-event", reminded_at=utcnow(), revision=0, header={}, sections={}))
    db.session.commit()
    sent, failed = deliver_outbox(limit=5000)
    click.echo(f"{count} reminder(s) queued; {sent} sent, {failed} failed.")
