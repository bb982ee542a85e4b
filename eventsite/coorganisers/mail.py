"""The e-mails of co-organisers' confirmation, each in its reader's language: a focal point's is the
one their request was made in (then the one they answered in), the team's their accounts'."""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..accounts.queries import account_locales
from ..core.languages import speaking
from ..core.mail import queue_mail
from ..events.mail import team_recipients


def _focal_locale(email: str, locale: str | None) -> str | None:
    return account_locales([email]).get(email.lower()) or locale


def queue_request(link, *, sender, token: str) -> None:
    """Ask the focal point to confirm or decline, with the signed link to the page that records it."""
    event = link.event
    lead = event.organisers[0].organisation.name if event.organisers else ""
    with speaking(_focal_locale(link.focal_email, link.focal_locale)):
        body = render_template("emails/co_organiser_request.txt", link=link, event=event, sender=sender, lead=lead,
                               answer_link=url_for("coorganisers.answer", token=token, _external=True),
                               event_link=url_for("events.show", slug=event.slug, _external=True))
        queue_mail(link.focal_email, _("Please confirm: %(organisation)s co-organises “%(title)s”",
                                       organisation=link.organisation.name, title=event.title), body)


def queue_answer(link) -> None:
    """Tell the event's team what the focal point answered."""
    event = link.event
    manage = url_for("coorganisers.manage", slug=event.slug, _external=True)
    for recipient in team_recipients(event):
        with speaking(recipient.locale):
            confirmed = link.confirmation.value == "confirmed"
            subject = (_("%(organisation)s confirmed co-organising “%(title)s”", organisation=link.organisation.name,
                         title=event.title) if confirmed else
                       _("%(organisation)s declined co-organising “%(title)s”", organisation=link.organisation.name,
                         title=event.title))
            body = render_template("emails/co_organiser_answer.txt", link=link, event=event, confirmed=confirmed,
                                   manage=manage)
            queue_mail(recipient.email, subject, body)


def queue_withdrawn(event, gone: dict) -> None:
    """Tell a focal point that their organisation is no longer listed, so their link leads nowhere."""
    with speaking(_focal_locale(gone["focal_email"], gone["focal_locale"])):
        body = render_template("emails/co_organiser_withdrawn.txt", gone=gone, event=event)
        queue_mail(gone["focal_email"], _("%(organisation)s is no longer listed for “%(title)s”",
                                          organisation=gone["organisation"], title=event.title), body)
