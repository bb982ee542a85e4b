"""Registering for side events: seats are allocated under a per-event lock, so capacity holds
under concurrent submissions on PostgreSQL and SQLite alike, and the waitlist keeps the
order of arrival."""
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import authz
from ..activity.services import forget_registration, record
from ..core.collation import in_order, matching
from ..core.dates import day_and_time
from ..core.mail import forget_mail, forget_old_mail
from ..core.time import to_local, utcnow
from ..errors import Conflict, DomainError, NotAllowed
from ..events.access import split_languages
from ..events.models import Event, Status
from ..extensions import db
from . import mail
from .models import (ACTIVE, Category, Mode, Question, QuestionKind, Registration, RegistrationSettings,
                     RegistrationStatus)

OPEN_EVENT_STATUSES = (Status.PUBLISHED,)


@dataclass
class RegistrationInput:
    name: str
    email: str
    organisation: str = ""
    category: Category | None = None
    country: str | None = None
    position: str = ""
    gender: str | None = None
    accessibility_needs: str = ""
    answers: dict = field(default_factory=dict)
    invitation_code: str = ""
    interpretation_language: str = ""   # one of the event's interpretation languages, or ""
    wants_captioning: bool = False
    wants_sign_language: bool = False
    sign_language_wanted: str = ""      # which sign language, e.g. "ASL"


class AlreadyRegistered(Conflict):
    def __init__(self, registration):
        super().__init__(_("This e-mail address is already registered for this event."), field="email")
        self.registration = registration


# ---------------------------------------------------------------- settings and questions

def settings_of(event: Event) -> RegistrationSettings:
    """The event's settings, created closed (no dates) the first time an organiser opens them."""
    if event.registration_settings is None:
        event.registration_settings = RegistrationSettings(waitlist=True, mode=Mode.OPEN)
    return event.registration_settings


def save_settings(event: Event, *, user, **values) -> RegistrationSettings:
    if not authz.can(user, "registration.manage", event):
        raise NotAllowed(_("Only the event's organisers and staff manage its registration."))
    settings = settings_of(event)
    if values.get("opens_at") and values.get("closes_at") and values["closes_at"] <= values["opens_at"]:
        raise DomainError(_("Registration must close after it opens."), field="closes_on")
    if values.get("mode") == Mode.INVITATION and not values.get("invitation_code"):
        raise DomainError(_("Set the invitation code that invitees will type."), field="invitation_code")
    if values.get("consent_text", settings.consent_text) != settings.consent_text and settings.consent_text:
        settings.consent_version += 1  # earlier registrations keep the text they agreed to
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.flush()
    promote_waitlisted(event)  # more seats may have been added
    return settings


@dataclass
class Registering:
    """What the registration form and its POST need, read in one round trip."""
    event: Event | None
    questions: list[Question]
    any_webhook: bool


@functools.cache
def _registering_query():
    """Built once: a prepared statement also keeps its cache key, so each POST only binds the slug."""
    from ..webhooks.services import any_webhook_for
    return (select(Event, Question, any_webhook_for(Event.id, Event.forum_id))
            .options(joinedload(Event.room), joinedload(Event.forum), joinedload(Event.registration_settings))
            .outerjoin(Question, Question.event_id == Event.id).where(Event.slug == bindparam("slug"))
            .order_by(Question.position, Question.id))


def event_for_registering(slug: str) -> Registering:
    """The event with its place and settings, its questions in order, and whether a webhook watches it."""
    rows = db.session.execute(_registering_query(), {"slug": slug}).all()
    if not rows:
        return Registering(None, [], False)
    return Registering(rows[0][0], [row[1] for row in rows if row[1] is not None], bool(rows[0][2]))


def questions_of(event: Event) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.event_id == event.id)
                                   .order_by(Question.position, Question.id)))


def add_question(event: Event, *, user, label: str, kind: QuestionKind, required: bool, options: list[str],
                 help_text: str = "", depends_on: Question | None = None, depends_value: str = "") -> Question:
    if not authz.can(user, "registration.manage", event):
        raise NotAllowed(_("Only the event's organisers and staff manage its registration."))
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and len(options) < 2:
        raise DomainError(_("A choice question needs at least two options, one per line."), field="options")
    if depends_on is not None and depends_value and depends_on.kind in (
            QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and depends_value not in depends_on.options:
        raise DomainError(_("“%(value)s” is not one of the options of “%(label)s”.", value=depends_value,
                            label=depends_on.label), field="depends_value")
    position = db.session.scalar(select(func.coalesce(func.max(Question.position), -1))
                                 .where(Question.event_id == event.id)) + 1
    question = Question(event_id=event.id, label=label, kind=kind, required=required,
                        options=options if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) else [],
                        help_text=help_text, position=position,
                        depends_on_id=depends_on.id if depends_on else None,
                        depends_value=depends_value if depends_on else "")
    db.session.add(question)
    db.session.flush()
    return question


def remove_question(question: Question, *, user) -> None:
    event = db.session.get(Event, question.event_id)
    if not authz.can(user, "registration.manage", event):
        raise NotAllowed(_("Only the event's organisers and staff manage its registration."))
    db.session.delete(question)
    db.session.flush()


def is_asked(question: Question, answers: dict, by_id: dict[int, Question]) -> bool:
    """A conditional question is asked only when the answer it depends on has the given value."""
    if not question.depends_on_id:
        return True
    parent = by_id.get(question.depends_on_id)
    if parent is None or not is_asked(parent, answers, by_id):
        return parent is None
    given = answers.get(parent.field_name)
    if isinstance(given, list):
        return question.depends_value in given
    if isinstance(given, bool):
        return str(given).lower() == question.depends_value.lower() or (given and question.depends_value == "yes")
    return given == question.depends_value


def clean_answers(questions: list[Question], raw: dict) -> dict:
    """Keep the answers to questions that are asked; refuse a missing required one by name."""
    by_id = {q.id: q for q in questions}
    answers = {}
    for question in questions:
        if not is_asked(question, raw, by_id):
            continue
        value = raw.get(question.field_name)
        empty = value in (None, "", [], False)
        if question.required and empty:
            message = (_("Please give your consent to register.") if question.kind == QuestionKind.CONSENT
                       else _("“%(label)s” needs an answer.", label=question.label))
            raise DomainError(message, field=question.field_name)
        if not empty:
            answers[question.field_name] = value
    return answers


# ---------------------------------------------------------------- opening and closing

def closed_reason(event: Event, now: datetime | None = None) -> str | None:
    """Why nobody can register now, or None when registration is open."""
    now = now or utcnow()
    settings = event.registration_settings
    if event.status not in OPEN_EVENT_STATUSES:
        return _("Registration is not open: the event is %(status)s.", status=_(event.status.value)) \
            if event.status in (Status.CANCELLED, Status.HELD) else _("Registration is not open yet.")
    if settings is None or settings.opens_at is None:
        return _("Registration is not open yet.")
    if now < settings.opens_at:
        return _("Registration opens on %(when)s.", when=_when(settings.opens_at, event))
    closes = settings.closes_at or event.starts_at
    if now >= closes:
        return _("Registration closed on %(when)s.", when=_when(closes, event))
    return None


def _when(value: datetime, event: Event) -> str:
    return day_and_time(to_local(value, event.timezone))


# ---------------------------------------------------------------- seats

def _take_event_lock(event: Event) -> int:
    """Serialise seat allocation for one event and number this arrival.

    The UPDATE takes the settings row's lock on PostgreSQL and SQLite's writer lock; it is
    held to the end of the transaction, so counting seats and taking one cannot interleave.
    """
    return db.session.execute(
        update(RegistrationSettings).where(RegistrationSettings.event_id == event.id)
        .values(arrivals=RegistrationSettings.arrivals + 1).returning(RegistrationSettings.arrivals)).scalar_one()


def seats_taken(event: Event) -> int:
    """Confirmed registrations only: an unverified one holds no seat, however many there are."""
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED))


def _seat_or_wait(registration: Registration, settings: RegistrationSettings) -> None:
    seats = settings.seats
    if seats is None or seats_taken(registration.event) < seats:
        registration.status = RegistrationStatus.CONFIRMED
    elif settings.waitlist:
        registration.status = RegistrationStatus.WAITLISTED
    else:
        raise Conflict(_("The event is full: all %(seats)s seats are taken, and there is no waiting list.",
                         seats=seats))


def _allocate(registration: Registration, settings: RegistrationSettings) -> None:
    """Under the event's lock: a number in the order of arrival, then a seat, the waitlist or approval."""
    registration.arrival = _take_event_lock(registration.event)
    if settings.mode == Mode.APPROVAL:
        registration.status = RegistrationStatus.PENDING
    else:
        with db.session.no_autoflush:
            _seat_or_wait(registration, settings)


def belongs_to(user):
    """The registrations that are this account's: made while signed in, or made under its address
    once both the account and the registration have proven that address by e-mail. Until then an
    account with someone's address sees nothing registered under it."""
    mine = Registration.user_id == user.id
    if not user.is_verified:
        return mine
    return mine | ((Registration.email == user.email.lower()) & (Registration.status != RegistrationStatus.UNVERIFIED))


def registration_of(event: Event, user) -> Registration | None:
    """The user's own active registration for event, if any."""
    return db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(ACTIVE), belongs_to(user))
        .order_by(Registration.id)).first()


def existing_registration(event: Event, email: str) -> Registration | None:
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.email == email.strip().lower()))


def address_proven(user) -> bool:
    """A signed-in account whose address was proven by its e-mailed link registers without another one."""
    return user is not None and user.is_verified


# ---------------------------------------------------------------- registering

def verify_hours() -> int:
    return int(current_app.config.get("REGISTRATION_VERIFY_HOURS", 48))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_verification(registration: Registration, now: datetime) -> str:
    """A fresh verification token, of which only the hash is kept; the previous one stops working."""
    token = secrets.token_urlsafe(32)
    registration.verification_hash = _hash(token)
    registration.verification_expires_at = now + timedelta(hours=verify_hours())
    return token


def _send_verification(registration: Registration, now: datetime) -> None:
    """Mail a fresh verification link."""
    mail.notify(registration, "verify", verify_token=_new_verification(registration, now))


def register(event: Event, data: RegistrationInput, *, user=None, questions: list[Question] = (),
             locale: str | None = None, now: datetime | None = None,
             any_webhook: bool | None = None) -> Registration:
    """Register for an event. With a proven address the result is confirmed, waitlisted or pending
    approval; otherwise it is unverified, holds no seat, and a verification link is mailed.
    any_webhook: whether a webhook watches the event, if read with it (see event_for_registering)."""
    now = now or utcnow()
    settings = event.registration_settings
    reason = closed_reason(event, now)
    if reason:
        raise DomainError(reason)
    if user is None and not settings.allow_anonymous:
        raise NotAllowed(_("Sign in to register for this event."))
    if settings.mode == Mode.INVITATION and data.invitation_code.strip() != settings.invitation_code:
        raise DomainError(_("This invitation code is not the one for this event. Check the invitation."),
                          field="invitation_code")
    answers = clean_answers(list(questions), data.answers)
    _check_services(event, data)
    email = (user.email if user is not None else data.email).strip().lower()
    if settings.seats is not None and not settings.waitlist and settings.mode != Mode.APPROVAL \
            and seats_taken(event) >= settings.seats:
        raise Conflict(_("The event is full: all %(seats)s seats are taken, and there is no waiting list.",
                         seats=settings.seats))
    proven = address_proven(user)
    # A registration with a proven address runs under the event's lock from here: the duplicate
    # check, the seat count and the insert cannot interleave with another one. An unproven one
    # holds no seat (it is numbered when the address is proven), so it does not queue behind the
    # lock; the unique (event, e-mail) constraint keeps it single.
    arrival = _take_event_lock(event) if proven else 0
    if proven:
        existing = existing_registration(event, email)
    else:  # usually a new address: one INSERT that skips a clash, and the look-up only after one
        existing = None
        inserted = _insert_unless_registered(_new_registration(event, email, data, answers, settings, locale, now))
        if inserted is not None:
            registration, verify_token = inserted
            mail.notify(registration, "verify", verify_token=verify_token)
            from ..webhooks.services import notify as notify_webhooks
            notify_webhooks("registration.created", event, registration=registration, any_webhook=any_webhook)
            return registration
        existing = existing_registration(event, email)
    unproven_before = existing is not None and existing.status == RegistrationStatus.UNVERIFIED
    if existing is not None and existing.status in ACTIVE and not unproven_before:
        raise AlreadyRegistered(existing)
    # Registering again before the address is proven replaces the details and sends a new link
    # (the HTTP door limits how often); a proven address takes the unproven registration over.
    registration = existing or Registration(event=event, email=email, token=secrets.token_urlsafe(32),
                                            checkin_code=secrets.token_hex(8))
    _fill(registration, data, answers)
    if settings.consent_text:  # the form has checked the box; the text agreed to is kept with its version
        registration.consent_text = settings.consent_text
        registration.consent_version = settings.consent_version
        registration.consented_at = now
    # An unproven account is treated as no account: nothing registered under an address joins
    # an account before the address is proven.
    registration.user_id = user.id if proven else None
    registration.locale = locale or registration.locale
    registration.checked_in_at = None
    registration.arrival = arrival
    if proven:
        registration.verified_at = now
        registration.verification_hash = registration.verification_expires_at = None
        with db.session.no_autoflush:
            if settings.mode == Mode.APPROVAL:
                registration.status = RegistrationStatus.PENDING
            else:
                _seat_or_wait(registration, settings)
    else:
        registration.status = RegistrationStatus.UNVERIFIED  # a seat only once the address is proven
        registration.verified_at = None
    verify_token = None if proven else _new_verification(registration, now)  # in the INSERT, not an UPDATE after
    try:
        with db.session.begin_nested():  # added inside the savepoint, so a clash rolls back only this
            db.session.add(registration)
    except IntegrityError:  # the same address, registering at the same moment without an account
        raise AlreadyRegistered(existing_registration(event, email)) from None
    if proven:
        mail.notify_outcome(registration)
    else:
        mail.notify(registration, "verify", verify_token=verify_token)
    db.session.flush()
    from ..webhooks.services import notify as notify_webhooks
    notify_webhooks("registration.created", event, registration=registration, any_webhook=any_webhook)
    return registration


def _check_services(event: Event, data: RegistrationInput, kept: str = "") -> None:
    """Interpretation can be asked only into a language the event is interpreted into (a choice made
    before the organisers changed the languages may be kept)."""
    wanted = data.interpretation_language.strip()
    if wanted and wanted != kept and wanted.casefold() not in {lang.casefold() for lang in split_languages(event.interpretation_languages)}:
        raise DomainError(_("This event is not interpreted into %(language)s.", language=wanted),
                          field="interpretation_language")


def _new_registration(event, email, data, answers, settings, locale, now) -> tuple[dict, str]:
    """The columns of a new registration whose address is not proven yet, and its verification token."""
    registration = Registration(email=email, token=secrets.token_urlsafe(32), checkin_code=secrets.token_hex(8))
    _fill(registration, data, answers)
    if settings.consent_text:
        registration.consent_text = settings.consent_text
        registration.consent_version = settings.consent_version
        registration.consented_at = now
    registration.locale = locale
    registration.status = RegistrationStatus.UNVERIFIED  # a seat only once the address is proven
    registration.arrival = 0
    token = _new_verification(registration, now)
    values = {key: value for key, value in vars(registration).items() if not key.startswith("_")}
    return {**values, "event_id": event.id, "user_id": None}, token


@functools.cache
def _insert_unless_registered_statement(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return (insert(Registration).on_conflict_do_nothing(index_elements=[Registration.event_id, Registration.email])
            .returning(Registration))


def _insert_unless_registered(new: tuple[dict, str]) -> tuple[Registration, str] | None:
    """INSERT the registration unless the address is already registered for the event (then None):
    ON CONFLICT DO NOTHING on the (event, e-mail) constraint, so a clash leaves the transaction
    usable without a savepoint, on PostgreSQL and SQLite alike."""
    values, token = new
    registration = db.session.scalars(_insert_unless_registered_statement(db.session.get_bind().dialect.name),
                                      [values]).one_or_none()
    return (registration, token) if registration is not None else None


def _fill(registration: Registration, data: RegistrationInput, answers: dict) -> None:
    registration.name = data.name.strip()
    registration.organisation = data.organisation.strip()
    registration.category = data.category
    registration.country = data.country or None
    registration.position = data.position.strip()
    registration.gender = data.gender or None
    registration.accessibility_needs = data.accessibility_needs.strip()
    registration.interpretation_language = data.interpretation_language.strip()
    registration.wants_captioning = bool(data.wants_captioning)
    registration.wants_sign_language = bool(data.wants_sign_language)
    registration.sign_language_wanted = data.sign_language_wanted.strip() if data.wants_sign_language else ""
    registration.answers = answers


def verification(token: str, now: datetime | None = None) -> Registration:
    """The registration an e-mailed verification link names, while the link still works."""
    now = now or utcnow()
    registration = db.session.scalar(
        select(Registration).where(Registration.verification_hash == _hash(token))) if token else None
    if registration is None or registration.anonymised_at is not None:
        raise DomainError(_("This confirmation link is not valid. Open the latest e-mail we sent, or register again."))
    if registration.status == RegistrationStatus.UNVERIFIED and (
            registration.verification_expires_at is None or registration.verification_expires_at <= now):
        raise DomainError(_("This confirmation link has expired. Please register again."))
    return registration


def verify_email(token: str, now: datetime | None = None) -> Registration:
    """Follow the e-mailed link: the address is proven, and the registration takes its place
    under the event's lock, as if it arrived now."""
    now = now or utcnow()
    registration = verification(token, now)
    if registration.status != RegistrationStatus.UNVERIFIED:
        return registration  # followed again: the address was already proven
    reason = closed_reason(registration.event, now)
    if reason:
        raise DomainError(reason)
    _allocate(registration, registration.event.registration_settings)
    registration.verified_at = now
    mail.notify_outcome(registration)
    db.session.flush()
    return registration


def expire_unverified_registrations(now: datetime | None = None) -> int:
    """Delete registrations whose address was not proven in time: they never held a seat, and
    what was typed into them belongs to nobody proven. Returns how many were deleted."""
    now = now or utcnow()
    expired = (Registration.status == RegistrationStatus.UNVERIFIED) & (
        Registration.verification_expires_at.is_(None) | (Registration.verification_expires_at <= now))
    for registration in db.session.scalars(select(Registration).where(expired)):
        _forget_mail_of(registration)  # the verification e-mail holds the name typed and the address
    result = db.session.execute(delete(Registration).where(expired).execution_options(synchronize_session=False))
    db.session.flush()
    return result.rowcount


def send_link(event: Event, email: str, now: datetime | None = None) -> None:
    """Mail the registration under this address its link: the verification link while the address
    is unproven, the manage link after. Says nothing about whether the address is registered."""
    now = now or utcnow()
    registration = existing_registration(event, email[:320]) if email else None
    if registration is None or registration.anonymised_at is not None:
        return
    if registration.status == RegistrationStatus.UNVERIFIED:
        _send_verification(registration, now)
    else:
        mail.notify(registration, "manage_link")
    db.session.flush()


def by_token(token: str) -> Registration:
    """The registration behind a manage link; one whose address is not proven has none yet."""
    registration = db.session.scalar(select(Registration).where(Registration.token == token)) if token else None
    if registration is None or registration.anonymised_at is not None \
            or registration.status == RegistrationStatus.UNVERIFIED:
        raise DomainError(_("This registration link is not valid."))
    return registration


@dataclass
class Entry:
    """What opening the registration form leads to."""
    closed: str | None
    sign_in_first: bool
    mine: Registration | None


def entry_point(event: Event, user) -> Entry:
    """Whether the visitor must sign in first, is already registered, or may fill in the form."""
    settings = event.registration_settings
    closed = closed_reason(event)
    sign_in = user is None and settings is not None and not settings.allow_anonymous and not closed
    return Entry(closed, sign_in, registration_of(event, user) if user is not None else None)


MAX_ID = 2 ** 63 - 1  # a larger id in a URL or form field cannot name a row; PostgreSQL would refuse it


def registration_for(user, registration_id: int) -> Registration | None:
    """A registration its owner or the event's organisers may open by number; None for anyone else."""
    registration = db.session.get(Registration, registration_id) if 0 < registration_id <= MAX_ID else None
    if registration is None or not authz.can(user, "registration.view", registration):
        return None
    return registration


def update_answers(registration: Registration, data: RegistrationInput, questions) -> None:
    reason = closed_reason(registration.event)
    if reason:
        raise DomainError(_("Registration is closed, so the answers can no longer be changed.") + " " + reason)
    email = registration.email
    _check_services(registration.event, data, kept=registration.interpretation_language)
    _fill(registration, data, clean_answers(list(questions), data.answers))
    registration.email = email  # the address is the registration's identity; it is not edited here
    db.session.flush()


def cancel(registration: Registration) -> list[Registration]:
    """Cancel and tell the person; a freed seat goes to the first on the waitlist. Returns the people promoted."""
    if registration.status not in ACTIVE:
        return []
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    mail.notify(registration, "cancelled")
    db.session.flush()
    from ..webhooks.services import notify as notify_webhooks
    notify_webhooks("registration.cancelled", registration.event, registration=registration)
    return promote_waitlisted(registration.event) if held_seat else []


def promote_waitlisted(event: Event) -> list[Registration]:
    """Give free seats to the waitlist in order of arrival, and tell each person promoted."""
    settings = event.registration_settings
    if settings is None:
        return []
    waiting = db.session.scalars(select(Registration.id).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED).limit(1)).first()
    if waiting is None:
        return []
    _take_event_lock(event)
    seats = settings.seats
    free = None if seats is None else seats - seats_taken(event)
    query = (select(Registration).where(Registration.event_id == event.id,
                                        Registration.status == RegistrationStatus.WAITLISTED)
             .order_by(Registration.arrival))
    if free is not None:
        query = query.limit(max(free, 0))
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        mail.notify(registration, "promoted")
    db.session.flush()
    return promoted


def decide(registrations: list[Registration], approve: bool, *, user) -> list[Registration]:
    """Approve pending registrations (a seat, or the waitlist when full), or reject; each person
    hears the outcome. Returns those changed."""
    changed = []
    for registration in registrations:
        if not authz.can(user, "registration.manage", registration.event):
            raise NotAllowed(_("Only the event's organisers and staff decide on registrations."))
        if approve and registration.status == RegistrationStatus.PENDING:
            _take_event_lock(registration.event)
            _seat_or_wait(registration, registration.event.registration_settings)
            mail.notify(registration, "approved" if registration.status == RegistrationStatus.CONFIRMED
                        else "waitlisted")
        elif not approve and registration.status in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED,
                                                     RegistrationStatus.CONFIRMED):
            was_seated = registration.status == RegistrationStatus.CONFIRMED
            registration.status = RegistrationStatus.REJECTED
            mail.notify(registration, "rejected")
            db.session.flush()
            if was_seated:
                promote_waitlisted(registration.event)
        else:
            continue
        changed.append(registration)
        record({RegistrationStatus.CONFIRMED: "registration.approved",
                RegistrationStatus.WAITLISTED: "registration.waitlisted"}.get(registration.status,
                                                                             "registration.rejected"),
               actor=user, event=registration.event, registration=registration)
    db.session.flush()
    return changed


def decide_by_ids(event: Event, ids: list[int], approve: bool, *, user) -> list[Registration]:
    """The organisers' bulk decision on the registrations ticked in the list."""
    wanted = set(ids)
    chosen = [r for r in db.session.scalars(select(Registration).where(Registration.event_id == event.id))
              if r.id in wanted]  # compared in Python: a forged id beyond 64 bits never reaches the database
    if not chosen:
        raise DomainError(_("Tick at least one registration."))
    return decide(chosen, approve, user=user)


def check_in(registration: Registration, *, user) -> bool:
    """Mark arrival; False when the person was already checked in."""
    if not authz.can(user, "registration.manage", registration.event):
        raise NotAllowed(_("Only the event's organisers and staff check people in."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("%(name)s has no confirmed seat (%(status)s).", name=registration.name,
                            status=_(registration.status.value)))
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = utcnow()
    record("registration.checked_in", actor=user, event=registration.event, registration=registration)
    db.session.flush()
    return True


def check_in_by(event: Event, *, code: str = "", registration_id: int | None = None, user) -> tuple[Registration, bool]:
    """Check in the person the door scanned (a code) or picked from the search (an id)."""
    registration = None
    if registration_id and 0 < registration_id <= MAX_ID:
        registration = db.session.scalar(select(Registration).where(
            Registration.event_id == event.id, Registration.id == registration_id))
    elif code.strip():
        registration = by_checkin_code(event, code)
    if registration is None:
        raise DomainError(_("No registration for this event has that code."))
    return registration, check_in(registration, user=user)


PERSONAL_FIELDS = ("organisation", "position", "accessibility_needs", "consent_text")


def _forget_mail_of(registration: Registration) -> None:
    """The mail sent or waiting about this registration: its manage link, its event, its queued params."""
    if registration.email:
        event = registration.event
        forget_mail(registration.email, [re.escape(registration.token), rf"/events/{re.escape(event.slug)}(?![\w-])",
                                         re.escape(event.title)], params={"registration_id": registration.id})


def anonymise(registration: Registration) -> None:
    """Remove everything that identifies the person; category, country and status stay for counts.
    The mail the person was sent about this registration goes too: it holds the address, the name
    and the manage link."""
    _forget_mail_of(registration)
    registration.name = ""
    registration.email = None
    registration.user_id = None
    registration.gender = None
    registration.answers = {}
    for name in PERSONAL_FIELDS:
        setattr(registration, name, "")
    registration.verification_hash = None
    registration.token = secrets.token_urlsafe(32)  # a copy of the old manage link anywhere leads nowhere
    registration.anonymised_at = utcnow()
    forget_registration(registration)
    from ..webhooks.services import forget_registration as forget_in_webhooks
    forget_in_webhooks(registration.id)


def erase(registration: Registration) -> list[Registration]:
    """The participant's right to erasure: cancel (without a message to the address being erased), then anonymise."""
    promoted = []
    if registration.status in ACTIVE:
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        db.session.flush()
        promoted = promote_waitlisted(registration.event) if held_seat else []
    anonymise(registration)
    record("registration.erased", actor=None, event=registration.event, registration=registration)
    db.session.flush()
    return promoted


def purge_personal_data(older_than_days: int, now: datetime | None = None) -> int:
    """Anonymise the registrations of events that ended more than older_than_days ago."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    registrations = db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .where(Event.ends_at < cutoff, Registration.anonymised_at.is_(None)))
    count = 0
    for registration in registrations:
        anonymise(registration)
        count += 1
    forget_old_mail(cutoff)  # whatever else was sent before then: account mail, invitations, notices
    from ..webhooks.services import forget_old_deliveries
    forget_old_deliveries(cutoff)
    db.session.flush()
    return count


def due_reminders(within: timedelta, now: datetime | None = None) -> list[Registration]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(Registration).join(Event, Event.id == Registration.event_id)
        .where(Registration.status == RegistrationStatus.CONFIRMED, Registration.reminded_at.is_(None),
               Registration.email.is_not(None), Event.status == Status.PUBLISHED,
               Event.starts_at > now, Event.starts_at <= now + within)))


def by_checkin_code(event: Event, code: str) -> Registration | None:
    # A scanned QR gives the bare code; a typed one may carry spaces or capitals.
    code = code.strip().lower().replace(" ", "")
    return db.session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.checkin_code == code))


def search_confirmed(event: Event, text: str) -> list[Registration]:
    """At the door: the confirmed registrations whose name or organisation has every word typed, by name."""
    confirmed = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                              Registration.status == RegistrationStatus.CONFIRMED))
    return in_order(matching(confirmed, text, "name", "organisation", words=4), key=lambda r: r.name)[:30]


def registrations_of_user(user) -> list[Registration]:
    """A participant's registrations: made while signed in, or under the account's proven address."""
    return list(db.session.scalars(
        select(Registration).options(joinedload(Registration.event).joinedload(Event.room),
                                     joinedload(Registration.event).joinedload(Event.forum))
        .join(Event, Event.id == Registration.event_id)
        .where(belongs_to(user))
        .order_by(Event.starts_at.desc())))


# ---------------------------------------------------------------- the meeting link

def may_join(registration: Registration) -> bool:
    """The link to join online is for confirmed participants whose address is proven."""
    return (registration.status == RegistrationStatus.CONFIRMED and registration.verified_at is not None
            and registration.anonymised_at is None)


@dataclass
class Meeting:
    """The link to join online and its passcode, for someone allowed to see them."""
    url: str
    passcode: str


def meeting_for(registration: Registration) -> Meeting | None:
    event = registration.event
    if not event.webcast_url or not may_join(registration):
        return None
    return Meeting(event.webcast_url, event.meeting_passcode)


@dataclass
class Availability:
    """What the event page says about registration."""
    closed: str | None
    seats_left: int | None
    waitlist: bool
    mine: Registration | None


def availability(event: Event, user) -> Availability | None:
    settings = event.registration_settings
    if settings is None or settings.opens_at is None:
        return None
    seats = settings.seats
    mine = registration_of(event, user) if getattr(user, "is_authenticated", False) else None
    return Availability(closed_reason(event), None if seats is None else max(seats - seats_taken(event), 0),
                        settings.waitlist, mine)
