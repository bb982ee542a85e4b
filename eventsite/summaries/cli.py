from datetime import timedelta

import click
from flask.cli import with_appcontext
from flask_babel import ngettext

from ..core.languages import in_operator_language
from ..extensions import db


@click.command("remind-rapporteurs")
@click.option("--days-after", default=2, show_default=True, help="Remind once the event ended this many days ago.")
@with_appcontext
@in_operator_language
def remind_rapporteurs(days_after):
    """E-mail the rapporteurs of events whose summary is due (once per event)."""
    from .reminders import remind_rapporteurs as remind  # loaded by the command, not by every web worker
    count = remind(timedelta(days=days_after))
    db.session.commit()
    click.echo(ngettext("%(num)d reminder queued; the job workers send it.",
                        "%(num)d reminders queued; the job workers send them.", count))
