"""What participants are told, by e-mail, at every step of their registration.

Each message states the event's title, date, time with its timezone, room and venue and
the event link in its body (some mail clients show nothing else), with the private manage
link; messages about a seat carry the event as an .ics file.
"""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..core.mail import queue_mail
from ..feeds.calendar import event_ics
from .models import RegistrationStatus

SUBJECTS = {
    "confirmed": lambda title: _("Registration confirmed: %(title)s", title=title),
    "waitlisted": lambda title: _("On the waiting list: %(title)s", title=title),
    "pending": lambda title: _("Registration received, awaiting approval: %(title)s", title=title),
    "approved": lambda title: _("Registration approved: %(title)s", title=title),
    "rejected": lambda title: _("Registration not accepted: %(title)s", title=title),
    "promoted": lambda title: _("A seat is yours: %(title)s", title=title),
    "reminder": lambda title: _("Reminder: %(title)s", title=title),
    "verify": lambda title: _("Confirm your e-mail address to register: %(title)s", title=title),
    "cancelled": lambda title: _("Registration cancelled: %(title)s", title=title),
    "manage_link": lambda title: _("Your registration: %(title)s", title=title),
}
WITH_CALENDAR = {"confirmed", "approved", "promoted", "reminder"}


def notify(registration, kind: str) -> None:
    if not registration.email:
        return
    event = registration.event
    body = render_template(
        "emails/registration.txt", kind=kind, registration=registration, event=event,
        event_link=url_for("events.show", slug=event.slug, _external=True),
        manage_link=url_for("registrations.manage", token=registration.token, _external=True),
        verify_link=url_for("registrations.verify", token=registration.token, _external=True))
    attachments = [(f"{event.slug}.ics", "text/calendar; method=PUBLISH", event_ics(event))] \
        if kind in WITH_CALENDAR else []
    queue_mail(registration.email, SUBJECTS[kind](event.title), body, attachments=attachments)


def notify_outcome(registration) -> None:
    """The message that matches where a new registration stands."""
    kind = {RegistrationStatus.CONFIRMED: "confirmed", RegistrationStatus.WAITLISTED: "waitlisted",
            RegistrationStatus.PENDING: "pending", RegistrationStatus.UNVERIFIED: "verify"}.get(registration.status)
    if kind:
        notify(registration, kind)
