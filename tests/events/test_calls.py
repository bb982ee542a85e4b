"""Calls for proposals and eligibility: the window, staff's exceptions, the lead rules and the limit."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eventsite.activity.models import ActivityEntry
from eventsite.core.time import utcnow
from eventsite.errors import DomainError
from eventsite.events import services
from eventsite.events.models import Format, OrganisationKind, Status
from eventsite.events.queries import forum_by_slug
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user

NGO = ("Ocean Voices Network", OrganisationKind.CIVIL_SOCIETY, None)
MISSION = ("Permanent Mission of Zambia to the UN", OrganisationKind.MEMBER_STATE, "ZM")


def _today():
    return utcnow().date()


def _forum_with_call(*, opens, closes, preset="", limit=None):
    forum = make_forum(starts_on=_today() + timedelta(days=30), ends_on=_today() + timedelta(days=31))
    forum.call_opens_on, forum.call_closes_on, forum.max_events_per_lead = opens, closes, limit
    if preset:
        preset_rules = services.ELIGIBILITY_PRESETS[preset]
        forum.lead_kinds, forum.co_organiser_kinds = ",".join(preset_rules["lead"]), ",".join(preset_rules["co"])
        forum.lead_rule_in_person_only = preset_rules["in_person_only"]
    db.session.flush()
    return forum


def _day(forum):
    return forum.starts_on


def test_proposal_after_the_call_closed_is_refused_with_the_dates(ctx):
    forum = _forum_with_call(opens=date(2026, 1, 5), closes=date(2026, 2, 14))
    with pytest.raises(DomainError) as refused:
        make_event(forum, day=_day(forum))
    assert "closed on 14 February 2026" in refused.value.message
    assert "from 5 January 2026 to 14 February 2026" in refused.value.message


def test_proposal_before_the_call_opens_is_refused_with_the_dates(ctx):
    opens = _today() + timedelta(days=3)
    forum = _forum_with_call(opens=opens, closes=opens + timedelta(days=10))
    with pytest.raises(DomainError) as refused:
        make_event(forum, day=_day(forum))
    assert f"opens on {opens.day} " in refused.value.message


def test_refusal_reads_in_the_readers_language(app, client):
    with app.app_context():
        forum = _forum_with_call(opens=date(2026, 1, 5), closes=date(2026, 2, 14))
        user = make_user()
        db.session.commit()
        slug, email, day = forum.slug, user.email, _day(forum)
    login(client, email)
    page = client.post(f"/forums/{slug}/events/new?lang=fr", data={
        "title": "Late event", "day": day.isoformat(), "start": "11:45", "end": "13:00",
        "timezone": "America/New_York", "format": "virtual", "languages": "English", "room": "0",
        "organisers-0-name": "Permanent Mission of Zambia", "organisers-0-kind": "member_state"},
        headers={"Accept-Language": "fr"}).data.decode()
    assert "14 février 2026" in page


@pytest.mark.parametrize("typed, said", [
    ("9999-12-31", "Enter a date between"), ("", "This field is required."),
    ((_today() + timedelta(days=32)).isoformat(), "the forum\u2019s last day"),
    ("2026-02-10", "Choose a day after 14 February 2026")])
def test_a_closing_day_that_cannot_be_taken_is_refused_beside_the_field_keeping_it_and_the_call(app, client, typed,
                                                                                              said):
    with app.app_context():
        forum = _forum_with_call(opens=date(2026, 1, 5), closes=date(2026, 2, 14))
        staff = make_staff()
        db.session.commit()
        slug, email = forum.slug, staff.email
    login(client, email)
    page = client.post(f"/forums/{slug}/call/extend", data={"closes_on": typed})
    html = page.data.decode().replace("&#39;", "\u2019").replace("'", "\u2019")
    assert page.status_code == 422 and said in html
    assert f'value="{typed}"' in html if typed else 'aria-invalid="true"' in html
    with app.app_context():
        assert forum_by_slug(slug).call_closes_on == date(2026, 2, 14)


def test_a_proposal_already_submitted_or_held_is_not_let_in_late(ctx):
    forum = _forum_with_call(opens=None, closes=None)
    staff = make_staff()
    event = make_event(forum, organiser=make_user(), day=_day(forum), status=Status.HELD)
    forum.call_closes_on = _today() - timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.allow_late_proposal(event, user=staff)
    assert "not yet submitted" in refused.value.message and not event.late_allowed


def test_proposal_form_shows_the_call_before_anything_is_typed(app, client):
    with app.app_context():
        forum = _forum_with_call(opens=date(2026, 1, 5), closes=date(2026, 2, 14))
        user = make_user()
        db.session.commit()
        slug, email = forum.slug, user.email
    login(client, email)
    page = client.get(f"/forums/{slug}/events/new").data.decode()
    assert "The call runs from 5 January 2026 to 14 February 2026; it is closed." in page


def test_submission_after_the_call_closed_waits_for_staff_to_let_it_in(ctx):
    forum = _forum_with_call(opens=None, closes=_today() + timedelta(days=5))
    organiser, staff = make_user(), make_staff()
    event = make_event(forum, organiser=organiser, day=_day(forum))
    forum.call_closes_on = _today() - timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        services.change_status(event, Status.SUBMITTED, user=organiser)
    assert "closed on" in refused.value.message

    services.allow_late_proposal(event, user=staff)
    services.change_status(event, Status.SUBMITTED, user=organiser)

    assert event.status == Status.SUBMITTED
    kinds = db.session.scalars(select(ActivityEntry.kind).where(ActivityEntry.event_id == event.id)).all()
    assert "event.late_allowed" in kinds


def test_staff_extend_the_call_and_the_log_keeps_both_days(ctx):
    forum = _forum_with_call(opens=date(2026, 1, 5), closes=_today() - timedelta(days=1))
    staff, organiser = make_staff(), make_user()
    new_close = _today() + timedelta(days=7)

    services.extend_call(forum, new_close, user=staff)
    event = make_event(forum, organiser=organiser, day=_day(forum))

    assert event.forum.call_closes_on == new_close
    entry = db.session.scalar(select(ActivityEntry).where(ActivityEntry.kind == "forum.call_extended"))
    assert entry.changes == [["call_closes_on", (_today() - timedelta(days=1)).isoformat(), new_close.isoformat()]]


def test_ngo_cannot_lead_in_person_at_headquarters_but_may_co_organise(ctx):
    forum = _forum_with_call(opens=None, closes=None, preset="unhq_in_person")
    organiser = make_user()
    led_by_ngo = make_event(forum, organiser=organiser, day=_day(forum), organisers=(NGO, MISSION))
    with pytest.raises(DomainError) as refused:
        services.change_status(led_by_ngo, Status.SUBMITTED, user=organiser)
    assert refused.value.message == (
        "Ocean Voices Network (Civil society) cannot lead an in-person or hybrid event at "
        f"{forum.name}: only these may, Member State, Intergovernmental organisation, UN entity. "
        "It may co-organise, or lead a virtual event.")

    co_organised = make_event(forum, organiser=organiser, day=_day(forum), room="Conference Room 11",
                              organisers=(MISSION, NGO))
    services.change_status(co_organised, Status.SUBMITTED, user=organiser)
    assert co_organised.status == Status.SUBMITTED


def test_ngo_may_lead_a_virtual_event_at_headquarters(ctx):
    forum = _forum_with_call(opens=None, closes=None, preset="unhq_in_person")
    organiser = make_user()
    event = make_event(forum, organiser=organiser, day=_day(forum), organisers=(NGO,), room=None,
                       format=Format.VIRTUAL)
    services.change_status(event, Status.SUBMITTED, user=organiser)
    assert event.status == Status.SUBMITTED


def test_limit_of_proposals_per_lead_organisation(ctx):
    forum = _forum_with_call(opens=None, closes=None, limit=1)
    make_event(forum, day=_day(forum))
    with pytest.raises(DomainError) as refused:
        make_event(forum, day=_day(forum), room="Conference Room 11")
    assert refused.value.message.startswith("Permanent Mission of Zambia to the UN already leads 1 proposal(s)")


def test_preset_chosen_on_the_forum_form_is_shown_on_the_forum_page(app, client):
    with app.app_context():
        staff = make_staff()
        db.session.commit()
        email = staff.email
    login(client, email)
    start = _today() + timedelta(days=40)
    response = client.post("/staff/forums/new", data={
        "name": "HLPF 2027", "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=1)).isoformat(),
        "timezone": "America/New_York", "summary_template": "sti-side-event", "eligibility_preset": "unhq_in_person",
        "call_opens_on": "2026-11-01", "call_closes_on": (start - timedelta(days=10)).isoformat(),
        "concept_note_questions": "How will the event advance SDG 14?"})
    assert response.status_code == 302
    page = client.get("/forums/hlpf-2027").data.decode()
    assert "Only these may lead an in-person or hybrid event: Member State, Intergovernmental organisation, " \
           "UN entity." in page
    assert "How will the event advance SDG 14?" in page
    assert "from 1 November 2026 to" in page


def test_review_screen_shows_the_eligibility_problem(app, client):
    with app.app_context():
        forum = _forum_with_call(opens=None, closes=None, preset="unhq_in_person")
        event = make_event(forum, day=_day(forum), organisers=(NGO,), status=Status.SUBMITTED)
        staff = make_staff()
        db.session.commit()
        email = staff.email
    login(client, email)
    page = client.get("/review").data.decode()
    assert "Ocean Voices Network (Civil society) cannot lead an in-person or hybrid event" in page


def test_staff_let_a_late_proposal_in_from_the_event_page(app, client):
    with app.app_context():
        forum = _forum_with_call(opens=None, closes=_today() + timedelta(days=3))
        event = make_event(forum, day=_day(forum))
        forum.call_closes_on = _today() - timedelta(days=2)
        staff = make_staff()
        db.session.commit()
        slug, email = event.slug, staff.email
    login(client, email)
    assert "Let this late proposal in" in client.get(f"/events/{slug}").data.decode()
    client.post(f"/events/{slug}/allow-late")
    assert "Staff let this proposal in outside the call" in client.get(f"/events/{slug}").data.decode()


def test_forums_that_are_over_are_not_offered(app, client):
    with app.app_context():
        past = make_forum(name="Forum of 2020", starts_on=date(2020, 5, 6), ends_on=date(2020, 5, 7))
        coming = make_forum(name="Forum of next year", starts_on=_today() + timedelta(days=200),
                            ends_on=_today() + timedelta(days=201))
        user = make_user()
        db.session.commit()
        email, past_slug, coming_slug = user.email, past.slug, coming.slug
    login(client, email)
    page = client.get("/dashboard").data.decode()
    assert f"/forums/{coming_slug}/events/new" in page
    assert f"/forums/{past_slug}/events/new" not in page


def test_concept_note_editor_shows_the_call_and_its_questions(app, client):
    with app.app_context():
        forum = _forum_with_call(opens=date(2026, 1, 5), closes=_today() + timedelta(days=9),
                                 preset="unhq_in_person", limit=2)
        forum.concept_note_questions = "How does the event advance SDG 17?\nWho will take the results forward?"
        organiser = make_user()
        event = make_event(forum, organiser=organiser, day=_day(forum))
        db.session.commit()
        slug, email = event.slug, organiser.email
    login(client, email)
    page = client.get(f"/events/{slug}/concept-note").data.decode()
    assert "The call runs from 5 January 2026 to" in page and "it is open." in page
    assert "Who will take the results forward?" in page
    assert "One lead organisation may make at most 2 proposals." in page
    assert "Only these may lead an in-person or hybrid event" in page
