"""Command-line entry points: `flask --app wsgi <command>`."""
import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from .accounts.cli import create_staff
from .events.cli import send_change_notices
from .registrations.cli import expire_unverified_registrations, purge_personal_data, send_reminders
from .summaries.cli import remind_rapporteurs
from .core.languages import in_operator_language
from .core.mail import deliver_outbox, outbox_counts
from .jobs.cli import jobs_group
from .extensions import db


@click.command("demo")
@with_appcontext
@in_operator_language
def demo_command():
    """Load the demo forums, events and accounts (safe to run again)."""
    from .demo.loader import load_demo
    accounts = load_demo(current_app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    click.echo(_("Demo data ready. Sign in with any of these accounts:"))
    role_width, email_width = (max(len(account[i]) for account in accounts) for i in (0, 1))
    for role, email, password in accounts:
        click.echo(f"  {role:<{role_width}}  {email:<{email_width}}  " + _("password: %(password)s", password=password))


@click.command("send-mail")
@with_appcontext
@in_operator_language
def send_mail_command():
    """Send the e-mails that are due now (job workers do this on their own) and print the outbox counts."""
    delivery = deliver_outbox(limit=5000)
    counts = outbox_counts()
    click.echo(_("%(sent)d sent now, %(failed)d attempt(s) failed. Outbox: %(total)d sent, %(waiting)d waiting, "
                 "%(failures)d failed.", sent=delivery.sent, failed=delivery.failed, total=counts["sent"],
                 waiting=counts["waiting"], failures=counts["failed"]))


def register_commands(app):
    for command in (create_staff, demo_command, send_mail_command, send_reminders, purge_personal_data,
                    remind_rapporteurs, jobs_group, send_change_notices, expire_unverified_registrations):
        app.cli.add_command(command)
