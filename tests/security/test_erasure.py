"""Erasure and retention reach every copy (issue 11, finding 11): after "Erase my data", after
`flask purge-personal-data` and after the nightly retention job, no table holds the person's address,
name or manage link (sent mail, the activity log, webhook notices); counts stay."""
from datetime import timedelta

from sqlalchemy import select

from eventsite.activity.models import ActivityEntry
from eventsite.core.mail import OutboxAttachment, OutboxMessage
from eventsite.extensions import db
from eventsite.registrations.models import Registration, RegistrationStatus
from eventsite.webhooks.models import Webhook, WebhookDelivery
from tests.conftest import login
from tests.factories import make_user
from tests.registrations.helpers import form_data, open_event

NAME, EMAIL = "Amina Haddad", "amina.haddad@example.org"


def everything_stored() -> str:
    """Every text column of every row of every table, as one string to search."""
    db.session.expire_all()
    texts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            texts.extend(value.decode(errors="replace") if isinstance(value, bytes) else str(value)
                         for value in row if value is not None)
    return "\n".join(texts)


def _registered_and_mailed(client, app, *, other_event=False):
    """Someone registers as a signed-in participant (a confirmation with its calendar file is sent), and the
    event changes (a notice is sent); returns the registration and, if asked, one for another event."""
    organiser, event = open_event()
    person = make_user(EMAIL, name=NAME)
    # the event's team is told of each registration (a private address: the site refuses to call it)
    db.session.add(Webhook(event_id=event.id, url="https://127.0.0.1:1/hook", secret="s" * 32,
                           kinds=["registration.created", "registration.cancelled"]))
    db.session.commit()
    login(client, EMAIL)
    client.post(f"/events/{event.slug}/register", data=form_data(event, name=NAME, email=EMAIL,
                                                               accessibility_needs="Step-free access"))
    registration = db.session.scalar(select(Registration).where(Registration.event_id == event.id))
    client.post(f"/r/{registration.token}/edit", data=form_data(event, name=NAME, organisation="WHO"))
    other = None
    if other_event:
        second_organiser, second = open_event()
        db.session.commit()
        client.post(f"/events/{second.slug}/register", data=form_data(second, name=NAME, email=EMAIL))
        other = db.session.scalar(select(Registration).where(Registration.event_id == second.id))
    client.post("/account/logout")
    assert registration.token in everything_stored()  # the confirmation's manage link
    assert db.session.scalar(select(db.func.count(WebhookDelivery.id))) >= 1  # a notice naming the person
    return person, event, registration, other


def _mail_to(email):
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)))


def test_erase_my_data_leaves_no_copy_of_the_address_name_or_manage_link(client, ctx, app):
    person, event, registration, _ = _registered_and_mailed(client, app)
    token = registration.token
    with db.session.no_autoflush:
        db.session.delete(person)  # an account of their own would keep its address: this person erases all
    db.session.commit()

    assert client.post(f"/r/{token}/erase").status_code == 302

    stored = everything_stored()
    for copy in (EMAIL, NAME, token, "Step-free access"):
        assert copy not in stored, copy
    assert db.session.scalar(select(db.func.count(OutboxAttachment.id))) == 0
    erased = db.session.get(Registration, registration.id)
    assert (erased.status, erased.category.value) == (RegistrationStatus.CANCELLED, "un_system")  # counts stay
    assert db.session.scalar(select(db.func.count(ActivityEntry.id)).where(
        ActivityEntry.registration_id == registration.id)) >= 1  # the log keeps the action, not the person


def test_erasure_keeps_the_mail_of_the_persons_other_registrations(client, ctx, app):
    person, event, registration, other = _registered_and_mailed(client, app, other_event=True)
    token, kept = registration.token, other.token
    client.post(f"/r/{token}/erase")
    left = _mail_to(EMAIL)
    assert left and all(kept in m.body for m in left if "/r/" in m.body)
    assert token not in everything_stored()


def test_purge_personal_data_clears_the_mail_of_past_events(client, ctx, app):
    person, event, registration, _ = _registered_and_mailed(client, app)
    token = registration.token
    event.starts_at -= timedelta(days=90)
    event.ends_at -= timedelta(days=90)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--older-than", "30"])

    assert "1 registration anonymised" in result.output
    assert _mail_to(EMAIL) == []
    stored = everything_stored()
    assert token not in stored and "Step-free access" not in stored and "Dear Amina" not in stored


def test_the_retention_job_also_deletes_mail_sent_before_the_retention_period(client, ctx, app, monkeypatch):
    from eventsite.registrations.reminders import purge_personal_data_job
    person, event, registration, _ = _registered_and_mailed(client, app)
    for message in _mail_to(EMAIL):  # all of it sent long ago
        message.created_at -= timedelta(days=400)
        message.sent_at = message.created_at
    db.session.commit()
    monkeypatch.setitem(app.config, "PERSONAL_DATA_RETENTION_DAYS", 365)

    purge_personal_data_job()
    db.session.commit()

    assert _mail_to(EMAIL) == []
    assert db.session.get(Registration, registration.id).email == EMAIL  # the event itself is not yet past
