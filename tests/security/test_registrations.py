"""Registration identity and the meeting link, replayed over HTTP (issue 11, findings 1 and 9)."""
import re

import icalendar
from sqlalchemy import func, select

from eventsite.core.mail import OutboxMessage
from eventsite.events.models import Forum
from eventsite.extensions import db
from eventsite.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.factories import make_user
from tests.registrations.helpers import form_data, open_event

MEETING_URL = "https://meet.example.org/j/8412-secret-room"
PASSCODE = "Zq7-41xk"


def _anonymous_event(**settings):
    organiser, event = open_event(anonymous=True, **settings)
    event.webcast_url, event.meeting_passcode = MEETING_URL, PASSCODE
    db.session.commit()
    return organiser, event


def _register(client, event, email, name="Amina Haddad"):
    return client.post(f"/events/{event.slug}/register", data=form_data(event, email=email, name=name))


def _mail_to(email) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                   .order_by(OutboxMessage.id)))


def _verify_path(email) -> str:
    body = _mail_to(email)[-1].body
    return re.search(r"http://localhost(/registrations/verify/\S+)", body).group(1)


def _registration(email) -> Registration:
    db.session.expire_all()
    return db.session.scalar(select(Registration).where(Registration.email == email))


def _unfolded(ics: bytes) -> str:
    return ics.decode().replace("\r\n ", "")


def _everything_in(message: OutboxMessage) -> str:
    return message.subject + message.body + "".join(_unfolded(a.content) for a in message.attachments)


def _meeting_in_calendar(ics: bytes) -> tuple[str, str]:
    vevent = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    return str(vevent.get("CONFERENCE", "")), str(vevent["DESCRIPTION"])


# --- Finding 1: a registration without an account confirmed itself ----------------------------

def test_the_page_after_registering_offers_no_way_to_confirm_or_manage(client, ctx):
    organiser, event = _anonymous_event()
    response = _register(client, event, "victim@example.org")
    page = client.get(response.location).data.decode()
    registration = _registration("victim@example.org")
    assert "Check your mailbox" in page and "victim@example.org" in page
    assert registration.token not in response.location + page and "/r/" not in page
    for method in (client.get, client.post):  # the manage token does not confirm, by any method
        assert method(f"/registrations/verify/{registration.token}").status_code == 400
    assert client.get(f"/r/{registration.token}").status_code == 404  # no manage page before the address is proven
    assert _registration("victim@example.org").status == RegistrationStatus.UNVERIFIED


def test_only_the_emailed_link_confirms_and_opening_it_is_not_enough(client, ctx):
    organiser, event = _anonymous_event()
    _register(client, event, "amina@example.org")
    verification = _mail_to("amina@example.org")[0]
    assert "/r/" not in verification.body  # the manage link is sent only once the address is proven
    path = _verify_path("amina@example.org")
    opened = client.get(path)  # what a mail scanner following links does
    assert opened.status_code == 200 and "Confirm my address and register" in opened.data.decode()
    assert _registration("amina@example.org").status == RegistrationStatus.UNVERIFIED
    confirmed = client.post(path)
    registration = _registration("amina@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert confirmed.location.endswith(f"/r/{registration.token}")
    assert f"/r/{registration.token}" in _mail_to("amina@example.org")[-1].body


def test_unverified_registrations_hold_no_seat(client, ctx):
    organiser, event = _anonymous_event(capacity=2)
    for n in range(5):  # enough unproven registrations to fill the event twice over
        assert _register(client, event, f"squatter{n}@example.org").status_code == 302
    participant = make_user()
    db.session.commit()
    login(client, participant.email)
    client.post(f"/events/{event.slug}/register", data=form_data(event))
    client.post("/account/logout")
    assert _registration(participant.email).status == RegistrationStatus.CONFIRMED
    client.post(_verify_path("squatter3@example.org"))
    client.post(_verify_path("squatter1@example.org"))
    statuses = [_registration(f"squatter{n}@example.org").status for n in range(5)]
    assert statuses == [RegistrationStatus.UNVERIFIED, RegistrationStatus.WAITLISTED, RegistrationStatus.UNVERIFIED,
                        RegistrationStatus.CONFIRMED, RegistrationStatus.UNVERIFIED]


def test_unverified_registrations_expire_and_are_purged(app, client, ctx, monkeypatch):
    organiser, event = _anonymous_event()
    monkeypatch.setitem(app.config, "REGISTRATION_VERIFY_HOURS", 0)  # expired as soon as it is made
    _register(client, event, "late@example.org")
    path = _verify_path("late@example.org")
    refused = client.post(path)
    assert refused.status_code == 400 and "expired" in refused.data.decode()
    result = app.test_cli_runner().invoke(args=["expire-unverified-registrations"])
    assert "1 unverified registration deleted" in result.output
    assert db.session.scalar(select(func.count(Registration.id))) == 0
    assert client.post(path).status_code == 400


def test_registering_again_while_unverified_resends_the_link_and_cannot_flood_the_mailbox(client, ctx):
    organiser, event = _anonymous_event()
    _register(client, event, "amina@example.org")
    first_link = _verify_path("amina@example.org")
    again = _register(client, event, "amina@example.org", name="Amina H.")
    assert again.status_code == 302 and "check-your-mailbox" in again.location  # not "already registered"
    assert len(_mail_to("amina@example.org")) == 2
    assert client.post(first_link).status_code == 400  # the new link replaces the old one
    statuses = [_register(client, event, "amina@example.org").status_code for _ in range(2)]
    assert statuses == [302, 429] and len(_mail_to("amina@example.org")) == 3  # three an hour, then refused
    client.post(_verify_path("amina@example.org"))
    assert _registration("amina@example.org").status == RegistrationStatus.CONFIRMED


def test_an_account_whose_address_is_unproven_registers_like_someone_without_one(client, ctx):
    organiser, event = _anonymous_event()
    claimant = make_user("someone-else@example.org", verified=False)
    db.session.commit()
    login(client, claimant.email)
    response = client.post(f"/events/{event.slug}/register", data=form_data(event))
    registration = _registration("someone-else@example.org")
    assert "check-your-mailbox" in response.location
    assert (registration.status, registration.user_id) == (RegistrationStatus.UNVERIFIED, None)
    assert registration.token not in client.get("/account/registrations").data.decode()


# --- Finding 9: the webcast link and its passcode were public -----------------------------------

def test_the_meeting_link_and_passcode_appear_nowhere_public(client, ctx):
    organiser, event = _anonymous_event()
    outsider = make_user()
    db.session.commit()
    forum_slug = db.session.get(Forum, event.forum_id).slug
    _register(client, event, "amina@example.org")
    places = {
        "event page, anonymous": client.get(f"/events/{event.slug}").data.decode(),
        "event feed": _unfolded(client.get(f"/events/{event.slug}.ics").data),
        "forum feed": _unfolded(client.get(f"/forums/{forum_slug}.ics?detail=agenda").data),
        "check your mailbox": client.get(f"/events/{event.slug}/register/check-your-mailbox").data.decode(),
        "verification page": client.get(_verify_path("amina@example.org")).data.decode(),
        "verification e-mail": "".join(_everything_in(m) for m in _mail_to("amina@example.org")),
    }
    login(client, outsider.email)
    places["event page, signed in"] = client.get(f"/events/{event.slug}").data.decode()
    for place, text in places.items():
        assert MEETING_URL not in text and PASSCODE not in text, place
    assert "Confirmed participants receive the link to join online." in places["event page, anonymous"]


def test_a_confirmed_verified_participant_gets_the_meeting_link_everywhere_that_is_theirs(client, ctx):
    organiser, event = _anonymous_event()
    participant = make_user()
    db.session.commit()
    login(client, participant.email)
    client.post(f"/events/{event.slug}/register", data=form_data(event))
    client.post("/account/calendar", data={"action": "create"})
    registration = _registration(participant.email)
    db.session.refresh(participant)
    confirmation = _mail_to(participant.email)[-1]
    assert confirmation.subject.startswith("Registration confirmed")
    assert MEETING_URL in confirmation.body and PASSCODE in confirmation.body
    page = client.get(f"/r/{registration.token}").data.decode()
    assert MEETING_URL in page and PASSCODE in page
    for ics in (confirmation.attachments[0].content, client.get(f"/r/{registration.token}/event.ics").data,
                client.get(f"/feeds/personal/{participant.calendar_token}.ics").data):
        conference, description = _meeting_in_calendar(ics)
        assert conference == MEETING_URL and f"Passcode: {PASSCODE}" in description
    login(client, organiser.email)
    organiser_page = client.get(f"/events/{event.slug}").data.decode()
    assert MEETING_URL in organiser_page and PASSCODE in organiser_page


def test_a_waitlisted_participant_sees_no_meeting_link(client, ctx):
    organiser, event = _anonymous_event(capacity=1)
    first, waiting = make_user(), make_user()
    db.session.commit()
    for person in (first, waiting):
        login(client, person.email)
        client.post(f"/events/{event.slug}/register", data=form_data(event))
    client.post("/account/calendar", data={"action": "create"})
    registration = _registration(waiting.email)
    db.session.refresh(waiting)
    assert registration.status == RegistrationStatus.WAITLISTED
    texts = [client.get(f"/r/{registration.token}").data.decode(), client.get(f"/events/{event.slug}").data.decode(),
             _unfolded(client.get(f"/feeds/personal/{waiting.calendar_token}.ics").data),
             *(_everything_in(m) for m in _mail_to(waiting.email))]
    assert all(MEETING_URL not in text and PASSCODE not in text for text in texts)
