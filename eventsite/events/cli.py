import click
from flask.cli import with_appcontext

from flask_babel import ngettext

from ..core.languages import in_operator_language
from ..extensions import db


@click.command("send-change-notices")
@with_appcontext
@in_operator_language
def send_change_notices():
    """Queue the e-mails about published events that moved, once each change has settled."""
    from .changes import send_due_change_notices  # loaded by the command, not by every web worker
    queued = send_due_change_notices()
    db.session.commit()
    click.echo(ngettext("%(num)d change notice queued; the job workers send it.",
                        "%(num)d change notices queued; the job workers send them.", queued))
