"""Personal API tokens and what they open: one's own events, their registrations, check-in, agenda edits."""
from datetime import time

from eventsite.accounts.models import ApiToken, Role, TokenScope
from eventsite.accounts.tokens import create_token
from eventsite.agenda.models import AgendaItem
from eventsite.extensions import db
from eventsite.events.models import Status
from eventsite.registrations.models import Registration, RegistrationStatus
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_user
from tests.registrations.helpers import open_event, register


def _token(user, scope=TokenScope.READ_WRITE):
    _, plain = create_token(user=user, name="Door phone", scope=scope)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def _event_with_registrant():
    organiser, event = open_event(capacity=10)
    add_member(event, organiser, Role.ORGANISER)
    registration = register(event, make_user("amina@example.org", name="Amina Haddad"))
    db.session.commit()
    return organiser, event, registration


def test_a_token_is_shown_once_and_stored_only_as_a_digest(client, ctx):
    user = make_user()
    db.session.commit()
    login(client, user.email)
    created = client.post("/account/tokens", data={"name": "Door phone", "scope": "read_write"})
    page = created.data.decode()
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    plain = page.split('id="token-value" type="text" readonly value="')[1].split('"')[0]
    assert plain.startswith("es_") and len(plain) > 40
    token = db.session.scalar(db.select(ApiToken))
    assert token.digest != plain and plain not in (token.digest, token.prefix)
    assert token.scope == TokenScope.READ_WRITE and token.user_id == user.id
    later = client.get("/account/tokens").data.decode()
    assert plain not in later and f"{token.prefix}…" in later and "Door phone" in later


def test_an_organiser_lists_their_events_and_exports_registrations_as_json(client, ctx):
    organiser, event, registration = _event_with_registrant()
    headers = _token(organiser, TokenScope.READ)
    mine = client.get("/api/v1/me/events", headers=headers).json["data"]
    assert [(e["slug"], e["roles"]) for e in mine] == [(event.slug, ["organiser"])]
    response = client.get(f"/api/v1/events/{event.slug}/registrations", headers=headers)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"  # personal data: no cache keeps it
    assert "no-store" not in client.get("/api/v1/forums").headers["Cache-Control"]
    [row] = response.json["data"]
    assert (row["name"], row["email"], row["status"]) == ("Amina Haddad", "amina@example.org", "confirmed")
    assert "How will you attend?" in row["answers"]
    assert db.session.get(ApiToken, db.session.scalar(db.select(ApiToken.id))).last_used_at is not None


def test_registrations_of_someone_elses_event_are_refused(client, ctx):
    _, event, _ = _event_with_registrant()
    stranger = make_user()
    draft = make_event(make_forum(), start=time(9), end=time(10))
    db.session.commit()
    headers = _token(stranger, TokenScope.READ)
    refused = client.get(f"/api/v1/events/{event.slug}/registrations", headers=headers)
    assert refused.status_code == 403
    assert refused.json["errors"][0]["message"]
    assert client.get(f"/api/v1/events/{draft.slug}/registrations", headers=headers).status_code == 404


def test_without_a_live_token_the_api_answers_401_in_json_not_a_sign_in_redirect(client, ctx):
    organiser, event, _ = _event_with_registrant()
    for headers in ({}, {"Authorization": "Bearer es_not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get(f"/api/v1/events/{event.slug}/registrations", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json["errors"][0]["field"] == "Authorization"
    login(client, organiser.email)  # a signed-in browser's cookie opens nothing under /api
    assert client.get(f"/api/v1/events/{event.slug}/registrations").status_code == 401


def test_a_revoked_token_is_refused_at_once(client, ctx):
    organiser, event, _ = _event_with_registrant()
    headers = _token(organiser)
    assert client.get("/api/v1/me/events", headers=headers).status_code == 200
    login(client, organiser.email)
    token_id = db.session.scalar(db.select(ApiToken.id))
    confirm = client.get(f"/account/tokens/{token_id}/revoke")  # the list's link asks first
    assert f'<form method="post" action="/account/tokens/{token_id}/revoke"' in confirm.data.decode()
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/me/events", headers=headers).status_code == 401
    assert "Revoked on" in client.get("/account/tokens").data.decode()


def test_nobody_revokes_another_persons_token(client, ctx):
    owner, other = make_user(), make_user()
    db.session.commit()
    _token(owner)
    login(client, other.email)
    token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_door_staff_check_in_by_code_once(client, ctx):
    organiser, event, registration = _event_with_registrant()
    headers = _token(organiser)
    first = client.post(f"/api/v1/events/{event.slug}/check-in", json={"code": registration.checkin_code},
                        headers=headers)
    assert first.status_code == 200, first.json
    assert first.json["already_checked_in"] is False
    assert first.json["registration"]["name"] == "Amina Haddad"
    exported = client.get(f"/api/v1/events/{event.slug}/registrations", headers=headers).json["data"][0]
    assert first.json["registration"]["answers"] == exported["answers"]  # keyed by label in both
    assert "How will you attend?" in exported["answers"]
    again = client.post(f"/api/v1/events/{event.slug}/check-in", json={"code": registration.checkin_code},
                        headers=headers)
    assert again.json["already_checked_in"] is True
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).checked_in_at is not None


def test_check_in_errors_name_the_field_and_the_scope(client, ctx):
    organiser, event, registration = _event_with_registrant()
    wrong = client.post(f"/api/v1/events/{event.slug}/check-in", json={"code": "nope"}, headers=_token(organiser))
    assert wrong.status_code == 422
    assert wrong.json["errors"][0]["field"] == "code"
    missing = client.post(f"/api/v1/events/{event.slug}/check-in", json={}, headers=_token(organiser))
    assert missing.status_code == 422 and missing.json["errors"][0]["field"] == "code"
    read_only = client.post(f"/api/v1/events/{event.slug}/check-in", json={"code": registration.checkin_code},
                            headers=_token(organiser, TokenScope.READ))
    assert read_only.status_code == 403
    rapporteur = make_user()
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    not_team = client.post(f"/api/v1/events/{event.slug}/check-in", json={"code": registration.checkin_code},
                           headers=_token(rapporteur))
    assert not_team.status_code == 403
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).checked_in_at is None


def test_an_organiser_edits_the_agenda_through_the_api(client, ctx):
    organiser = make_user()
    event = make_event(make_forum(), organiser=organiser)  # a draft: the team edits it before publication
    add_member(event, organiser, Role.ORGANISER)
    db.session.commit()
    headers = _token(organiser)
    url = f"/api/v1/events/{event.slug}/agenda"
    added = client.post(url, json={"title": "Opening", "kind": "opening", "start": "11:45", "minutes": 15},
                        headers=headers)
    assert added.status_code == 201, added.json
    assert added.json["starts_at"].endswith("T11:45:00-04:00")
    clash = client.post(url, json={"title": "Panel", "start": "11:50", "minutes": 30}, headers=headers)
    assert clash.status_code == 409
    assert clash.json["errors"][0]["field"] == "start"
    item_id = added.json["id"]
    changed = client.put(f"{url}/{item_id}", json={"title": "Welcome", "kind": "opening", "start": "11:45",
                                                   "end": "12:00"}, headers=headers)
    assert changed.status_code == 200 and changed.json["title"] == "Welcome"
    invalid = client.put(f"{url}/{item_id}", json={"title": "", "start": "25:00"}, headers=headers)
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json["errors"]} == {"title", "start"}
    assert client.delete(f"{url}/{item_id}", headers=headers).status_code == 204
    assert db.session.scalar(db.select(db.func.count(AgendaItem.id))) == 0
    stranger = client.post(url, json={"title": "X", "start": "12:00", "minutes": 5}, headers=_token(make_user()))
    assert stranger.status_code == 404  # a draft is not known to strangers


def test_each_token_has_its_own_rate_limit(client, ctx, app):
    organiser, _, _ = _event_with_registrant()
    first, second = _token(organiser), _token(organiser)
    old = app.config["RATELIMIT_API_TOKEN"]
    app.config["RATELIMIT_API_TOKEN"] = "3 per minute"
    try:
        statuses = [client.get("/api/v1/me/events", headers=first).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/api/v1/me/events", headers=first)
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json["errors"][0]["message"].startswith("This token made too many requests")
        assert client.get("/api/v1/me/events", headers=second).status_code == 200
    finally:
        app.config["RATELIMIT_API_TOKEN"] = old


def test_a_nul_character_in_a_body_is_a_422_on_its_field(client, ctx):
    organiser, event, _ = _event_with_registrant()
    response = client.post(f"/api/v1/events/{event.slug}/check-in", data='{"code": "a\\u0000"}',
                           content_type="application/json", headers=_token(organiser))
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "code", "message": "Must not contain a NUL character."}]


def test_staff_read_the_forum_outcome_report_of_published_summaries(client, ctx):
    from eventsite.accounts.models import User  # noqa: F401
    from eventsite.summaries.models import Summary, SummaryStatus
    from tests.factories import make_staff
    staff = make_staff()
    event = make_event(make_forum(staff=staff), status=Status.HELD)
    db.session.add(Summary(event=event, template_key="sti-side-event", status=SummaryStatus.PUBLISHED,
                           header={"title": "From divide to synergy"},
                           sections={"key_issues": ["Compute"], "recommendations": ["Share models"]}))
    db.session.commit()
    body = client.get(f"/api/v1/forums/{event.forum.slug}/outcome", headers=_token(staff, TokenScope.READ)).json
    assert body["counts"] == {"events": 1, "key_issues": 1, "recommendations": 1}
    assert body["summaries"][0]["recommendations"] == ["Share models"]
    assert body["summaries"][0]["title"] == "From divide to synergy"
