"""Issue 11, findings 3 and 10: the speaker directory cannot be harvested.

Replayed over HTTP as the attacker would: a second account with an event of its own tries to
find, list and read speakers it has no business with, and to learn their addresses from any
page, export or feed.
"""
import io
import re
from datetime import date, time

import docx
import pytest
from PIL import Image
from sqlalchemy import func, select

from eventsite.accounts.models import Role
from eventsite.core.mail import OutboxMessage
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.speakers import services
from eventsite.speakers.models import InvitationStatus, SpeakerAssignment, SpeakerRole
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user

HIDDEN = "hidden.speaker@example.org"
LISTED = "listed.speaker@example.org"


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (80, 80), "teal").save(picture, "PNG")
    return picture.getvalue()


@pytest.fixture
def directory(ctx):
    """A victim organiser's people: one on no published list (with a photo), one confirmed on a
    published event; and an attacker with a draft event of their own."""
    forum = make_forum()
    victim = make_user(name="Victim Organiser")
    draft = make_event(forum, organiser=victim, title="Quiet preparatory meeting")
    published = make_event(forum, organiser=victim, title="Open side event", status=Status.PUBLISHED,
                           room="Conference Room 11")
    hidden = services.create_person(services.PersonInput(
        given_name="Hana", family_name="Hidden", organisation="Secret Ministry", email=HIDDEN), user=victim)[0]
    services.set_photo(hidden, _png(), user=victim)
    services.assign_speaker(draft, hidden, SpeakerRole.PANELLIST, user=victim)
    listed = services.create_person(services.PersonInput(
        given_name="Lee", family_name="Listed", organisation="UNEP", email=LISTED), user=victim)[0]
    services.set_photo(listed, _png(), user=victim)
    services.set_speaker_status(services.assign_speaker(published, listed, SpeakerRole.KEYNOTE, user=victim),
                                InvitationStatus.CONFIRMED, user=victim)
    attacker = make_user(name="Attacker")
    own = make_event(forum, organiser=attacker, title="Attacker's draft", day=date(2025, 5, 7))
    db.session.commit()
    return dict(forum=forum, victim=victim, draft=draft, published=published, hidden=hidden, listed=listed,
                attacker=attacker, own=own)


def _text(response) -> str:
    return response.data.decode("utf-8", "replace")


def _docx_text(response) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)


def _everything(client, event, person_ids=()) -> str:
    """Every page, export and feed of an event (and the person pages) as one text."""
    slug = event.slug
    text = [_text(client.get(url)) for url in (
        f"/events/{slug}", f"/events/{slug}/speakers", f"/events/{slug}/speakers/add",
        f"/events/{slug}/speaker-list", f"/events/{slug}/programme", f"/events/{slug}/programme/print",
        f"/events/{slug}/speakers.csv", f"/events/{slug}.ics", f"/events/{slug}.ics?detail=agenda",
        f"/forums/{event.forum.slug}.ics", f"/forums/{event.forum.slug}/speakers")]
    text.append(_docx_text(client.get(f"/events/{slug}/speakers.docx")))
    text += [_text(client.get(f"/people/{pid}")) for pid in person_ids]
    return "\n".join(text)


def _outbox_to(address) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)))


def test_the_directory_search_shows_an_attacker_no_unlisted_person(client, directory):
    login(client, directory["attacker"].email)
    add_page = f"/events/{directory['own'].slug}/speakers/add"
    assert "Hana Hidden" not in _text(client.get(add_page, query_string={"q": "hidden"}))
    assert "Hana Hidden" not in _text(client.get(add_page, query_string={"q": "secret ministry"}))
    assert "Lee Listed" in _text(client.get(add_page, query_string={"q": "listed"}))


def test_a_search_by_address_never_answers_with_a_name(client, directory):
    login(client, directory["attacker"].email)
    add_page = f"/events/{directory['own'].slug}/speakers/add"
    for address in (HIDDEN, LISTED, "nobody@example.org"):
        page = _text(client.get(add_page, query_string={"q": address}))
        assert "Hana" not in page and "Lee Listed" not in page
        assert "If this address is in the directory, an invitation will reach that person" in page
        assert f'value="{address}"' in page  # the invitation form starts from the address typed


def test_a_forged_person_id_is_refused_and_nobody_is_mailed(client, directory):
    login(client, directory["attacker"].email)
    response = client.post(f"/events/{directory['own'].slug}/speakers/assign",
                           data={"person_id": directory["hidden"].id, "role": "keynote", "agenda_item": "0"})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(SpeakerAssignment.id))
                             .where(SpeakerAssignment.event_id == directory["own"].id)) == 0
    assert _outbox_to(HIDDEN) == []


def test_adding_by_an_address_in_the_directory_reveals_nothing_of_that_person(client, directory):
    login(client, directory["attacker"].email)
    own = directory["own"]
    response = client.post(f"/events/{own.slug}/speakers/new", data={
        "role": "keynote", "agenda_item": "0", "given_name": "Guess", "family_name": "Who", "email": HIDDEN,
        "organisation_kind": "", "gender": "", "country": ""})
    assert response.status_code == 302
    flashed = _text(client.get(response.location))
    assert "Guess Who added; an invitation was e-mailed." in flashed
    text = _everything(client, own, [directory["hidden"].id])
    assert "Guess Who" in text
    for secret in ("Hana", "Hidden", "Secret Ministry", HIDDEN, "Quiet preparatory meeting"):
        assert secret not in text, secret
    # the directory entry is untouched and still the only one with that address
    db.session.expire_all()
    assert services.person_by_email(HIDDEN).given_name == "Hana"
    # nor can the attacker mark the person as having accepted, which would show the entry
    assignment = db.session.scalar(select(SpeakerAssignment).where(SpeakerAssignment.event_id == own.id))
    client.post(f"/events/{own.slug}/speakers/{assignment.id}/status", data={"status": "confirmed"})
    db.session.refresh(assignment)
    assert assignment.status == InvitationStatus.INVITED
    assert "Hana" not in _text(client.get(f"/events/{own.slug}/speakers"))


def test_no_page_export_or_feed_gives_another_organiser_a_speakers_address(client, directory):
    # a co-organiser of the very event where both speak, and an organiser who lists a public speaker
    co_organiser = make_user(name="Co Organiser")
    add_member(directory["draft"], co_organiser, Role.CO_ORGANISER)
    add_member(directory["published"], co_organiser, Role.CO_ORGANISER)
    db.session.commit()
    login(client, directory["attacker"].email)
    add = client.post(f"/events/{directory['own'].slug}/speakers/assign",
                      data={"person_id": directory["listed"].id, "role": "moderator", "agenda_item": "0"})
    assert add.status_code == 302
    text = _everything(client, directory["own"], [directory["listed"].id])
    assert "Lee Listed" in text and LISTED not in text and HIDDEN not in text
    client.post("/account/logout")
    login(client, co_organiser.email)
    for event in (directory["draft"], directory["published"]):
        text = _everything(client, event, [directory["hidden"].id, directory["listed"].id])
        assert "Hana Hidden" in text or "Lee Listed" in text
        assert HIDDEN not in text and LISTED not in text
        rows = _text(client.get(f"/events/{event.slug}/speakers.csv")).splitlines()
        assert rows[0].endswith("Status,E-mail") and all(row.endswith(",") for row in rows[1:])


def test_staff_and_whoever_entered_a_person_see_the_address(client, directory):
    staff = make_staff()
    db.session.commit()
    for who in (directory["victim"], staff):
        login(client, who.email)
        assert HIDDEN in _text(client.get(f"/people/{directory['hidden'].id}"))
        assert HIDDEN in _text(client.get(f"/events/{directory['draft'].slug}/speakers"))
        assert HIDDEN in _text(client.get(f"/events/{directory['draft'].slug}/speakers.csv"))
        assert HIDDEN in _docx_text(client.get(f"/events/{directory['draft'].slug}/speakers.docx"))
        client.post("/account/logout")
    login(client, staff.email)
    page = _text(client.get(f"/events/{directory['own'].slug}/speakers/add", query_string={"q": HIDDEN}))
    assert "Hana Hidden" in page  # staff may look an address up


def test_photos_follow_their_persons_visibility(client, directory):
    hidden, listed = directory["hidden"], directory["listed"]
    hidden_photo = f"/people/{hidden.id}/photo/{hidden.photo_key}.jpg"
    listed_photo = f"/people/{listed.id}/photo/{listed.photo_key}.jpg"
    assert client.get(f"/people/{hidden.id}/photo.jpg").status_code == 404  # the old, walkable address
    assert client.get(hidden_photo).status_code == 404
    public = client.get(listed_photo)
    assert public.status_code == 200 and public.headers["Cache-Control"].startswith("public")
    assert client.get(f"/people/{listed.id}/photo/{'x' * 22}.jpg").status_code == 404  # a guessed key
    login(client, directory["attacker"].email)
    assert client.get(hidden_photo).status_code == 404
    assert client.get(f"/people/{hidden.id}").status_code == 404
    client.post("/account/logout")
    login(client, directory["victim"].email)
    own = client.get(hidden_photo)
    assert own.status_code == 200 and own.headers["Cache-Control"].startswith("private")


def test_clash_notices_name_the_speaker_but_never_their_address(client, directory):
    listed = directory["listed"]
    login(client, directory["attacker"].email)
    clashing = make_event(directory["forum"], organiser=directory["attacker"], title="Clashing event",
                          room=None, start=time(12, 0), end=time(13, 30))
    db.session.commit()
    client.post(f"/events/{clashing.slug}/speakers/assign",
                data={"person_id": listed.id, "role": "panellist", "agenda_item": "0"})
    notices = _outbox_to(directory["victim"].email)
    assert [m.subject for m in notices] == ["Speaker clash: Lee Listed"]
    assert LISTED not in notices[0].body
    assert "also due at “<bdi>Open side event</bdi>”" in _text(client.get(f"/events/{clashing.slug}/speakers"))


def _edit_form(event, **overrides):
    data = {"title": event.title, "day": "2025-05-06", "start": "11:45", "end": "13:00",
            "timezone": "America/New_York", "room": str(event.room_id or 0), "format": "in_person",
            "languages": "English", "contact_name": "Mutale Banda", "contact_email": "mutale.banda@example.org",
            "organisers-0-name": "Permanent Mission of Zambia to the UN", "organisers-0-kind": "member_state",
            "organisers-0-country": "ZM", "sdgs": ["9"]}
    data.update(overrides)
    return data


def test_public_feeds_and_pages_carry_the_contact_address_only_when_marked_public(client, directory, tmp_path):
    from tests.feeds.test_feeds import icscheck
    event, forum = directory["published"], directory["forum"]
    login(client, directory["victim"].email)
    assert client.post(f"/events/{event.slug}/edit", data=_edit_form(event)).status_code == 302
    assert "mutale.banda@example.org" in _text(client.get(f"/events/{event.slug}"))  # the team sees it
    client.post("/account/logout")
    feeds = {"event": f"/events/{event.slug}.ics", "forum": f"/forums/{forum.slug}.ics",
             "room": f"/forums/{forum.slug}/rooms/{event.room_id}.ics"}
    for url in [*feeds.values(), f"/events/{event.slug}", f"/events/{event.slug}/speaker-list"]:
        text = _text(client.get(url))
        assert "mutale.banda@example.org" not in text and "mailto:" not in text.lower(), url
    login(client, directory["victim"].email)
    page = _text(client.get(f"/events/{event.slug}/edit"))
    assert 'name="contact_email_public"' in page
    client.post(f"/events/{event.slug}/edit", data=_edit_form(event, contact_email_public="y"))
    client.post("/account/logout")
    assert "mutale.banda@example.org" in _text(client.get(f"/events/{event.slug}"))
    served = {name: client.get(url).data for name, url in feeds.items()}
    assert re.search(rb"ORGANIZER;CN=.*:mailto:mutale\.banda@example\.org", served["event"].replace(b"\r\n ", b""))
    icscheck(tmp_path, served, radicale=False)


def test_the_person_sees_their_own_entry_only_once_their_account_proves_the_address(client, directory):
    claimant = make_user(HIDDEN.upper(), verified=False)
    db.session.commit()
    login(client, claimant.email)
    assert client.get(f"/people/{directory['hidden'].id}").status_code == 404
    client.post("/account/logout")
    from eventsite.core.time import utcnow
    claimant.email_verified_at = utcnow()
    db.session.commit()
    login(client, claimant.email)
    page = _text(client.get(f"/people/{directory['hidden'].id}"))
    assert HIDDEN in page and "Quiet preparatory meeting" in page  # their own engagements, drafts included


def _invite_new(client, event, email, family="Speaker"):
    return client.post(f"/events/{event.slug}/speakers/new", data={
        "role": "panellist", "agenda_item": "0", "given_name": "Invited", "family_name": family, "email": email,
        "organisation_kind": "", "gender": "", "country": ""})


def test_an_unverified_account_sends_no_invitation(client, directory):
    unproven = make_user(verified=False)
    event = make_event(directory["forum"], organiser=unproven, room=None)
    db.session.commit()
    login(client, unproven.email)
    response = _invite_new(client, event, "someone.else@example.org")
    assert response.status_code == 422
    assert "sent only from accounts whose e-mail address is confirmed" in _text(response)
    assert 'value="someone.else@example.org"' in _text(response)  # what was typed is kept
    assert _outbox_to("someone.else@example.org") == [] and services.person_by_email("someone.else@example.org") is None
    assign = client.post(f"/events/{event.slug}/speakers/assign",
                         data={"person_id": directory["listed"].id, "role": "keynote", "agenda_item": "0"})
    assert assign.status_code == 302 and _outbox_to(LISTED) == []
    assert "sent only from accounts whose e-mail address is confirmed" in _text(client.get(assign.location))


def test_invitations_are_limited_per_account_and_removing_speakers_gives_none_back(client, directory, app):
    attacker, own = directory["attacker"], directory["own"]
    login(client, attacker.email)
    app.config["SPEAKER_INVITATIONS_PER_DAY"] = 3
    try:
        for n in range(3):
            assert _invite_new(client, own, f"target{n}@example.org", family=f"Target{n}").status_code == 302
        db.session.expire_all()
        for assignment in list(own.speakers):
            client.post(f"/events/{own.slug}/speakers/{assignment.id}/remove")
        refused = _invite_new(client, own, "target9@example.org", family="Target9")
    finally:
        del app.config["SPEAKER_INVITATIONS_PER_DAY"]
    assert refused.status_code == 422
    assert "You have sent 3 invitations in the last 24 hours, the most one account may send." in _text(refused)
    assert [len(_outbox_to(f"target{n}@example.org")) for n in (0, 1, 2, 9)] == [1, 1, 1, 0]
    assert 'value="target9@example.org"' in _text(refused)


def test_an_invitation_names_its_sender_and_forum_and_its_refusal_link_stops_all_invitations(client, directory):
    attacker, own, hidden = directory["attacker"], directory["own"], directory["hidden"]
    login(client, attacker.email)
    client.post(f"/events/{own.slug}/speakers/new", data={
        "role": "keynote", "agenda_item": "0", "given_name": "Guess", "family_name": "Who", "email": HIDDEN,
        "organisation_kind": "", "gender": "", "country": ""})
    [invitation] = _outbox_to(HIDDEN)
    assert "Attacker invites you to speak at the side event “Attacker's draft” during 2025 STI Forum." \
        in invitation.body
    assert "Invited by: Attacker, Permanent Mission of Zambia to the UN" in invitation.body
    stop = re.search(r"http://localhost(/invitations/stop/\S+)", invitation.body).group(1)
    client.post("/account/logout")
    assert "Stop all invitations" in _text(client.get(stop))
    assert client.post(stop, data={"choice": "refuse"}).status_code == 302
    db.session.expire_all()
    assert services.person_by_email(HIDDEN).invitations_refused_at is not None
    # neither the organiser who entered the person nor anyone else can mail them again
    login(client, directory["victim"].email)
    draft = directory["draft"]
    response = client.post(f"/events/{draft.slug}/speakers/{draft.speakers[0].id}/resend")
    assert "does not accept invitations through this site" in _text(client.get(response.location))
    other = make_event(directory["forum"], organiser=directory["victim"], room=None, day=date(2025, 5, 7))
    db.session.commit()
    added = client.post(f"/events/{other.slug}/speakers/assign",
                        data={"person_id": hidden.id, "role": "keynote", "agenda_item": "0"})
    assert "This person does not accept invitations through this site" in _text(client.get(added.location))
    assert len(_outbox_to(HIDDEN)) == 1
    assert client.get(stop.replace("/stop/", "/stop/x")).status_code == 400  # a forged link does nothing


def test_the_forum_secretariat_sees_a_blind_add_only_by_the_name_typed(client, directory):
    from eventsite.accounts.services import grant
    secretariat = make_user(name="Forum Secretariat")
    grant(secretariat, Role.ORGANISER, forum=directory["forum"])
    db.session.commit()
    login(client, directory["attacker"].email)
    _invite_new(client, directory["own"], HIDDEN, family="Typed")
    client.post("/account/logout")
    login(client, secretariat.email)
    page = _text(client.get(f"/forums/{directory['forum'].slug}/speakers"))
    assert "Invited Typed" in page and HIDDEN not in page
    assert page.count("Hidden, Hana") == 1  # only her own listing in the victim's event, not the blind add
