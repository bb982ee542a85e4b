import re
from datetime import date, time

from eventsite.events.models import Format, OrganisationKind, Status
from eventsite.extensions import db
from tests.factories import make_event, make_forum, make_user


def _text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.data.decode()))


def test_demo_forum_shows_the_seed_side_event_in_new_york_time(app, client):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    page = _text(client.get("/forums/sti-forum-2025"))
    assert "Tuesday 6 May 2025" in page
    assert "11:45–13:00 EDT · Conference Room 6 From Divide to Synergy: Global Cooperation Frameworks for AI Capacity-Building" in page
    # each organiser is isolated (<bdi>), so the list keeps its order in Arabic too
    assert ("Permanent Mission of China to the UN ; Permanent Mission of Zambia to the UN ; "
            "China Association for Science and Technology") in page
    assert "Open Science for the SDGs" not in page  # a draft


def test_event_page_shows_time_room_and_concept_note(app, client):
    app.test_cli_runner().invoke(args=["demo"])
    page = _text(client.get("/events/high-level-meeting-international-cooperation-ai"))
    assert "Wednesday 25 September 2024, 13:15–14:30 EDT" in page
    assert "Objectives To enhance the understanding of AI technologies" in page
    assert "How to enhance capacity of policymakers to develop and implement AI strategies and regulations?" in page


def test_programme_filters_by_day_room_sdg_type_format_and_text(client, ctx):
    forum = make_forum()
    a = make_event(forum, title="Open data panel", status=Status.PUBLISHED, sdgs=(9,), format=Format.HYBRID)
    b = make_event(forum, title="Ocean science dialogue", status=Status.PUBLISHED, day=date(2025, 5, 7),
                   room="Conference Room 11", sdgs=(14,),
                   organisers=(("UNESCO", OrganisationKind.UN_ENTITY, None),))
    db.session.commit()
    url = f"/forums/{forum.slug}"

    def titles(query):
        page = _text(client.get(url, query_string=query))
        return [t for t in (a.title, b.title) if t in page]

    assert titles({}) == [a.title, b.title]
    assert titles({"day": "2025-05-07"}) == [b.title]
    assert titles({"room": str(b.room_id)}) == [b.title]
    assert titles({"sdg": "9"}) == [a.title]
    assert titles({"kind": "un_entity"}) == [b.title]
    assert titles({"format": "hybrid"}) == [a.title]
    assert titles({"q": "UNESCO"}) == [b.title]
    assert titles({"q": "matters"}) == [a.title, b.title]  # concept-note background
    assert titles({"q": "%"}) == []
    assert titles({"day": "not-a-date", "sdg": "x"}) == [a.title, b.title]


def test_programme_of_200_events_uses_as_many_queries_as_that_of_one(client, ctx, count_queries):
    forum = make_forum(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7),
                       rooms=[f"Conference Room {n}" for n in range(1, 9)])
    organiser = make_user()
    slots = [(time(8, 15), time(9, 30)), (time(10, 0), time(11, 15)), (time(11, 45), time(13, 0)),
             (time(13, 15), time(14, 30)), (time(15, 0), time(16, 15))]
    plan = [(date(2027, 5, d), slot, room) for d in range(3, 8) for slot in slots for room in range(1, 9)]

    def add(day, slot, room):
        make_event(forum, organiser=organiser, status=Status.PUBLISHED, room=f"Conference Room {room}", day=day,
                   start=slot[0], end=slot[1], concept_note=False, sdgs=(room, 17),
                   organisers=((f"Organisation {room}", OrganisationKind.ACADEMIA, "KE"),
                               ("UN DESA", OrganisationKind.UN_ENTITY, None)))

    add(*plan[0])
    db.session.commit()
    with count_queries() as one:
        assert client.get(f"/forums/{forum.slug}").status_code == 200
    for entry in plan[1:]:
        add(*entry)
    db.session.commit()
    with count_queries() as many:
        page = client.get(f"/forums/{forum.slug}").data.decode()
    assert page.count('class="event-item') == 200
    assert len(many) == len(one)
