import csv
import io
import json
import re
import subprocess
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from eventsite.core.mail import OutboxMessage, deliver_outbox
from eventsite.core.time import utcnow
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.registrations import services
from eventsite.registrations.models import Category, Mode, Registration, RegistrationStatus
from tests.conftest import icscheck_command, login, mail_text, wait_for_mail
from tests.factories import make_event, make_forum, make_user
from tests.registrations.helpers import answers, form_data, open_event, register



def _statuses(event):
    return [r.status for r in db.session.scalars(
        select(Registration).where(Registration.event_id == event.id).order_by(Registration.arrival))]


def test_seats_fill_then_the_waitlist_and_a_cancellation_promotes_the_first_waiting(ctx, smtp_server):
    organiser, event = open_event(capacity=2)
    people = [make_user() for _ in range(4)]
    registrations = [register(event, p) for p in people]
    db.session.commit()
    assert _statuses(event) == [RegistrationStatus.CONFIRMED] * 2 + [RegistrationStatus.WAITLISTED] * 2
    promoted = services.cancel(registrations[0])
    assert promoted == [registrations[2]] and registrations[3].status == RegistrationStatus.WAITLISTED
    db.session.commit()  # the service queued both messages with the change
    deliver_outbox()
    messages = wait_for_mail(smtp_server, 6)
    assert [(m["To"], m["Subject"].split(":")[0]) for m in messages[-2:]] == [
        (people[0].email, "Registration cancelled"), (people[2].email, "A seat is yours")]


def test_the_confirmation_email_states_the_event_in_its_body_and_carries_a_valid_ics(client, ctx, smtp_server,
                                                                                       tmp_path):
    organiser, event = open_event()
    participant = make_user(name="Amina Haddad")
    db.session.commit()
    login(client, participant.email)
    response = client.post(f"/events/{event.slug}/register", data=form_data(event))
    assert response.status_code == 302
    message = wait_for_mail(smtp_server)[0]
    assert message["Subject"] == f"Registration confirmed: {event.title}"
    body = mail_text(message)
    day = event.local_start
    for expected in (event.title, f"{day:%A} {day.day} {day:%B %Y}", "11:45–13:00", "(America/New_York)",
                     "Conference Room 6, UN Headquarters, New York", f"http://localhost/events/{event.slug}",
                     "http://localhost/r/"):
        assert expected in body, expected
    ics = next(part for part in message.walk() if part.get_filename() == f"{event.slug}.ics")
    path = tmp_path / "event.ics"
    path.write_bytes(ics.get_payload(decode=True))
    check = subprocess.run([icscheck_command(), "--json", str(path)], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-3000:]
    assert b"UID:event-" in path.read_bytes() and participant.email.encode() not in path.read_bytes()


def test_the_same_email_cannot_register_twice_and_is_pointed_to_the_existing_one(client, ctx):
    organiser, event = open_event()
    participant = make_user()
    existing = register(event, participant)
    db.session.commit()
    login(client, participant.email)
    response = client.post(f"/events/{event.slug}/register", data=form_data(event, name="Typed again"))
    page = response.data.decode()
    assert response.status_code == 409 and "already registered" in page
    assert f"/registrations/{existing.id}" in page and 'value="Typed again"' in page
    client.post("/account/logout")
    anonymous = client.post(f"/events/{event.slug}/register", data=form_data(event, email=participant.email))
    assert anonymous.status_code == 302  # registration needs an account here: sign in first


@pytest.mark.parametrize("case", ["closed", "full", "code", "required", "conditional", "oversized"])
def test_refusals_explain_themselves_and_keep_what_was_typed(client, ctx, case):
    settings = {"full": dict(capacity=1, waitlist=False), "code": dict(mode=Mode.INVITATION, code="STI-2027")}
    organiser, event = open_event(**settings.get(case, {}))
    participant = make_user()
    if case == "full":
        register(event, make_user())
    if case == "closed":
        event.registration_settings.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    login(client, participant.email)
    data = form_data(event, organisation="Typed organisation")
    questions = services.questions_of(event)
    if case == "code":
        data["invitation_code"] = "WRONG"
    if case == "required":
        del data[questions[0].field_name]
    if case == "conditional":
        data[questions[0].field_name] = "In person"  # then the visa question must be answered
    if case == "oversized":
        data["organisation"] = "x" * 300
    response = client.post(f"/events/{event.slug}/register", data=data)
    page = response.data.decode()
    expected = {"closed": "Registration closed on", "full": "The event is full: all 1 seats are taken",
                "code": "This invitation code is not the one for this event",
                "required": "This question needs an answer.", "conditional": "This question needs an answer.",
                "oversized": "Field cannot be longer than 250 characters."}[case]
    assert response.status_code in (409, 422) and expected in page
    assert ('value="Typed organisation"' in page) or case == "oversized"
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.user_id == participant.id)) == 0


def test_a_conditional_question_is_not_asked_when_its_condition_is_not_met(ctx):
    organiser, event = open_event()
    registration = register(event, make_user())  # "Online": no visa question
    assert registration.status == RegistrationStatus.CONFIRMED and len(registration.answers) == 1


def test_registration_without_an_account_is_confirmed_by_the_emailed_link(client, ctx, smtp_server):
    organiser, event = open_event(anonymous=True)
    db.session.commit()
    response = client.post(f"/events/{event.slug}/register", data=form_data(event))
    assert response.location.endswith(f"/events/{event.slug}/register/check-your-mailbox")
    registration = db.session.scalar(select(Registration))
    assert registration.status == RegistrationStatus.UNVERIFIED and registration.verified_at is None
    verify = wait_for_mail(smtp_server)[0]
    assert verify["Subject"] == f"Confirm your e-mail address to register: {event.title}"
    link = re.search(r"http://localhost(/registrations/verify/\S+)", mail_text(verify)).group(1)
    assert client.post(link).location.endswith(f"/r/{registration.token}")
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CONFIRMED and registration.verified_at is not None
    assert wait_for_mail(smtp_server, 2)[1]["Subject"].startswith("Registration confirmed")


def test_approval_mode_waits_for_the_organisers_who_decide_in_bulk(client, ctx):
    organiser, event = open_event(mode=Mode.APPROVAL, capacity=1)
    first, second, third = (register(event, make_user()) for _ in range(3))
    db.session.commit()
    assert {r.status for r in (first, second, third)} == {RegistrationStatus.PENDING}
    login(client, organiser.email)
    client.post(f"/events/{event.slug}/registrations/decide", data={"ids": [first.id, second.id], "decision": "approve"})
    client.post(f"/events/{event.slug}/registrations/decide", data={"ids": [third.id], "decision": "reject"})
    db.session.expire_all()
    assert [first.status, second.status, third.status] == [
        RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED]
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert [s.split(":")[0] for s in subjects[-3:]] == ["Registration approved", "On the waiting list",
                                                        "Registration not accepted"]


def test_participant_sees_cancels_and_edits_their_registration(client, ctx):
    organiser, event = open_event()
    participant = make_user()
    registration = register(event, participant)
    db.session.commit()
    login(client, participant.email)
    mine = client.get("/account/registrations").data.decode()
    assert event.title in mine and f"/r/{registration.token}" in mine
    page = client.get(f"/r/{registration.token}").data.decode()
    assert registration.checkin_code in page and "qr.svg" in page
    assert client.get(f"/r/{registration.token}/qr.svg").mimetype == "image/svg+xml"
    assert client.get(f"/r/{registration.token}/event.ics").mimetype == "text/calendar"
    client.post(f"/r/{registration.token}/edit", data=form_data(event, name="Amina H.", email="ignored@example.org"))
    db.session.refresh(registration)
    assert registration.name == "Amina H." and registration.email == participant.email
    client.post(f"/r/{registration.token}/cancel")
    db.session.refresh(registration)
    assert registration.status == RegistrationStatus.CANCELLED
    again = client.post(f"/events/{event.slug}/register", data=form_data(event))
    assert again.status_code == 302  # a cancelled registration may be made again


def test_nobody_reaches_another_participants_registration(client, ctx):
    organiser, event = open_event()
    owner, other = make_user(), make_user()
    registration = register(event, owner)
    db.session.commit()
    login(client, other.email)
    assert client.get(f"/registrations/{registration.id}").status_code == 404
    assert client.get(f"/r/{registration.token[:-1]}x").status_code == 404
    assert client.get(f"/events/{event.slug}/registrations").status_code == 403
    assert client.get(f"/events/{event.slug}/registrations.csv").status_code == 403
    assert owner.email not in client.get(f"/events/{event.slug}").data.decode()


def test_check_in_by_qr_code_or_name_with_live_counts(client, ctx):
    organiser, event = open_event()
    a, b = make_user(name="Amina Haddad"), make_user(name="Carlos Silva")
    first, second = register(event, a), register(event, b)
    db.session.commit()
    login(client, organiser.email)
    client.post(f"/events/{event.slug}/check-in", data={"code": first.checkin_code.upper()})
    page = client.get(f"/events/{event.slug}/check-in?q=carlos").data.decode()
    assert "Carlos Silva" in page
    client.post(f"/events/{event.slug}/check-in", data={"registration_id": second.id})
    repeat = client.post(f"/events/{event.slug}/check-in", data={"code": first.checkin_code}, follow_redirects=True)
    assert "Already checked in" in repeat.data.decode() and "Amina Haddad" in repeat.data.decode()
    counts = json.loads(client.get(f"/events/{event.slug}/check-in/counts.json").data)
    assert counts == {"confirmed": 2, "checked_in": 2, "waitlisted": 0, "seats": 10}


def test_exports_have_a_column_per_question_and_only_the_columns_chosen(client, ctx):
    organiser, event = open_event()
    register(event, make_user(name="Amina Haddad"))
    db.session.commit()
    login(client, organiser.email)
    question = services.questions_of(event)[0]
    rows = list(csv.reader(io.StringIO(client.get(
        f"/events/{event.slug}/registrations.csv?columns=category&columns=status&columns={question.field_name}"
    ).data.decode("utf-8-sig"))))
    assert rows == [["Category", "Status", "How will you attend?"], ["", "confirmed", "Online"]]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(
        f"/events/{event.slug}/registrations.xlsx?columns=name&columns={question.field_name}").data))
    assert [[c.value for c in row] for row in workbook.active.iter_rows()] == [
        ["Name", "How will you attend?"], ["Amina Haddad", "Online"]]


def test_export_headings_are_in_the_readers_language(app, client):
    with app.test_request_context():  # the requests below pick their own language, so not inside this one
        organiser, event = open_event()
        register(event, make_user(name="Amina Haddad"))
        db.session.commit()
        email, slug = organiser.email, event.slug
    login(client, email)
    client.get("/language?lang=fr")
    rows = list(csv.reader(io.StringIO(client.get(
        f"/events/{slug}/registrations.csv?columns=name&columns=country&columns=checked_in").data.decode("utf-8-sig"))))
    assert rows[0] == ["Nom", "Pays", "Arrivé(e)"]


def test_erasure_and_purge_remove_personal_data_and_keep_counts(app, client, ctx):
    organiser, event = open_event(capacity=1)
    kept, erased = register(event, make_user()), register(event, make_user())
    db.session.commit()
    client.post(f"/r/{erased.token}/erase")
    db.session.refresh(erased)
    assert erased.name == "" and erased.email is None and erased.status == RegistrationStatus.CANCELLED
    event.starts_at -= timedelta(days=90)
    event.ends_at -= timedelta(days=90)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-personal-data", "--older-than", "30"])
    assert "1 registration anonymised" in result.output
    db.session.refresh(kept)
    assert kept.name == "" and kept.email is None and kept.status == RegistrationStatus.CONFIRMED


def test_reminders_go_once_to_confirmed_participants(app, ctx):
    organiser, event = open_event(starts_in_days=0)
    event.starts_at = utcnow() + timedelta(hours=5)
    event.ends_at = event.starts_at + timedelta(hours=1)
    register(event, make_user())
    db.session.commit()
    runner = app.test_cli_runner()
    assert "1 reminder queued" in runner.invoke(args=["send-reminders", "--hours", "24"]).output
    assert "0 reminders queued" in runner.invoke(args=["send-reminders", "--hours", "24"]).output


def test_new_consent_text_starts_a_new_version_and_old_registrations_keep_theirs(ctx):
    organiser, event = open_event(consent="Version one.")
    first = register(event, make_user())
    services.save_settings(event, user=organiser, consent_text="Version two.")
    second = register(event, make_user())
    assert (first.consent_version, first.consent_text) == (1, "Version one.")
    assert (second.consent_version, second.consent_text) == (2, "Version two.")


def test_two_simultaneous_registrations_of_one_address_without_an_account_make_one(ctx, monkeypatch):
    organiser, event = open_event(anonymous=True)
    data = services.RegistrationInput(name="Amina Haddad", email="amina@example.org", organisation="ITU",
                                      answers=answers(event))
    first = services.register(event, data, questions=services.questions_of(event))
    # The second request looked for a duplicate before the first one's insert landed.
    real_lookup, calls = services.existing_registration, []

    def lookup_too_early(event_, email):
        calls.append(email)
        return None if len(calls) == 1 else real_lookup(event_, email)
    monkeypatch.setattr(services, "existing_registration", lookup_too_early)
    with pytest.raises(services.AlreadyRegistered) as refused:
        services.register(event, data, questions=services.questions_of(event))
    assert refused.value.registration.id == first.id  # the constraint caught it, and the message can link it


def test_changing_answers_starts_from_the_registration_as_it_was(client, ctx):
    organiser, event = open_event()
    participant = make_user()
    registration = register(event, participant, category=Category.ACADEMIA, country="KE")
    db.session.commit()
    page = client.get(f"/r/{registration.token}/edit").data.decode()
    assert '<option selected value="academia">' in page and '<option selected value="KE">' in page
    assert re.search(r'<input checked[^>]*type="radio" value="Online"', page)


def test_every_missing_answer_is_reported_at_once_consent_included(client, ctx):
    organiser, event = open_event(consent="We keep your data for 90 days.")
    participant = make_user()
    db.session.commit()
    login(client, participant.email)
    data = form_data(event, organisation="")
    page = client.post(f"/events/{event.slug}/register", data=data).data.decode()
    assert "Please give your consent to register." in page and "Organisation</a>: This field is required." in page


def test_a_registered_participant_opening_the_form_is_taken_to_their_registration(client, ctx):
    organiser, event = open_event()
    participant = make_user()
    registration = register(event, participant)
    db.session.commit()
    login(client, participant.email)
    response = client.get(f"/events/{event.slug}/register")
    assert response.status_code == 302 and response.location.endswith(f"/r/{registration.token}")


def test_posting_to_an_event_whose_registration_never_opened_explains_it(client, ctx):
    event = make_event(make_forum(), status=Status.PUBLISHED)
    participant = make_user()
    db.session.commit()
    login(client, participant.email)
    response = client.post(f"/events/{event.slug}/register", data={"name": "Amina"})
    assert response.status_code == 409 and "Registration is not open yet." in response.data.decode()
