"""What participants are told, by e-mail, at every step of their registration.

Each message states the event's title, date, time with its timezone, room and venue and
the event link in its body (some mail clients show nothing else). Only a message to a
confirmed participant whose address is proven carries the link to join online and its
passcode; a verification message carries only the verification link, never the manage link.
Messages about a seat carry the event as an .ics file. The services call these, in the
transaction of the change they announce; each is written in the registration's language.
"""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..accounts.queries import account_locales
from ..core.languages import speaking
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
OUTCOMES = {RegistrationStatus.CONFIRMED: "confirmed", RegistrationStatus.WAITLISTED: "waitlisted",
            RegistrationStatus.PENDING: "pending"}


def notify(registration, kind: str, *, verify_token: str | None = None) -> None:
    """Queue the message of this kind to the registration's address, in its language."""
    if not registration.email:
        return
    from .services import meeting_for  # the services call this module
    # The language registered in; a registration older than that record is written in its account's.
    locale = registration.locale or account_locales([registration.email]).get(registration.email.lower())
    with speaking(locale):
        event = registration.event
        meeting = meeting_for(registration) if kind in WITH_CALENDAR else None
        body = render_template(
            "emails/registration.txt", kind=kind, registration=registration, event=event, meeting=meeting,
            event_link=url_for("events.show", slug=event.slug, _external=True),
            manage_link=None if kind == "verify" else url_for("registrations.manage", token=registration.token,
                                                               _external=True),
            verify_link=url_for("registrations.verify", token=verify_token, _external=True) if verify_token else None)
        attachments = [(f"{event.slug}.ics", "text/calendar; method=PUBLISH",
                        event_ics(event, meeting=meeting))] if kind in WITH_CALENDAR else []
        queue_mail(registration.email, SUBJECTS[kind](event.title), body, attachments=attachments)


def notify_outcome(registration) -> None:
    """The message that matches where a registration with a proven address now stands."""
    kind = OUTCOMES.get(registration.status)
    if kind:
        notify(registration, kind)
