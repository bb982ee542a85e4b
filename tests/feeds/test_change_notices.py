"""Moving a published event reaches everyone it concerns: one folded e-mail each, with the change
and the updated .ics."""
import html
from datetime import timedelta, time
from email.header import decode_header, make_header

import icalendar
import pytest
from sqlalchemy import func, select

from eventsite.accounts.models import Role, User
from eventsite.core.mail import OutboxMessage, deliver_outbox
from eventsite.core.time import local_to_utc, utcnow
from eventsite.events import services
from eventsite.events.changes import ChangeNotice, send_due_change_notices
from eventsite.events.models import Format, Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.speakers import services as speakers
from eventsite.speakers.models import InvitationStatus, SpeakerRole
from tests.conftest import login, mail_text, wait_for_mail
from tests.factories import add_member, make_staff, make_user
from tests.feeds.test_feeds import icscheck
from tests.feeds.test_fingerprints import World, edit, edit_forum
from tests.registrations.helpers import open_event, register

LATER = timedelta(minutes=11)  # past the default 10-minute folding window


@pytest.fixture
def concerned(ctx):
    """A published event with everyone a change concerns, and some it does not."""
    organiser, event = open_event(capacity=1)
    confirmed = register(event, make_user("ines@example.org", name="Inès Morel"))
    waitlisted = register(event, make_user("wei@example.org", name="Wei Chen"))
    dropped = register(event, make_user("gone@example.org", name="Gone Person"))
    registrations.cancel(dropped)
    speaker = speakers.create_person(speakers.PersonInput(given_name="Lin", family_name="Gao",
                                                          email="lin@example.org"), user=organiser)[0]
    speakers.set_speaker_status(speakers.assign_speaker(event, speaker, SpeakerRole.KEYNOTE, user=organiser),
                                InvitationStatus.CONFIRMED, user=organiser)
    invited = speakers.create_person(speakers.PersonInput(given_name="Kofi", family_name="Mensah",
                                                          email="kofi@example.org"), user=organiser)[0]
    speakers.assign_speaker(event, invited, SpeakerRole.PANELLIST, user=organiser)
    co_organiser = make_user("co@example.org", name="Co Organiser")
    add_member(event, co_organiser, Role.CO_ORGANISER)
    db.session.commit()
    assert (confirmed.status.value, waitlisted.status.value) == ("confirmed", "waitlisted")
    return World(make_staff(), organiser, event, event.forum, event.room, None, None, speaker, None)


CONCERNED = {"ines@example.org", "wei@example.org", "lin@example.org", "co@example.org"}


def deliver(inbox):
    """Jobs run inside the caller in tests, so committed mail is sent already; send any left over."""
    deliver_outbox(limit=500)
    wait_for_mail(inbox, db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                           .where(OutboxMessage.sent_at.is_not(None))))


def change_mails(inbox):
    # in each recipient's language: the French catalogue names them "Modifié :" and "Annulé :"
    return [m for m in inbox.messages if subject(m).startswith(("Changed:", "Cancelled:", "Modifié :", "Annulé :"))]


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def calendar_of(message) -> icalendar.Event:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return next(iter(icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")))


def test_moving_an_event_emails_each_registrant_speaker_and_co_organiser_once_with_the_updated_ics(
        concerned, smtp_server, tmp_path):
    event = concerned.event
    day, sequence = event.local_start.date(), event.sequence
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    assert send_due_change_notices(utcnow()) == 0  # still inside the folding window
    assert send_due_change_notices(utcnow() + LATER) == len(CONCERNED)
    db.session.commit()
    deliver(smtp_server)
    mails = change_mails(smtp_server)
    assert sorted(m["To"] for m in mails) == sorted(CONCERNED)  # the organiser who moved it is not told
    body = mail_text(next(m for m in mails if m["To"] == "ines@example.org"))
    zone = event.local_start.strftime("%Z")  # EST or EDT, as the event's date has it
    assert f"Time: {day:%A} {day.day} {day:%B %Y}, 11:45–13:00 {zone} → {day:%A} {day.day} {day:%B %Y}, " \
           f"14:00–15:15 {zone}" in body
    registration = registrations.existing_registration(event, "ines@example.org")
    assert "Dear Inès Morel," in body and f"/r/{registration.token}" in body  # their own manage link
    for mail in mails:  # each person's own copy carries the updated entry
        vevent = calendar_of(mail)
        assert str(vevent["UID"]) == f"event-{event.id}@eventsite" and int(vevent["SEQUENCE"]) == sequence + 1
        assert vevent["DTSTART"].dt.strftime("%H:%M") == "14:00"
    part = next(p for p in mails[0].walk() if p.get_content_type() == "text/calendar")
    icscheck(tmp_path, {"change-notice": part.get_payload(decode=True)}, radicale=False)


def test_a_second_move_within_the_window_folds_into_one_mail_with_the_net_change(concerned, smtp_server):
    sequence = concerned.event.sequence
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    edit(concerned, start=time(16, 0), end=time(17, 0),
         room=next(r for r in concerned.forum.rooms if r.name == "Conference Room 11"))
    db.session.commit()
    assert send_due_change_notices(utcnow() + LATER) == len(CONCERNED)
    assert send_due_change_notices(utcnow() + 2 * LATER) == 0  # nothing left to say
    db.session.commit()
    deliver(smtp_server)
    mails = [m for m in change_mails(smtp_server) if m["To"] == "lin@example.org"]
    assert len(mails) == 1
    body = mail_text(mails[0])
    zone = concerned.event.local_start.strftime("%Z")
    assert f"11:45–13:00 {zone} → " in body and f"16:00–17:00 {zone}" in body and "14:00" not in body
    assert "Room and venue: Conference Room 6, UN Headquarters, New York → Conference Room 11, " in body
    assert int(calendar_of(mails[0])["SEQUENCE"]) == sequence + 2  # two changes, one message


def test_the_mail_speaks_the_recipients_language_and_the_events_timezone(concerned, smtp_server):
    db.session.scalar(select(User).where(User.email == "wei@example.org")).locale = "fr"
    edit(concerned, format=Format.HYBRID, start=time(9, 0), end=time(10, 30))
    db.session.commit()
    send_due_change_notices(utcnow() + LATER)
    db.session.commit()
    deliver(smtp_server)
    french = mail_text(next(m for m in change_mails(smtp_server) if m["To"] == "wei@example.org"))
    english = mail_text(next(m for m in change_mails(smtp_server) if m["To"] == "ines@example.org"))
    day = concerned.event.local_start.date()
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    zone = concerned.event.local_start.strftime("%Z")
    assert f"{day.day} {months[day.month - 1]} {day.year}, 09:00–10:30 {zone}" in french
    french_mail = next(m for m in change_mails(smtp_server) if m["To"] == "wei@example.org")
    assert subject(french_mail).startswith("Modifié :")
    assert "Format: In person → Hybrid" in english


def test_a_cancellation_is_announced_with_its_reason(concerned, smtp_server):
    services.change_status(concerned.event, Status.CANCELLED, user=concerned.organiser, reason="Storm warning")
    db.session.commit()
    send_due_change_notices(utcnow() + LATER)
    db.session.commit()
    deliver(smtp_server)
    mail = next(m for m in change_mails(smtp_server) if m["To"] == "ines@example.org")
    assert mail["Subject"] == f"Cancelled: {concerned.event.title}"
    assert "Status: published → cancelled (Storm warning)" in mail_text(mail)
    assert str(calendar_of(mail)["STATUS"]) == "CANCELLED"


def test_a_new_forum_venue_is_announced_for_the_events_in_its_rooms(concerned):
    edit_forum(concerned, venue="Palais des Nations, Geneva")
    db.session.commit()
    assert send_due_change_notices(utcnow() + LATER) == len(CONCERNED) + 1  # staff moved it: the organiser too
    bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == "wei@example.org",
                                                                 OutboxMessage.subject.like("Changed:%"))).all()
    assert len(bodies) == 1 and "→ Conference Room 6, Palais des Nations, Geneva" in bodies[0]


def test_a_renamed_room_is_announced_for_the_events_held_in_it(concerned):
    services.save_room(concerned.forum, user=concerned.staff, name="Trusteeship Council Chamber", capacity=100,
                       room=concerned.room)
    db.session.commit()
    assert send_due_change_notices(utcnow() + LATER) == len(CONCERNED) + 1  # staff renamed it: the organiser too
    bodies = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == "lin@example.org",
                                                                 OutboxMessage.subject.like("Changed:%"))).all()
    assert len(bodies) == 1
    assert "Conference Room 6, UN Headquarters, New York → Trusteeship Council Chamber, UN Headquarters, " \
           "New York" in bodies[0]


def test_staff_fixing_a_room_name_or_the_forum_venue_may_choose_not_to_notify(client, concerned):
    forum, room = concerned.forum, concerned.room
    login(client, concerned.staff.email)
    for url in (f"/forums/{forum.slug}/rooms?room={room.id}", f"/forums/{forum.slug}/edit"):
        assert "Don't notify participants" in html.unescape(client.get(url).data.decode()), url
    assert "Don't notify participants" not in html.unescape(client.get(f"/forums/{forum.slug}/rooms").data.decode())
    assert client.post(f"/forums/{forum.slug}/rooms?room={room.id}", data={
        "name": "Conference Room 6 ", "capacity": "100", "quiet": "y"}).status_code == 302
    assert client.post(f"/forums/{forum.slug}/rooms?room={room.id}", data={
        "name": "Conference room 6", "capacity": "100", "quiet": "y"}).status_code == 302
    form = {"name": forum.name, "starts_on": forum.starts_on.isoformat(), "ends_on": forum.ends_on.isoformat(),
            "timezone": forum.timezone, "venue": "UN Headquarters, New York City", "theme": forum.theme or "",
            "summary_template": forum.summary_template, "quiet": "y"}
    assert client.post(f"/forums/{forum.slug}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert concerned.event.place == "Conference room 6, UN Headquarters, New York City"
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 0
    assert send_due_change_notices(utcnow() + LATER) == 0
    del form["quiet"]
    assert client.post(f"/forums/{forum.slug}/edit", data={**form, "venue": "Palais des Nations, Geneva"}
                       ).status_code == 302
    assert send_due_change_notices(utcnow() + LATER) == len(CONCERNED) + 1
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "wei@example.org",
                                                              OutboxMessage.subject.like("Changed:%")))
    assert "Conference room 6, UN Headquarters, New York City → Conference room 6, Palais des Nations, Geneva" in body


def test_moving_back_within_the_window_or_changing_nothing_announced_sends_nothing(concerned):
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    edit(concerned, start=time(11, 45), end=time(13, 0))
    edit(concerned, title="A clearer title", languages="English, French")
    db.session.commit()
    assert send_due_change_notices(utcnow() + LATER) == 0
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 0


def test_drafts_are_not_announced(ctx):
    organiser, event = open_event()
    event.status = Status.APPROVED
    world = World(None, organiser, event, event.forum, event.room, None, None, None, None)
    edit(world, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 0


def test_the_edit_form_notifies_unless_the_organiser_ticks_dont_notify(client, concerned):
    event = concerned.event
    login(client, concerned.organiser.email)
    page = client.get(f"/events/{event.slug}/edit").data.decode()
    assert "Don&#39;t notify participants" in page or "Don't notify participants" in page
    form = {"title": event.title, "day": event.local_start.date().isoformat(), "start": "11:45", "end": "13:00",
            "timezone": event.timezone, "room": str(event.room_id), "format": "in_person",
            "languages": "English", "contact_email": event.contact_email, "sdgs": "9",
            "organisers-0-name": event.organisers[0].organisation.name, "organisers-0-kind": "member_state",
            "organisers-0-country": "ZM"}
    response = client.post(f"/events/{event.slug}/edit", data={**form, "start": "11:50", "quiet": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 0
    response = client.post(f"/events/{event.slug}/edit", data={**form, "start": "12:00"})
    assert response.status_code == 302
    db.session.expire_all()
    notice = db.session.get(ChangeNotice, event.id)
    quietly_moved = local_to_utc(event.local_start.date(), time(11, 50), event.timezone)
    assert notice is not None and notice.before["starts_at"] == quietly_moved.isoformat()  # as it was kept quiet


def test_the_command_sends_what_is_due_and_a_second_run_sends_nothing_again(app, concerned, smtp_server):
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    db.session.get(ChangeNotice, concerned.event.id).first_changed_at = utcnow() - LATER
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-change-notices"])
    assert first.exit_code == 0 and "4 change notices queued" in first.output
    second = runner.invoke(args=["send-change-notices"])
    assert "0 change notices queued" in second.output
    deliver(smtp_server)
    assert sorted(m["To"] for m in change_mails(smtp_server)) == sorted(CONCERNED)


def test_the_job_workers_send_due_notices_once_a_minute(concerned, smtp_server):
    from eventsite.jobs import PERIODIC
    from eventsite.jobs.tasks import run_periodic
    event_id = concerned.event.id  # a job ends its own session, and with it these objects
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    assert PERIODIC["send-change-notices"].schedule == {"minute": "*"}
    assert run_periodic(PERIODIC["send-change-notices"], "2026-12-02T10:00") is True
    assert db.session.scalar(select(func.count()).select_from(ChangeNotice)) == 1  # still within the window
    db.session.get(ChangeNotice, event_id).first_changed_at = utcnow() - LATER
    db.session.commit()
    assert run_periodic(PERIODIC["send-change-notices"], "2026-12-02T10:11") is True
    deliver(smtp_server)
    assert sorted(m["To"] for m in change_mails(smtp_server)) == sorted(CONCERNED)
