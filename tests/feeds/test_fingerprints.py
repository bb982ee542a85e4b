"""Every field each feed and cached page shows: changed through the services, the next GET has a
new ETag and the new text, never a 304 or the worker's stale copy."""
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event

from eventsite.agenda import services as agenda
from eventsite.core.time import utcnow
from eventsite.agenda.models import ItemKind
from eventsite.events import services, shown
from eventsite.events.models import Event, Format, OrganisationKind, Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.speakers import services as speakers
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from tests.factories import make_staff, make_user
from tests.registrations.helpers import open_event, register


@dataclass
class World:
    staff: object
    organiser: object
    event: Event
    forum: object
    room: object
    organisation: object
    item: object
    person: object
    participant: object


@pytest.fixture
def world(ctx):
    organiser, event = open_event(capacity=10)
    staff = make_staff()
    forum, room = event.forum, event.room
    services.save_concept_note(event, {"background": "<p>Why this event matters.</p>",
                                       "objectives": ["To share practice"]}, user=organiser)
    item = agenda.save_agenda_item(event, agenda.AgendaItemInput(
        title="Opening remarks", kind=ItemKind.OPENING, start=time(11, 45), end=time(12, 0),
        description="Welcome by the co-chairs"), user=organiser)
    person = speakers.create_person(speakers.PersonInput(given_name="Lin", family_name="Gao", position="Director",
                                                         organisation="UNESCO", email="lin.gao@example.org"),
                                    user=organiser)[0]
    assignment = speakers.assign_speaker(event, person, SpeakerRole.KEYNOTE, user=organiser, agenda_item=item)
    speakers.set_speaker_status(assignment, InvitationStatus.CONFIRMED, user=organiser)
    participant = make_user(name="Amina Haddad")
    register(event, participant)
    participant.calendar_token = "t" * 40
    db.session.commit()
    return World(staff, organiser, event, forum, room, event.organisers[0].organisation, item, person, participant)


def edit(w: World, **changes):
    """Save the event's edit form with some values changed, as the organiser would."""
    event = w.event
    values = dict(
        title=event.title, subtitle=event.subtitle, forum=event.forum, day=event.local_start.date(),
        start=event.local_start.time(), end=event.local_end.time(), timezone=event.timezone, room=event.room,
        external_venue=event.external_venue, format=event.format, webcast_url=event.webcast_url,
        languages=event.languages, interpretation_languages=event.interpretation_languages,
        captioning=event.captioning, sign_language=event.sign_language,
        contact_email_public=event.contact_email_public,
        accessibility_notes=event.accessibility_notes, contact_name=event.contact_name,
        contact_email=event.contact_email, sdgs=event.sdg_numbers,
        organisers=[services.OrganiserInput(o.organisation.name, o.organisation.kind, o.organisation.country)
                    for o in event.organisers])
    values.update(changes)
    services.update_event(event, services.EventInput(**values), user=w.organiser)


def publish_summary(w: World):
    from eventsite.summaries import services as summaries
    from eventsite.summaries.models import SummaryStatus
    from tests.summaries.test_summaries import _seed_content
    summary = summaries.save(w.event, _seed_content(), user=w.organiser, base_revision=0)
    for step in (SummaryStatus.SUBMITTED, SummaryStatus.APPROVED, SummaryStatus.PUBLISHED):
        summaries.change_status(summary, step, user=w.organiser)


def edit_item(w: World, **changes):
    item = w.item
    values = dict(title=item.title, kind=item.kind, start=item.local_start.time(), end=item.local_end.time(),
                  description=item.description, parallel=item.parallel)
    values.update(changes)
    agenda.save_agenda_item(w.event, agenda.AgendaItemInput(**values), user=w.organiser, item=item)


def edit_person(w: World, **changes):
    p = w.person
    values = dict(given_name=p.given_name, family_name=p.family_name, honorific=p.honorific, position=p.position,
                  organisation=p.organisation, email=p.email)
    values.update(changes)
    speakers.update_person(p, speakers.PersonInput(**values), user=w.organiser)


def edit_forum(w: World, **changes):
    f = w.forum
    values = {name: getattr(f, name) for name in (
        "name", "starts_on", "ends_on", "timezone", "theme", "venue", "call_opens_on", "call_closes_on",
        "concept_note_guidance", "concept_note_questions", "summary_template")}
    values.update(changes)
    services.save_forum(services.ForumInput(**values), user=w.staff, forum=f)


def confirm_new_speaker(w: World):
    person = speakers.create_person(speakers.PersonInput(given_name="Kofi", family_name="Mensah"),
                                    user=w.organiser)[0]
    assignment = speakers.assign_speaker(w.event, person, SpeakerRole.PANELLIST, user=w.organiser)
    speakers.set_speaker_status(assignment, InvitationStatus.CONFIRMED, user=w.organiser)


# field -> (the change, made through the services; a text the new body shows, or None)
FIELDS = {
    "title": (lambda w: edit(w, title="Open science for all"), "Open science for all"),
    "subtitle": (lambda w: edit(w, subtitle="A dialogue with practitioners"), "A dialogue with practitioners"),
    "time": (lambda w: edit(w, start=time(14, 0), end=time(15, 15)), {"feed": "T140000", "page": "14:00"}),
    "room": (lambda w: edit(w, room=next(r for r in w.forum.rooms if r.name == "Conference Room 11")),
             {"feed": "Conference Room 11", "page": "Conference Room 11",
              "programme page": "· <bdi>Conference Room 11</bdi>"}),
    "room name": (lambda w: services.save_room(w.forum, user=w.staff, name="Trusteeship Council Chamber",
                                               capacity=100, room=w.room), "Trusteeship Council Chamber"),
    "forum venue": (lambda w: edit_forum(w, venue="Palais des Nations, Geneva"), "Palais des Nations"),
    "forum name": (lambda w: edit_forum(w, name="2026 STI Forum"), "2026 STI Forum"),
    "forum theme": (lambda w: edit_forum(w, theme="Frontier technologies"), "Frontier technologies"),
    "new room": (lambda w: services.save_room(w.forum, user=w.staff, name="ECOSOC Chamber", capacity=300),
                 "ECOSOC Chamber"),
    "status": (lambda w: services.change_status(w.event, Status.CANCELLED, user=w.organiser,
                                                reason="Speakers unavailable"),
               {"feed": "STATUS:CANCELLED", "page": "ancelled"}),
    "description": (lambda w: services.save_concept_note(w.event, {
        "background": "<p>Open data changes how ministries plan.</p>", "objectives": ["To share practice"]},
        user=w.organiser), "Open data changes how ministries plan."),
    "objectives": (lambda w: services.save_concept_note(w.event, {
        "background": "<p>Why this event matters.</p>", "objectives": ["To agree on next steps"]},
        user=w.organiser), "To agree on next steps"),
    "organisation name": (lambda w: services.rename_organisation(w.organisation, "Republic of Zambia Mission",
                                                                 user=w.staff), "Republic of Zambia Mission"),
    "organisers": (lambda w: edit(w, organisers=[
        services.OrganiserInput(w.organisation.name, w.organisation.kind, w.organisation.country),
        services.OrganiserInput("Group of Friends on Open Science", OrganisationKind.INTERGOVERNMENTAL)]),
        "Group of Friends on Open Science"),
    "SDGs": (lambda w: edit(w, sdgs=[9, 17]), {"feed": "Goal 17: Partnerships for the Goals",
                                                        "page": '<span class="tag">Goal 17: Partnerships for the Goals</span>'}),
    "format": (lambda w: edit(w, format=Format.HYBRID), "Hybrid"),
    "webcast": (lambda w: edit(w, webcast_url="https://webtv.un.org/live"), "Confirmed participants receive the link to join online"),
    "languages": (lambda w: edit(w, languages="English, French"), "English, French"),
    "interpretation": (lambda w: edit(w, interpretation_languages="Arabic"), "Arabic"),
    "accessibility": (lambda w: edit(w, captioning=True), "Live captioning"),
    "contact": (lambda w: edit(w, contact_email="desk@example.org", contact_email_public=True), "desk@example.org"),
    "sign language": (lambda w: edit(w, sign_language=True), "Sign language interpretation"),
    "accessibility notes": (lambda w: edit(w, accessibility_notes="Step-free access by the visitors' entrance"),
                            {"feed": "Step-free access", "page": "Step-free access by the visitors&#39; entrance"}),
    "contact name": (lambda w: edit(w, contact_name="Desk officer Mira Patel", contact_email_public=True),
                     "Desk officer Mira Patel"),
    "external venue": (lambda w: edit(w, room=None, external_venue="UNESCO House, Paris"), "UNESCO House, Paris"),
    "target audience": (lambda w: services.save_concept_note(w.event, {
        "background": "<p>Why this event matters.</p>", "objectives": ["To share practice"],
        "target_audience": ["Parliamentarians and city mayors"]}, user=w.organiser), "Parliamentarians and city mayors"),
    "guiding questions": (lambda w: services.save_concept_note(w.event, {
        "background": "<p>Why this event matters.</p>", "objectives": ["To share practice"],
        "guiding_questions": ["Who pays for open infrastructure?"]}, user=w.organiser),
        "Who pays for open infrastructure?"),
    "summary published": (publish_summary, "Read the summary of the event"),
    "speaker name": (lambda w: edit_person(w, given_name="Lina"), "Lina Gao"),
    "speaker affiliation": (lambda w: edit_person(w, position="Chief Scientist"), "Chief Scientist"),
    "speaker confirmed": (confirm_new_speaker, "Kofi Mensah"),
    "agenda item title": (lambda w: edit_item(w, title="Welcome and framing"), "Welcome and framing"),
    "agenda item time": (lambda w: edit_item(w, start=time(11, 50), end=time(12, 5)), "11:50"),
    "agenda item description": (lambda w: edit_item(w, description="Framing by the Bureau"),
                                "Framing by the Bureau"),
    "capacity": (lambda w: registrations.save_settings(w.event, user=w.organiser, capacity=50), "49 seats left"),
    "seats": (lambda w: register(w.event, make_user(name="Second Participant")), "8 seats left"),
    "registration opening": (lambda w: registrations.save_settings(
        w.event, user=w.organiser, opens_at=utcnow() + timedelta(days=2)), "Registration opens on"),
    "registration closing": (lambda w: registrations.save_settings(
        w.event, user=w.organiser, closes_at=utcnow() - timedelta(minutes=1)), "Registration closed on"),
    "waiting list": (lambda w: registrations.save_settings(w.event, user=w.organiser, capacity=1),
                     "you can join the waiting list"),
    "no waiting list": (lambda w: registrations.save_settings(w.event, user=w.organiser, capacity=1, waitlist=False),
                        "The event is full."),
}

CALENDAR_FIELDS = ["title", "subtitle", "time", "room", "room name", "forum venue", "external venue", "status",
                   "description",
                   "organisation name", "organisers", "SDGs", "contact", "speaker name", "speaker affiliation",
                   "speaker confirmed", "agenda item title", "agenda item time"]
RENDERS = {
    "event feed": (lambda w: f"/events/{w.event.slug}.ics?detail=agenda",
                   CALENDAR_FIELDS + ["agenda item description"]),
    "forum feed": (lambda w: f"/forums/{w.forum.slug}.ics", CALENDAR_FIELDS),
    "room feed": (lambda w: f"/forums/{w.forum.slug}/rooms/{w.room.id}.ics", CALENDAR_FIELDS),
    "organisation feed": (lambda w: f"/organisations/{w.organisation.id}.ics", CALENDAR_FIELDS),
    "personal feed": (lambda w: f"/feeds/personal/{w.participant.calendar_token}.ics", CALENDAR_FIELDS),
    "event page": (lambda w: f"/events/{w.event.slug}", [
        "title", "subtitle", "time", "room", "room name", "forum venue", "forum name", "status", "description",
        "objectives", "organisation name", "organisers", "SDGs", "format", "webcast", "languages", "interpretation",
        "accessibility", "sign language", "accessibility notes", "contact name", "external venue",
        "target audience", "guiding questions", "summary published", "contact", "speaker name", "speaker affiliation", "speaker confirmed", "agenda item title",
        "agenda item time", "agenda item description", "capacity", "seats", "registration opening",
        "registration closing", "waiting list", "no waiting list"]),
    "programme page": (lambda w: f"/forums/{w.forum.slug}", [
        "title", "time", "room", "room name", "forum venue", "external venue", "forum name", "forum theme",
        "new room", "status",
        "organisation name", "organisers", "SDGs"]),
}
# The room feed holds the room's events: moving the event elsewhere takes it out.
LEAVES = {("room feed", "room"), ("room feed", "external venue")}


def readable(response) -> str:
    """The body as a person reads it: iCalendar lines unfolded and unescaped."""
    text = response.data.decode()
    if response.mimetype == "text/calendar":
        text = text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
    return text


def _shown_text(field, render):
    text = FIELDS[field][1]
    if isinstance(text, dict):
        text = text.get(render) or text["feed" if render.endswith("feed") else "page"]
    return text


@pytest.mark.parametrize("field", list(FIELDS), ids=lambda value: value.replace(" ", "-"))
def test_a_change_to_what_feeds_and_pages_show_gives_each_a_new_etag_and_body(client, world, field):
    renders = [r for r, (_, fields) in RENDERS.items() if field in fields]
    urls = {r: RENDERS[r][0](world) for r in renders}
    before = {}
    for render, url in urls.items():
        before[render] = client.get(url)
        assert before[render].status_code == 200
        assert client.get(url).data == before[render].data  # now in the worker's cache
        assert client.get(url, headers={"If-None-Match": before[render].headers["ETag"]}).status_code == 304
    FIELDS[field][0](world)
    db.session.commit()
    for render, url in urls.items():
        old, text = before[render], _shown_text(field, render)
        after = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert after.status_code == 200, render
        assert after.headers["ETag"] != old.headers["ETag"], render
        assert after.data != old.data, render
        if (render, field) in LEAVES:
            assert world.event.title not in readable(after), render
        else:
            assert text not in readable(old), render
            assert text in readable(after), render


def test_every_table_the_pages_and_feeds_read_is_declared_beside_their_queries(client, world, count_queries):
    """A rendering that starts reading a table nobody declared would go stale: this names it."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    sa_event.listen(db.engine, "before_cursor_execute", record)
    try:
        for render, (url, _) in RENDERS.items():
            assert client.get(url(world)).status_code == 200
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", record)
    import re
    read = {name for s in statements if s.lstrip().upper().startswith("SELECT")
            for name in re.findall(r'(?:FROM|JOIN)\s+"?([a-z_]+)"?', s)}
    counted = {"registrations", "users", "memberships"}  # seats and personal feeds are counted in the query
    assert read - shown.tables_read() - counted == set()


def test_unchanged_data_gives_the_same_bytes_in_processes_with_different_hash_seeds(app, world, database_url,
                                                                                      tmp_path):
    urls = [RENDERS[r][0](world) for r in RENDERS]
    # A second zone, so that the order of VTIMEZONEs depends on the hash seed without sorting.
    other = open_event()[1]
    other.forum.timezone = other.timezone = "Europe/Paris"
    register(other, world.participant)
    db.session.commit()
    script = tmp_path / "fetch.py"
    script.write_text(textwrap.dedent(f"""
        import hashlib, json, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from tests.conftest import make_test_config
        from eventsite import create_app
        app = create_app(make_test_config({database_url!r}, None))
        client = app.test_client()
        out = {{}}
        for url in {urls!r}:
            response = client.get(url)
            out[url] = [response.status_code, response.headers.get("ETag"),
                        hashlib.sha256(response.data).hexdigest(), response.data.count(b"BEGIN:VTIMEZONE")]
        print(json.dumps(out))
    """))
    import json
    results = []
    for seed in ("1", "2", "3"):
        run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert run.returncode == 0, run.stderr[-3000:]
        results.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert all(status == 200 for status, *_ in results[0].values())
    assert results[0][f"/feeds/personal/{world.participant.calendar_token}.ics"][3] == 2  # New York and Paris
    assert results[0] == results[1] == results[2]


@pytest.mark.parametrize("render", list(RENDERS), ids=lambda value: value.replace(" ", "-"))
def test_an_unchanged_feed_or_page_answers_304_from_one_query(client, world, count_queries, render):
    url = RENDERS[render][0](world)
    etag = client.get(url).headers["ETag"]
    db.session.commit()
    with count_queries() as queries:
        response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and not response.data
    assert len(queries) == 1, queries.statements


def test_registration_closing_by_the_clock_alone_gives_the_event_page_a_new_etag_and_body(client, world):
    """No row changes when the closing time passes: the fingerprint reads the clock too."""
    import time as clock
    registrations.save_settings(world.event, user=world.organiser, closes_at=utcnow() + timedelta(seconds=2))
    db.session.commit()
    url = f"/events/{world.event.slug}"
    before = client.get(url)
    assert "seats left" in before.data.decode() and client.get(url).data == before.data
    clock.sleep(2.5)
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Registration closed on" in after.data.decode() and "Registration closed on" not in before.data.decode()


@pytest.mark.parametrize("render", list(RENDERS))
def test_new_translations_shipped_give_every_feed_and_page_a_new_etag_in_that_language(client, world, render,
                                                                                     monkeypatch):
    """No row changes when a release brings new translations, yet a French page or feed reads differently."""
    url = RENDERS[render][0](world)
    url += ("&" if "?" in url else "?") + "lang=fr"
    before = client.get(url).headers["ETag"]
    marks = {"fr": "next-release"}
    monkeypatch.setattr("eventsite.feeds.views.catalogue_mark", lambda code: marks.get(str(code), "same"))
    monkeypatch.setattr("eventsite.core.page_cache.catalogue_mark", lambda code: marks.get(str(code), "same"))
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["ETag"] != before
