"""The public read-only API: what it lists, how it filters and pages, its ETags, CORS and errors."""
from datetime import date, time

from eventsite.agenda.models import AgendaItem, ItemKind
from eventsite.events.models import Format, OrganisationKind, Status
from eventsite.extensions import db
from eventsite.summaries.models import Summary, SummaryStatus
from tests.factories import make_event, make_forum

UN_ENTITY = (("UN DESA", OrganisationKind.UN_ENTITY, None),)


def _published(forum, **kwargs):
    return make_event(forum, status=Status.PUBLISHED, **kwargs)


def test_forums_list_their_rooms_and_count_of_public_events(client, ctx):
    forum = make_forum()
    _published(forum)
    make_event(forum, start=time(15, 0), end=time(16, 0))  # a draft is not counted
    db.session.commit()
    body = client.get("/api/v1/forums").json
    assert [f["slug"] for f in body["data"]] == [forum.slug]
    assert body["data"][0]["event_count"] == 1
    assert [r["name"] for r in body["data"][0]["rooms"]] == ["Conference Room 11", "Conference Room 6"]
    assert client.get(f"/api/v1/forums/{forum.slug}").json["timezone"] == "America/New_York"


def test_events_list_only_listed_events_with_times_in_their_timezone(client, ctx):
    forum = make_forum()
    event = _published(forum)
    cancelled = make_event(forum, status=Status.CANCELLED, start=time(15, 0), end=time(16, 0))
    make_event(forum, start=time(9, 0), end=time(10, 0))  # draft
    make_event(forum, status=Status.SUBMITTED, start=time(17, 0), end=time(18, 0))
    db.session.commit()
    data = client.get("/api/v1/events").json["data"]
    assert [e["slug"] for e in data] == [event.slug, cancelled.slug]
    first = data[0]
    assert first["starts_at"] == "2025-05-06T11:45:00-04:00"
    assert first["ends_at"] == "2025-05-06T13:00:00-04:00"
    assert first["room"]["name"] == "Conference Room 6"
    assert first["organisers"] == [{"name": "Permanent Mission of Zambia to the UN", "type": "member_state",
                                    "country": "ZM"}]
    assert first["sdgs"] == [9]
    assert first["format"] == "in_person"
    assert first["languages"] == ["English"]
    assert first["contact"] is None  # the organiser did not make the address public
    assert first["url"].endswith(f"/events/{event.slug}")


def test_events_filter_by_forum_day_sdg_organiser_type_format_and_text(client, ctx):
    forum, other = make_forum(), make_forum()
    a = _published(forum, title="Digital public goods", sdgs=(9, 17))
    b = _published(forum, title="Oceans and data", day=date(2025, 5, 7), sdgs=(14,), organisers=UN_ENTITY,
                   format=Format.HYBRID)
    c = _published(other, title="Elsewhere", sdgs=(9,))
    db.session.commit()

    def slugs(query):
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 200, response.json
        return [e["slug"] for e in response.json["data"]]
    assert slugs(f"forum={forum.slug}") == [a.slug, b.slug]
    assert slugs("sdg=9") == [a.slug, c.slug]
    assert slugs(f"forum={forum.slug}&sdg=9") == [a.slug]
    assert slugs(f"forum={forum.slug}&day=2025-05-07") == [b.slug]
    assert slugs("organiser_type=un_entity") == [b.slug]
    assert slugs("format=hybrid") == [b.slug]
    assert slugs("q=oceans") == [b.slug]


def test_cursor_pages_through_every_event_once(client, ctx):
    forum = make_forum()
    events = [_published(forum, start=time(9 + n), end=time(9 + n, 30), room=None) for n in range(5)]
    db.session.commit()
    seen, url, pages = [], "/api/v1/events?limit=2", 0
    while url:
        body = client.get(url).json
        seen += [e["slug"] for e in body["data"]]
        pages += 1
        url = body["next"] and body["next"].replace("http://localhost", "")
        assert (body["next_cursor"] is None) == (body["next"] is None)
    assert seen == [e.slug for e in events]
    assert pages == 3


def test_a_cursor_not_given_out_is_a_422_naming_the_field(client, ctx):
    response = client.get("/api/v1/events?cursor=not-a-cursor")
    assert response.status_code == 422
    assert response.json == {"errors": [{"field": "cursor", "message": "This cursor is not one the API gave out."}]}


def test_invalid_filters_are_422_with_one_error_per_field(client, ctx):
    response = client.get("/api/v1/events?sdg=18&format=outdoors")
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json["errors"]) == ["format", "sdg"]


def test_unknown_forum_event_and_address_are_json_404s(client, ctx):
    forum = make_forum()
    draft = make_event(forum)
    db.session.commit()
    for path in ("/api/v1/forums/nope", f"/api/v1/events/{draft.slug}", "/api/v1/events/nope/agenda",
                 "/api/v1/events?forum=nope", "/api/v1/nothing-here"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/json"
        assert response.json["errors"][0]["message"]


def test_writing_to_the_public_api_is_a_json_405(client, ctx):
    response = client.post("/api/v1/events", json={})
    assert response.status_code == 405
    assert "errors" in response.json


def test_event_detail_agenda_speakers_and_published_summary(client, ctx):
    from eventsite.speakers.models import InvitationStatus, Person, SpeakerAssignment, SpeakerRole
    event = _published(make_forum())
    item = AgendaItem(event=event, title="Opening", kind=ItemKind.OPENING, starts_at=event.starts_at,
                      ends_at=event.ends_at)
    confirmed = Person(given_name="Amina", family_name="Diallo", organisation="UNCTAD")
    invited = Person(given_name="Hidden", family_name="Speaker")
    db.session.add_all([item, confirmed, invited])
    db.session.flush()
    db.session.add_all([
        SpeakerAssignment(event=event, person=confirmed, role=SpeakerRole.MODERATOR, agenda_item_id=item.id,
                          status=InvitationStatus.CONFIRMED),
        SpeakerAssignment(event=event, person=invited, role=SpeakerRole.PANELLIST, status=InvitationStatus.INVITED)])
    db.session.add(Summary(event=event, template_key="sti-side-event", status=SummaryStatus.DRAFT,
                           sections={"key_messages": ["Draft"]}))
    db.session.commit()
    detail = client.get(f"/api/v1/events/{event.slug}").json
    assert [i["title"] for i in detail["agenda"]] == ["Opening"]
    assert [s["name"] for s in detail["agenda"][0]["speakers"]] == ["Amina Diallo"]
    assert client.get(f"/api/v1/events/{event.slug}/speakers").json["data"] == [
        {"name": "Amina Diallo", "role": "moderator", "position": "", "organisation": "UNCTAD",
         "agenda_item": item.id}]
    assert client.get(f"/api/v1/events/{event.slug}/agenda").json["data"][0]["kind"] == "opening"
    assert client.get(f"/api/v1/events/{event.slug}/summary").status_code == 404  # a draft is not public
    event.summary.status = SummaryStatus.PUBLISHED
    db.session.commit()
    assert client.get(f"/api/v1/events/{event.slug}/summary").json["sections"] == {"key_messages": ["Draft"]}


def test_an_unchanged_list_answers_304_and_a_change_gives_a_new_etag(client, ctx):
    forum = make_forum()
    event = _published(forum)
    db.session.commit()
    first = client.get(f"/api/v1/events?forum={forum.slug}")
    etag = first.headers["ETag"]
    again = client.get(f"/api/v1/events?forum={forum.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    event.sign_language = True
    db.session.commit()
    changed = client.get(f"/api/v1/events?forum={forum.slug}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json["data"][0]["accessibility"]["sign_language"] is True
    assert changed.headers["ETag"] != etag


def test_cors_lets_any_site_read_but_not_write(client, ctx):
    make_forum()
    db.session.commit()
    response = client.get("/api/v1/forums", headers={"Origin": "https://sdgs.un.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/events", headers={"Origin": "https://sdgs.un.org",
                                                          "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    assert "Access-Control-Allow-Origin" not in client.get("/").headers  # the site itself stays same-origin


def test_event_list_costs_the_same_queries_for_one_event_as_for_many(client, ctx, count_queries, app):
    app.config["PAGE_CACHE"] = False
    try:
        forum = make_forum()
        _published(forum, room=None)
        db.session.commit()
        with count_queries() as one:
            assert len(client.get(f"/api/v1/events?forum={forum.slug}").json["data"]) == 1
        for n in range(5):
            _published(forum, start=time(14 + n), end=time(14 + n, 30), room=None, organisers=UN_ENTITY + (
                (f"Mission {n}", OrganisationKind.MEMBER_STATE, "FR"),), sdgs=(n + 1, 17))
        db.session.commit()
        with count_queries() as six:
            assert len(client.get(f"/api/v1/events?forum={forum.slug}").json["data"]) == 6
        assert len(six) == len(one)
        with count_queries() as detail_one:
            client.get(f"/api/v1/forums")
        assert len(detail_one) <= 3
    finally:
        app.config["PAGE_CACHE"] = True


def test_the_openapi_document_is_3_1_and_describes_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/v1/forums", "/api/v1/forums/{slug}", "/api/v1/events",
                                      "/api/v1/events/{slug}", "/api/v1/events/{slug}/agenda",
                                      "/api/v1/events/{slug}/speakers", "/api/v1/events/{slug}/summary",
                                      "/api/v1/me/events", "/api/v1/events/{slug}/registrations",
                                      "/api/v1/events/{slug}/check-in", "/api/v1/events/{slug}/agenda/{item_id}",
                                      "/api/v1/forums/{slug}/outcome"}
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/events/{slug}/check-in"]["post"]["security"] == [{"token": []}]
    parameters = {p["name"] for p in document["paths"]["/api/v1/events"]["get"]["parameters"]}
    assert {"forum", "day", "sdg", "organiser_type", "format", "q", "cursor", "limit"} <= parameters
    assert document["components"]["schemas"]["Errors"]["required"] == ["errors"]


def test_the_documentation_page_lists_the_endpoints_without_inline_script_or_style(client):
    response = client.get("/api/v1/docs")
    page = response.data.decode()
    assert response.status_code == 200
    assert "GET /api/v1/events" in page and "organiser_type" in page
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert "http" not in page.split("openapi.json")[0].split("<body")[0].replace("http-equiv", "")  # no CDN in head


def test_a_nul_character_anywhere_is_refused_before_the_database_sees_it(client, ctx):
    # PostgreSQL refuses NUL in text; the contract test found the 500s this used to give there.
    assert client.get("/api/v1/events/a%00b").status_code == 404
    response = client.get("/api/v1/events?q=a%00b")
    assert response.status_code == 400
    assert response.json["errors"][0]["message"].startswith("The address contains control characters")
