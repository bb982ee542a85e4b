import csv
import io
import re
from datetime import date, time

import docx
from PIL import Image
from sqlalchemy import func, select

from eventsite.agenda.models import ItemKind
from eventsite.agenda.services import AgendaItemInput, save_agenda_item
from eventsite.core.mail import OutboxMessage, deliver_outbox
from eventsite.events.models import OrganisationKind, Status
from eventsite.extensions import db
from eventsite.speakers import services
from eventsite.speakers.balance import event_balance
from eventsite.speakers.models import Gender, InvitationStatus, Person, SpeakerRole
from tests.conftest import login, wait_for_mail
from tests.factories import make_event, make_forum, make_user


def _person(family, *, gender=Gender.WOMAN, country="KE", email=None, user=None):
    return services.create_person(services.PersonInput(
        given_name="Alex", family_name=family, gender=gender, country=country, organisation="UNESCO",
        organisation_kind=OrganisationKind.UN_ENTITY, email=email or f"{family.lower()}@example.org"),
        user=user or make_user())[0]


def _event_with_speakers(ctx, status=Status.PUBLISHED):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser, status=status)
    confirmed = services.assign_speaker(event, _person("Okafor", user=organiser), SpeakerRole.MODERATOR,
                                        user=organiser)
    services.set_speaker_status(confirmed, InvitationStatus.CONFIRMED, user=organiser)
    services.assign_speaker(event, _person("Pending", gender=Gender.MAN, user=organiser), SpeakerRole.PANELLIST,
                            user=organiser)
    db.session.commit()
    return organiser, event


def _add_new_speaker(client, event, **fields):
    data = {"role": "keynote", "agenda_item": "0", "given_name": "Amina", "family_name": "Haddad",
            "email": "Amina.Haddad@Example.org", "gender": "woman", "country": "MA", "organisation": "ITU",
            "organisation_kind": "un_entity", **fields}
    return client.post(f"/events/{event.slug}/speakers/new", data=data)


def test_accepting_the_emailed_invitation_confirms_the_speaker(client, ctx, smtp_server):
    organiser, event = _event_with_speakers(ctx)
    login(client, organiser.email)
    assert _add_new_speaker(client, event).status_code == 302
    message = next(m for m in wait_for_mail(smtp_server) if m["To"] == "amina.haddad@example.org")
    body = message.get_payload(decode=True).decode()
    assert event.title in body and "Keynote speaker" in body and "11:45–13:00 EDT" in body
    link = re.search(r"http://localhost(/invitations/\S+)", body).group(1)
    client.post("/account/logout")
    page = client.get(link).data.decode()
    assert "<bdi>Amina Haddad</bdi>, you are invited" in page and "I accept" in page
    assert client.post(link, data={"answer": "confirmed"}).status_code == 302
    person = services.person_by_email("amina.haddad@example.org")
    assignment = next(s for s in event.speakers if s.person_id == person.id)
    db.session.refresh(assignment)
    assert assignment.status == InvitationStatus.CONFIRMED and assignment.responded_at
    assert "Amina Haddad" in client.get(f"/events/{event.slug}").data.decode()  # now public


def test_a_tampered_or_expired_invitation_link_is_refused(client, ctx, app):
    organiser, event = _event_with_speakers(ctx)
    token = services.invitation_token(event.speakers[1])
    tampered = client.post(f"/invitations/{token[:-2]}xx", data={"answer": "confirmed"})
    assert tampered.status_code == 400 and "not valid" in tampered.data.decode()
    app.config["INVITATION_MAX_AGE"] = -1
    try:
        expired = client.post(f"/invitations/{token}", data={"answer": "confirmed"})
    finally:
        del app.config["INVITATION_MAX_AGE"]
    assert expired.status_code == 400 and "expired" in expired.data.decode()
    db.session.refresh(event.speakers[1])
    assert event.speakers[1].status == InvitationStatus.INVITED
    services.remove_speaker(event.speakers[1], user=organiser)
    db.session.commit()
    withdrawn = client.get(f"/invitations/{token}")
    assert withdrawn.status_code == 400 and "withdrawn" in withdrawn.data.decode()


def test_the_same_email_never_makes_two_people(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    login(client, organiser.email)
    _add_new_speaker(client, event)
    other = make_event(event.forum, organiser=organiser, day=date(2025, 5, 7))
    db.session.commit()
    response = _add_new_speaker(client, other, given_name="A.", email="  AMINA.HADDAD@example.org ")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Person.id)).where(Person.family_name == "Haddad")) == 1
    assert "already belongs to Amina Haddad" in client.get(f"/events/{other.slug}/speakers").data.decode()


def test_adding_a_speaker_searches_the_directory_first(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    login(client, organiser.email)
    page = client.get(f"/events/{event.slug}/speakers/add?q=okaf unesco").data.decode()
    assert "Alex Okafor" in page and "Alex Pending" not in page
    person = services.person_by_email("okafor@example.org")
    response = client.post(f"/events/{event.slug}/speakers/assign",
                           data={"person_id": person.id, "role": "closing", "agenda_item": "0"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [(s.person.family_name, s.role) for s in event.speakers] == [
        ("Okafor", SpeakerRole.MODERATOR), ("Pending", SpeakerRole.PANELLIST), ("Okafor", SpeakerRole.CLOSING)]


def test_visitors_never_see_emails_or_unconfirmed_speakers(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    okafor = services.person_by_email("okafor@example.org")
    pending = services.person_by_email("pending@example.org")
    participant = make_user()
    db.session.commit()
    for who in (None, participant.email):
        if who:
            login(client, who)
        pages = [client.get(url).data for url in (
            f"/events/{event.slug}", f"/events/{event.slug}/speaker-list", f"/events/{event.slug}/programme",
            f"/events/{event.slug}/speakers.csv", f"/people/{okafor.id}")]
        text = b"".join(pages).decode("utf-8", "replace")
        document = docx.Document(io.BytesIO(client.get(f"/events/{event.slug}/speakers.docx").data))
        text += "\n".join(p.text for p in document.paragraphs)
        assert "Alex Okafor" in text
        assert "okafor@example.org" not in text and "Pending" not in text
        assert client.get(f"/people/{pending.id}").status_code == 404
    login(client, organiser.email)
    rows = list(csv.reader(io.StringIO(client.get(f"/events/{event.slug}/speakers.csv").data.decode("utf-8-sig"))))
    assert rows[1][-2:] == ["confirmed", "okafor@example.org"] and rows[2][-2:] == ["invited", "pending@example.org"]
    assert "pending@example.org" in client.get(f"/people/{pending.id}").data.decode()


def test_speaker_list_is_in_official_order_and_reorderable(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    services.assign_speaker(event, _person("Keynoter", user=organiser), SpeakerRole.KEYNOTE, user=organiser)
    db.session.commit()
    assert [s.person.family_name for s in event.speakers] == ["Okafor", "Keynoter", "Pending"]
    login(client, organiser.email)
    client.post(f"/events/{event.slug}/speakers/{event.speakers[2].id}/up")
    db.session.expire_all()
    assert [s.person.family_name for s in event.speakers] == ["Okafor", "Pending", "Keynoter"]


def test_a_speaker_due_in_two_overlapping_events_is_flagged_to_both(client, ctx, smtp_server):
    organiser, event = _event_with_speakers(ctx)
    other_organiser = make_user()
    other = make_event(event.forum, organiser=other_organiser, room="Conference Room 11", start=time(12, 30),
                       end=time(13, 30))
    db.session.commit()
    login(client, other_organiser.email)
    okafor = services.person_by_email("okafor@example.org")
    client.post(f"/events/{other.slug}/speakers/assign", data={"person_id": okafor.id, "role": "keynote",
                                                               "agenda_item": "0"})
    assert f"also due at “<bdi>{event.title}</bdi>”" in client.get(f"/events/{other.slug}/speakers").data.decode()
    client.post("/account/logout")
    login(client, organiser.email)
    assert f"also due at “<bdi>{other.title}</bdi>”" in client.get(f"/events/{event.slug}/speakers").data.decode()
    warned = [m for m in wait_for_mail(smtp_server, 2) if m["Subject"] == "Speaker clash: Alex Okafor"]
    assert [m["To"] for m in warned] == [organiser.email]


def test_balance_counts_gender_region_south_and_warns_of_a_single_gender_panel(ctx):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)
    panel = save_agenda_item(event, AgendaItemInput("Panel", ItemKind.PANEL, time(12, 0), time(12, 45)),
                             user=organiser)
    for name, country in (("One", "NG"), ("Two", "BR"), ("Three", "FR")):
        services.assign_speaker(event, _person(name, gender=Gender.MAN, country=country, user=organiser), SpeakerRole.PANELLIST,
                                user=organiser, agenda_item=panel)
    services.assign_speaker(event, _person("Four", gender=Gender.WOMAN, country="JP", user=organiser), SpeakerRole.KEYNOTE,
                            user=organiser)
    balance = event_balance(event)
    assert balance.speakers == 4 and balance.women_share == 25
    assert balance.region == {"african": 1, "latin_american_caribbean": 1, "western_european_others": 1,
                              "asia_pacific": 1}
    assert balance.global_south_share == 50
    assert [(p.panel, p.gender, p.size) for p in balance.single_gender_panels] == [("Panel", Gender.MAN, 3)]
    services.assign_speaker(event, _person("Five", gender=Gender.WOMAN, user=organiser), SpeakerRole.MODERATOR, user=organiser,
                            agenda_item=panel)
    assert event_balance(event).single_gender_panels == []


def test_forum_speaker_statistics_use_a_bounded_number_of_queries(client, ctx, count_queries):
    forum = make_forum(starts_on=date(2027, 5, 3), ends_on=date(2027, 5, 7),
                       rooms=[f"Conference Room {n}" for n in range(1, 9)])
    organiser, staff = make_user(), make_user(staff=True)
    people = [_person(f"Speaker{n}", gender=(Gender.WOMAN, Gender.MAN)[n % 2], user=organiser) for n in range(10)]
    slots = [(time(8, 15), time(9, 30)), (time(10, 0), time(11, 15)), (time(11, 45), time(13, 0)),
             (time(13, 15), time(14, 30)), (time(15, 0), time(16, 15))]
    plan = [(date(2027, 5, d), slot, room) for d in range(3, 8) for slot in slots for room in range(1, 9)]

    def add(n, day, slot, room):
        event = make_event(forum, organiser=organiser, status=Status.PUBLISHED, room=f"Conference Room {room}",
                           day=day, start=slot[0], end=slot[1], concept_note=False)
        for k in range(5):
            services.assign_speaker(event, people[(n + k) % 10], SpeakerRole.PANELLIST, user=organiser)

    add(0, *plan[0])
    db.session.commit()
    login(client, staff.email)
    db.session.commit()  # both counts start from the same, expired, session
    with count_queries() as one:
        assert client.get(f"/forums/{forum.slug}/speakers").status_code == 200
    for n, entry in enumerate(plan[1:], start=1):
        add(n, *entry)
    db.session.commit()
    with count_queries() as many:
        page = client.get(f"/forums/{forum.slug}/speakers").data.decode()
    assert "1000 speakers" in page and "50% women" in page
    assert len(many) == len(one)


def test_a_photo_is_checked_and_re_encoded(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    login(client, organiser.email)
    picture = io.BytesIO()
    Image.new("RGB", (1200, 900), "navy").save(picture, "PNG")
    response = _add_new_speaker(client, event, photo=(io.BytesIO(picture.getvalue()), "portrait.png"))
    assert response.status_code == 302
    person = services.person_by_email("amina.haddad@example.org")
    served = client.get(f"/people/{person.id}/photo/{person.photo_key}.jpg")
    assert served.mimetype == "image/jpeg" and Image.open(io.BytesIO(served.data)).size == (600, 450)
    refused = _add_new_speaker(client, event, email="other@example.org", family_name="Other",
                               photo=(io.BytesIO(b"GIF89a not really"), "portrait.png"))
    page = refused.data.decode()
    assert refused.status_code == 422 and "not a picture we can read" in page and 'value="Other"' in page
    assert services.person_by_email("other@example.org") is None


def test_the_speaker_page_lists_engagements_across_forums(client, ctx):
    organiser, event = _event_with_speakers(ctx)
    other_forum = make_forum(name="UNGA 79", starts_on=date(2024, 9, 23), ends_on=date(2024, 9, 30),
                             rooms=("Conference Room 1",))
    other = make_event(other_forum, organiser=organiser, status=Status.HELD, day=date(2024, 9, 25),
                       room="Conference Room 1")
    okafor = services.person_by_email("okafor@example.org")
    assignment = services.assign_speaker(other, okafor, SpeakerRole.KEYNOTE, user=organiser)
    services.set_speaker_status(assignment, InvitationStatus.CONFIRMED, user=organiser)
    db.session.commit()
    page = client.get(f"/people/{okafor.id}").data.decode()
    assert page.index(event.title) < page.index(other.title)  # newest first
    assert "UNGA 79" in page and "Keynote speaker" in page and "Moderator" in page


def test_invitations_queue_mail_only_for_people_with_an_address(ctx):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)
    person = services.create_person(services.PersonInput(given_name="No", family_name="Email"), user=organiser)[0]
    assignment = services.assign_speaker(event, person, SpeakerRole.PANELLIST, user=organiser)
    assert services.send_invitation(assignment, user=organiser) == services.InvitationOutcome.NO_ADDRESS
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert deliver_outbox() == (0, 0)


def test_editing_a_person_starts_from_their_values_and_keeps_them(client, ctx):
    organiser = make_user()
    person = _person("Okafor", gender=Gender.NON_BINARY, country="NG", user=organiser)
    db.session.commit()
    login(client, organiser.email)
    page = client.get(f"/people/{person.id}/edit").data.decode()
    for selected in ('<option selected value="non_binary">', '<option selected value="un_entity">',
                     '<option selected value="NG">'):
        assert selected in page, selected


def test_the_directory_search_finds_exactly_whom_the_person_rule_lets_a_user_see(ctx):
    from eventsite import authz
    from eventsite.accounts.models import Role
    from tests.factories import add_member, make_staff
    forum = make_forum()
    lead, co, outsider, forum_secretariat, staff = make_user(), make_user(), make_user(), make_user(), make_staff()
    draft = make_event(forum, organiser=lead)
    published = make_event(forum, organiser=lead, status=Status.PUBLISHED, room="Conference Room 11")
    add_member(draft, co, Role.CO_ORGANISER)
    from eventsite.accounts.services import grant
    grant(forum_secretariat, Role.ORGANISER, forum=forum)
    people = {name: _person(name, user=lead) for name in ("Drafted", "Listed", "Invited", "Unassigned", "Blind")}
    services.assign_speaker(draft, people["Drafted"], SpeakerRole.PANELLIST, user=lead)
    services.set_speaker_status(services.assign_speaker(published, people["Listed"], SpeakerRole.KEYNOTE, user=lead),
                                InvitationStatus.CONFIRMED, user=lead)
    services.assign_speaker(published, people["Invited"], SpeakerRole.PANELLIST, user=lead)
    own = make_event(forum, organiser=outsider, room=None)
    services.add_new_speaker(own, services.PersonInput(given_name="G", family_name="Typed", email="blind@example.org"),
                             SpeakerRole.PANELLIST, user=outsider)
    services.add_new_speaker(draft, services.PersonInput(given_name="B", family_name="Blind",
                                                         email="blind@example.org"), SpeakerRole.MODERATOR, user=co)
    db.session.commit()
    for user in (lead, co, outsider, forum_secretariat, staff):
        db.session.refresh(user)
        found = {p.family_name for p in services.search_people("alex unesco", user=user)}
        allowed = {name for name, p in people.items() if authz.can(user, "person.view", p)}
        assert found == allowed, user
    assert {p.family_name for p in services.search_people("alex", user=co)} == {"Drafted", "Listed"}
    assert {p.family_name for p in services.search_people("alex", user=forum_secretariat)} == {
        "Drafted", "Listed", "Invited"}
    assert {p.family_name for p in services.search_people("alex", user=outsider)} == {"Listed"}
    assert len(services.search_people("alex", user=lead)) == len(services.search_people("alex", user=staff)) == 5


def test_adding_a_speaker_through_the_service_queues_the_invitation_and_the_clash_notice(ctx):
    organiser, event = _event_with_speakers(ctx)
    other_organiser = make_user()
    other = make_event(event.forum, organiser=other_organiser, room="Conference Room 11", start=time(12, 0),
                       end=time(13, 30))
    okafor = services.person_by_email("okafor@example.org")
    assignment = services.assign_speaker(other, okafor, SpeakerRole.KEYNOTE, user=other_organiser)
    assert services.notify_new_speaker(assignment, user=other_organiser) == services.InvitationOutcome.SENT
    queued = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.recipient, m.subject) for m in queued] == [
        ("okafor@example.org", f"Invitation to speak: {other.title}"),
        (organiser.email, "Speaker clash: Alex Okafor")]
    assert "okafor@example.org" not in queued[1].body
