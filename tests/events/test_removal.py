"""Staff remove an event that should never have existed: after a confirmation, it leaves every page and
feed, its addresses answer 410 Gone, the people who counted on it are told, and the forum's log keeps it."""
from datetime import time

from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.activity.models import ActivityEntry
from eventsite.core.mail import OutboxMessage
from eventsite.events import services
from eventsite.events.models import DeletedEvent, Event, Status
from eventsite.extensions import db
from eventsite.registrations.models import Registration
from eventsite.speakers import services as speakers
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from tests.conftest import login
from tests.factories import make_event, make_staff, make_user
from tests.registrations.helpers import open_event, register


def _spam_event():
    organiser, event = open_event()
    registrant = make_user(email="registrant@example.org")
    register(event, registrant)
    person, _ = speakers.create_person(speakers.PersonInput(given_name="Sam", family_name="Speaker",
                                                            email="sam.speaker@example.org"), user=organiser)
    assignment = speakers.assign_speaker(event, person, SpeakerRole.PANELLIST, user=organiser)
    speakers.set_speaker_status(assignment, InvitationStatus.CONFIRMED)
    declined, _ = speakers.create_person(speakers.PersonInput(given_name="Dee", family_name="Clined",
                                                              email="declined@example.org"), user=organiser)
    speakers.set_speaker_status(speakers.assign_speaker(event, declined, SpeakerRole.PANELLIST, user=organiser),
                                InvitationStatus.DECLINED)
    keep = make_event(event.forum, organiser=organiser, title="The real event", status=Status.PUBLISHED,
                      day=event.local_start.date(), start=time(15, 0), end=time(16, 0))
    db.session.commit()
    return organiser, event, keep


def test_staff_remove_an_event_after_confirming_and_its_addresses_answer_410(client, ctx):
    organiser, event, keep = _spam_event()
    staff = make_staff()
    slug, title, forum = event.slug, event.title, event.forum
    registrant = db.session.scalar(select(User).where(User.email == "registrant@example.org"))
    registrant.calendar_token = "r" * 40
    personal = f"/feeds/personal/{registrant.calendar_token}.ics"
    feeds = [f"/forums/{forum.slug}.ics", f"/forums/{forum.slug}/rooms/{event.room_id}.ics",
             f"/organisations/{event.organisers[0].organisation_id}.ics", f"/forums/{forum.slug}"]
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    for url in [personal, *feeds]:
        assert title in client.get(url).data.decode(), url
    login(client, staff.email)

    confirm = client.get(f"/events/{slug}/delete")
    assert confirm.status_code == 200
    assert "3 people (registrants, speakers and the event's team) will be told by e-mail." in confirm.data.decode()
    assert db.session.scalar(select(Event).where(Event.slug == slug)) is not None  # asking changed nothing
    refused = client.post(f"/events/{slug}/delete", data={"reason": "  "})
    assert refused.status_code == 422 and db.session.scalar(select(Event).where(Event.slug == slug)) is not None

    response = client.post(f"/events/{slug}/delete", data={"reason": "A duplicate of “The real event”."})
    assert response.status_code == 302 and response.location.endswith(f"/forums/{forum.slug}")
    db.session.expire_all()
    assert db.session.scalar(select(Event).where(Event.slug == slug)) is None
    assert db.session.scalars(select(Registration)).all() == []
    tombstone = db.session.scalar(select(DeletedEvent).where(DeletedEvent.slug == slug))
    assert (tombstone.title, tombstone.forum_id, tombstone.deleted_by_id) == (title, forum.id, staff.id)

    page = client.get(f"/events/{slug}")
    assert page.status_code == 410 and title in page.data.decode()
    assert client.get(f"/events/{slug}.ics").status_code == 410
    client.post("/account/logout")
    assert client.get(f"/events/{slug}").status_code == 410  # anonymous, past the page cache too
    for url in feeds:  # every feed and the programme, past the worker's cache
        body = client.get(url).data.decode()
        assert title not in body and "The real event" in body, url
    assert title not in client.get(personal).data.decode()

    mails = {m.recipient: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"registrant@example.org", "sam.speaker@example.org", organiser.email}
    assert "A duplicate of “The real event”." in mails["registrant@example.org"].body
    assert title in mails["sam.speaker@example.org"].subject
    log = db.session.scalars(select(ActivityEntry).where(ActivityEntry.forum_id == forum.id,
                                                         ActivityEntry.kind == "event.deleted")).all()
    assert [(e.event_title, e.actor_id, e.note) for e in log] == [(title, staff.id, "A duplicate of “The real event”.")]
    login(client, staff.email)
    forum_log = client.get(f"/forums/{forum.slug}/activity").data.decode()
    assert "Event removed" in forum_log and title in forum_log


def test_only_staff_may_remove_an_event(client, ctx):
    organiser, event, keep = _spam_event()
    login(client, organiser.email)
    assert client.get(f"/events/{event.slug}/delete").status_code == 403
    assert client.post(f"/events/{event.slug}/delete", data={"reason": "Mine"}).status_code == 403
    assert "Remove event" not in client.get(f"/events/{event.slug}").data.decode()
    db.session.expire_all()
    assert db.session.scalar(select(Event).where(Event.slug == event.slug)) is not None


def test_a_removed_events_address_is_never_given_to_a_new_event(ctx):
    staff = make_staff()
    organiser, event, keep = _spam_event()
    slug = event.slug
    services.delete_event(event, user=staff, reason="Spam")
    duplicate = make_event(keep.forum, organiser=organiser, day=keep.local_start.date(), room=None, title=db.session.scalar(
        select(DeletedEvent.title).where(DeletedEvent.slug == slug)))
    assert duplicate.slug == f"{slug}-2"
