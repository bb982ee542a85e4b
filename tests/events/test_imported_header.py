"""An imported concept note's header against the event's details: what differs, and the details the
organiser gets by taking some of the file's fields, saved with the note through the details' service."""
from datetime import date, time

import pytest
from sqlalchemy import func, select

from eventsite.accounts.models import User
from eventsite.activity.models import ActivityEntry
from eventsite.errors import Conflict, DomainError
from eventsite.events import imported_header, services
from eventsite.events.changes import ChangeNotice
from eventsite.events.models import ConceptNoteRevision, Organisation, OrganisationKind, Status
from eventsite.extensions import db
from tests.factories import make_event, make_forum, make_user, room_named

NOTE = {"background": "<p>Why it matters.</p>", "objectives": ["To meet"]}
FILE = {"title": "Harnessing Frontier Technologies", "subtitle": "", "date": "7 May 2025", "time": "10:00 - 11:15",
        "venue": "Conference Room 12, UN Headquarters", "organisers": ["Permanent Mission of Fiji", "UNDP"]}
FIJI = services.OrganiserInput("Permanent Mission of Fiji", OrganisationKind.MEMBER_STATE, "FJ")


@pytest.fixture
def event(ctx):
    forum = make_forum(rooms=("Conference Room 1", "Conference Room 6", "Conference Room 12"))
    return make_event(forum, organiser=make_user(), title="Frontier technologies for SIDS", concept_note=False)


def _organiser(event):
    return db.session.get(User, event.created_by_id)


def _edits(event):
    return list(db.session.scalars(select(ActivityEntry.changes).where(ActivityEntry.event_id == event.id,
                                                                       ActivityEntry.kind == "event.edited")))


def test_a_venue_names_the_room_whose_whole_name_it_contains(event):
    rooms = event.forum.rooms
    assert imported_header.room_named_in("Conference Room 12, UN Headquarters", rooms).name == "Conference Room 12"
    assert imported_header.room_named_in("UNHQ – conference room 1", rooms).name == "Conference Room 1"
    assert imported_header.room_named_in("Conference Room 11", rooms) is None
    assert imported_header.room_named_in("Trusteeship Council Chamber", rooms) is None


def test_the_differences_are_the_fields_the_file_gives_otherwise(event):
    assert imported_header.differences(event, FILE) == ["title", "date", "time", "venue", "organisers"]
    same_place = {**imported_header.record_header(event), "venue": "Conference Room 6", "subtitle": ""}
    assert imported_header.differences(event, same_place) == []  # the event's own room, without the address


def test_only_the_chosen_fields_are_taken_and_the_rest_stays_as_the_event_has_it(event):
    data = imported_header.details_with_header(event, FILE, ["date", "venue"])
    expected = imported_header.event_input(event)
    expected.day, expected.room = date(2025, 5, 7), room_named(event.forum, "Conference Room 12")
    assert data == expected


def test_a_venue_no_forum_room_has_becomes_the_external_venue(event):
    data = imported_header.details_with_header(event, {**FILE, "venue": "Delegates' Dining Room"}, ["venue"])
    assert (data.room, data.external_venue) == (None, "Delegates' Dining Room")


def test_organisers_new_to_the_site_need_their_type_and_known_ones_keep_theirs(event):
    with pytest.raises(DomainError, match="Choose the type of Permanent Mission of Fiji") as refused:
        imported_header.details_with_header(event, FILE, ["organisers"])
    assert refused.value.field == "organisers"
    undp = services.OrganiserInput("UNDP", OrganisationKind.UN_ENTITY)
    db.session.add(Organisation(name="UNDP", kind=OrganisationKind.UN_ENTITY))
    data = imported_header.details_with_header(event, FILE, ["organisers"], new_kinds={FIJI.name: FIJI})
    assert data.organisers == [FIJI, undp]
    assert imported_header.new_organisations(FILE["organisers"]) == ["Permanent Mission of Fiji"]


@pytest.mark.parametrize("name,value,message", [("date", "sometime in May", "could not be read as a date"),
                                                ("time", "after lunch", "could not be read as a time"),
                                                ("title", "x" * 301, "longer than 300 characters")])
def test_a_file_value_that_cannot_be_used_is_refused_beside_its_field(event, name, value, message):
    with pytest.raises(DomainError, match=message) as refused:
        imported_header.details_with_header(event, {**FILE, name: value}, [name])
    assert refused.value.field == name


def test_the_note_and_the_taken_details_are_saved_together_logged_and_announced(event):
    event.status = Status.PUBLISHED
    organiser = _organiser(event)
    data = imported_header.details_with_header(event, FILE, ["time", "venue"])
    services.save_concept_note(event, NOTE, user=organiser, base_revision=0, details=data)
    db.session.commit()
    assert (event.local_start.time(), event.local_end.time(), event.room.name) == (
        time(10, 0), time(11, 15), "Conference Room 12")
    assert event.concept_note.objectives == ["To meet"]
    assert _edits(event) == [[["start", "11:45", "10:00"], ["end", "13:00", "11:15"],
                              ["room", "Conference Room 6", "Conference Room 12"]]]
    assert db.session.get(ChangeNotice, event.id) is not None  # registrants and speakers will be told


def test_dont_notify_keeps_a_correction_from_the_file_quiet(event):
    event.status = Status.PUBLISHED
    organiser = _organiser(event)
    data = imported_header.details_with_header(event, FILE, ["time"])
    services.save_concept_note(event, NOTE, user=organiser, base_revision=0, details=data, notify=False)
    db.session.commit()
    assert event.local_start.time() == time(10, 0)
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 0


def test_a_room_booked_at_the_files_time_refuses_the_whole_save(event):
    organiser = _organiser(event)
    make_event(event.forum, title="Already there", room="Conference Room 12", start=time(10, 0), end=time(11, 0))
    db.session.commit()
    data = imported_header.details_with_header(event, FILE, ["time", "venue"])
    with pytest.raises(Conflict, match="Conference Room 12 is already booked for “Already there”") as refused:
        services.save_concept_note(event, NOTE, user=organiser, base_revision=0, details=data)
    db.session.rollback()
    assert imported_header.FIELD_OF[refused.value.field] == "venue"
    assert (event.room.name, event.concept_note) == ("Conference Room 6", None)
    assert db.session.scalar(select(func.count()).where(ConceptNoteRevision.event_id == event.id)) == 0
