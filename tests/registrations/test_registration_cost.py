"""A registration POST costs a bounded number of SQL statements, however full the event already is."""
from sqlalchemy import func, select

from eventsite.extensions import db
from eventsite.registrations.models import Registration
from tests.registrations.helpers import form_data, open_event

# Measured 2026-12-03; a new statement on this path is a cost every registrant pays, so raise it knowingly.
# The POST itself: the event with its place, settings and questions and whether a webhook watches it (one
# SELECT), the INSERT that skips an address already registered (no earlier look-up, no savepoint), and the
# outbox row; the other two are this test's own form_data() reading the questions.
STATEMENTS_PER_POST = 5


def _post(client, event, n):
    return client.post(f"/events/{event.slug}/register", data=form_data(event, email=f"person{n}@example.org"))


def test_an_anonymous_registration_post_stays_within_its_statement_budget(client, ctx, count_queries, monkeypatch):
    import eventsite.jobs
    queued = []
    monkeypatch.setattr(eventsite.jobs, "enqueue", lambda name, *args, **kwargs: queued.append(name))  # as in production:
    # the request only queues the delivery; a job worker sends it, in statements no registrant waits for
    organiser, event = open_event(capacity=500, anonymous=True)
    db.session.commit()
    assert _post(client, event, 0).status_code == 302  # warm: the first POST also loads the session's objects
    with count_queries() as first:
        assert _post(client, event, 1).status_code == 302
    for n in range(2, 12):
        _post(client, event, n)
    with count_queries() as later:
        assert _post(client, event, 12).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event.id)) == 13
    assert "deliver-mail" in queued
    assert len(first) == len(later)  # ten more registrants cost no extra statement
    assert len(later) <= STATEMENTS_PER_POST, later.statements


def test_an_anonymous_post_to_an_event_a_webhook_watches_queues_its_notice(client, ctx):
    from eventsite.webhooks import services as webhooks
    from eventsite.webhooks.models import WebhookDelivery
    from tests.factories import make_staff
    _, event = open_event(capacity=500, anonymous=True)
    webhooks.create_webhook("https://hooks.example.org/in", ["registration.created"], user=make_staff(),
                            forum=event.forum)
    db.session.commit()
    assert _post(client, event, 1).status_code == 302
    db.session.expire_all()
    payloads = [delivery.payload for delivery in db.session.scalars(select(WebhookDelivery))]
    assert [(p["type"], p["registration"]["email"]) for p in payloads] == [("registration.created",
                                                                            "person1@example.org")]


def test_registering_again_before_the_address_is_proven_replaces_the_details_and_mails_a_new_link(client, ctx):
    from eventsite.core.mail import OutboxMessage
    _, event = open_event(capacity=500, anonymous=True)
    db.session.commit()
    data = form_data(event, email="Guest@Example.org", name="First Try")
    assert client.post(f"/events/{event.slug}/register", data=data).status_code == 302
    data = form_data(event, email="guest@example.org", name="Second Try")
    assert client.post(f"/events/{event.slug}/register", data=data).status_code == 302
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id)).all()
    assert [(r.email, r.name, r.status.value) for r in rows] == [("guest@example.org", "Second Try", "unverified")]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 2  # a link per try; the first stops working


def test_an_address_already_confirmed_is_pointed_to_its_registration_not_registered_twice(client, ctx):
    from eventsite.registrations import services
    from tests.factories import make_user
    _, event = open_event(capacity=500, anonymous=True)
    member = make_user("member@example.org")
    services.register(event, services.RegistrationInput(name="Member", email=member.email,
                      answers={q.field_name: "Online" for q in services.questions_of(event)[:1]}), user=member)
    db.session.commit()
    response = client.post(f"/events/{event.slug}/register", data=form_data(event, email="MEMBER@example.org"))
    assert response.status_code == 409 and "already registered" in response.data.decode()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.event_id == event.id)) == 1
