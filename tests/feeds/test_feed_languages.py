"""Calendar feeds take ?lang=: their fixed words in that language, a tag of their own per language;
without it they stay in English, since everyone who subscribes shares one address."""
import icalendar
from sqlalchemy import select

from eventsite.events.models import Event, Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from tests.factories import make_event, make_forum, make_user


def _published(app, online=True):
    with app.test_request_context():
        event = make_event(make_forum(), organiser=make_user(), status=Status.PUBLISHED, room=None)
        event.external_venue = ""
        db.session.commit()
        return event.slug, event.forum.slug


def _description(body: bytes) -> str:
    return str(next(iter(icalendar.Calendar.from_ical(body).walk("VEVENT")))["DESCRIPTION"])


def test_an_event_feed_in_french_says_organised_by_in_french_and_has_its_own_tag(app, client):
    slug, forum_slug = _published(app)
    english = client.get(f"/events/{slug}.ics")
    french = client.get(f"/events/{slug}.ics?lang=fr")
    again = client.get(f"/forums/{forum_slug}.ics?lang=fr")
    assert "Organized by: Permanent Mission of Zambia to the UN" in _description(english.data)
    assert "Organisé par : Permanent Mission of Zambia to the UN" in _description(french.data)
    assert english.headers["ETag"] != french.headers["ETag"]
    assert "Organisé par" in _description(again.data)
    assert client.get(f"/events/{slug}.ics?lang=fr", headers={"If-None-Match": french.headers["ETag"]}).status_code == 304


def test_a_feed_asked_for_in_a_language_the_site_does_not_offer_is_in_english(app, client):
    slug, _ = _published(app)
    assert client.get(f"/events/{slug}.ics?lang=de").data == client.get(f"/events/{slug}.ics").data


def test_a_feed_opened_from_a_french_page_stays_english_without_lang(app, client):
    slug, _ = _published(app)
    client.get("/language?lang=fr&next=/")
    assert "Organized by:" in _description(client.get(f"/events/{slug}.ics").data)


def test_the_subscribe_links_of_a_spanish_page_ask_for_a_spanish_feed(app, client):
    _, forum_slug = _published(app)
    page = client.get(f"/forums/{forum_slug}?lang=es").get_data(as_text=True)
    assert f"/forums/{forum_slug}.ics?lang=es&amp;detail=agenda" in page
    assert f"webcal://localhost/forums/{forum_slug}.ics?lang=es" in page
