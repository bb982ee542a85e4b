"""Proving a registration's address, its expiry, and the messages the services queue with each change."""
from datetime import timedelta

from sqlalchemy import select

from eventsite.core.mail import OutboxMessage, render_waiting
from eventsite.core.time import utcnow
from eventsite.extensions import db
from eventsite.registrations import services
from eventsite.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.factories import make_user
from tests.registrations.helpers import answers, form_data, open_event, register


def _guest(event, email="guest@example.org", **kwargs):
    data = services.RegistrationInput(name="Guest", email=email, organisation="ITU", answers=answers(event))
    return services.register(event, data, questions=services.questions_of(event), **kwargs)


def _subjects(email=None):
    render_waiting()  # what the sending worker does first
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if email:
        query = query.where(OutboxMessage.recipient == email)
    return [m.subject.split(":")[0] for m in db.session.scalars(query)]


def test_the_verification_token_is_stored_only_as_its_hash_and_differs_from_the_manage_token(ctx):
    organiser, event = open_event(anonymous=True)
    registration = _guest(event)
    render_waiting()
    body = db.session.scalar(select(OutboxMessage)).body
    token = body.split("/registrations/verify/")[1].split()[0]
    assert token != registration.token and registration.verification_hash != token
    assert len(registration.verification_hash) == 64 and registration.token not in body
    assert services.verify_email(token).status == RegistrationStatus.CONFIRMED


def test_expiry_deletes_only_unverified_registrations_past_their_deadline(ctx):
    organiser, event = open_event(anonymous=True)
    now = utcnow()
    _guest(event, "stale@example.org", now=now)
    _guest(event, "fresh@example.org", now=now + timedelta(hours=2))
    register(event, make_user("seated@example.org"))
    db.session.commit()
    assert services.expire_unverified_registrations(now + timedelta(hours=49)) == 1
    assert set(db.session.scalars(select(Registration.email))) == {"fresh@example.org", "seated@example.org"}


def test_a_proven_account_takes_over_an_unverified_registration_made_under_its_address(ctx):
    organiser, event = open_event(anonymous=True, capacity=1)
    owner = make_user("amina@example.org")
    _guest(event, "amina@example.org")
    registration = register(event, owner)
    assert (registration.status, registration.user_id) == (RegistrationStatus.CONFIRMED, owner.id)
    assert registration.verification_hash is None and registration.verified_at is not None
    assert db.session.scalar(select(Registration.id).where(Registration.email == "amina@example.org")) \
        == registration.id


def test_an_unverified_registration_is_not_linked_to_an_account_page(client, ctx):
    organiser, event = open_event(anonymous=True)
    owner = make_user("amina@example.org")
    unverified = _guest(event, "amina@example.org")
    db.session.commit()
    login(client, owner.email)
    assert unverified.token not in client.get("/account/registrations").data.decode()
    assert client.get(f"/events/{event.slug}/register").status_code == 200  # the form, not a manage link


def test_send_me_my_link_sends_the_verification_link_while_unproven_and_the_manage_link_after(ctx):
    organiser, event = open_event(anonymous=True)
    _guest(event, "guest@example.org")
    services.send_link(event, "guest@example.org")
    services.send_link(event, "nobody@example.org")
    render_waiting()
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    services.verify_email(body.split("/registrations/verify/")[1].split()[0])
    services.send_link(event, "guest@example.org")
    assert _subjects() == ["Confirm your e-mail address to register"] * 2 + ["Registration confirmed",
                                                                            "Your registration"]


def test_more_seats_in_the_settings_promote_the_waiting_list_and_tell_them(ctx):
    organiser, event = open_event(capacity=1)
    first, waiting = register(event, make_user()), register(event, make_user())
    services.save_settings(event, user=organiser, capacity=2)
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert _subjects(waiting.email) == ["On the waiting list", "A seat is yours"]


def test_messages_are_written_in_the_language_the_person_registered_in(app, client):
    with app.app_context():  # not the ctx fixture: each request must choose its own language
        organiser, event = open_event(starts_in_days=0)
        event.starts_at = utcnow() + timedelta(hours=5)
        event.ends_at = event.starts_at + timedelta(hours=1)
        participant = make_user()
        db.session.commit()
        slug, email, data = event.slug, participant.email, form_data(event)
    login(client, email)
    client.get("/language?lang=fr")
    client.post(f"/events/{slug}/register", data=data)
    with app.test_request_context():  # a request in English, as the links need a host to be built
        app.test_cli_runner().invoke(args=["send-reminders", "--hours", "24"])
    with app.app_context():
        assert db.session.scalar(select(Registration.locale)) == "fr"
        assert _subjects(email) == ["Inscription confirmée ", "Rappel "]


def test_a_message_about_a_registration_erased_before_it_was_sent_is_dropped_unsent(ctx):
    organiser, event = open_event(anonymous=True)
    registration = _guest(event, "erased@example.org")
    services.erase(registration)
    assert render_waiting() == 0  # erasure deleted the waiting message with the rest of the person's mail
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == []


def test_the_worker_renders_a_message_once_and_keeps_its_message_id_across_retries(ctx):
    from eventsite.core.mail import deliver_outbox
    organiser, event = open_event(anonymous=True)
    _guest(event, "guest@example.org")
    queued = db.session.scalar(select(OutboxMessage))
    message_id, params = queued.message_id, dict(queued.params)
    assert (queued.subject, queued.body, params["kind"]) == ("", "", "verify")
    db.session.commit()  # nothing listens on the test's SMTP port: the first attempt renders, then fails
    deliver_outbox()
    db.session.expire_all()
    sent = db.session.scalar(select(OutboxMessage))
    assert sent.subject.startswith("Confirm your e-mail address") and "/registrations/verify/" in sent.body
    assert (sent.template, sent.params, sent.message_id, sent.sent_at) == (None, None, message_id, None)
    assert sent.attempts >= 1 and sent.last_error
