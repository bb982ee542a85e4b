"""A registration POST costs a bounded number of SQL statements, however full the event already is."""
from sqlalchemy import func, select

from eventsite.extensions import db
from eventsite.registrations.models import Registration
from tests.registrations.helpers import form_data, open_event

# Measured 2026-12-02; a new statement on this path is a cost every registrant pays, so raise it knowingly.
# The POST itself: the event, its questions, an earlier registration under the address, the INSERT and the
# outbox row (the verification token goes into the INSERT, and nothing is reloaded after the commit), the
# webhooks that asked to be told of registrations (2026-12-03); the other two are this test's own
# form_data() reading the questions.
STATEMENTS_PER_POST = 8


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
    assert len(later) <= STATEMENTS_PER_POST, len(later)
