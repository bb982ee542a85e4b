"""Hostile input on the forms of time shapes: a repeat rule, a meeting moved, a series named."""
from datetime import date, time

from sqlalchemy import select

from eventsite.events.models import Event, EventOccurrence, Repeat, Status
from eventsite.extensions import db
from eventsite.series.models import Series
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.security.test_hardening import field_error

CONTROL_MESSAGE = "Remove the control characters (such as NUL) from this field"


def _briefing():
    organiser = make_user()
    forum = make_forum(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7))
    event = make_event(forum, organiser=organiser, day=date(2027, 3, 4), start=time(10), end=time(11),
                       repeat=Repeat.WEEKLY, repeat_until=date(2027, 4, 29), status=Status.PUBLISHED)
    db.session.commit()
    return organiser, event


def test_a_meeting_moved_to_a_day_no_clock_converts_is_refused_beside_the_field(client, ctx):
    organiser, event = _briefing()
    login(client, organiser.email)
    meeting = event.occurrences[1]
    for day in ("9999-12-31", "0001-01-01", "2027-13-45"):
        response = client.post(f"/events/{event.slug}/meetings/{meeting.id}/move",
                               data={"day": day, "start": "10:00", "end": "11:00"})
        assert response.status_code == 422, day
        assert field_error(response.get_data(as_text=True), "day"), day
    db.session.refresh(meeting)
    assert not meeting.moved


def test_a_meeting_id_of_another_event_or_beyond_any_column_is_not_found(client, ctx):
    organiser, event = _briefing()
    other = make_event(event.forum, organiser=make_user(), day=date(2027, 3, 5), start=time(10), end=time(11),
                       repeat=Repeat.WEEKLY, repeat_until=date(2027, 4, 2), room=None)
    db.session.commit()
    login(client, organiser.email)
    assert client.post(f"/events/{event.slug}/meetings/{other.occurrences[0].id}/skip").status_code == 404
    assert client.post(f"/events/{event.slug}/meetings/{2**63}/skip").status_code == 404
    assert db.session.scalar(select(db.func.count(EventOccurrence.id)).where(EventOccurrence.skipped)) == 0


def test_a_repeat_rule_with_a_last_day_far_away_or_forged_is_refused_beside_its_field(client, ctx):
    organiser = make_user()
    forum = make_forum(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7))
    forum.call_opens_on = forum.call_closes_on = None
    db.session.commit()
    login(client, organiser.email)
    base = {"title": "Briefing", "timezone": "America/New_York", "format": "in_person", "room": "0",
            "organisers-0-name": "UN DESA", "organisers-0-kind": "un_entity", "series": "0",
            "day": "2027-03-04", "start": "10:00", "end": "11:00"}
    far = client.post(f"/forums/{forum.slug}/events/new", data={**base, "repeat": "weekly",
                                                                "repeat_until": "2999-12-31"})
    assert far.status_code in (200, 422) and field_error(far.get_data(as_text=True), "repeat_until")
    forged = client.post(f"/forums/{forum.slug}/events/new", data={**base, "repeat": "daily\x00",
                                                                   "repeat_until": "2027-04-29"})
    assert forged.status_code in (200, 422) and field_error(forged.get_data(as_text=True), "repeat")
    series = client.post(f"/forums/{forum.slug}/events/new", data={**base, "series": str(2**63)})
    assert series.status_code in (200, 422) and field_error(series.get_data(as_text=True), "series")
    assert db.session.scalar(select(db.func.count(Event.id))) == 0


def test_nul_in_a_series_title_is_refused_beside_it_and_a_taken_title_too(client, ctx):
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    response = client.post("/staff/series", data={"title": "Oceans\x00", "description": "About oceans"})
    assert response.status_code in (200, 422)
    assert field_error(response.get_data(as_text=True), "title").startswith(CONTROL_MESSAGE)
    assert "About oceans" in response.get_data(as_text=True)
    assert client.post("/staff/series", data={"title": "Oceans"}).status_code == 302
    again = client.post("/staff/series", data={"title": "  oceans "})
    assert "already exists" in field_error(again.get_data(as_text=True), "title")
    assert db.session.scalar(select(db.func.count(Series.id))) == 1
