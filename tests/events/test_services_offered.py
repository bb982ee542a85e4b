"""Services for everyone: interpretation, captioning (CART), sign language and wheelchair access,
shown in lists, used as filters, asked for by registrants and counted for organisers."""
import csv
import io
import re
from datetime import date

from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.registrations import services as registration_services
from tests.conftest import login
from tests.factories import make_event, make_forum, make_user
from tests.registrations.helpers import form_data, open_event, register


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.data.decode()))


def _offer(event, *, interpretation="", captioning=False, sign_language=False, sign_languages="", wheelchair=False):
    event.interpretation_languages, event.captioning = interpretation, captioning
    event.sign_language, event.sign_languages, event.wheelchair_access = sign_language, sign_languages, wheelchair


def _two_events():
    forum = make_forum()
    a = make_event(forum, title="Open data panel", status=Status.PUBLISHED)
    b = make_event(forum, title="Ocean science dialogue", status=Status.PUBLISHED, day=date(2025, 5, 7))
    _offer(a, interpretation="French, Spanish", captioning=True)
    _offer(b, interpretation="Arabic", sign_language=True, sign_languages="International Sign", wheelchair=True)
    db.session.commit()
    return forum, a, b


def test_programme_lists_each_events_services(client, ctx):
    forum, a, b = _two_events()
    page = _text(client.get(f"/forums/{forum.slug}"))
    assert "Interpretation into French, Spanish Live captioning (CART)" in page
    assert "Interpretation into Arabic Sign language: International Sign Wheelchair access" in page


def test_programme_filters_by_services_and_interpretation_language(client, ctx):
    forum, a, b = _two_events()

    def titles(query):
        page = _text(client.get(f"/forums/{forum.slug}", query_string=query))
        return [t for t in (a.title, b.title) if t in page]

    assert titles({"service": "captioning"}) == [a.title]
    assert titles({"service": ["sign_language", "wheelchair"]}) == [b.title]
    assert titles({"service": ["captioning", "wheelchair"]}) == []
    assert titles({"service": "interpretation"}) == [a.title, b.title]
    assert titles({"interpretation": "spanish"}) == [a.title]
    assert titles({"service": "no-such-service"}) == [a.title, b.title]


def test_the_filter_form_offers_the_forums_interpretation_languages_and_keeps_the_choice(client, ctx):
    forum, a, b = _two_events()
    page = client.get(f"/forums/{forum.slug}?service=captioning&interpretation=French").data.decode()
    assert re.findall(r'<option (?:selected )?value="(\w*)"', page.split('name="interpretation"')[1].split("</select>")[0]) \
        == ["", "Arabic", "French", "Spanish"]
    assert re.search(r'<option selected value="French">', page)
    assert re.search(r'checked[^>]*value="captioning"|value="captioning"[^>]*checked', page)


def test_a_filtered_programme_is_not_served_for_other_filters(client, ctx):
    forum, a, b = _two_events()
    assert a.title in _text(client.get(f"/forums/{forum.slug}?service=captioning"))
    other = _text(client.get(f"/forums/{forum.slug}?service=wheelchair"))
    assert b.title in other and a.title not in other
    whole = client.get(f"/forums/{forum.slug}")
    assert a.title in _text(whole) and b.title in _text(whole)
    filtered = client.get(f"/forums/{forum.slug}?service=captioning")
    assert filtered.headers["ETag"] != whole.headers["ETag"]


def test_api_lists_services_and_filters_on_them(client, ctx):
    forum, a, b = _two_events()
    body = client.get(f"/api/v1/events?forum={forum.slug}&service=wheelchair").json
    assert [e["slug"] for e in body["data"]] == [b.slug]
    assert body["data"][0]["accessibility"] == {"captioning": False, "sign_language": True,
                                                "sign_languages": ["International Sign"], "wheelchair_access": True,
                                                "notes": ""}
    assert [e["slug"] for e in client.get("/api/v1/events?interpretation=French").json["data"]] == [a.slug]
    assert client.get("/api/v1/events?service=teleportation").status_code == 422


def test_api_next_page_link_keeps_every_service_asked(client, ctx):
    forum = make_forum()
    for n in range(3):
        event = make_event(forum, title=f"Accessible event {n}", status=Status.PUBLISHED, room=None)
        _offer(event, captioning=True, wheelchair=True)
    db.session.commit()
    body = client.get("/api/v1/events?service=captioning&service=wheelchair&limit=2").json
    assert body["next"].count("service=") == 2
    assert len(client.get(body["next"]).json["data"]) == 1


def test_registrant_asks_for_interpretation_captioning_and_sign_language(client, ctx):
    organiser, event = open_event()
    _offer(event, interpretation="French, Spanish", captioning=True)
    participant = make_user(name="Amina Haddad")
    db.session.commit()
    login(client, participant.email)
    form = client.get(f"/events/{event.slug}/register").data.decode()
    assert '<option value="French">French</option>' in form and 'name="wants_captioning"' in form
    response = client.post(f"/events/{event.slug}/register", data=form_data(
        event, interpretation_language="Spanish", wants_captioning="y", wants_sign_language="y",
        sign_language_wanted="ASL", accessibility_needs="A seat near the screen"))
    assert response.status_code == 302
    registration = registration_services.existing_registration(event, participant.email)
    assert (registration.interpretation_language, registration.wants_captioning, registration.wants_sign_language,
            registration.sign_language_wanted, registration.accessibility_needs) == (
        "Spanish", True, True, "ASL", "A seat near the screen")


def test_interpretation_into_a_language_the_event_lacks_is_refused_beside_the_field(client, ctx):
    organiser, event = open_event()
    _offer(event, interpretation="French")
    participant = make_user()
    db.session.commit()
    login(client, participant.email)
    response = client.post(f"/events/{event.slug}/register", data=form_data(
        event, interpretation_language="Klingon", accessibility_needs="Typed before the mistake"))
    assert response.status_code == 422
    page = response.data.decode()
    assert 'id="interpretation_language-error"' in page
    assert "Typed before the mistake" in page
    assert registration_services.existing_registration(event, participant.email) is None


def test_organisers_see_the_services_counted_and_exported(client, ctx):
    organiser, event = open_event()
    _offer(event, interpretation="French, Spanish", captioning=True)
    for n, (language, captioning, sign, needs) in enumerate(
            [("French", True, "ASL", ""), ("French", False, "", "Step-free access"), ("Spanish", True, "", "")]):
        register(event, make_user(name=f"Person {n}"), interpretation_language=language, wants_captioning=captioning,
                 wants_sign_language=bool(sign), sign_language_wanted=sign, accessibility_needs=needs)
    db.session.commit()
    login(client, organiser.email)
    page = _text(client.get(f"/events/{event.slug}/registrations"))
    services_table = page.split("Services requested")[1].split("Name badges")[0]
    assert ("Interpretation into French 2 Interpretation into Spanish 1 Live captioning (CART) 2 "
            "Sign language: ASL 1 Other accessibility needs (in the export, personal) 1") in services_table
    assert "Step-free access" not in page  # the free text stays in the export, asked for on purpose
    rows = list(csv.reader(io.StringIO(client.get(
        f"/events/{event.slug}/registrations.csv?columns=name&columns=interpretation_language&columns=captioning"
        "&columns=sign_language").data.decode("utf-8-sig"))))
    assert rows == [["Name", "Interpretation into", "Live captioning (CART)", "Sign language"],
                    ["Person 0", "French", "yes", "ASL"], ["Person 1", "French", "", ""],
                    ["Person 2", "Spanish", "yes", ""]]


def test_counting_services_for_many_registrations_is_one_query(client, ctx, count_queries):
    from eventsite.registrations import reports
    organiser, event = open_event(capacity=50)
    _offer(event, interpretation="French")
    register(event, make_user(), interpretation_language="French")
    db.session.commit()
    with count_queries() as one:
        reports.counts(event)
    for n in range(5):
        register(event, make_user(), interpretation_language="French", wants_captioning=True)
    db.session.commit()
    with count_queries() as many:
        result = reports.counts(event)
    assert len(many) == len(one)
    assert result.services[("interpretation", "French")] == 6


def test_the_forum_wide_registrations_export_has_the_services_asked_for(client, ctx):
    import openpyxl
    from tests.factories import make_staff
    organiser, event = open_event()
    _offer(event, interpretation="French")
    register(event, make_user(name="Amina Haddad"), interpretation_language="French", wants_sign_language=True,
             sign_language_wanted="LSF")
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/forums/{event.forum.slug}/registrations.xlsx").data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][-3:] == ["Interpretation into", "Live captioning (CART)", "Sign language"]
    assert rows[1][-3:] == ["French", None, "LSF"]
