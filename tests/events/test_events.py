import re
import threading
from datetime import date, time

import pytest
from sqlalchemy import select

from eventsite.core.mail import OutboxMessage
from eventsite.errors import Conflict, DomainError
from eventsite.events import services
from eventsite.events.models import Event, Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user, room_named


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _form(**overrides):
    data = {"title": "AI for water management", "day": "2025-05-06", "start": "12:30", "end": "13:45",
            "timezone": "America/New_York", "room": "0", "format": "in_person", "languages": "English",
            "contact_email": "lead@example.org", "organisers-0-name": "Permanent Mission of Kenya to the UN",
            "organisers-0-kind": "member_state", "organisers-0-country": "KE", "sdgs": ["6", "9"]}
    data.update(overrides)
    return data


@pytest.fixture
def booked_forum(client, ctx):
    """A forum whose Conference Room 6 holds "From Divide to Synergy", and a proposer signed in."""
    forum = make_forum()
    make_event(forum, title="From Divide to Synergy", status=Status.PUBLISHED)
    proposer = make_user()
    db.session.commit()
    login(client, proposer.email)
    return forum


def test_double_booking_a_room_is_refused_naming_the_other_event_and_keeping_input(client, booked_forum):
    forum = booked_forum
    room_id = room_named(forum, "Conference Room 6").id
    response = client.post(f"/forums/{forum.slug}/events/new", data=_form(room=str(room_id)))
    page = _text(response)
    assert response.status_code == 200
    assert "Conference Room 6 is already booked for “From Divide to Synergy” on 6 May 2025, 11:45–13:00 EDT." in page
    assert 'value="AI for water management"' in page and 'value="Permanent Mission of Kenya to the UN"' in page
    assert 'value="12:30"' in page
    assert db.session.scalar(select(Event).where(Event.title == "AI for water management")) is None


def test_same_time_in_another_room_is_fine_and_leads_to_the_concept_note(client, booked_forum):
    forum = booked_forum
    response = client.post(f"/forums/{forum.slug}/events/new",
                           data=_form(room=str(room_named(forum, "Conference Room 11").id)))
    assert response.status_code == 302 and response.location.endswith("/concept-note")
    event = db.session.scalar(select(Event).where(Event.title == "AI for water management"))
    assert (event.local_start.strftime("%H:%M %Z"), event.sdg_numbers) == ("12:30 EDT", [6, 9])
    assert event.starts_at.hour == 16  # stored in UTC


def test_event_outside_forum_dates_is_refused(ctx):
    forum = make_forum()
    with pytest.raises(DomainError, match="runs from 6 May 2025 to 7 May 2025"):
        make_event(forum, day=date(2025, 5, 9))


def test_event_must_end_after_it_starts(client, ctx):
    forum = make_forum()
    user = make_user()
    db.session.commit()
    login(client, user.email)
    page = _text(client.post(f"/forums/{forum.slug}/events/new", data=_form(start="14:00", end="13:00")))
    assert "The event must end after it starts." in page


def test_bad_timezone_is_explained(client, ctx):
    forum = make_forum()
    user = make_user()
    db.session.commit()
    login(client, user.email)
    page = _text(client.post(f"/forums/{forum.slug}/events/new", data=_form(timezone="Mars/Olympus")))
    assert "Choose a timezone from the list, such as America/New_York or Europe/Zurich." in page and 'value="Mars/Olympus"' in page


def test_cancelled_event_frees_its_room(ctx):
    forum = make_forum()
    first = make_event(forum, title="First")
    services.change_status(first, Status.CANCELLED, user=make_staff(), reason="Speakers unavailable")
    second = make_event(forum, title="Second")
    assert second.room_id == first.room_id


def test_rescheduling_raises_sequence(ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    data = services.EventInput(title=event.title, forum=forum, day=date(2025, 5, 7), start=time(9, 0),
                               end=time(10, 0), timezone=forum.timezone, room=event.room)
    services.update_event(event, data, user=organiser)
    assert event.sequence == 1


def test_concurrent_bookings_of_one_room_let_only_one_through(app, ctx):
    forum = make_forum()
    organiser = make_user()
    db.session.commit()
    forum_id, organiser_id = forum.id, organiser.id
    barrier = threading.Barrier(4)
    outcomes = []

    def book(n):
        with app.test_request_context():
            from eventsite.accounts.models import User
            from eventsite.events.models import Forum
            forum_ = db.session.get(Forum, forum_id)
            user = db.session.get(User, organiser_id)
            barrier.wait()
            try:
                services.create_event(services.EventInput(
                    title=f"Parallel {n}", forum=forum_, day=date(2025, 5, 6), start=time(11, 45 - n),
                    end=time(13, 0), timezone=forum_.timezone, room=room_named(forum_, "Conference Room 6")),
                    user=user)
                db.session.commit()
                outcomes.append("booked")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            except Exception as error:  # SQLite may refuse a second writer outright: also not a booking
                db.session.rollback()
                outcomes.append(type(error).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("booked") == 1, outcomes
    db.session.expire_all()
    assert len(db.session.scalars(select(Event).where(Event.title.like("Parallel%"))).all()) == 1


def test_organiser_is_warned_of_their_own_overlapping_events(client, ctx):
    forum = make_forum()
    organiser = make_user()
    make_event(forum, organiser=organiser, title="My first event")
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/forums/{forum.slug}/events/new",
                           data=_form(room=str(room_named(forum, "Conference Room 11").id)), follow_redirects=True)
    assert "you also organise “My first event”, which overlaps this event" in _text(response)


def test_workflow_from_draft_to_published_records_history_and_mails_organisers(client, ctx):
    forum = make_forum()
    organiser = make_user("lead@example.org")
    staff = make_staff()
    event = make_event(forum, organiser=organiser, concept_note=False)
    db.session.commit()
    login(client, organiser.email)
    page = _text(client.post(f"/events/{event.slug}/status", data={"to": "submitted"}, follow_redirects=True))
    assert "Before submitting, add: a concept note with its background; objectives in the concept note." in page
    client.post(f"/events/{event.slug}/concept-note", data={"background": "Why.", "objectives": "To act",
                                                             "base_revision": "0"})
    client.post(f"/events/{event.slug}/status", data={"to": "submitted"})
    client.post("/account/logout")
    login(client, staff.email)
    page = _text(client.post(f"/events/{event.slug}/status", data={"to": "rejected"}, follow_redirects=True))
    assert "Give a reason; the organisers will read it." in page
    client.post(f"/events/{event.slug}/status", data={"to": "approved"})
    client.post(f"/events/{event.slug}/status", data={"to": "published"})
    db.session.expire_all()
    event = db.session.get(Event, event.id)
    assert [(c.from_status, c.to_status) for c in event.status_changes] == [
        (None, Status.DRAFT), (Status.DRAFT, Status.SUBMITTED), (Status.SUBMITTED, Status.APPROVED),
        (Status.APPROVED, Status.PUBLISHED)]
    subjects = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.recipient == "lead@example.org")
                                  .order_by(OutboxMessage.id)).all()
    assert subjects == [f"“{event.title}” is now approved", f"“{event.title}” is now published"]
    client.post("/account/logout")
    assert client.get(f"/events/{event.slug}").status_code == 200


def test_rejection_reason_reaches_the_organiser(ctx):
    forum = make_forum()
    organiser = make_user("lead@example.org")
    event = make_event(forum, organiser=organiser, status=Status.SUBMITTED)
    services.change_status(event, Status.REJECTED, user=make_staff(), reason="Outside the forum's theme")
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "lead@example.org"))
    assert "Outside the forum's theme" in body


def test_staff_approve_submissions_in_bulk(client, ctx):
    forum = make_forum()
    staff = make_staff()
    events = [make_event(forum, status=Status.SUBMITTED, room=None, title=f"Proposal {n}") for n in range(3)]
    db.session.commit()
    login(client, staff.email)
    page = _text(client.get("/review"))
    assert all(e.title in page for e in events)
    response = client.post("/review", data={"event_ids": [str(events[0].id), str(events[2].id)],
                                            "decision": "approved"}, follow_redirects=True)
    assert "2 submission(s) now approved." in _text(response)
    db.session.expire_all()
    assert [db.session.get(Event, e.id).status for e in events] == [Status.APPROVED, Status.SUBMITTED,
                                                                   Status.APPROVED]


def test_bulk_rejection_without_reason_changes_nothing_and_says_why(client, ctx):
    forum = make_forum()
    staff = make_staff()
    event = make_event(forum, status=Status.SUBMITTED, room=None, title="Proposal")
    db.session.commit()
    login(client, staff.email)
    page = _text(client.post("/review", data={"event_ids": [str(event.id)], "decision": "rejected"}))
    assert "Proposal: Give a reason" in page
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == Status.SUBMITTED


def test_dashboard_lists_what_is_missing_before_submission(client, ctx):
    forum = make_forum()
    organiser = make_user()
    make_event(forum, organiser=organiser, concept_note=False, room=None, organisers=(), title="Bare idea")
    db.session.commit()
    login(client, organiser.email)
    page = _text(client.get("/dashboard"))
    assert "Bare idea" in page
    for missing in ("a concept note with its background", "a room or venue", "at least one organising entity"):
        assert missing in page


@pytest.mark.parametrize("overrides,message", [
    ({"audience_size": "many", "room": "abc", "day": "06/05/2025"}, "Not a valid date value."),
    ({"sdgs": ["42"], "format": "telepathy"}, "Not a valid choice."),
    ({"title": "x" * 301, "webcast_url": "javascript:alert(1)"}, "Invalid URL."),
])
def test_malformed_event_form_is_explained_without_losing_input(client, booked_forum, overrides, message):
    response = client.post(f"/forums/{booked_forum.slug}/events/new", data=_form(**overrides))
    page = _text(response)
    assert response.status_code == 422  # shown again, nothing saved
    assert message in page
    assert 'value="Permanent Mission of Kenya to the UN"' in page
