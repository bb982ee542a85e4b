"""What participants are told, by e-mail, at every step of their registration.

Each message states the event's title, date, time with its timezone, room and venue and
the event link in its body (some mail clients show nothing else). Only a message to a
confirmed participant whose address is proven carries the link to join online and its
passcode; a verification message carries only the verification link, never the manage link.
Messages about a seat carry the event as an .ics file. The services call these, in the
transaction of the change they announce; the worker that sends each renders it, in the
registration's language.
"""
from types import SimpleNamespace

from flask import render_template, url_for
from flask_babel import get_locale, gettext as _

from ..accounts.queries import account_locales
from ..core.mail import queue_template
from ..core.mail_preferences import preferences_url
from ..extensions import db
from ..notifications import queries as shaped
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
# The opening words of each message; a forum's staff may put their own in their place, per language
# (notifications.models.FORUM_TEXT_KINDS). The verification message's stay in its template.
INTROS = {
    "confirmed": lambda: _("Your registration is confirmed. We look forward to seeing you."),
    "waitlisted": lambda: _("The event is full, so you are on the waiting list. If a seat becomes free, it is yours "
                            "in order of registration and we will write to you."),
    "pending": lambda: _("We have received your registration. The organisers will confirm it; you will hear from us."),
    "approved": lambda: _("The organisers approved your registration. Your seat is confirmed."),
    "rejected": lambda: _("We are sorry: the organisers could not accept your registration."),
    "promoted": lambda: _("A seat became free and it is now yours: your registration is confirmed."),
    "reminder": lambda: _("A reminder that you are registered for this event, which is coming up soon."),
    "cancelled": lambda: _("Your registration is cancelled."),
    "manage_link": lambda: _("You asked for the link to your registration."),
}
WITH_CALENDAR = {"confirmed", "approved", "promoted", "reminder"}
# Optional messages, which a person may turn off (core.mail_preferences); the rest answer what they asked.
CATEGORIES = {"reminder": "reminders"}
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
    queue_template(registration.email, "eventsite.registrations.mail:render", params, locale=locale,
                   category=CATEGORIES.get(kind))


def render(registration_id: int, kind: str, verify_token: str | None = None):
    """Subject, body, attachments and HTML body of a queued message, from the registration as it is now;
    None once the registration is erased (nothing is sent to an address that is gone)."""
    from .services import meeting_for  # the services call this module
    registration = db.session.get(Registration, registration_id)
    if registration is None or not registration.email or registration.anonymised_at is not None:
        return None
    event = registration.event
    meeting = meeting_for(registration) if kind in WITH_CALENDAR else None
    subject, text, html = compose(
        event, kind, registration=registration, meeting=meeting,
        manage_link=None if kind == "verify" else url_for("registrations.manage", token=registration.token,
                                                           _external=True),
        verify_link=url_for("registrations.verify", token=verify_token, _external=True) if verify_token else None)
    attachments = []
    if kind in WITH_CALENDAR:
        from ..feeds.calendar import event_ics
        attachments.append((f"{event.slug}.ics", "text/calendar; method=PUBLISH", event_ics(event, meeting=meeting)))
    return subject, text, attachments, html


def compose(event, kind: str, *, registration, meeting=None, manage_link=None, verify_link=None,
            paragraphs: dict[str, str] | None = None, intro: str | None = None) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of one message in the current language: the forum's own opening
    text or the built-in one, then the organisers' paragraph in the recipient's language (or the one
    for every language). Typed words are plain text: the HTML part escapes them, paragraph by paragraph.
    The preview passes the paragraph and opening text being edited, and a sample registration."""
    from ..core.sanitise import paragraphs_to_html
    from markupsafe import Markup
    locale = str(get_locale())
    if intro is None and kind in INTROS:
        intro = shaped.forum_text(event.forum_id, kind, locale)
    if not intro and kind in INTROS:
        intro = INTROS[kind]()
    group = shaped.paragraph_group(kind)
    if paragraphs is None and group:
        paragraphs = shaped.event_paragraphs(event.id, group)
    paragraph = shaped.paragraph_in(paragraphs or {}, locale) if group else ""
    category = CATEGORIES.get(kind)
    values = dict(kind=kind, registration=registration, event=event, meeting=meeting, intro=intro or "",
                  paragraph=paragraph.strip(),
                  event_link=url_for("events.show", slug=event.slug, _external=True),
                  manage_link=manage_link, verify_link=verify_link,
                  preferences_link=preferences_url(registration.email) if category and registration.email else None)
    text = render_template("emails/registration.txt", **values)
    html = render_template("emails/registration.html", **values,
                           intro_html=Markup(paragraphs_to_html(intro or "")),
                           paragraph_html=Markup(paragraphs_to_html(paragraph)))
    return SUBJECTS[kind](event.title), text, html


def preview(event, kind: str, *, sample_name: str, sample_email: str, paragraphs=None, intro=None):
    """The message as a participant would get it, for the organisers' and staff's preview (nothing is stored)."""
    from .services import Meeting
    registration = SimpleNamespace(name=sample_name, email=sample_email)
    meeting = Meeting(event.webcast_url, event.meeting_passcode) if kind in WITH_CALENDAR and event.webcast_url \
        else None
    return compose(event, kind, registration=registration, meeting=meeting,
                   # a sample in place of the participant's private link: the editor's own registrations
                   manage_link=url_for("registrations.mine", _external=True),
                   paragraphs=paragraphs, intro=intro)


def notify_outcome(registration) -> None:
    """The message that matches where a registration with a proven address now stands."""
    kind = OUTCOMES.get(registration.status)
    if kind:
        notify(registration, kind)
