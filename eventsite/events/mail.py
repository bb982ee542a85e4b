"""The e-mails the events domain sends."""
from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Membership, Role, User
from ..core.mail import queue_mail
from ..extensions import db


def event_team_addresses(event) -> list[str]:
    emails = set(db.session.scalars(
        select(User.email).join(Membership).where(Membership.event_id == event.id,
                                                  Membership.role.in_([Role.ORGANISER, Role.CO_ORGANISER]))))
    if event.contact_email:
        emails.add(event.contact_email.lower())
    return sorted(emails)


def announce_status_change(event, change) -> None:
    link = url_for("events.show", slug=event.slug, _external=True)
    subject = _("“%(title)s” is now %(status)s", title=event.title, status=_(change.to_status.value))
    body = render_template("emails/status_change.txt", event=event, change=change, link=link)
    for address in event_team_addresses(event):
        queue_mail(address, subject, body)


def announce_removal(event, addresses: list[str], reason: str) -> None:
    """Tell everyone who counted on the event that it will not take place and why it disappeared."""
    subject = _("“%(title)s” has been removed from the programme", title=event.title)
    body = render_template("emails/event_removed.txt", event=event, reason=reason,
                           forum_link=url_for("forums.programme", slug=event.forum.slug, _external=True)
                           if event.forum else url_for("events.home", _external=True))
    for address in addresses:
        queue_mail(address, subject, body)
