"""Co-organisers confirm through their focal point's signed link; approval can wait for them; a
co-organiser that declines leaves the public pages, feeds, the API and exports."""
import re

import icalendar
import pytest
from sqlalchemy import select

from eventsite.core.mail import OutboxMessage
from eventsite.coorganisers import services
from eventsite.errors import DomainError, NotAllowed
from eventsite.events import services as event_services
from eventsite.events.models import Confirmation, Event, OrganisationKind, Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.html_forms import form_values

NGO = ("Ocean Voices Network", OrganisationKind.CIVIL_SOCIETY, None)
MISSION = ("Permanent Mission of Zambia to the UN", OrganisationKind.MEMBER_STATE, "ZM")


def _unhq_forum(*, must_confirm=True):
    forum = make_forum()
    preset = event_services.ELIGIBILITY_PRESETS["unhq_in_person"]
    forum.lead_kinds, forum.co_organiser_kinds = ",".join(preset["lead"]), ",".join(preset["co"])
    forum.lead_rule_in_person_only = True
    forum.co_organisers_must_confirm = must_confirm
    db.session.flush()
    return forum


def _mail_to(address):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)
                              .order_by(OutboxMessage.id)).all()


def _token_in(body: str) -> str:
    return re.search(r"/co-organisers/confirm/(\S+)", body).group(1)


def _co_organised(*, must_confirm=True, status=Status.SUBMITTED):
    organiser = make_user()
    event = make_event(_unhq_forum(must_confirm=must_confirm), organiser=organiser, organisers=(MISSION, NGO),
                       status=status)
    return organiser, event, event.organisers[1]


# ---------------------------------------------------------------- services

def test_naming_a_focal_point_queues_the_signed_link_in_the_same_transaction(ctx):
    organiser, event, link = _co_organised()
    sent = services.set_focal_point(link, name="Ana Lima", email="Ana.Lima@oceanvoices.example", user=organiser)
    assert sent and link.focal_email == "ana.lima@oceanvoices.example"
    [message] = _mail_to("ana.lima@oceanvoices.example")
    assert "Ocean Voices Network" in message.subject and event.title in message.subject
    assert services.link_for_token(_token_in(message.body)) is link


def test_approval_waits_for_the_focal_point_and_names_who_has_not_confirmed(ctx):
    organiser, event, link = _co_organised()
    staff = make_staff()
    with pytest.raises(DomainError) as refused:
        event_services.change_status(event, Status.APPROVED, user=staff)
    assert "Ocean Voices Network (no focal point named)" in refused.value.message
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    with pytest.raises(DomainError) as refused:
        event_services.change_status(event, Status.APPROVED, user=staff)
    assert "Ocean Voices Network (Ana Lima asked, no answer yet)" in refused.value.message

    services.answer(link, True)
    event_services.change_status(event, Status.APPROVED, user=staff)
    assert event.status == Status.APPROVED


def test_a_forum_that_does_not_require_confirmation_approves_at_once(ctx):
    organiser, event, link = _co_organised(must_confirm=False)
    event_services.change_status(event, Status.APPROVED, user=make_staff())
    assert event.status == Status.APPROVED and link.confirmation == Confirmation.PENDING


def test_a_new_focal_point_invalidates_the_old_link_and_is_asked_again(ctx):
    organiser, event, link = _co_organised()
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    old = _token_in(_mail_to("ana@oceanvoices.example")[0].body)
    services.answer(link, True)
    services.set_focal_point(link, name="Bo Chen", email="bo@oceanvoices.example", user=organiser)
    with pytest.raises(DomainError) as refused:
        services.link_for_token(old)
    assert "another focal point" in refused.value.message
    assert link.confirmation == Confirmation.PENDING  # an answer belongs to the person who gave it
    assert services.link_for_token(_token_in(_mail_to("bo@oceanvoices.example")[0].body)) is link


def test_correcting_the_focal_points_name_keeps_the_link_and_the_answer(ctx):
    organiser, event, link = _co_organised()
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    token = _token_in(_mail_to("ana@oceanvoices.example")[0].body)
    services.answer(link, True)
    assert services.set_focal_point(link, name="Ana Lima Souza", email="ana@oceanvoices.example",
                                    user=organiser) is False
    assert services.link_for_token(token) is link and link.confirmation == Confirmation.CONFIRMED
    assert len(_mail_to("ana@oceanvoices.example")) == 1


def test_a_resent_link_is_the_same_link_and_a_second_copy_at_once_is_refused(ctx):
    organiser, event, link = _co_organised()
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    with pytest.raises(DomainError) as refused:
        services.resend(link, user=organiser)
    assert "give it a few minutes" in refused.value.message
    link.requested_at = link.requested_at.replace(year=link.requested_at.year - 1)
    services.resend(link, user=organiser)
    first, second = _mail_to("ana@oceanvoices.example")
    assert services.link_for_token(_token_in(first.body)) is services.link_for_token(_token_in(second.body))


def test_only_the_lead_organiser_and_staff_name_focal_points(ctx):
    organiser, event, link = _co_organised()
    with pytest.raises(NotAllowed):
        services.set_focal_point(link, name="Mallory", email="mallory@example.org", user=make_user())
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=make_staff())
    assert link.focal_name == "Ana Lima"


def test_the_answer_is_told_to_the_team(ctx):
    organiser, event, link = _co_organised()
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    services.answer(link, False)
    [told] = _mail_to(organiser.email.lower())
    assert told.subject == f"Ocean Voices Network declined co-organising “{event.title}”"
    assert services.answer(link, False) is False  # the same answer twice tells nobody twice
    assert len(_mail_to(organiser.email.lower())) == 1


def test_taking_an_asked_co_organiser_off_the_list_withdraws_its_link_and_tells_its_focal_point(ctx):
    organiser, event, link = _co_organised(status=Status.DRAFT)
    services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
    token = _token_in(_mail_to("ana@oceanvoices.example")[0].body)
    data = event_services.EventInput(
        title=event.title, day=event.local_start.date(), start=event.local_start.time(),
        end=event.local_end.time(), timezone=event.timezone, forum=event.forum, room=event.room,
        contact_email=event.contact_email, organisers=[event_services.OrganiserInput(*MISSION)])
    event_services.update_event(event, data, user=organiser)
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        services.link_for_token(token)
    assert "no longer list" in refused.value.message
    assert _mail_to("ana@oceanvoices.example")[-1].subject == \
        f"Ocean Voices Network is no longer listed for “{event.title}”"


def test_a_tampered_link_is_refused(ctx):
    with pytest.raises(DomainError) as refused:
        services.link_for_token("not-a-token")
    assert "not valid" in refused.value.message


# ---------------------------------------------------------------- end to end, through HTTP

def _edit_data(client, slug, organisers):
    data = form_values(client.get(f"/events/{slug}/edit").data.decode(), "")  # the form posts to its page
    for n in range(4):
        name, kind, _ = organisers[n] if n < len(organisers) else ("", OrganisationKind.MEMBER_STATE, None)
        data[f"organisers-{n}-name"], data[f"organisers-{n}-kind"] = name, kind.value
    return data


def test_ngo_led_proposal_is_refused_then_passes_as_co_organiser_and_approval_waits_for_its_focal_point(app):
    """The issue's acceptance: an NGO-led in-person proposal at a UNHQ forum is refused at submission
    with the rule; the same NGO as co-organiser passes, and approval waits for its focal point."""
    organiser_client, staff_client, focal_client = app.test_client(), app.test_client(), app.test_client()
    with app.app_context(), app.test_request_context():
        forum = _unhq_forum(must_confirm=True)
        organiser, staff = make_user(), make_staff()
        event = make_event(forum, organiser=organiser, organisers=(NGO,))
        db.session.commit()
        slug, organiser_email, staff_email = event.slug, organiser.email, staff.email
    login(organiser_client, organiser_email)
    login(staff_client, staff_email)

    page = organiser_client.post(f"/events/{slug}/status", data={"to": "submitted"}, follow_redirects=True)
    text = page.data.decode().replace("&#39;", "'")
    assert "Ocean Voices Network (Civil society) cannot lead an in-person or hybrid event" in text

    data = _edit_data(organiser_client, slug, [MISSION, NGO])
    assert organiser_client.post(f"/events/{slug}/edit", data=data).status_code == 302
    organiser_client.post(f"/events/{slug}/status", data={"to": "submitted"})
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.status == Status.SUBMITTED
        link_id = event.organisers[1].id

    page = staff_client.post(f"/events/{slug}/status", data={"to": "approved"}, follow_redirects=True)
    assert "Not confirmed yet: Ocean Voices Network (no focal point named)" in page.data.decode()

    response = organiser_client.post(f"/events/{slug}/co-organisers/{link_id}/focal-point",
                                     data={f"o{link_id}-focal_name": "Ana Lima",
                                           f"o{link_id}-focal_email": "ana@oceanvoices.example"})
    assert response.status_code == 302
    with app.app_context():
        [message] = _mail_to("ana@oceanvoices.example")
        token = _token_in(message.body)

    answer_page = focal_client.get(f"/co-organisers/confirm/{token}")  # a mail scanner opening the link
    assert answer_page.status_code == 200 and "Ocean Voices Network takes part" in answer_page.data.decode()
    page = staff_client.post(f"/events/{slug}/status", data={"to": "approved"}, follow_redirects=True)
    assert "Ocean Voices Network (Ana Lima asked, no answer yet)" in page.data.decode()
    lead_view = organiser_client.get(f"/events/{slug}/co-organisers").data.decode()
    assert "waiting for confirmation" in lead_view

    assert focal_client.post(f"/co-organisers/confirm/{token}", data={"answer": "confirm"}).status_code == 302
    staff_client.post(f"/events/{slug}/status", data={"to": "approved"})
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
        assert event.status == Status.APPROVED
        assert event.organisers[1].confirmation == Confirmation.CONFIRMED
    review_of_lead = organiser_client.get(f"/events/{slug}").data.decode()
    assert "Ocean Voices Network (confirmed)" in review_of_lead


def test_a_declined_co_organiser_leaves_the_event_page_feeds_api_and_exports(app):
    client, staff_client = app.test_client(), app.test_client()
    with app.app_context(), app.test_request_context():
        organiser, event, link = _co_organised(must_confirm=False, status=Status.PUBLISHED)
        staff = make_staff()
        services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
        db.session.commit()
        token = _token_in(_mail_to("ana@oceanvoices.example")[0].body)
        slug, forum_slug, organisation_id, staff_email = (event.slug, event.forum.slug, link.organisation_id,
                                                          staff.email)
    login(staff_client, staff_email)
    assert "Ocean Voices Network" in client.get(f"/events/{slug}").data.decode()

    answered = app.test_client().post(f"/co-organisers/confirm/{token}", data={"answer": "decline"},
                                      follow_redirects=True)
    assert "answer is recorded" in answered.data.decode()

    assert "Ocean Voices Network" not in client.get(f"/events/{slug}").data.decode()
    assert "Ocean Voices Network" not in client.get(f"/forums/{forum_slug}").data.decode()
    feed = icalendar.Calendar.from_ical(client.get(f"/forums/{forum_slug}.ics").data)
    assert all("Ocean Voices Network" not in str(v["DESCRIPTION"]) for v in feed.walk("VEVENT"))
    assert icalendar.Calendar.from_ical(client.get(f"/organisations/{organisation_id}.ics").data) \
        .walk("VEVENT") == []
    api = client.get(f"/api/v1/events/{slug}").get_json()
    assert [o["name"] for o in api["organisers"]] == ["Permanent Mission of Zambia to the UN"]
    export = staff_client.get(f"/forums/{forum_slug}/programme.csv").data.decode()
    assert "Permanent Mission of Zambia" in export and "Ocean Voices Network" not in export
    # the lead organiser still sees it, with its answer
    assert "Ocean Voices Network (declined)" in staff_client.get(f"/events/{slug}").data.decode()


def test_opening_the_link_answers_nothing(app, client):
    with app.app_context(), app.test_request_context():
        organiser, event, link = _co_organised()
        services.set_focal_point(link, name="Ana Lima", email="ana@oceanvoices.example", user=organiser)
        db.session.commit()
        token, link_id = _token_in(_mail_to("ana@oceanvoices.example")[0].body), link.id
    for _ in range(3):
        assert client.get(f"/co-organisers/confirm/{token}").status_code == 200
    with app.app_context():
        from eventsite.events.models import EventOrganiser
        assert db.session.get(EventOrganiser, link_id).confirmation == Confirmation.PENDING


def test_a_bad_focal_point_address_is_shown_again_beside_the_field(app, client):
    with app.app_context(), app.test_request_context():
        organiser, event, link = _co_organised()
        db.session.commit()
        slug, link_id, email = event.slug, link.id, organiser.email
    login(client, email)
    page = client.post(f"/events/{slug}/co-organisers/{link_id}/focal-point",
                       data={f"o{link_id}-focal_name": "Ana Lima", f"o{link_id}-focal_email": "ana-at-example"})
    assert page.status_code == 422
    html = page.data.decode()
    assert 'value="ana-at-example"' in html and 'aria-invalid="true"' in html
