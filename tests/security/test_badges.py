"""Name badges carry names and check-in codes: only the event's team gets them, and only its own participants'."""
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.registrations.helpers import open_event, register


def test_an_organiser_cannot_print_the_badge_of_another_events_participant(client, ctx):
    organiser, event = open_event()
    _other_organiser, other = open_event()
    theirs = register(other, make_user(name="Someone Else"))
    db.session.commit()
    login(client, organiser.email)
    assert client.get(f"/events/{event.slug}/registrations/{theirs.id}/badge.pdf").status_code == 404
    assert client.get(f"/events/{other.slug}/registrations/{theirs.id}/badge.pdf").status_code == 403
    assert client.get(f"/events/{other.slug}/badges.pdf").status_code == 403
