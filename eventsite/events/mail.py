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
