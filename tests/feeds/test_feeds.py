import io
import json
import subprocess
import sys
from datetime import date, time

import icalendar
import openpyxl
import pytest
from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.events import services
from eventsite.events.models import Forum, Organisation, Status
from eventsite.extensions import db
from eventsite.registrations.models import Question
from eventsite.speakers import services as speakers
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from tests.conftest import icscheck_command, login, shared_tool
from tests.factories import make_event, make_forum, make_user
from tests.registrations.helpers import open_event, register



def icscheck(tmp_path, feeds: dict[str, bytes], *, radicale=True):
    paths = []
    for name, data in feeds.items():
        path = tmp_path / f"{name}.ics"
        path.write_bytes(data)  # as served: CRLF and folding untouched
        paths.append(str(path))
    result = subprocess.run([icscheck_command(), "--json", *(["--radicale"] if radicale else []), *paths],
                            capture_output=True, text=True, timeout=900)
    report = json.loads(result.stdout)
    failures = {f["name"]: [x for x in f["findings"] if x["severity"] == "error"] for f in report["files"] if not f["ok"]}
    assert result.returncode == 0, json.dumps(failures, indent=1)[:4000]
    return report


def _vevents(data: bytes) -> dict[str, icalendar.Event]:
    return {str(v["UID"]): v for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_every_feed_kind_of_the_demo_passes_icscheck_with_a_real_caldav_server(app, client, tmp_path):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    login(client, "participant@demo.eventsite.org", "eventsite-demo")
    client.post("/account/calendar", data={"action": "create"})
    with app.app_context():
        token = db.session.scalar(select(User.calendar_token).where(User.email == "participant@demo.eventsite.org"))
        forum = db.session.scalar(select(Forum).where(Forum.slug == "sti-forum-2025"))
        room_id = next(r.id for r in forum.rooms if r.name == "Conference Room 6")
        organisation_id = db.session.scalar(select(Organisation.id).where(
            Organisation.name == "Permanent Mission of Zambia to the UN"))
        attend = db.session.scalar(select(Question).where(Question.label == "How will you attend?")).field_name
    # the participant registers, so the personal feed is not empty
    page = client.get("/events/ai-capacity-building-one-year-on/register")
    assert page.status_code == 200
    registered = client.post("/events/ai-capacity-building-one-year-on/register", data={
        "name": "Carlos Silva", "organisation": "UNESCO", "category": "un_system", attend: "Online", "consent": "y"})
    assert registered.status_code == 302
    urls = {
        "event": "/events/from-divide-to-synergy.ics",
        "event-agenda": "/events/from-divide-to-synergy.ics?detail=agenda",
        "forum": "/forums/sti-forum-2025.ics",
        "forum-agenda": "/forums/sti-forum-2025.ics?detail=agenda",
        "room": f"/forums/sti-forum-2025/rooms/{room_id}.ics",
        "organisation": f"/organisations/{organisation_id}.ics",
        "personal": f"/feeds/personal/{token}.ics",
    }
    feeds = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert ".ics" in response.headers["Content-Disposition"]
        feeds[name] = response.data
    icscheck(tmp_path, feeds)
    assert len(_vevents(feeds["event-agenda"])) == 1 + 5  # the event and its five agenda items
    assert b"speakers.demo.eventsite.org" not in b"".join(feeds.values())  # no speaker e-mail anywhere
    personal = _vevents(feeds["personal"])
    assert [str(v["SUMMARY"]) for v in personal.values()] == [
        "AI Capacity-Building, One Year On: What the Group of Friends Has Learned"]


def test_rescheduling_raises_sequence_keeps_uid_and_cancelling_keeps_the_event_in_the_feed(client, ctx):
    organiser = make_user()
    forum = make_forum()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    db.session.commit()
    before = _vevents(client.get(f"/forums/{forum.slug}.ics").data)
    uid = f"event-{event.id}@eventsite"
    assert int(before[uid]["SEQUENCE"]) == 0
    services.update_event(event, services.EventInput(
        title=event.title, forum=forum, day=date(2025, 5, 7), start=time(13, 15), end=time(14, 30),
        timezone=forum.timezone, room=event.room, contact_email=organiser.email, organisers=[]), user=organiser)
    db.session.commit()
    moved = _vevents(client.get(f"/forums/{forum.slug}.ics").data)[uid]
    assert int(moved["SEQUENCE"]) == 1 and moved["DTSTART"].dt.strftime("%d %H:%M") == "07 13:15"
    assert str(moved["DTSTART"].params["TZID"]) == "America/New_York"
    services.change_status(event, Status.CANCELLED, user=organiser, reason="Room unavailable")
    db.session.commit()
    cancelled = _vevents(client.get(f"/forums/{forum.slug}.ics").data)[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 2
    assert "Room unavailable" in str(cancelled["DESCRIPTION"])


def test_feeds_answer_304_when_unchanged_and_change_their_etag_when_the_event_does(client, ctx, count_queries):
    organiser = make_user()
    forum = make_forum()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    db.session.commit()
    url = f"/forums/{forum.slug}.ics"
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    db.session.commit()
    with count_queries() as queries:
        again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    assert len(queries) == 1  # the forum with the fingerprint of its events: no event is loaded
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    person = speakers.create_person(speakers.PersonInput(given_name="Lin", family_name="Gao"), user=organiser)[0]
    assignment = speakers.assign_speaker(event, person, SpeakerRole.KEYNOTE, user=organiser)
    speakers.set_speaker_status(assignment, InvitationStatus.CONFIRMED, user=organiser)
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Keynote speaker: Lin Gao" in str(_vevents(changed.data)[f"event-{event.id}@eventsite"]["DESCRIPTION"])


def test_a_personal_feed_holds_only_its_owners_events_and_its_address_can_be_renewed(client, ctx):
    organiser, event = open_event()
    _, other_event = open_event()
    me, someone = make_user(), make_user()
    register(event, me)
    register(other_event, someone)
    db.session.commit()
    login(client, me.email)
    client.post("/account/calendar", data={"action": "create"})
    db.session.refresh(me)
    old = me.calendar_token
    data = client.get(f"/feeds/personal/{old}.ics").data
    assert [str(v["SUMMARY"]) for v in _vevents(data).values()] == [event.title]
    assert someone.email.encode() not in data and me.email.encode() not in data
    client.post("/account/calendar", data={"action": "renew"})
    db.session.refresh(me)
    assert me.calendar_token != old and client.get(f"/feeds/personal/{old}.ics").status_code == 404
    assert client.get(f"/feeds/personal/{me.calendar_token}.ics").status_code == 200
    client.post("/account/calendar", data={"action": "revoke"})
    db.session.refresh(me)
    assert me.calendar_token is None


def test_drafts_have_no_public_feed(client, ctx):
    event = make_event(make_forum())
    db.session.commit()
    assert client.get(f"/events/{event.slug}.ics").status_code == 404
    assert event.title.encode() not in client.get(f"/forums/{event.forum.slug}.ics").data


@pytest.fixture(scope="module")
def workload():
    sys.path.insert(0, str(shared_tool("bench")))
    try:
        import forum_workload
    finally:
        sys.path.pop(0)
    return forum_workload.generate(2025)


def test_the_200_event_forum_feeds_conform_and_use_a_fixed_number_of_queries(client, ctx, count_queries, workload,
                                                                                tmp_path):
    from eventsite.demo.workload import load_workload
    small = {**workload, "events": workload["events"][:1]}
    one = load_workload(small, slug="one", registrants=False, name="One event")  # forum names are unique
    forum = load_workload(workload, slug="wl", registrants=False)
    db.session.commit()
    with count_queries() as one_queries:
        client.get(f"/forums/{one.slug}.ics?detail=agenda")
    db.session.commit()
    with count_queries() as many_queries:
        parents = client.get(f"/forums/{forum.slug}.ics")
    db.session.commit()
    with_agenda = client.get(f"/forums/{forum.slug}.ics?detail=agenda")
    assert len(many_queries) == len(one_queries)
    assert parents.data.count(b"BEGIN:VEVENT") == 200 and with_agenda.data.count(b"BEGIN:VEVENT") == 1400
    icscheck(tmp_path, {"forum-200": parents.data})  # with the CalDAV round trip
    icscheck(tmp_path, {"forum-200-agenda": with_agenda.data}, radicale=False)  # 1,400 PUTs would take minutes


def test_staff_export_the_programme_as_a_workbook_and_a_room_grid(client, ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    staff = make_user(staff=True)
    db.session.commit()
    login(client, staff.email)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/forums/{forum.slug}/programme.xlsx").data))
    assert workbook.sheetnames == ["Events", "Agenda items", "Speakers"]
    events = [[c.value for c in row] for row in workbook["Events"].iter_rows()]
    assert events[1][:6] == ["2025-05-06", "11:45", "13:00", "America/New_York", "Conference Room 6", event.title]
    grid = client.get(f"/forums/{forum.slug}/grid").data.decode()
    assert "Conference Room 6" in grid and event.title in grid and "11:45–13:00" in grid
    _, registration_event = open_event()
    register(registration_event, make_user(name="Amina Haddad"))
    db.session.commit()
    rows = client.get(f"/forums/{registration_event.forum.slug}/registrations.csv").data.decode("utf-8-sig")
    assert "Amina Haddad" in rows
    client.post("/account/logout")
    login(client, organiser.email)
    assert client.get(f"/forums/{registration_event.forum.slug}/registrations.csv").status_code == 403
