from datetime import datetime, timedelta, timezone

from eventsite.events.models import Status
from eventsite.registrations import services
from eventsite.registrations.models import Mode, QuestionKind
from tests.factories import make_event, make_forum, make_user


def open_event(*, capacity=10, waitlist=True, mode=Mode.OPEN, anonymous=False, code="", consent="",
               starts_in_days=30, questions=True):
    """A published event in the future with registration open, and its organiser."""
    day = (datetime.now(timezone.utc) + timedelta(days=starts_in_days)).date()
    forum = make_forum(starts_on=day, ends_on=day + timedelta(days=1))
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED, day=day)
    services.save_settings(event, user=organiser, opens_at=datetime.now(timezone.utc) - timedelta(days=1),
                           closes_at=None, mode=mode, capacity=capacity, waitlist=waitlist,
                           allow_anonymous=anonymous, invitation_code=code, consent_text=consent)
    if questions:
        attend = services.add_question(event, user=organiser, label="How will you attend?",
                                       kind=QuestionKind.SINGLE_CHOICE, required=True,
                                       options=["In person", "Online"])
        services.add_question(event, user=organiser, label="Do you need a visa support letter?",
                              kind=QuestionKind.SINGLE_CHOICE, required=True, options=["Yes", "No"],
                              depends_on=attend, depends_value="In person")
    return organiser, event


def answers(event, attend="Online", visa=None):
    questions = services.questions_of(event)
    values = {questions[0].field_name: attend}
    if visa is not None:
        values[questions[1].field_name] = visa
    return values


def form_data(event, **fields):
    return {"name": "Amina Haddad", "email": "amina@example.org", "organisation": "ITU", "category": "un_system",
            "country": "MA", **answers(event), **fields}


def register(event, user, **overrides):
    data = services.RegistrationInput(name=user.name, email=user.email, organisation="ITU",
                                      answers=answers(event), **overrides)
    return services.register(event, data, user=user, questions=services.questions_of(event))
