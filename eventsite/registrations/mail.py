"""What participants are told, by e-mail, at every step of their registration.

Each message states the event's title, date, time with its timezone, room and venue and
the event link in its body (some mail clients show nothing else). Only a message to a
confirmed participant whose address is proven carries the link to join online and its
passcode; a verification message carries only the verification link, never the manage link.
Messages about a seat carry the event as an .ics file. The services call these, in the
transaction of the change they announce; the worker that sends each renders it, in the
registration's language.
"""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..accounts.queries import account_locales
from ..core.mail import queue_template
from ..extensions import db
from .models import Registration, RegistrationStatus

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
    """Queue the message of this kind to the registration's address, in its language; the worker
    that sends it renders it (a request pays for one INSERT, and never loads the calendar library)."""
    if not registration.email:
        return
    # The language registered in; a registration older than that record is written in its account's.
    locale = registration.locale or account_locales([registration.email]).get(registration.email.lower())
    if registration.id is None:
        db.session.flush()
    params = {"registration_id": registration.id, "kind": kind}
    if verify_token:
        params["verify_token"] = verify_token
    queue_template(registration.email, "eventsite.registrations.mail:render", params, locale=locale)


def render(registration_id: int, kind: str, verify_token: str | None = None):
    """Subject, body and attachments of a queued message, from the registration as it is now;
    None once the registration is erased (nothing is sent to an address that is gone)."""
    from .services import meeting_for  # the services call this module
    registration = db.session.get(Registration, registration_id)
    if registration is None or not registration.email or registration.anonymised_at is not None:
        return None
    event = registration.event
    meeting = meeting_for(registration) if kind in WITH_CALENDAR else None
    body = render_template(
        "emails/registration.txt", kind=kind, registration=registration, event=event, meeting=meeting,
        event_link=url_for("events.show", slug=event.slug, _external=True),
        manage_link=None if kind == "verify" else url_for("registrations.manage", token=registration.token,
                                                           _external=True),
        verify_link=url_for("registrations.verify", token=verify_token, _external=True) if verify_token else None)
    attachments = []
    if kind in WITH_CALENDAR:
        from ..feeds.calendar import event_ics
        attachments.append((f"{event.slug}.ics", "text/calendar; method=PUBLISH", event_ics(event, meeting=meeting)))
    return SUBJECTS[kind](event.title), body, attachments


def notify_outcome(registration) -> None:
    """The message that matches where a registration with a proven address now stands."""
    kind = OUTCOMES.get(registration.status)
    if kind:
        notify(registration, kind)
