from datetime import timedelta

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from ..core.languages import in_operator_language
from ..extensions import db
from . import services


@click.command("send-reminders")
@click.option("--hours", default=24, show_default=True, help="Remind people of events starting within this many hours.")
@with_appcontext
@in_operator_language
def send_reminders(hours):
    """E-mail a reminder to every confirmed participant of an event that starts soon (once each)."""
    from . import reminders  # loaded by the command, not by every web worker
    count = reminders.send_due_reminders(timedelta(hours=hours))
    db.session.commit()
    click.echo(ngettext("%(num)d reminder queued; the job workers send it.",
                        "%(num)d reminders queued; the job workers send them.", count))


@click.command("purge-personal-data")
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True,
              help="Anonymise registrations of events that ended more than DAYS days ago.")
@with_appcontext
@in_operator_language
def purge_personal_data(days):
    """Remove participants' personal data from past events, keeping anonymous counts."""
    count = services.purge_personal_data(days)
    db.session.commit()
    click.echo(ngettext("%(num)d registration anonymised.", "%(num)d registrations anonymised.", count))


@click.command("expire-unverified-registrations")
@with_appcontext
@in_operator_language
def expire_unverified_registrations():
    """Delete registrations whose e-mailed link was not followed within REGISTRATION_VERIFY_HOURS."""
    count = services.expire_unverified_registrations()
    db.session.commit()
    click.echo(ngettext("%(num)d unverified registration deleted.", "%(num)d unverified registrations deleted.", count))
