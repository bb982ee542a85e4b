"""Explicit builders for test data: every test says what it needs."""
from datetime import date, time
from itertools import count

from eventsite.accounts.models import Role
from eventsite.accounts.services import create_user, grant
from eventsite.events import services
from eventsite.events.models import Format, OrganisationKind, Status
from eventsite.extensions import db

PASSWORD = "correct-horse-battery"
_numbers = count(1)


def make_user(email=None, *, name="Test Person", staff=False, verified=True):
    email = email or f"person{next(_numbers)}@example.org"
    return create_user(email=email, name=name, password=PASSWORD, hash_method="pbkdf2:sha256:1000", is_staff=staff,
                       verified=verified)


def make_staff():
    return make_user(f"staff{next(_numbers)}@example.org", name="Staff Member", staff=True)


DEFAULT_FORUM_NAME = "2025 STI Forum"


def make_forum(*, name=None, starts_on=date(2025, 5, 6), ends_on=date(2025, 5, 7),
               timezone="America/New_York", rooms=("Conference Room 6", "Conference Room 11"), staff=None):
    staff = staff or make_staff()
    if name is None:  # forum names are unique: a test's second forum gets a numbered default name
        from eventsite.events.models import Forum
        taken = db.session.scalar(db.select(db.func.count(Forum.id)).where(Forum.name.like(f"{DEFAULT_FORUM_NAME}%")))
        name = DEFAULT_FORUM_NAME if not taken else f"{DEFAULT_FORUM_NAME} ({taken + 1})"
    forum = services.save_forum(services.ForumInput(name=name, starts_on=starts_on, ends_on=ends_on,
                                                    timezone=timezone, venue="UN Headquarters, New York",
                                                    theme="Science, technology and innovation for the SDGs"),
                                user=staff)
    for room in rooms:
        services.save_room(forum, user=staff, name=room, capacity=100)
    db.session.refresh(forum)
    return forum


def room_named(forum, name):
    return next(r for r in forum.rooms if r.name == name)


def make_event(forum, *, organiser=None, title=None, day=date(2025, 5, 6), start=time(11, 45), end=time(13, 0),
               room="Conference Room 6", status=Status.DRAFT, organisers=(("Permanent Mission of Zambia to the UN",
                                                                            OrganisationKind.MEMBER_STATE, "ZM"),),
               sdgs=(9,), format=Format.IN_PERSON, concept_note=True, **time_shape):
    organiser = organiser or make_user()
    event = services.create_event(services.EventInput(
        title=title or f"Side event {next(_numbers)}", forum=forum, day=day, start=start, end=end,
        timezone=forum.timezone, room=room_named(forum, room) if room else None, format=format,
        contact_email=organiser.email, sdgs=list(sdgs),
        organisers=[services.OrganiserInput(*entry) for entry in organisers], **time_shape), user=organiser)
    if concept_note:
        services.save_concept_note(event, {"background": "<p>Why this event matters.</p>",
                                           "objectives": ["To share practice"], "target_audience": ["Delegates"],
                                           "guiding_questions": ["How?"]}, user=organiser)
    if status != Status.DRAFT:
        event.status = status
    db.session.flush()
    return event


def add_member(event, user, role: Role):
    return grant(user, role, event=event)
