"""The speaker directory and speaker assignments: one person per e-mail address, invitations
answered through signed links, and clashes between a person's engagements."""
import enum
import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import joinedload

from .. import authz
from ..accounts.models import Role
from ..core.collation import in_order, search_fold
from ..core.dates import day_and_time
from ..core.mail_preferences import opted_out
from ..core.time import utcnow
from ..errors import Conflict, DomainError, NotAllowed
from ..events.models import LISTED_STATUSES, ROOM_HOLDING_STATUSES, Event, OrganisationKind
from ..events.services import touch, touch_events_of_person
from ..extensions import db
from . import mail
from .models import ROLE_ORDER, Gender, InvitationStatus, Person, SentInvitation, SpeakerAssignment, SpeakerRole

INVITATION_SALT = "speaker-invitation"
REFUSAL_SALT = "speaker-refuse-invitations"
INVITATION_WINDOW = timedelta(days=1)
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class PersonInput:
    given_name: str
    family_name: str
    honorific: str = ""
    position: str = ""
    organisation: str = ""
    organisation_kind: OrganisationKind | None = None
    country: str | None = None
    gender: Gender | None = None
    gender_description: str = ""
    biography: str = ""
    email: str | None = None


def _normal_email(email: str | None) -> str | None:
    email = (email or "").strip().lower()
    return email or None


def person_by_email(email: str | None) -> Person | None:
    email = _normal_email(email)
    return db.session.scalar(select(Person).where(Person.email == email)) if email else None


def is_address_query(text: str) -> bool:
    """A directory search for an e-mail address rather than a name."""
    words = text.split()
    return len(words) == 1 and "@" in words[0]


def visible_people_condition(user):
    """The SQL side of authz's "person.view": who a user may find in the directory."""
    if authz.can(user, "staff.area"):
        return true()
    listed = (select(SpeakerAssignment.person_id).join(Event, Event.id == SpeakerAssignment.event_id)
              .where(SpeakerAssignment.status == InvitationStatus.CONFIRMED, Event.status.in_(LISTED_STATUSES)))
    conditions = [Person.id.in_(listed)]
    if getattr(user, "is_authenticated", False):
        conditions.append(Person.created_by_id == user.id)
        if getattr(user, "is_verified", False):
            conditions.append(Person.email == user.email.lower())
        event_ids = {m.event_id for m in user.memberships if m.event_id}
        forum_ids = {m.forum_id for m in user.memberships if m.forum_id and m.role == Role.ORGANISER}
        own = (select(SpeakerAssignment.person_id).join(Event, Event.id == SpeakerAssignment.event_id)
               .where(or_(Event.id.in_(event_ids), Event.forum_id.in_(forum_ids)),
                      or_(SpeakerAssignment.entered_family_name == "",
                          SpeakerAssignment.status == InvitationStatus.CONFIRMED)))
        conditions.append(Person.id.in_(own))
    return or_(*conditions)


def search_people(text: str, *, user, limit: int = 20) -> list[Person]:
    """People the user may find whose name, organisation or position match every word typed.

    A search by address answers only staff: anyone else would learn whose address it is.
    """
    words = text.lower().split()[:6]
    if not words:
        return []
    query = (select(Person).where(visible_people_condition(user))
             .order_by(Person.family_name, Person.given_name).limit(limit))
    if is_address_query(text):
        if not authz.can(user, "staff.area"):
            return []
        return list(db.session.scalars(query.where(Person.email == words[0])))
    for word in search_fold(text).split()[:6]:
        query = query.where(Person.search_text.contains(word, autoescape=True))
    return in_order(db.session.scalars(query), key=lambda p: (p.family_name, p.given_name))


def person_for_assignment(person_id: int, *, user) -> Person | None:
    """The person behind a search result's "Add" button, if the user could have found them."""
    person = db.session.get(Person, person_id)
    return person if person is not None and authz.can(user, "person.view", person) else None


def engagements_for(person: Person, *, user) -> list[SpeakerAssignment]:
    """The person's engagements the user may see: public ones, and those of events they help run."""
    engagements = events_of_person(person, public_only=False)
    if authz.can(user, "person.view_all_engagements", person):
        return engagements
    return [a for a in engagements if (a.is_confirmed and a.event.status in LISTED_STATUSES)
            or authz.can(user, "event.view_private", a.event)]


def _apply_person(person: Person, data: PersonInput) -> None:
    for name in ("given_name", "family_name", "honorific", "position", "organisation", "organisation_kind",
                 "country", "gender", "biography"):
        setattr(person, name, getattr(data, name))
    person.gender_description = data.gender_description if data.gender == Gender.SELF_DESCRIBED else ""
    person.email = _normal_email(data.email)
    person.search_text = search_fold(" ".join(p for p in (
        person.given_name, person.family_name, person.organisation, person.position) if p))


def create_person(data: PersonInput, *, user) -> tuple[Person, bool]:
    """The person with this e-mail if there is one (and False), else a new person (and True)."""
    existing = person_by_email(data.email)
    if existing is not None:
        return existing, False
    person = Person(created_by_id=user.id)
    _apply_person(person, data)
    db.session.add(person)
    db.session.flush()
    return person, True


@dataclass
class AddedSpeaker:
    assignment: SpeakerAssignment
    created: bool  # a new directory entry
    known: bool  # an existing entry whose details the user may see


def add_new_speaker(event: Event, data: PersonInput, role: SpeakerRole, *, user, agenda_item=None,
                    photo: bytes | None = None) -> AddedSpeaker:
    """List someone typed in by hand; an address already in the directory reuses that person.

    The user learns nothing of an existing entry they may not see: the event's team sees the
    name they typed until the person accepts the invitation.
    """
    person, created = create_person(data, user=user)
    if created:
        if photo:
            set_photo(person, photo, user=user)
        return AddedSpeaker(_assign(event, person, role, user=user, agenda_item=agenda_item), True, False)
    if authz.can(user, "person.view_contact", person):
        return AddedSpeaker(_assign(event, person, role, user=user, agenda_item=agenda_item), False, True)
    assignment = _assign(event, person, role, user=user, agenda_item=agenda_item,
                         entered=(data.given_name, data.family_name))
    return AddedSpeaker(assignment, False, False)


def update_person(person: Person, data: PersonInput, *, user) -> Person:
    if not authz.can(user, "person.edit", person):
        raise NotAllowed(_("Only staff and the person who added this speaker edit their details."))
    other = person_by_email(data.email)
    if other is not None and other.id != person.id:
        raise Conflict(_("%(name)s already uses this e-mail address.", name=other.full_name), field="email")
    _apply_person(person, data)
    db.session.flush()
    touch_events_of_person(person.id)  # names and affiliations appear in those events' calendars
    return person


def process_photo(data: bytes) -> bytes:
    """Check an uploaded photo and re-encode it as a JPEG of at most 600 px a side.

    Re-encoding drops whatever the file carried besides pixels (metadata, scripts in
    polyglot files) and keeps pages light.
    """
    from PIL import Image, UnidentifiedImageError  # on first use: most workers never see a photo
    if len(data) > PHOTO_MAX_BYTES:
        raise DomainError(_("The photo is larger than 5 MB."), field="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in PHOTO_FORMATS:
            raise DomainError(_("Send the photo as JPEG, PNG or WebP."), field="photo")
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 40_000_000:
                raise DomainError(_("The photo has too many pixels."), field="photo")
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise DomainError(_("This file is not a picture we can read. Send a JPEG, PNG or WebP."),
                          field="photo") from None
    return out.getvalue()


def set_photo(person: Person, data: bytes | None, *, user) -> None:
    if not authz.can(user, "person.edit", person):
        raise NotAllowed(_("Only staff and the person who added this speaker edit their details."))
    person.photo = process_photo(data) if data is not None else None
    person.photo_version += 1
    person.photo_key = secrets.token_urlsafe(16) if data is not None else ""
    db.session.flush()


# ---------------------------------------------------------------- assignments

def assign_speaker(event: Event, person: Person, role: SpeakerRole, *, user, agenda_item=None) -> SpeakerAssignment:
    """List a person found in the directory; one the user could not have found is refused."""
    if not authz.can(user, "person.view", person):
        raise NotAllowed(_("Choose a person from the search results."))
    return _assign(event, person, role, user=user, agenda_item=agenda_item)


def _assign(event, person, role, *, user, agenda_item=None, entered=("", "")) -> SpeakerAssignment:
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot change this event's speakers."))
    if agenda_item is not None and agenda_item.event_id != event.id:
        raise DomainError(_("That agenda item belongs to another event."), field="agenda_item")
    for existing in event.speakers:
        if existing.person_id == person.id and existing.role == role \
                and existing.agenda_item_id == (agenda_item.id if agenda_item else None):
            raise Conflict(_("%(name)s is already listed in this role.", name=existing.name))
    # Official order: by role, then in the order people were added.
    position = max([s.position for s in event.speakers if ROLE_ORDER[s.role] <= ROLE_ORDER[role]], default=-1) + 1
    for later in event.speakers:
        if later.position >= position:
            later.position += 1
    assignment = SpeakerAssignment(event=event, person=person, role=role, agenda_item=agenda_item,
                                   position=position, invited_at=utcnow(),
                                   entered_given_name=entered[0], entered_family_name=entered[1])
    db.session.add(assignment)
    touch(event)
    db.session.flush()
    db.session.expire(event, ["speakers"])
    return assignment


def remove_speaker(assignment: SpeakerAssignment, *, user) -> None:
    if not authz.can(user, "event.edit", assignment.event):
        raise NotAllowed(_("You cannot change this event's speakers."))
    event = assignment.event
    db.session.delete(assignment)
    touch(event)
    db.session.flush()
    db.session.expire(event, ["speakers"])


def move_speaker(assignment: SpeakerAssignment, direction: int, *, user) -> None:
    event = assignment.event
    if not authz.can(user, "event.edit", event):
        raise NotAllowed(_("You cannot change this event's speakers."))
    ordered = list(event.speakers)
    index = ordered.index(assignment)
    other = index + direction
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            item.position = position
        touch(event)
        db.session.flush()


def set_speaker_status(assignment: SpeakerAssignment, status: InvitationStatus, *, user=None,
                       locale: str | None = None) -> None:
    """Record the speaker's answer; user is None when the speaker answers through the e-mailed link,
    in the language of locale, which later mail to them then uses."""
    if user is not None and not authz.can(user, "event.edit", assignment.event):
        raise NotAllowed(_("You cannot change this event's speakers."))
    if user is not None and status == InvitationStatus.CONFIRMED and assignment.is_concealed \
            and not authz.can(user, "person.view_contact", assignment.person):
        # Accepting is what shows the team the directory entry, so only the person may do it.
        raise NotAllowed(_("%(name)s accepts through the invitation they received.", name=assignment.name))
    was_concealed = assignment.is_concealed
    if user is None and locale:
        assignment.locale = locale
    assignment.status = status
    assignment.responded_at = utcnow() if status != InvitationStatus.INVITED else None
    touch(assignment.event)
    db.session.flush()
    if was_concealed and status == InvitationStatus.CONFIRMED:
        _warn_of_clashes(assignment)  # held back until the person accepted


# ---------------------------------------------------------------- invitations

class InvitationOutcome(str, enum.Enum):
    SENT = "sent"
    NO_ADDRESS = "no_address"
    REFUSED = "refused"  # the person asked for no more invitations


class TooManyInvitations(DomainError):
    """The inviting account reached its daily number of invitations."""


def invitations_per_day() -> int:
    return current_app.config.get("SPEAKER_INVITATIONS_PER_DAY", 30)


def _check_may_invite(user) -> None:
    if not getattr(user, "is_verified", False):
        raise NotAllowed(_("Invitations are sent only from accounts whose e-mail address is confirmed. Follow the "
                           "link in the message we sent you when you signed up, then add the speaker again."))
    since = utcnow() - INVITATION_WINDOW
    sent = db.session.execute(select(func.count(SentInvitation.id), func.min(SentInvitation.sent_at))
                              .where(SentInvitation.sender_id == user.id, SentInvitation.sent_at > since)).one()
    limit = invitations_per_day()
    if sent[0] >= limit:
        again = sent[1] + INVITATION_WINDOW
        raise TooManyInvitations(_("You have sent %(n)d invitations in the last 24 hours, the most one account may "
                                   "send. You can invite again from %(time)s UTC.", n=limit,
                                   time=day_and_time(again.replace(tzinfo=None))))


def send_invitation(assignment: SpeakerAssignment, *, user, locale: str | None = None) -> InvitationOutcome:
    """E-mail the person an invitation from user, made in locale, unless they refuse invitations.

    Only verified accounts invite, a limited number a day: the mail goes to someone who never
    asked for it, so the site must not become a relay for whoever signs up.
    """
    if not authz.can(user, "event.edit", assignment.event):
        raise NotAllowed(_("You cannot change this event's speakers."))
    person = assignment.person
    if not person.email:
        return InvitationOutcome.NO_ADDRESS
    if person.invitations_refused_at is not None or opted_out(person.email, "invitations"):
        # the person's own link in an invitation, or their choice of optional e-mails: the organiser
        # is told it was not sent, rather than the worker dropping it unseen
        return InvitationOutcome.REFUSED
    _check_may_invite(user)
    assignment.locale = assignment.locale or locale  # a second copy keeps the first one's language
    mail.queue_invitation(assignment, sender=user, answer_token=invitation_token(assignment),
                          refuse_token=refusal_token(person))
    db.session.add(SentInvitation(sender_id=user.id, person_id=person.id, event_id=assignment.event_id,
                                  sent_at=utcnow()))
    assignment.invited_at = utcnow()
    db.session.flush()
    return InvitationOutcome.SENT


def notify_new_speaker(assignment: SpeakerAssignment, *, user, locale: str | None = None) -> InvitationOutcome:
    """Invite a newly listed speaker and warn other events' organisers of a clash it makes."""
    outcome = send_invitation(assignment, user=user, locale=locale)
    _warn_of_clashes(assignment)
    return outcome


def _warn_of_clashes(assignment: SpeakerAssignment) -> None:
    mail.queue_clash_warnings([c for c in clashes_for_event(assignment.event) if c.this.id == assignment.id])


def _invitation_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=INVITATION_SALT)


def invitation_token(assignment: SpeakerAssignment) -> str:
    # The person is part of the token, so a link cannot be replayed for a reassigned row.
    return _invitation_serializer().dumps({"a": assignment.id, "p": assignment.person_id})


def assignment_for_token(token: str) -> SpeakerAssignment:
    """The invitation a link answers; a tampered, expired or withdrawn link is refused."""
    max_age = current_app.config.get("INVITATION_MAX_AGE", 90 * 24 * 3600)
    try:
        data = _invitation_serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(_("This invitation link has expired. Please ask the organisers for a new one.")) from None
    except BadSignature:
        raise DomainError(_("This invitation link is not valid. Check that the whole link was copied.")) from None
    assignment = db.session.get(SpeakerAssignment, data.get("a"))
    if assignment is None or assignment.person_id != data.get("p"):
        raise DomainError(_("This invitation has been withdrawn by the organisers."))
    return assignment


def _refusal_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=REFUSAL_SALT)


def refusal_token(person: Person) -> str:
    """A link that never expires, for the person to stop (or allow again) invitations.

    The address is part of it: once the entry carries another address, the link stops working.
    """
    return _refusal_serializer().dumps({"p": person.id, "e": person.email})


def person_for_refusal_token(token: str) -> Person:
    try:
        data = _refusal_serializer().loads(token)
    except BadSignature:
        raise DomainError(_("This link is not valid. Check that the whole link was copied.")) from None
    person = db.session.get(Person, data.get("p")) if isinstance(data, dict) else None
    if person is None or not person.email or person.email != data.get("e"):
        raise DomainError(_("This link no longer applies: the address it was sent to is not in the directory."))
    return person


def set_invitations_refused(person: Person, refused: bool) -> None:
    """Record the person's wish, given through their signed link: no more invitations, or again."""
    person.invitations_refused_at = (person.invitations_refused_at or utcnow()) if refused else None
    db.session.flush()


# ---------------------------------------------------------------- clashes

@dataclass
class Clash:
    person: Person
    this: SpeakerAssignment
    other: SpeakerAssignment
    other_event: Event


def _assignment_span(assignment: SpeakerAssignment, event: Event):
    item = assignment.agenda_item
    return (item.starts_at, item.ends_at) if item is not None else (event.starts_at, event.ends_at)


def clashes_for_event(event: Event) -> list[Clash]:
    """This event's speakers who are also due elsewhere at an overlapping time.

    Both events' organisers see the clash on their speaker pages, as it is computed from
    either side. Within one event, two overlapping agenda items with the same speaker
    clash too (parallel sessions).
    """
    # An unanswered blind add is no commitment yet, and naming its clashes would tell the team
    # where the person speaks.
    person_ids = {s.person_id for s in event.speakers if s.status != InvitationStatus.DECLINED and not s.is_concealed}
    if not person_ids:
        return []
    others = db.session.scalars(
        select(SpeakerAssignment).join(Event, Event.id == SpeakerAssignment.event_id)
        .options(joinedload(SpeakerAssignment.event), joinedload(SpeakerAssignment.agenda_item))
        .where(SpeakerAssignment.person_id.in_(person_ids),
               SpeakerAssignment.status != InvitationStatus.DECLINED,
               or_(SpeakerAssignment.entered_family_name == "",
                   SpeakerAssignment.status == InvitationStatus.CONFIRMED),
               Event.status.in_(ROOM_HOLDING_STATUSES),
               Event.starts_at < event.ends_at, Event.ends_at > event.starts_at)).unique().all()
    clashes, seen = [], set()
    for mine in event.speakers:
        if mine.status == InvitationStatus.DECLINED or mine.is_concealed:
            continue
        start, end = _assignment_span(mine, event)
        for other in others:
            if other.id == mine.id or other.person_id != mine.person_id:
                continue
            if other.event_id == event.id and (mine.agenda_item_id is None or other.agenda_item_id is None):
                continue  # a moderator of the whole event also speaking in one of its items is fine
            other_start, other_end = _assignment_span(other, other.event)
            key = frozenset((mine.id, other.id))
            if other_start < end and other_end > start and key not in seen:
                seen.add(key)
                clashes.append(Clash(mine.person, mine, other, other.event))
    return clashes


def events_of_person(person: Person, *, public_only: bool) -> list[SpeakerAssignment]:
    """A person's engagements across forums, newest first, with event, forum and item loaded."""
    query = (select(SpeakerAssignment).join(Event, Event.id == SpeakerAssignment.event_id)
             .options(joinedload(SpeakerAssignment.event).joinedload(Event.forum),
                      joinedload(SpeakerAssignment.event).joinedload(Event.room),
                      joinedload(SpeakerAssignment.agenda_item))
             .where(SpeakerAssignment.person_id == person.id).order_by(Event.starts_at.desc()))
    if public_only:
        query = query.where(SpeakerAssignment.status == InvitationStatus.CONFIRMED,
                            Event.status.in_(LISTED_STATUSES))
    return list(db.session.scalars(query).unique())


def forum_speakers(forum) -> list[SpeakerAssignment]:
    """Every engagement in the forum's live events, by speaker name, in one query."""
    query = (select(SpeakerAssignment).join(Event, Event.id == SpeakerAssignment.event_id)
             .join(Person, Person.id == SpeakerAssignment.person_id)
             .options(joinedload(SpeakerAssignment.event), joinedload(SpeakerAssignment.agenda_item))
             .where(Event.forum_id == forum.id, Event.status.in_(ROOM_HOLDING_STATUSES))
             .order_by(Person.id, Event.starts_at))
    return in_order(db.session.scalars(query).unique(), key=lambda a: (a.person.family_name, a.person.given_name))
