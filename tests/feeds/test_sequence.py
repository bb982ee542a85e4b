"""SEQUENCE counts the changes a calendar subscriber sees: once each, after publication only."""
from datetime import time

import icalendar
import pytest

from eventsite.agenda import services as agenda
from eventsite.agenda.models import ItemKind
from eventsite.events import services
from eventsite.events.models import Format, OrganisationKind, Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.speakers import services as speakers
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.feeds.test_fingerprints import World, edit, edit_forum, edit_item, edit_person


def sequences(client, w) -> dict[str, int]:
    """SEQUENCE of the event's entry ("event") and of each agenda item's, by the item's first title."""
    data = client.get(f"/events/{w.event.slug}.ics?detail=agenda").data
    names = {f"agenda-item-{w.item.id}@eventsite": "Opening remarks",
             f"agenda-item-{w.other_item.id}@eventsite": "Panel", f"event-{w.event.id}@eventsite": "event"}
    return {names[str(v["UID"])]: int(v["SEQUENCE"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}


@pytest.fixture
def published(ctx):
    """An event taken through the whole workflow, with an agenda item and a confirmed speaker."""
    organiser, staff = make_user(), make_staff()
    forum = make_forum(staff=staff)
    event = make_event(forum, organiser=organiser)
    item = agenda.save_agenda_item(event, agenda.AgendaItemInput(
        title="Opening remarks", kind=ItemKind.OPENING, start=time(11, 45), end=time(12, 0)), user=organiser)
    other = agenda.save_agenda_item(event, agenda.AgendaItemInput(
        title="Panel", kind=ItemKind.PANEL, start=time(12, 0), end=time(12, 45)), user=organiser)
    person = speakers.create_person(speakers.PersonInput(given_name="Lin", family_name="Gao",
                                                         email="lin@example.org"), user=organiser)[0]
    assignment = speakers.assign_speaker(event, person, SpeakerRole.KEYNOTE, user=organiser, agenda_item=item)
    speakers.set_speaker_status(assignment, InvitationStatus.CONFIRMED, user=organiser)
    edit(World(staff, organiser, event, forum, event.room, None, item, person, None), title="Renamed while a draft")
    for to, who in ((Status.SUBMITTED, organiser), (Status.APPROVED, staff), (Status.PUBLISHED, organiser)):
        services.change_status(event, to, user=who)
        db.session.commit()
    world = World(staff, organiser, event, forum, event.room, event.organisers[0].organisation, item, person, None)
    world.other_item = other
    return world


def test_a_new_event_is_published_at_sequence_0_however_often_it_changed_before(client, published):
    assert sequences(client, published) == {"event": 0, "Opening remarks": 0, "Panel": 0}


# change -> the entries that now read differently (the event's, and which agenda items')
VISIBLE = {
    "time": (lambda w: edit(w, start=time(14, 0), end=time(15, 15)), {"event", "Opening remarks", "Panel"}),
    "room": (lambda w: edit(w, room=next(r for r in w.forum.rooms if r.name == "Conference Room 11")),
             {"event", "Opening remarks", "Panel"}),
    "room name": (lambda w: services.save_room(w.forum, user=w.staff, name="Trusteeship Council Chamber",
                                               capacity=100, room=w.room), {"event", "Opening remarks", "Panel"}),
    "forum venue": (lambda w: edit_forum(w, venue="Palais des Nations"), {"event", "Opening remarks", "Panel"}),
    "title": (lambda w: edit(w, title="Open science for all"), {"event", "Opening remarks", "Panel"}),
    "title and time together": (lambda w: edit(w, title="Open science", start=time(9, 0), end=time(10, 15)),
                                {"event", "Opening remarks", "Panel"}),
    "cancelled": (lambda w: services.change_status(w.event, Status.CANCELLED, user=w.organiser, reason="Storm"),
                  {"event", "Opening remarks", "Panel"}),
    "subtitle": (lambda w: edit(w, subtitle="A dialogue"), {"event"}),
    "description": (lambda w: services.save_concept_note(w.event, {"background": "<p>New reasons.</p>",
                                                                   "objectives": ["To share practice"]},
                                                         user=w.organiser), {"event"}),
    "organisers": (lambda w: edit(w, organisers=[
        services.OrganiserInput(w.organisation.name, w.organisation.kind),
        services.OrganiserInput("UNESCO", OrganisationKind.UN_ENTITY)]), {"event"}),
    "organisation name": (lambda w: services.rename_organisation(w.organisation, "Zambia Mission", user=w.staff),
                          {"event"}),
    "SDGs": (lambda w: edit(w, sdgs=[9, 17]), {"event"}),
    "contact": (lambda w: edit(w, contact_email="desk@example.org", contact_email_public=True), {"event"}),
    "speaker name": (lambda w: edit_person(w, given_name="Lina"), {"event", "Opening remarks"}),
    "agenda item time": (lambda w: edit_item(w, start=time(11, 50), end=time(12, 0)), {"event", "Opening remarks"}),
    "agenda item title": (lambda w: edit_item(w, title="Welcome"), {"event", "Opening remarks"}),
    "agenda item description": (lambda w: edit_item(w, description="By the co-chairs"), {"Opening remarks"}),
    "speaker affiliation": (lambda w: edit_person(w, position="Chief Scientist"), {"event", "Opening remarks"}),
    "speaker confirmed": (lambda w: speakers.set_speaker_status(speakers.assign_speaker(
        w.event, speakers.create_person(speakers.PersonInput(given_name="Kofi", family_name="Mensah"),
                                        user=w.organiser)[0], SpeakerRole.PANELLIST, user=w.organiser,
        agenda_item=w.other_item), InvitationStatus.CONFIRMED, user=w.organiser), {"event", "Panel"}),
    "agenda items swapped": (lambda w: agenda.move_agenda_item(w.item, 1, user=w.organiser),
                             {"event", "Opening remarks", "Panel"}),
}


@pytest.mark.parametrize("change", list(VISIBLE), ids=lambda value: value.replace(" ", "-"))
def test_each_change_a_subscriber_sees_raises_sequence_once_on_exactly_the_entries_it_changes(client, published,
                                                                                                  change):
    before = sequences(client, published)
    VISIBLE[change][0](published)
    db.session.commit()
    after = sequences(client, published)
    raised = VISIBLE[change][1]
    assert after == {key: value + (1 if key in raised else 0) for key, value in before.items()}


INVISIBLE = {
    "languages": lambda w: edit(w, languages="English, French"),
    "accessibility": lambda w: edit(w, captioning=True, accessibility_notes="Step-free access"),
    "format, with a room": lambda w: edit(w, format=Format.HYBRID),
    "the same form saved again": lambda w: edit(w),
    "registration settings": lambda w: registrations.save_settings(w.event, user=w.organiser, capacity=20),
    "a speaker invited, not yet confirmed": lambda w: speakers.assign_speaker(
        w.event, speakers.create_person(speakers.PersonInput(given_name="Kofi", family_name="Mensah"),
                                        user=w.organiser)[0], SpeakerRole.PANELLIST, user=w.organiser),
    "a speaker's e-mail": lambda w: edit_person(w, email="lin.gao@example.org"),
}


@pytest.mark.parametrize("change", list(INVISIBLE), ids=lambda value: value.replace(" ", "-"))
def test_a_change_no_calendar_shows_leaves_sequence_alone(client, published, change):
    before = sequences(client, published)
    INVISIBLE[change](published)
    db.session.commit()
    assert sequences(client, published) == before


def test_two_changes_raise_sequence_twice_and_marking_held_does_not(client, published):
    edit(published, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    edit_item(published, title="Welcome")
    db.session.commit()
    services.change_status(published.event, Status.HELD, user=published.organiser)  # the entry reads the same
    db.session.commit()
    assert sequences(client, published) == {"event": 2, "Opening remarks": 2, "Panel": 1}


def test_an_agenda_item_added_starts_at_0_and_one_removed_raises_the_events_sequence_once(client, published):
    before = sequences(client, published)
    added = agenda.save_agenda_item(published.event, agenda.AgendaItemInput(
        title="Closing", kind=ItemKind.CLOSING, start=time(12, 45), end=time(13, 0)), user=published.organiser)
    db.session.commit()
    data = client.get(f"/events/{published.event.slug}.ics?detail=agenda").data
    entries = {str(v["UID"]): int(v["SEQUENCE"]) for v in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    assert entries.pop(f"agenda-item-{added.id}@eventsite") == 0
    assert entries[f"event-{published.event.id}@eventsite"] == before["event"] + 1
    agenda.delete_agenda_item(added, user=published.organiser)
    db.session.commit()
    assert sequences(client, published) == {**before, "event": before["event"] + 2}
