"""Co-organising organisations confirm that they take part, through their focal point's signed link.

The link is signed (itsdangerous, as speakers' invitations are) and names the organiser row and
its nonce: a new focal point gets a new nonce, so the previous person's link stops working; a
co-organiser taken off the list takes its row, and its link, with it. Opening the link answers
nothing (mail scanners open links): the page has the buttons. The lead organisation (the first)
needs no confirmation.
"""
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .. import authz
from ..activity.services import record
from ..core.dates import day_and_time
from ..core.time import to_local, utcnow
from ..errors import DomainError, NotAllowed
from ..events.models import Confirmation, Event, EventOrganiser
from ..extensions import db
from . import mail

SALT = "co-organiser-confirmation"
# A second copy within this time is refused: a double click or an impatient organiser sends one.
RESEND_PAUSE = timedelta(minutes=2)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def confirmation_token(link: EventOrganiser) -> str:
    return _serializer().dumps({"o": link.id, "n": link.link_nonce})


def link_for_token(token: str) -> EventOrganiser:
    """The co-organiser a link answers for; a tampered, expired, replaced or withdrawn link is refused."""
    max_age = current_app.config.get("CO_ORGANISER_LINK_MAX_AGE", 90 * 24 * 3600)
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(_("This link has expired. Ask the event's organisers to send it again.")) from None
    except BadSignature:
        raise DomainError(_("This link is not valid. Check that the whole link was copied.")) from None
    link = db.session.get(EventOrganiser, data.get("o")) if isinstance(data, dict) else None
    if link is None or link.position == 0:
        raise DomainError(_("The organisers no longer list this organisation as a co-organiser of the event."))
    if not link.link_nonce or link.link_nonce != data.get("n"):
        raise DomainError(_("This link no longer works: the organisers named another focal point for %(name)s, "
                            "who received a link of their own.", name=link.organisation.name))
    return link


def _check_may_manage(link: EventOrganiser, user) -> None:
    if not authz.can(user, "event.co_organisers", link.event):
        raise NotAllowed(_("Only the event's lead organiser and staff manage its co-organisers."))
    if link.position == 0:
        raise DomainError(_("The lead organisation needs no confirmation."))


def _send(link: EventOrganiser, *, user) -> None:
    if not getattr(user, "is_verified", False):
        raise NotAllowed(_("Links are sent only from accounts whose e-mail address is confirmed. Follow the link "
                           "in the message we sent you when you signed up, then try again."))
    link.requested_at = utcnow()
    mail.queue_request(link, sender=user, token=confirmation_token(link))
    record("co_organiser.requested", actor=user, event=link.event, subject=link.organisation.name,
           note=link.focal_email)


def set_focal_point(link: EventOrganiser, *, name: str, email: str, user, locale: str | None = None) -> bool:
    """Name the co-organiser's focal point; a new address gets a new link (the old one stops working)
    and the organisation's answer is asked again, since it belongs to the person who gave it.
    Returns whether a link was sent."""
    _check_may_manage(link, user)
    name, email = " ".join((name or "").split()), (email or "").strip().lower()
    if not name:
        raise DomainError(_("Give the focal point's name."), field="focal_name")
    if not email:
        raise DomainError(_("Give the focal point's e-mail address."), field="focal_email")
    changes = [[k, getattr(link, k), v] for k, v in (("focal_name", name), ("focal_email", email))
               if getattr(link, k) != v]
    if not changes:
        return False
    new_person = email != link.focal_email
    link.focal_name, link.focal_email = name, email
    if new_person:
        link.link_nonce = secrets.token_urlsafe(16)
        link.focal_locale = locale
        if link.confirmation != Confirmation.PENDING:
            changes.append(["confirmation", link.confirmation.value, Confirmation.PENDING.value])
        link.confirmation, link.responded_at = Confirmation.PENDING, None
    record("co_organiser.focal_point", actor=user, event=link.event, subject=link.organisation.name, changes=changes)
    if new_person:
        _send(link, user=user)
    db.session.flush()
    return new_person


def resend(link: EventOrganiser, *, user) -> None:
    """Send the focal point their link again (the same link: an earlier copy keeps working)."""
    _check_may_manage(link, user)
    if not link.focal_email:
        raise DomainError(_("Name %(name)s's focal point first.", name=link.organisation.name))
    if link.confirmation == Confirmation.CONFIRMED:
        raise DomainError(_("%(name)s has already confirmed.", name=link.organisation.name))
    if link.requested_at and utcnow() - link.requested_at < RESEND_PAUSE:
        raise DomainError(_("The link was sent to %(email)s at %(time)s; give it a few minutes to arrive.",
                            email=link.focal_email, time=day_and_time(to_local(link.requested_at, link.event.timezone))))
    _send(link, user=user)
    db.session.flush()


def answer(link: EventOrganiser, confirmed: bool, *, locale: str | None = None) -> bool:
    """Record the focal point's answer, given on the page their link opens; the event's team is told.
    Returns whether the answer changed."""
    to = Confirmation.CONFIRMED if confirmed else Confirmation.DECLINED
    if locale:
        link.focal_locale = locale
    if link.confirmation == to:
        db.session.flush()
        return False
    before = link.confirmation
    link.confirmation, link.responded_at = to, utcnow()
    link.event.updated_at = utcnow()  # a declined co-organiser leaves the public pages and feeds
    from ..events.services import refresh_search_text
    refresh_search_text(link.event)
    record("co_organiser.answered", actor=None, event=link.event, subject=link.organisation.name,
           note=f"{link.focal_name} <{link.focal_email}>", changes=[["confirmation", before.value, to.value]])
    mail.queue_answer(link)
    db.session.flush()
    return True


def waiting_for(event: Event) -> list[EventOrganiser]:
    """The co-organisers that have not confirmed."""
    return [o for o in event.co_organisers if o.confirmation != Confirmation.CONFIRMED]


def check_confirmed(event: Event) -> None:
    """Where the forum requires it, refuse approval until every co-organiser's focal point confirmed,
    naming those that have not."""
    if event.forum is None or not event.forum.co_organisers_must_confirm:
        return
    waiting = waiting_for(event)
    if waiting:
        raise DomainError(_("%(forum)s approves a side event once every co-organiser has confirmed. Not confirmed "
                            "yet: %(names)s.", forum=event.forum.name, names="; ".join(state_text(o) for o in waiting)))


def state_text(link: EventOrganiser) -> str:
    """"Ocean Voices Network (declined)", "... (asked Ana Lima, no answer yet)", "... (no focal point named)"."""
    name = link.organisation.name
    if link.confirmation == Confirmation.DECLINED:
        return _("%(name)s (declined)", name=name)
    if link.confirmation == Confirmation.CONFIRMED:
        return _("%(name)s (confirmed)", name=name)
    if not link.focal_email:
        return _("%(name)s (no focal point named)", name=name)
    return _("%(name)s (%(person)s asked, no answer yet)", name=name, person=link.focal_name or link.focal_email)


def organisers_removed(event: Event, removed: list[dict]) -> None:
    """Tell the focal points of co-organisers taken off the list after they were asked: their link now
    leads nowhere, and they should know why."""
    for gone in removed:
        if gone.get("focal_email") and gone.get("requested"):
            mail.queue_withdrawn(event, gone)


def snapshot(event: Event) -> dict[int, dict]:
    """What organisers_removed needs of each co-organiser row, taken before an edit."""
    return {o.id: {"organisation": o.organisation.name, "focal_name": o.focal_name, "focal_email": o.focal_email,
                   "focal_locale": o.focal_locale, "requested": o.requested_at is not None}
            for o in event.organisers if o.id is not None and o.position > 0}
