"""Command-line entry points: `flask --app wsgi <command>`."""
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from .accounts.cli import create_staff
from .registrations.cli import purge_personal_data, send_reminders
from .summaries.cli import remind_rapporteurs
from .core.mail import deliver_outbox
from .extensions import db


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo forums, events and accounts (safe to run again)."""
    from .demo.loader import load_demo
    accounts = load_demo(current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo("Demo data ready. Sign in with any of these accounts:")
    for role, email, password in accounts:
        click.echo(f"  {role:<13} {email:<34} password: {password}")


@click.command("send-mail")
@click.option("--every", type=click.FloatRange(min=0.5), default=None,
              help="Keep running, sending every SECONDS (the mail worker for MAIL_DELIVERY=outbox).")
@with_appcontext
def send_mail_command(every):
    """Send queued e-mails; run it from a scheduler to retry failed sends, or with --every as a worker."""
    while True:
        sent, failed = deliver_outbox(limit=500)
        if every is None:
            click.echo(f"{sent} sent, {failed} failed.")
            return
        if sent or failed:
            click.echo(f"{sent} sent, {failed} failed.")
        db.session.remove()
        time.sleep(every)


def register_commands(app):
    for command in (create_staff, demo_command, send_mail_command, send_reminders, purge_personal_data,
                    remind_rapporteurs):
        app.cli.add_command(command)
