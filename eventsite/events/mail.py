"""The e-mails the events domain sends, and who an event's mail goes to, each in their own language.

A person's language is, in order: for a registrant, the language they registered in, then their
account's; for anyone else (a speaker, the team, the event's contact), the language their account
keeps, then the one the invitation or the contact was made in. Whoever triggers the mail (an
organiser, a job, a command) does not change it.
"""
from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Membership, Role, User
from ..accounts.queries import account_locales
from ..core.languages import speaking
from ..core.mail import queue_mail
from ..extensions import db


@dataclass
class Recipient:
    email: str
    name: str = ""
    locale: str | None = None
    manage_link: str | None = None  # a registrant's private link to their registration


def team_recipients(event, *, leave_out: set[int] = frozenset()) -> list[Recipient]:
    """The event's organisers and co-organisers, then its contact address, but for the users in leave_out."""
    found: dict[str, Recipient] = {}
    left_out = set()
    for user in db.session.scalars(select(User).join(Membership).where(
            Membership.event_id == event.id, Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]))
            .order_by(User.id)):
        if user.id in leave_out:
            left_out.add(user.email.lower())
        else:
            found.setdefault(user.email.lower(), Recipient(user.email.lower(), user.name, user.locale))
    contact = (event.contact_email or "").lower()
    if contact and contact not in found and contact not in left_out:
        found[contact] = Recipient(contact, event.contact_name, account_locales([contact]).get(contact)
                                   or event.contact_locale)
    return list(found.values())


def event_recipients(event, *, registration_statuses, speaker_statuses,
                     leave_out: set[int] = frozenset()) -> list[Recipient]:
    """Registrants in registration_statuses, speakers in speaker_statuses and the team, once per address."""
    from ..registrations.models import Registration
    from ..speakers.models import Person, SpeakerAssignment
    found: dict[str, Recipient] = {}
    registrations = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.email.is_not(None),
        Registration.status.in_(list(registration_statuses))).order_by(Registration.id)).all()
    for registration in registrations:
        found.setdefault(registration.email.lower(), Recipient(
            registration.email.lower(), registration.name, registration.locale,
            url_for("registrations.manage", token=registration.token, _external=True)))
    speakers = db.session.execute(select(Person.email, Person.given_name, Person.family_name, Person.honorific,
                                         SpeakerAssignment.locale).join(SpeakerAssignment).where(
        SpeakerAssignment.event_id == event.id, SpeakerAssignment.status.in_(list(speaker_statuses)),
        Person.email.is_not(None)).order_by(Person.id, SpeakerAssignment.id)).all()
    for email, given, family, honorific, locale in speakers:
        name = " ".join(part for part in (honorific, given, family) if part)
        found.setdefault(email.lower(), Recipient(email.lower(), name, None))
        found[email.lower()].locale = found[email.lower()].locale or locale  # unless registered too
    accounts = account_locales(found)
    for recipient in found.values():
        registered = recipient.manage_link is not None
        recipient.locale = (recipient.locale or accounts.get(recipient.email)) if registered \
            else (accounts.get(recipient.email) or recipient.locale)
    for member in team_recipients(event, leave_out=leave_out):
        found.setdefault(member.email, member)
    return list(found.values())


def announce_status_change(event, change) -> None:
    link = url_for("events.show", slug=event.slug, _external=True)
    for recipient in team_recipients(event):
        with speaking(recipient.locale):
            subject = _("“%(title)s” is now %(status)s", title=event.title, status=_(change.to_status.value))
            body = render_template("emails/status_change.txt", event=event, change=change, link=link)
            queue_mail(recipient.email, subject, body)


def announce_removal(event, recipients: list[Recipient], reason: str) -> None:
    """Tell everyone who counted on the event that it will not take place and why it disappeared."""
    forum_link = url_for("forums.programme", slug=event.forum.slug, _external=True) if event.forum \
        else url_for("events.home", _external=True)
    for recipient in recipients:
        with speaking(recipient.locale):
            subject = _("“%(title)s” has been removed from the programme", title=event.title)
            body = render_template("emails/event_removed.txt", event=event, reason=reason, forum_link=forum_link)
            queue_mail(recipient.email, subject, body)
