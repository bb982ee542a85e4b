from eventsite.core.page_cache import pages
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.registrations.helpers import open_event, register


def test_anonymous_event_pages_are_reused_until_something_they_show_changes(client, ctx, count_queries):
    organiser, event = open_event(capacity=5)
    db.session.commit()
    url = f"/events/{event.slug}"
    first = client.get(url)
    assert "5 seats left" in first.data.decode() and "Set-Cookie" not in first.headers
    db.session.commit()
    with count_queries() as queries:
        again = client.get(url)
    assert again.data == first.data and len(queries) == 1  # the fingerprint only
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    register(event, make_user())
    db.session.commit()
    assert "4 seats left" in client.get(f"/events/{event.slug}").data.decode()


def test_signed_in_readers_always_get_their_own_page(client, ctx):
    organiser, event = open_event()
    db.session.commit()
    pages.clear()
    client.get(f"/events/{event.slug}")
    login(client, organiser.email)
    page = client.get(f"/events/{event.slug}").data.decode()
    assert "Manage" in page and "ETag" not in client.get(f"/events/{event.slug}").headers
