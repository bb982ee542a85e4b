"""The e-mails of the speakers domain: invitations with answer links, and clash warnings."""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..core.mail import queue_mail
from ..events.mail import event_team_addresses
from .forms import ROLE_LABELS
from .services import invitation_token


def send_invitation(assignment) -> bool:
    """Queue the invitation; False when the person has no e-mail address to send it to."""
    person, event = assignment.person, assignment.event
    if not person.email:
        return False
    link = url_for("speakers.invitation", token=invitation_token(assignment), _external=True)
    body = render_template("emails/speaker_invitation.txt", assignment=assignment, person=person, event=event,
                           link=link, role_label=ROLE_LABELS[assignment.role], event_link=url_for("events.show", slug=event.slug, _external=True))
    queue_mail(person.email, _("Invitation to speak: %(title)s", title=event.title), body)
    return True


def warn_of_clashes(clashes) -> None:
    """Tell the other event's organisers that a speaker they count on is now due elsewhere."""
    for clash in clashes:
        body = render_template("emails/speaker_clash.txt", clash=clash,
                               link=url_for("speakers.manage", slug=clash.other_event.slug, _external=True))
        for address in event_team_addresses(clash.other_event):
            queue_mail(address, _("Speaker clash: %(name)s", name=clash.person.full_name), body)
