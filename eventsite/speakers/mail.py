"""The e-mails of the speakers domain: invitations with answer links, and clash warnings.

Only services.py queues them, so every door (page, CLI) applies the same rules first.
"""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..accounts.queries import account_locales
from ..core.languages import speaking
from ..core.mail import queue_mail
from ..core.mail_preferences import preferences_url
from ..events.mail import team_recipients
from .labels import ROLE_LABELS


def queue_invitation(assignment, *, sender, answer_token: str, refuse_token: str) -> None:
    """The invitation, naming who sends it and for which organisers and forum, in the person's language
    (their account's, else the one the invitation is made in)."""
    person, event = assignment.person, assignment.event
    organisers = [o.organisation.name for o in event.shown_organisers]
    with speaking(account_locales([person.email]).get(person.email.lower()), assignment.locale):
        body = render_template(
            "emails/speaker_invitation.txt", assignment=assignment, person=person, event=event, sender=sender,
            organisers=organisers, role_label=ROLE_LABELS[assignment.role],
            link=url_for("speakers.invitation", token=answer_token, _external=True),
            refuse_link=url_for("speakers.refuse_invitations", token=refuse_token, _external=True),
            event_link=url_for("events.show", slug=event.slug, _external=True),
            preferences_link=preferences_url(person.email))
        queue_mail(person.email, _("Invitation to speak: %(title)s", title=event.title), body, category="invitations")


def queue_clash_warnings(clashes) -> None:
    """Tell the other event's organisers that a speaker they count on is now due elsewhere."""
    for clash in clashes:
        link = url_for("speakers.manage", slug=clash.other_event.slug, _external=True)
        for recipient in team_recipients(clash.other_event):
            with speaking(recipient.locale):
                body = render_template("emails/speaker_clash.txt", clash=clash, link=link)
                queue_mail(recipient.email, _("Speaker clash: %(name)s", name=clash.person.full_name), body)
