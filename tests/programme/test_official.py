"""The forum's official programme: entered by staff, shown as official on the programme and in the
forum feed; side events overlapping a meeting are warned about or refused; its room is booked."""
from datetime import date, time

import icalendar
import pytest
from sqlalchemy import select

from eventsite.errors import DomainError, NotAllowed
from eventsite.events import services as event_services
from eventsite.events.models import Event, Status
from eventsite.extensions import db
from eventsite.programme import services
from eventsite.programme.models import OfficialMeeting
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user, room_named
from tests.feeds.test_feeds import icscheck

DAY = date(2025, 5, 6)


def _plenary(forum, *, side_events="", room=None, start=time(10, 0), end=time(13, 0), title="Opening plenary"):
    return services.save_meeting(forum, services.MeetingInput(title=title, day=DAY, start=start, end=end,
                                                              room=room, location="" if room else
                                                              "General Assembly Hall", side_events=side_events),
                                 user=make_staff())


# ---------------------------------------------------------------- services

def test_a_side_event_on_a_refusing_meeting_is_refused_naming_the_meeting_and_its_time(ctx):
    forum = make_forum()
    _plenary(forum, side_events="refuse")
    with pytest.raises(DomainError) as refused:
        make_event(forum, start=time(11, 45), end=time(13, 0))
    assert refused.value.message == ("No side event may take place during the official meeting “Opening plenary” "
                                     "(Tuesday 6 May 2025, 10:00–13:00 EDT); choose another time.")
    assert refused.value.field == "start"


def test_the_forums_setting_refuses_when_the_meeting_follows_it(ctx):
    forum = make_forum()
    forum.official_overlap_rule = "refuse"
    _plenary(forum)
    with pytest.raises(DomainError):
        make_event(forum, start=time(12, 0), end=time(13, 30))


def test_a_warning_meeting_lets_the_event_in_and_flags_it(ctx):
    forum = make_forum()
    _plenary(forum, side_events="warn")
    event = make_event(forum, start=time(12, 0), end=time(13, 30))
    [clash] = services.clashes(forum, services.event_intervals(event))
    assert clash.rule == "warn" and "“Opening plenary”" in clash.message


def test_a_meeting_that_allows_side_events_raises_nothing(ctx):
    forum = make_forum()
    forum.official_overlap_rule = "refuse"
    _plenary(forum, side_events="allow")
    event = make_event(forum, start=time(12, 0), end=time(13, 30))
    assert services.clashes(forum, services.event_intervals(event)) == []


def test_an_event_touching_the_meeting_end_to_start_does_not_overlap(ctx):
    forum = make_forum()
    _plenary(forum, side_events="refuse")
    event = make_event(forum, start=time(13, 0), end=time(14, 0))
    assert services.clashes(forum, services.event_intervals(event)) == []


def test_a_meeting_placed_after_the_event_refuses_its_submission(ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, start=time(11, 45), end=time(13, 0))
    _plenary(forum, side_events="refuse")
    with pytest.raises(DomainError) as refused:
        event_services.change_status(event, Status.SUBMITTED, user=organiser)
    assert "“Opening plenary”" in refused.value.message


def test_an_official_meetings_room_is_booked_for_side_events(ctx):
    forum = make_forum()
    _plenary(forum, side_events="allow", room=room_named(forum, "Conference Room 6"))
    with pytest.raises(DomainError) as refused:
        make_event(forum, room="Conference Room 6", start=time(12, 0), end=time(13, 30))
    assert refused.value.field == "room" and "official meeting “Opening plenary”" in refused.value.message
    assert make_event(forum, room="Conference Room 11", start=time(12, 0), end=time(13, 30)).id


def test_a_meeting_is_not_placed_in_a_room_a_side_event_holds(ctx):
    forum = make_forum()
    event = make_event(forum, room="Conference Room 6", start=time(11, 45), end=time(13, 0))
    with pytest.raises(DomainError) as refused:
        _plenary(forum, room=room_named(forum, "Conference Room 6"))
    assert refused.value.field == "room" and f"side event “{event.title}”" in refused.value.message


def test_only_staff_enter_the_official_programme(ctx):
    forum = make_forum()
    with pytest.raises(NotAllowed):
        services.save_meeting(forum, services.MeetingInput(title="Opening", day=DAY, start=time(10), end=time(11)),
                              user=make_user())


def test_a_meeting_outside_the_forums_days_is_refused_beside_the_day(ctx):
    forum = make_forum()
    with pytest.raises(DomainError) as refused:
        services.save_meeting(forum, services.MeetingInput(title="Opening", day=date(2025, 6, 1), start=time(10),
                                                           end=time(11)), user=make_staff())
    assert refused.value.field == "day"


def test_review_flags_for_many_events_take_one_query(ctx, count_queries):
    forum = make_forum()
    _plenary(forum, side_events="warn")
    one = [make_event(forum, start=time(12, 0), end=time(12, 30), room=None)]
    three = one + [make_event(forum, start=time(12, 0), end=time(12, 30), room=None) for _ in range(2)]
    db.session.flush()
    with count_queries() as for_one:
        services.clashes_by_event(one)
    with count_queries() as for_three:
        found = services.clashes_by_event(three)
    assert len(for_one.statements) == len(for_three.statements) == 1
    assert len(found) == 3


# ---------------------------------------------------------------- end to end, through HTTP

def _staff_forum(app):
    with app.app_context(), app.test_request_context():
        forum, staff, organiser = make_forum(), make_staff(), make_user()
        db.session.commit()
        return forum.slug, staff.email, organiser.email, room_named(forum, "Conference Room 6").id


def _add_plenary(client, slug, **extra):
    return client.post(f"/forums/{slug}/official", data={
        "title": "Opening plenary", "day": "2025-05-06", "start": "10:00", "end": "13:00", "room": "0",
        "location": "General Assembly Hall", **extra})


def _propose(client, slug, start="11:45", end="13:00", room="0"):
    return client.post(f"/forums/{slug}/events/new", data={
        "title": "Oceans and data", "day": "2025-05-06", "start": start, "end": end, "timezone": "America/New_York",
        "format": "in_person", "languages": "English", "room": room, "external_venue": "Church Center for the UN",
        "organisers-0-name": "Permanent Mission of Zambia to the UN", "organisers-0-kind": "member_state",
        "contact_email": "contact@example.org"})


def test_side_event_dropped_on_the_opening_plenary_is_refused_where_the_forum_says_so(app):
    """The issue's acceptance, first half: refused where the forum says so."""
    staff_client, organiser_client = app.test_client(), app.test_client()
    slug, staff_email, organiser_email, _ = _staff_forum(app)
    login(staff_client, staff_email)
    login(organiser_client, organiser_email)
    assert _add_plenary(staff_client, slug, side_events="refuse").status_code == 302

    page = _propose(organiser_client, slug)
    html = page.data.decode()
    assert page.status_code in (200, 422)
    assert "No side event may take place during the official meeting “Opening plenary” " \
           "(Tuesday 6 May 2025, 10:00–13:00 EDT)" in html
    assert 'value="Oceans and data"' in html  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(select(Event).where(Event.title == "Oceans and data")) is None
    assert _propose(organiser_client, slug, start="13:15", end="14:30").status_code == 302


def test_side_event_dropped_on_the_opening_plenary_is_flagged_in_review_otherwise(app):
    """The issue's acceptance, second half: flagged in review where the forum only warns."""
    staff_client, organiser_client = app.test_client(), app.test_client()
    slug, staff_email, organiser_email, _ = _staff_forum(app)
    login(staff_client, staff_email)
    login(organiser_client, organiser_email)
    _add_plenary(staff_client, slug)  # the forum's setting: warn
    assert _propose(organiser_client, slug).status_code == 302
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == "Oceans and data"))
        from eventsite.accounts.models import User
        author = db.session.get(User, event.created_by_id)
        event_services.save_concept_note(event, {"background": "<p>Why.</p>", "objectives": ["To share"]},
                                         user=author)
        db.session.commit()
        event_slug = event.slug
    own_page = organiser_client.get(f"/events/{event_slug}").data.decode()
    assert "This side event overlaps the official meeting “Opening plenary”" in own_page
    organiser_client.post(f"/events/{event_slug}/status", data={"to": "submitted"})
    review = staff_client.get("/review").data.decode()
    assert "Oceans and data" in review
    assert "This side event overlaps the official meeting “Opening plenary” (Tuesday 6 May 2025, " \
           "10:00–13:00 EDT)." in review


def test_official_meetings_are_marked_on_the_programme_and_in_the_forum_feed(app, tmp_path):
    staff_client, visitor = app.test_client(), app.test_client()
    slug, staff_email, organiser_email, room_id = _staff_forum(app)
    login(staff_client, staff_email)
    _add_plenary(staff_client, slug, side_events="refuse")
    page = visitor.get(f"/forums/{slug}").data.decode()
    assert 'class="badge badge-official">Official</span> Opening plenary' in page
    assert "No side events during this meeting." in page

    feed = visitor.get(f"/forums/{slug}.ics")
    [entry] = [v for v in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")
               if str(v["SUMMARY"]) == "Opening plenary"]
    assert [str(c) for c in entry["CATEGORIES"].cats] == ["Official meeting"]
    assert str(entry["LOCATION"]) == "General Assembly Hall"
    icscheck(tmp_path, {"forum-with-official-programme": feed.data})

    etag = feed.headers["ETag"]
    with app.app_context():
        meeting = db.session.scalar(select(OfficialMeeting))
        meeting_id = meeting.id
    staff_client.post(f"/forums/{slug}/official?meeting={meeting_id}", data={
        "title": "Opening plenary", "day": "2025-05-06", "start": "10:00", "end": "12:00", "room": str(room_id),
        "location": "", "side_events": "refuse"})
    again = visitor.get(f"/forums/{slug}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 200
    [moved] = [v for v in icalendar.Calendar.from_ical(again.data).walk("VEVENT")
               if str(v["SUMMARY"]) == "Opening plenary"]
    assert int(moved["SEQUENCE"]) == 1 and "Conference Room 6" in str(moved["LOCATION"])
    assert "10:00–12:00" in visitor.get(f"/forums/{slug}").data.decode()


def test_a_meeting_form_with_an_end_before_its_start_is_shown_again_with_the_error(app):
    client = app.test_client()
    slug, staff_email, _, _ = _staff_forum(app)
    login(client, staff_email)
    page = _add_plenary(client, slug, end="09:00")
    assert page.status_code == 422
    html = page.data.decode()
    assert "The meeting must end after it starts." in html and 'value="Opening plenary"' in html


def test_staff_remove_a_meeting(app):
    client = app.test_client()
    slug, staff_email, _, _ = _staff_forum(app)
    login(client, staff_email)
    _add_plenary(client, slug)
    with app.app_context():
        meeting_id = db.session.scalar(select(OfficialMeeting.id))
    assert client.post(f"/forums/{slug}/official/{meeting_id}/remove").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(OfficialMeeting.id)) is None


def test_the_forum_feed_and_page_take_as_many_queries_for_three_meetings_as_for_one(app, client, ctx,
                                                                                   count_queries):
    forum = make_forum()
    _plenary(forum, start=time(9), end=time(10))
    db.session.commit()
    slug = forum.slug
    app.config["FEED_CACHE"] = False
    try:
        with count_queries() as feed_one:
            client.get(f"/forums/{slug}.ics")
        with count_queries() as page_one:
            client.get(f"/forums/{slug}?day=2025-05-06")
        _plenary(forum, start=time(15), end=time(16), title="VNR presentations")
        _plenary(forum, start=time(17), end=time(18), title="Closing plenary")
        db.session.commit()
        with count_queries() as feed_three:
            feed = client.get(f"/forums/{slug}.ics")
        with count_queries() as page_three:
            client.get(f"/forums/{slug}?day=2025-05-06")
    finally:
        app.config["FEED_CACHE"] = True
    assert len(icalendar.Calendar.from_ical(feed.data).walk("VEVENT")) == 3
    assert len(feed_one.statements) == len(feed_three.statements)
    assert len(page_one.statements) == len(page_three.statements)


def test_the_programme_shows_meetings_and_side_events_in_the_order_they_start(app, client):
    with app.app_context(), app.test_request_context():
        forum = make_forum()
        event = make_event(forum, start=time(11, 45), end=time(13, 0), status=Status.PUBLISHED, title="Lunch event")
        _plenary(forum, start=time(10), end=time(11, 30))
        _plenary(forum, start=time(15), end=time(18), title="Ministerial segment")
        db.session.commit()
        slug = forum.slug
    page = client.get(f"/forums/{slug}").data.decode()
    assert page.index("Opening plenary") < page.index("Lunch event") < page.index("Ministerial segment")
