from datetime import timedelta

import click
from flask.cli import with_appcontext

from ..core.mail import deliver_outbox
from ..core.time import utcnow
from ..extensions import db
from . import mail, services


@click.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind people of events starting within this many hours.")
@with_appcontext
def send_reminders(hours):
    """E-mail a reminder to every confirmed participant of an event that starts soon (once each)."""
    due = services.due_reminders(timedelta(hours=hours))
    for registration in due:
        mail.notify(registration, "reminder")
        registration.reminded_at = utcnow()
    db.session.commit()
    sent, failed = deliver_outbox(limit=5000)
    click.echo(f"{len(due)} reminder(s) queued; {sent} sent, {failed} failed.")


@click.command("purge-personal-data")
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True,
              help="Anonymise registrations of events that ended more than DAYS days ago.")
@with_appcontext
def purge_personal_data(days):
    """Remove participants' personal data from past events, keeping anonymous counts."""
    count = services.purge_personal_data(days)
    db.session.commit()
    click.echo(f"{count} registration(s) anonymised.")
