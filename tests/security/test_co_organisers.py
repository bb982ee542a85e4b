"""Hostile input to the co-organisers' and official programme's forms: refused beside the field, never a 500,
never stored, always escaped; the focal point's link cannot be forged or replayed for another row."""
import re

from sqlalchemy import select

from eventsite.core.mail import OutboxMessage
from eventsite.coorganisers import services
from eventsite.events.models import Confirmation, EventOrganiser, OrganisationKind, Status
from eventsite.extensions import db
from eventsite.programme.models import OfficialMeeting
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user

NGO = ("Ocean Voices Network", OrganisationKind.CIVIL_SOCIETY, None)
MISSION = ("Permanent Mission of Zambia to the UN", OrganisationKind.MEMBER_STATE, "ZM")


def _world(app):
    with app.app_context(), app.test_request_context():
        organiser = make_user()
        event = make_event(make_forum(), organiser=organiser, organisers=(MISSION, NGO), status=Status.SUBMITTED)
        db.session.commit()
        return event.slug, event.organisers[1].id, organiser.email, event.forum.slug


def test_nul_in_the_focal_points_name_is_refused_beside_it_and_nothing_is_mailed(app, client):
    slug, link_id, email, _ = _world(app)
    login(client, email)
    page = client.post(f"/events/{slug}/co-organisers/{link_id}/focal-point",
                       data={f"o{link_id}-focal_name": "Ana\x00Lima", f"o{link_id}-focal_email": "ana@example.org"})
    assert page.status_code == 422
    assert "Remove the control characters" in page.data.decode()
    with app.app_context():
        assert db.session.scalar(select(OutboxMessage.id)) is None


def test_a_focal_points_name_with_markup_is_shown_as_text(app, client):
    slug, link_id, email, _ = _world(app)
    login(client, email)
    client.post(f"/events/{slug}/co-organisers/{link_id}/focal-point",
                data={f"o{link_id}-focal_name": "<script>alert(1)</script>", f"o{link_id}-focal_email": "a@example.org"})
    page = client.get(f"/events/{slug}/co-organisers").data.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_link_signed_for_one_row_cannot_answer_for_another(app, client):
    slug, link_id, email, _ = _world(app)
    with app.app_context(), app.test_request_context():
        link = db.session.get(EventOrganiser, link_id)
        services.set_focal_point(link, name="Ana", email="ana@example.org", user=make_staff())
        db.session.commit()
        body = db.session.scalar(select(OutboxMessage.body))
        token = re.search(r"/co-organisers/confirm/(\S+)", body).group(1)
        payload, rest = token.split(".", 1)
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + rest
    assert client.post(f"/co-organisers/confirm/{forged}", data={"answer": "confirm"}).status_code == 400
    assert client.post(f"/co-organisers/confirm/{token}", data={"answer": "confirm\x00"}).status_code in (200, 400, 422)
    assert client.post(f"/co-organisers/confirm/{token}", data={"answer": "approve-everything"}).status_code == 200
    with app.app_context():
        assert db.session.get(EventOrganiser, link_id).confirmation == Confirmation.PENDING


def test_an_official_meeting_title_with_markup_is_escaped_on_the_programme(app, client):
    _, _, _, forum_slug = _world(app)
    with app.app_context():
        staff = make_staff()
        db.session.commit()
        staff_email = staff.email
    login(client, staff_email)
    assert client.post(f"/forums/{forum_slug}/official", data={
        "title": "<img src=x onerror=alert(1)>", "day": "2025-05-07", "start": "09:00", "end": "09:30", "room": "0",
        "location": "", "side_events": "allow"}).status_code == 302
    page = app.test_client().get(f"/forums/{forum_slug}").data.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_forged_room_or_rule_in_the_meeting_form_is_refused_and_nothing_is_stored(app, client):
    _, _, _, forum_slug = _world(app)
    with app.app_context():
        staff = make_staff()
        db.session.commit()
        staff_email = staff.email
    login(client, staff_email)
    for forged in ({"room": "999999"}, {"side_events": "anything"}, {"day": "9999-12-31"}, {"room": str(2**63)}):
        page = client.post(f"/forums/{forum_slug}/official", data={
            "title": "Opening", "day": "2025-05-07", "start": "09:00", "end": "09:30", "room": "0", "location": "",
            "side_events": "", **forged})
        assert page.status_code == 422, forged
    with app.app_context():
        assert db.session.scalar(select(OfficialMeeting.id)) is None
