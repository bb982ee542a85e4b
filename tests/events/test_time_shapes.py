"""Every shape of time, on the pages and in the feeds alike: multi-day events, items past midnight,
all-day forum days, weekly meetings with skipped and moved weeks, and series across forums."""
import re
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
import recurring_ical_events
from sqlalchemy import select

from eventsite.agenda import services as agenda
from eventsite.agenda.models import ItemKind
from eventsite.errors import Conflict, DomainError
from eventsite.events import services
from eventsite.events.models import Event, EventOccurrence, Repeat, Status
from eventsite.extensions import db
from eventsite.series.services import save_series
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.feeds.test_feeds import icscheck

UTC = timezone.utc
HLPF = dict(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7))


def _forum(**kwargs):
    return make_forum(**{**HLPF, **kwargs})


def _briefing(forum, organiser, until=date(2027, 4, 29), **kwargs):
    """A weekly briefing, Thursdays 10:00–11:00 New York time, 4 March to 29 April 2027: New York moves
    to summer time on 14 March, so the UTC hour changes after the second meeting."""
    return make_event(forum, organiser=organiser, title="Group of Friends: weekly briefing", day=date(2027, 3, 4),
                      start=time(10), end=time(11), repeat=Repeat.WEEKLY, repeat_until=until,
                      status=Status.PUBLISHED, **kwargs)


def _meeting_on(event, day):
    return next(o for o in event.occurrences if o.local_start.date() == day)


def _page_meetings(html: str) -> list[tuple[datetime, datetime]]:
    """The meetings the event page lists, as the (start, end) instants in its <time> elements."""
    return [(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in
            re.findall(r'<time class="meeting-start" datetime="([^"]+)" data-end="([^"]+)"', html)]


def _client_meetings(ics: bytes) -> list[tuple[datetime, datetime]]:
    """What a calendar client shows: the feed's bytes expanded by icalendar and recurring-ical-events."""
    calendar = icalendar.Calendar.from_ical(ics)
    found = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2029, 1, 1))
    return sorted((v["DTSTART"].dt.astimezone(UTC), v["DTEND"].dt.astimezone(UTC)) for v in found)


def test_a_weekly_briefing_with_a_moved_and_a_skipped_week_shows_the_same_meetings_on_its_page_and_in_a_calendar(
        client, ctx, tmp_path):
    organiser = make_user()
    event = _briefing(_forum(), organiser)
    services.skip_meeting(_meeting_on(event, date(2027, 3, 25)), user=organiser)
    services.move_meeting(_meeting_on(event, date(2027, 4, 8)), date(2027, 4, 9), time(15), time(16), user=organiser)
    db.session.commit()

    page = client.get(f"/events/{event.slug}").data.decode()
    feed = client.get(f"/events/{event.slug}.ics").data

    on_page = _page_meetings(page)
    assert on_page == _client_meetings(feed)
    assert len(on_page) == 8  # nine Thursdays, one skipped
    assert on_page[0] == (datetime(2027, 3, 4, 15, tzinfo=UTC), datetime(2027, 3, 4, 16, tzinfo=UTC))  # EST
    assert on_page[1][0] == datetime(2027, 3, 11, 15, tzinfo=UTC)
    assert on_page[2][0] == datetime(2027, 3, 18, 14, tzinfo=UTC)  # EDT: still 10:00 in New York
    assert datetime(2027, 3, 25, 14, tzinfo=UTC) not in [start for start, _ in on_page]
    assert (datetime(2027, 4, 9, 19, tzinfo=UTC), datetime(2027, 4, 9, 20, tzinfo=UTC)) in on_page
    assert datetime(2027, 4, 8, 14, tzinfo=UTC) not in [start for start, _ in on_page]
    text = feed.decode()
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270430T035959Z" in text
    assert "EXDATE;TZID=America/New_York:20270325T100000" in text
    assert "RECURRENCE-ID;TZID=America/New_York:20270408T100000" in text
    assert "moved from Thursday 8 April 2027" in page
    icscheck(tmp_path, {"weekly-briefing": feed})


def test_a_monthly_meeting_repeats_on_the_same_day_of_the_month_in_its_own_zone(client, ctx):
    organiser = make_user()
    event = make_event(_forum(), organiser=organiser, day=date(2027, 1, 14), start=time(9), end=time(10),
                       repeat=Repeat.MONTHLY, repeat_until=date(2027, 5, 7), status=Status.PUBLISHED)
    db.session.commit()
    page = client.get(f"/events/{event.slug}").data.decode()
    assert [start.astimezone(event.local_start.tzinfo).strftime("%d %b %H:%M") for start, _ in _page_meetings(page)] \
        == ["14 Jan 09:00", "14 Feb 09:00", "14 Mar 09:00", "14 Apr 09:00"]
    assert _page_meetings(page) == _client_meetings(client.get(f"/events/{event.slug}.ics").data)


def test_a_skipped_meeting_frees_the_room_and_a_held_one_keeps_it(ctx):
    organiser = make_user()
    forum = _forum()
    briefing = _briefing(forum, organiser, until=date(2027, 5, 6))  # its last meeting in the forum's week
    db.session.flush()
    # A one-off event in the same room at a later meeting's time (not the first one's) is refused...
    with pytest.raises(Conflict) as refused:
        make_event(forum, organiser=organiser, day=date(2027, 5, 6), start=time(10, 30), end=time(11, 30),
                   title="Clashes with the briefing")
    assert "Group of Friends: weekly briefing" in refused.value.message and "6 May 2027" in refused.value.message
    # ...the briefing cannot be moved onto another event either...
    other = make_event(forum, organiser=organiser, day=date(2027, 5, 4), start=time(10), end=time(11),
                       title="Forum side event")
    with pytest.raises(Conflict):
        services.move_meeting(_meeting_on(briefing, date(2027, 4, 29)), date(2027, 5, 4), time(10, 30),
                              time(11, 30), user=organiser)
    # ...and a week the briefing does not meet is free.
    services.skip_meeting(_meeting_on(briefing, date(2027, 5, 6)), user=organiser)
    freed = make_event(forum, organiser=organiser, day=date(2027, 5, 6), start=time(10, 30), end=time(11, 30),
                       title="In the skipped week")
    assert freed.id and other.id
    # Putting the week back would double-book the room: refused with the other event's name.
    with pytest.raises(Conflict) as back:
        services.skip_meeting(_meeting_on(briefing, date(2027, 5, 6)), user=organiser, skipped=False)
    assert "In the skipped week" in back.value.message
    # A recurring event saved over a one-off one is refused at the meeting that clashes.
    with pytest.raises(Conflict) as recurring:
        make_event(forum, organiser=organiser, title="Second briefing", day=date(2027, 4, 6), start=time(10),
                   end=time(11), repeat=Repeat.WEEKLY, repeat_until=date(2027, 5, 7))
    assert "Forum side event" in recurring.value.message


def test_a_recurring_event_keeps_its_skipped_and_moved_meetings_when_its_details_are_saved(ctx):
    organiser = make_user()
    event = _briefing(_forum(), organiser)
    services.skip_meeting(_meeting_on(event, date(2027, 3, 25)), user=organiser)
    services.move_meeting(_meeting_on(event, date(2027, 4, 8)), date(2027, 4, 9), time(15), time(16), user=organiser)
    data = services.EventInput(title="Renamed briefing", forum=event.forum, timezone=event.timezone, room=event.room,
                               organisers=[services.OrganiserInput(o.organisation.name, o.organisation.kind)
                                           for o in event.organisers], **services.time_input(event))
    data.repeat_until = date(2027, 4, 22)  # one week shorter
    event.status = Status.APPROVED
    services.update_event(event, data, user=organiser)
    rows = db.session.scalars(select(EventOccurrence).where(EventOccurrence.event_id == event.id)
                              .order_by(EventOccurrence.original_start)).all()
    assert len(rows) == 8
    assert [r.local_start.date() for r in rows if r.skipped] == [date(2027, 3, 25)]
    assert [r.local_start.strftime("%Y-%m-%d %H:%M") for r in rows if r.moved] == ["2027-04-09 15:00"]


def test_a_recurring_meeting_needs_its_last_day_and_stays_within_its_forum(ctx):
    organiser = make_user()
    forum = _forum()
    with pytest.raises(DomainError) as no_end:
        make_event(forum, organiser=organiser, day=date(2027, 3, 4), repeat=Repeat.WEEKLY)
    assert no_end.value.field == "repeat_until"
    with pytest.raises(DomainError) as after:
        make_event(forum, organiser=organiser, day=date(2027, 3, 4), repeat=Repeat.WEEKLY,
                   repeat_until=date(2027, 6, 30))
    assert after.value.field == "repeat_until"


def test_a_two_day_workshop_shows_both_days_and_is_listed_on_each_day_of_the_programme(client, ctx, tmp_path):
    organiser = make_user()
    forum = _forum()
    workshop = make_event(forum, organiser=organiser, title="Two-day workshop on STI roadmaps",
                          day=date(2027, 5, 5), start=time(9, 30), end_day=date(2027, 5, 6), end=time(17),
                          status=Status.PUBLISHED)
    db.session.commit()
    page = client.get(f"/events/{workshop.slug}").data.decode()
    assert "Wednesday 5 May 2027, 09:30 – Thursday 6 May 2027, 17:00 EDT" in page
    programme = client.get(f"/forums/{forum.slug}").data.decode()
    days = re.findall(r'<section class="day" aria-labelledby="day-([0-9-]+)">(.*?)</section>', programme, re.S)
    assert [day for day, body in days if "Two-day workshop" in body] == ["2027-05-05", "2027-05-06"]
    assert "day 2 of 2" in dict(days)["2027-05-06"]
    second_day = client.get(f"/forums/{forum.slug}?day=2027-05-06").data.decode()
    assert "Two-day workshop" in second_day
    # the room is held on both days
    with pytest.raises(Conflict):
        make_event(forum, organiser=organiser, day=date(2027, 5, 6), start=time(13), end=time(14))
    ics = client.get(f"/events/{workshop.slug}.ics").data.decode()
    assert "DTSTART;TZID=America/New_York:20270505T093000" in ics
    assert "DTEND;TZID=America/New_York:20270506T170000" in ics
    icscheck(tmp_path, {"workshop": ics.encode()}, radicale=False)


def test_a_reception_until_1_am_takes_agenda_items_past_midnight(client, ctx, tmp_path):
    organiser = make_user()
    forum = _forum()
    login(client, organiser.email)
    reception = make_event(forum, organiser=organiser, title="Closing reception", day=date(2027, 5, 6),
                           start=time(19), end_day=date(2027, 5, 7), end=time(1), status=Status.PUBLISHED)
    db.session.commit()
    response = client.post(f"/events/{reception.slug}/agenda", data={
        "title": "Music", "kind": "other", "start": "22:30", "end": "01:00"})
    assert response.status_code == 302, response.data.decode()[-1500:]
    late = client.post(f"/events/{reception.slug}/agenda", data={
        "title": "Last words", "kind": "closing", "start": "00:50", "end": "01:00", "parallel": "y"})
    assert late.status_code == 302, late.data.decode()[-1500:]
    db.session.expire_all()
    items = {i.title: (i.local_start, i.local_end) for i in db.session.get(Event, reception.id).agenda_items}
    assert items["Music"][0].strftime("%d %H:%M") == "06 22:30" and items["Music"][1].strftime("%d %H:%M") == "07 01:00"
    assert items["Last words"][0].strftime("%d %H:%M") == "07 00:50"
    # an item that ends before it starts and does not fit the event is still refused, beside the field
    wrong = client.post(f"/events/{reception.slug}/agenda", data={
        "title": "Typo", "kind": "other", "start": "21:00", "end": "20:00"})
    assert wrong.status_code == 422 and "The item must end after it starts." in wrong.data.decode()
    page = client.get(f"/events/{reception.slug}").data.decode()
    assert "Thursday 6 May 2027, 19:00 – Friday 7 May 2027, 01:00 EDT" in page
    programme = client.get(f"/forums/{forum.slug}").data.decode()
    assert programme.count("Closing reception") == 1  # listed on its evening only
    feed = client.get(f"/events/{reception.slug}.ics?detail=agenda").data
    text = feed.decode()
    assert "DTEND;TZID=America/New_York:20270507T010000" in text
    icscheck(tmp_path, {"reception": feed}, radicale=False)


def test_an_event_form_accepts_an_end_the_next_day_and_an_all_day_entry(client, ctx):
    forum = _forum()
    forum.call_opens_on = forum.call_closes_on = None
    organiser = make_user()
    db.session.commit()
    login(client, organiser.email)
    base = {"title": "Evening reception", "timezone": "America/New_York", "format": "in_person", "room": "0",
            "organisers-0-name": "UN DESA", "organisers-0-kind": "un_entity", "series": "0", "repeat": ""}
    made = client.post(f"/forums/{forum.slug}/events/new", data={**base, "day": "2027-05-06", "start": "19:00",
                                                                 "end": "01:00"})
    assert made.status_code == 302, made.data.decode()[-2000:]
    event = db.session.scalar(select(Event).where(Event.title == "Evening reception"))
    assert (event.local_start.strftime("%d %H:%M"), event.local_end.strftime("%d %H:%M")) == ("06 19:00", "07 01:00")
    day = client.post(f"/forums/{forum.slug}/events/new", data={**base, "title": "Registration day",
                                                                "day": "2027-05-03", "all_day": "y"})
    assert day.status_code == 302, day.data.decode()[-2000:]
    entry = db.session.scalar(select(Event).where(Event.title == "Registration day"))
    assert entry.all_day and entry.local_start.strftime("%d %H:%M") == "03 00:00"
    assert entry.local_end.strftime("%d %H:%M") == "04 00:00"
    # no times and not all-day: the form says so beside the field, with what was typed
    missing = client.post(f"/forums/{forum.slug}/events/new", data={**base, "title": "No times", "day": "2027-05-04"})
    assert missing.status_code in (200, 422)
    assert "Give a start time, or mark the entry as all-day." in missing.data.decode()
    assert 'value="No times"' in missing.data.decode()


def test_an_all_day_entry_is_written_with_dates_and_an_exclusive_end_and_shown_as_all_day(client, ctx, tmp_path):
    organiser = make_user()
    forum = _forum()
    entry = make_event(forum, organiser=organiser, title="Registration day", day=date(2027, 5, 3), all_day=True,
                       room=None, start=None, end=None, status=Status.PUBLISHED)
    two = make_event(forum, organiser=organiser, title="Exhibition days", day=date(2027, 5, 4), all_day=True,
                     end_day=date(2027, 5, 5), room=None, start=None, end=None, status=Status.PUBLISHED)
    db.session.commit()
    vevents = {str(v["SUMMARY"]): v for v in
               icalendar.Calendar.from_ical(client.get(f"/forums/{forum.slug}.ics").data).walk("VEVENT")}
    assert vevents["Registration day"]["DTSTART"].dt == date(2027, 5, 3)
    assert vevents["Registration day"]["DTEND"].dt == date(2027, 5, 4)  # exclusive
    assert vevents["Exhibition days"]["DTEND"].dt == date(2027, 5, 6)
    text = client.get(f"/events/{entry.slug}.ics").data.decode()
    assert "DTSTART;VALUE=DATE:20270503" in text and "DTEND;VALUE=DATE:20270504" in text
    assert "Monday 3 May 2027, all day" in client.get(f"/events/{entry.slug}").data.decode()
    programme = client.get(f"/forums/{forum.slug}").data.decode()
    first_day = programme.split('aria-labelledby="day-2027-05-03"')[1].split("</section>")[0]
    assert "All day" in first_day and "Registration day" in first_day
    assert client.get(f"/forums/{forum.slug}?day=2027-05-05").data.decode().count("Exhibition days") == 1
    icscheck(tmp_path, {"all-day-forum": client.get(f"/forums/{forum.slug}.ics").data,
                        "all-day-event": text.encode(), "all-day-two": client.get(f"/events/{two.slug}.ics").data})


def test_a_series_has_its_page_and_feed_with_its_events_across_forums(client, ctx, tmp_path):
    staff = make_staff()
    organiser = make_user()
    oceans = save_series("Oceans", "The oceans events at every HLPF.", user=staff)
    old = make_event(make_forum(name="HLPF 2025"), organiser=organiser, title="Oceans 2025", status=Status.HELD)
    new = make_event(_forum(name="HLPF 2027"), organiser=organiser, title="Oceans 2027", day=date(2027, 5, 4),
                     status=Status.PUBLISHED)
    make_event(_forum(name="HLPF 2027 bis"), organiser=organiser, title="Not in the series", day=date(2027, 5, 4),
               status=Status.PUBLISHED)
    draft = make_event(_forum(name="HLPF 2028"), organiser=organiser, title="Oceans draft", day=date(2027, 5, 4))
    for event in (old, new, draft):
        event.series = oceans
    db.session.commit()
    page = client.get(f"/series/{oceans.slug}").data.decode()
    assert page.index("Oceans 2027") < page.index("Oceans 2025")  # newest first
    assert "HLPF 2025" in page and "HLPF 2027" in page and "Not in the series" not in page
    assert "Oceans draft" not in page
    assert "Oceans" in client.get(f"/events/{new.slug}").data.decode()
    feed = client.get(f"/series/{oceans.slug}.ics")
    assert feed.mimetype == "text/calendar"
    assert sorted(str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(feed.data).walk("VEVENT")) == [
        "Oceans 2025", "Oceans 2027"]
    assert client.get("/series/no-such-series.ics").status_code == 404
    icscheck(tmp_path, {"series": feed.data})


def test_feeds_with_recurring_meetings_use_a_fixed_number_of_queries(client, ctx, count_queries):
    organiser = make_user()
    one, many = _forum(name="One"), _forum(name="Many")
    _briefing(one, organiser)
    for n, hour in enumerate((9, 12, 15)):
        event = make_event(many, organiser=organiser, day=date(2027, 3, 4), start=time(hour), end=time(hour + 1),
                           repeat=Repeat.WEEKLY, repeat_until=date(2027, 4, 29), status=Status.PUBLISHED)
        services.skip_meeting(event.occurrences[n], user=organiser)
    db.session.commit()
    with count_queries() as one_queries:
        assert client.get(f"/forums/{one.slug}.ics").status_code == 200
    with count_queries() as many_queries:
        body = client.get(f"/forums/{many.slug}.ics").data
    assert len(one_queries) == len(many_queries)
    assert body.count(b"RRULE:") == 3 and body.count(b"EXDATE") == 3
    with count_queries() as one_page:
        client.get(f"/forums/{one.slug}")
    with count_queries() as many_page:
        client.get(f"/forums/{many.slug}")
    assert len(one_page) == len(many_page)


def test_moving_or_skipping_a_meeting_through_the_page_needs_an_editor_and_is_logged(client, ctx):
    organiser = make_user()
    event = _briefing(_forum(), organiser)
    stranger = make_user()
    db.session.commit()
    meeting = _meeting_on(event, date(2027, 3, 25))
    login(client, stranger.email)
    assert client.post(f"/events/{event.slug}/meetings/{meeting.id}/skip").status_code == 403
    db.session.refresh(meeting)
    assert not meeting.skipped
    client.post("/account/logout")
    login(client, organiser.email)
    assert client.post(f"/events/{event.slug}/meetings/{meeting.id}/skip").status_code == 302
    moved = client.post(f"/events/{event.slug}/meetings/{_meeting_on(event, date(2027, 4, 8)).id}/move",
                        data={"day": "2027-04-09", "start": "15:00", "end": "16:00"})
    assert moved.status_code == 302
    clash = client.post(f"/events/{event.slug}/meetings/{_meeting_on(event, date(2027, 4, 15)).id}/move",
                        data={"day": "2027-04-22", "start": "09:00", "end": "10:00"})
    assert clash.status_code == 422 and "Another meeting of this series is already on that day." in clash.data.decode()
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [o.local_start.date() for o in event.occurrences if o.skipped] == [date(2027, 3, 25)]
    assert [o.local_start.strftime("%m-%d %H:%M") for o in event.occurrences if o.moved] == ["04-09 15:00"]
    from eventsite.activity.models import ActivityEntry
    kinds = db.session.scalars(select(ActivityEntry.kind).where(ActivityEntry.event_id == event.id)).all()
    assert "event.meeting_skipped" in kinds and "event.meeting_moved" in kinds
