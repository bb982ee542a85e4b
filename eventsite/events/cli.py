import click
from flask.cli import with_appcontext

from ..extensions import db


@click.command("send-change-notices")
@with_appcontext
def send_change_notices():
    """Queue the e-mails about published events that moved, once each change has settled."""
    from .changes import send_due_change_notices  # loaded by the command, not by every web worker
    queued = send_due_change_notices()
    db.session.commit()
    click.echo(f"{queued} change notice(s) queued; the job workers send them.")
