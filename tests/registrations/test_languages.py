"""Each participant is written to in the language they registered in, whoever or whatever sends the mail:
an organiser working in English, a job worker, a command run on the server."""
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.registrations.models import Mode, Registration
from eventsite.registrations.reminders import send_due_reminders_job
from tests.conftest import login
from tests.feeds.test_fingerprints import World, edit
from tests.factories import make_user
from tests.registrations.helpers import form_data, open_event


def mails_to(address) -> list[tuple[str, str]]:
    """(subject, language) of every message queued for address, oldest first."""
    return db.session.execute(select(OutboxMessage.subject, OutboxMessage.locale)
                              .where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)).all()


@dataclass
class Setting:
    event_id: int
    slug: str
    title: str
    organiser_id: int
    organiser_email: str


@pytest.fixture
def approval_event(app):
    """A published event taking registrations on approval, anonymous ones too; its organiser works in English.
    Only plain values leave the context: each request of the test then runs in a context of its own."""
    with app.test_request_context():
        organiser, event = open_event(mode=Mode.APPROVAL, anonymous=True, starts_in_days=3)
        organiser.locale = "en"
        make_user("claire@example.org", name="Claire Dubois")  # an account that never chose a language
        db.session.commit()
        return Setting(event.id, event.slug, event.title, organiser.id, organiser.email)


def _registration_form(app, setting, **fields):
    with app.test_request_context():
        return form_data(db.session.get(Event, setting.event_id), **fields)


def _approve_in_english(app, setting, email):
    organiser = app.test_client()
    login(organiser, setting.organiser_email)
    with app.app_context():
        registration_id = db.session.scalar(select(Registration.id).where(Registration.email == email))
    response = organiser.post(f"/events/{setting.slug}/registrations/decide",
                              data={"ids": [registration_id], "decision": "approve"}, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert "registration(s) updated" in organiser.get(f"/events/{setting.slug}/registrations").get_data(as_text=True)


def _move_in_english(app, setting, **changes):
    """The organiser moves the event from a page in English."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        event, organiser = db.session.get(Event, setting.event_id), db.session.get(User, setting.organiser_id)
        changes = {name: change(event) if callable(change) else change for name, change in changes.items()}
        edit(World(None, organiser, event, None, None, None, None, None, None), **changes)
        db.session.commit()


@contextmanager
def configured(app, **settings):
    """Run something outside any request, as a command or a job worker does, with these settings."""
    old = {name: app.config[name] for name in settings}
    app.config.update(SERVER_NAME="eventsite.example.org", **settings)  # links in mail sent outside a request
    try:
        yield
    finally:
        app.config.update(SERVER_NAME=None, **old)


def _send_change_notices_from_the_command_line(app):
    with configured(app, CHANGE_NOTICE_WINDOW_MINUTES=0):  # due at once
        result = app.test_cli_runner().invoke(args=["send-change-notices"])
    assert (result.exit_code, result.output) == (0, "1 change notice queued; the job workers send it.\n")


def test_a_participant_who_registered_in_french_gets_every_later_email_in_french_whoever_sends_it(
        app, approval_event):
    participant = app.test_client()
    login(participant, "claire@example.org")
    participant.get("/language?lang=fr&next=/")
    data = _registration_form(app, approval_event, name="Claire Dubois", email="claire@example.org")
    assert participant.post(f"/events/{approval_event.slug}/register", data=data).status_code == 302

    _approve_in_english(app, approval_event, "claire@example.org")
    _move_in_english(app, approval_event, start=time(15, 0), end=time(16, 15))
    _send_change_notices_from_the_command_line(app)
    with configured(app, REMINDER_HOURS=24 * 4), app.app_context():  # a job worker: no request, no page language
        send_due_reminders_job()
        db.session.commit()
    with app.app_context():
        title = approval_event.title
        assert mails_to("claire@example.org") == [
            (f"Inscription reçue, en attente d'approbation : {title}", "fr"),
            (f"Inscription approuvée : {title}", "fr"),
            (f"Modifié : {title}", "fr"),
            (f"Rappel : {title}", "fr"),
        ]


def test_a_registrant_without_an_account_gets_the_change_notice_in_the_language_registered_in(app, approval_event):
    visitor = app.test_client()
    data = _registration_form(app, approval_event, name="Lucía Pérez", email="lucia@example.org")
    assert visitor.post(f"/events/{approval_event.slug}/register?lang=es", data=data).status_code == 302
    with app.app_context():
        assert [(s.split(":")[0], language) for s, language in mails_to("lucia@example.org")] == [
            ("Confirme su correo para inscribirse", "es")]
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "lucia@example.org"))
    token = body.split("/registrations/verify/")[1].split()[0]
    assert visitor.post(f"/registrations/verify/{token}").status_code == 302  # proven on a page in English

    _approve_in_english(app, approval_event, "lucia@example.org")
    _move_in_english(app, approval_event, day=lambda event: event.local_start.date() + timedelta(days=1))
    _send_change_notices_from_the_command_line(app)
    with app.app_context():
        title = approval_event.title
        assert mails_to("lucia@example.org")[1:] == [
            (f"Inscripción recibida, pendiente de aprobación: {title}", "es"),
            (f"Inscripción aprobada: {title}", "es"),
            (f"Modificado: {title}", "es"),
        ]


def test_the_pages_a_registrant_opens_from_their_mail_are_in_the_language_they_registered_in(app, approval_event):
    visitor = app.test_client()
    data = _registration_form(app, approval_event, name="Irina Yolkina", email="irina@example.org")
    assert visitor.post(f"/events/{approval_event.slug}/register?lang=ru", data=data).status_code == 302
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "irina@example.org"))
    token = body.split("/registrations/verify/")[1].split()[0]

    elsewhere = app.test_client()  # the mail opened on another device, whose browser asks for English
    english = {"Accept-Language": "en-US,en;q=0.9"}
    page = elsewhere.get(f"/registrations/verify/{token}", headers=english).get_data(as_text=True)
    assert '<html lang="ru"' in page and "Подтвердить адрес и зарегистрироваться" in page
    confirmed = elsewhere.post(f"/registrations/verify/{token}", headers=english, follow_redirects=True)
    page = confirmed.get_data(as_text=True)
    assert '<html lang="ru"' in page and "Ваш адрес электронной почты подтверждён." in page
    manage = confirmed.request.path
    elsewhere.get("/language?lang=fr&next=/")  # the reader's own choice still wins
    assert '<html lang="fr"' in elsewhere.get(manage, headers=english).get_data(as_text=True)


@pytest.mark.parametrize("shell, expected", [("fr_FR.UTF-8", "0 rappel mis en file"), ("zh_CN.UTF-8", "已排入 0 条提醒"),
                                             ("C.UTF-8", "0 reminders queued"), ("", "0 reminders queued")])
def test_a_command_answers_in_the_language_of_the_shell_that_runs_it(app, shell, expected):
    result = app.test_cli_runner().invoke(args=["send-reminders"], env={"LANG": shell, "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.exit_code == 0 and expected in result.output
