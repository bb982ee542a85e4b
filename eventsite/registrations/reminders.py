"""Reminders before an event and the retention purge: services that the CLI and the job workers call.

Each reminder is claimed by a conditional UPDATE of reminded_at in the transaction that
queues its e-mail, so two machines running the reminders at once send each one once.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from ..core.time import utcnow
from ..extensions import db
from . import mail, services
from .models import Registration


def send_due_reminders(within: timedelta, now: datetime | None = None) -> int:
    """Queue a reminder to every confirmed participant of an event starting within `within`; returns how many."""
    now = now or utcnow()
    due = [registration.id for registration in services.due_reminders(within, now=now)]
    if not due:
        return 0
    claimed = set(db.session.scalars(
        update(Registration).where(Registration.id.in_(due), Registration.reminded_at.is_(None))
        .values(reminded_at=now).returning(Registration.id)).all())
    registrations = db.session.scalars(db.select(Registration).where(Registration.id.in_(claimed))
                                       .execution_options(populate_existing=True)).all()
    for registration in registrations:
        mail.notify(registration, "reminder")
    db.session.flush()
    return len(registrations)


def send_due_reminders_job() -> None:
    """The periodic job: REMINDER_HOURS ahead."""
    send_due_reminders(timedelta(hours=current_app.config["REMINDER_HOURS"]))


def purge_personal_data_job() -> None:
    """The periodic job: anonymise after PERSONAL_DATA_RETENTION_DAYS (0 leaves the data alone)."""
    days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
    if days > 0:
        services.purge_personal_data(days)
