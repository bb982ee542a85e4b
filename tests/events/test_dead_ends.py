"""Every page a role may use is offered to it, and nothing it may not use: Manage panels driven by the
authorisation rules, confirmations for destructive actions, and dates in the reader's language."""
import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from eventsite.accounts.models import Role
from eventsite.events import services
from eventsite.events.models import Status
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user


def test_two_forums_cannot_share_a_name_and_the_form_says_so_keeping_the_input(client, ctx):
    staff = make_staff()
    make_forum(name="2025 STI Forum", staff=staff)
    db.session.commit()
    with pytest.raises(services.Conflict):
        make_forum(name="  2025   sti forum ", staff=staff)
    db.session.rollback()
    login(client, staff.email)
    response = client.post("/staff/forums/new", data={
        "name": "2025 STI Forum", "starts_on": "2025-05-06", "ends_on": "2025-05-07", "timezone": "Europe/Zurich",
        "summary_template": "sti-side-event"})
    page = response.data.decode()
    assert response.status_code == 200
    assert "There is already a forum called 2025 STI Forum; give this one a name of its own." in page
    assert 'value="2025 STI Forum"' in page and 'value="Europe/Zurich"' in page


def test_the_database_refuses_a_second_forum_of_the_same_name(ctx):
    from sqlalchemy.exc import IntegrityError
    from eventsite.events.models import Forum
    db.session.add(Forum(slug="a", name="Same", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), timezone="UTC"))
    db.session.flush()
    db.session.add(Forum(slug="b", name="Same", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 2), timezone="UTC"))
    with pytest.raises(IntegrityError, match="(?i)uq_forums_name|unique"):
        db.session.flush()


@pytest.mark.parametrize("lang,expected", [("en", "May 6\u2009–\u20097, 2025"), ("fr", "6–7 mai 2025"),
                                           ("es", "6–7 de mayo de 2025")])
def test_forum_dates_are_written_the_way_the_readers_language_writes_them(app, client, lang, expected):
    with app.app_context():  # the requests below each choose their own language
        slug, email = make_forum().slug, make_user().email
        db.session.commit()
    for url in ("/", f"/forums/{slug}", f"/forums/{slug}/events/new"):
        if url.endswith("new"):
            login(client, email)
        page = client.get(url, headers={"Accept-Language": lang}).data.decode()
        assert expected in page, url
        assert "2025-05-0" not in re.sub(r"<[^>]*>", " ", page), url  # in no text a reader sees


def _event_with_a_bit_of_everything():
    from eventsite.agenda.models import ItemKind
    from eventsite.agenda.services import AgendaItemInput, save_agenda_item
    from eventsite.registrations.models import QuestionKind
    from eventsite.speakers import services as speakers
    from eventsite.speakers.models import SpeakerRole
    from tests.registrations.helpers import open_event, register
    organiser, event = open_event(questions=False)
    item = save_agenda_item(event, AgendaItemInput(title="Opening remarks", kind=ItemKind.OPENING,
                                                   start=event.local_start.time(), end=None, minutes=10),
                            user=organiser)
    person, _ = speakers.create_person(speakers.PersonInput(given_name="Sam", family_name="Speaker"), user=organiser)
    assignment = speakers.assign_speaker(event, person, SpeakerRole.PANELLIST, user=organiser)
    from eventsite.registrations import services as registrations
    question = registrations.add_question(event, user=organiser, label="Dietary needs",
                                          kind=QuestionKind.SHORT_TEXT, required=False, options=[])
    registration = register(event, make_user())
    db.session.commit()
    return organiser, event, item, assignment, question, registration


def test_remove_buttons_and_cancelling_ask_first_on_a_page_without_javascript(client, ctx):
    from eventsite.agenda.models import AgendaItem
    from eventsite.registrations.models import Question, Registration, RegistrationStatus
    from eventsite.speakers.models import SpeakerAssignment
    organiser, event, item, assignment, question, registration = _event_with_a_bit_of_everything()
    login(client, organiser.email)
    pages = {f"/events/{event.slug}/agenda": f"/events/{event.slug}/agenda/{item.id}/delete",
             f"/events/{event.slug}/speakers": f"/events/{event.slug}/speakers/{assignment.id}/remove",
             f"/events/{event.slug}/registrations/questions":
                 f"/events/{event.slug}/registrations/questions/{question.id}/remove",
             f"/r/{registration.token}": f"/r/{registration.token}/cancel"}
    for page_url, confirm_url in pages.items():
        page = client.get(page_url).data.decode()
        assert f'href="{confirm_url}"' in page, page_url  # a link to a confirmation, not a one-click form
        assert f'action="{confirm_url}"' not in page, page_url
        confirm = client.get(confirm_url)
        body = confirm.data.decode()
        assert confirm.status_code == 200 and f'<form method="post" action="{confirm_url}"' in body
        assert "<script" not in body.split("<main", 1)[1]
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id) and db.session.get(SpeakerAssignment, assignment.id)
    assert db.session.get(Question, question.id)
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CONFIRMED

    for confirm_url in pages.values():
        assert client.post(confirm_url).status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id) is None and db.session.get(SpeakerAssignment, assignment.id) is None
    assert db.session.get(Question, question.id) is None
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CANCELLED


def test_removing_a_team_member_asks_first_and_the_last_organiser_stays(client, ctx):
    forum = make_forum()
    organiser, co = make_user(), make_user(name="Carla Co")
    event = make_event(forum, organiser=organiser)
    membership = add_member(event, co, Role.CO_ORGANISER)
    own = next(m for m in organiser.memberships if m.event_id == event.id)
    db.session.commit()
    login(client, organiser.email)
    url = f"/events/{event.slug}/team/{membership.id}/remove"
    assert f'href="{url}"' in client.get(f"/events/{event.slug}/team").data.decode()
    assert "Remove <bdi>Carla Co</bdi> from the team?" in client.get(url).data.decode()
    assert client.post(url).status_code == 302
    client.post(f"/events/{event.slug}/team/{own.id}/remove")
    db.session.expire_all()
    assert [m.role for m in services.team_of(event)] == [Role.ORGANISER]


def test_mark_as_held_is_offered_only_once_the_event_has_ended(client, ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    db.session.commit()
    login(client, organiser.email)
    event.starts_at = datetime.now(timezone.utc) + timedelta(hours=1)
    event.ends_at = event.starts_at + timedelta(hours=1)
    db.session.commit()
    assert "Mark as held" not in client.get(f"/events/{event.slug}").data.decode()
    event.starts_at, event.ends_at = event.starts_at - timedelta(hours=3), event.ends_at - timedelta(hours=3)
    db.session.commit()
    assert "Mark as held" in client.get(f"/events/{event.slug}").data.decode()


def test_interpretation_languages_are_shown_on_the_event_page(client, ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    event.languages, event.interpretation_languages = "", "French, Spanish"
    db.session.commit()
    assert "Interpretation into <bdi>French, Spanish</bdi>" in client.get(f"/events/{event.slug}").data.decode()


def test_the_timezone_is_picked_from_the_iana_zones_and_the_hint_is_one_of_them(client, ctx):
    from zoneinfo import available_timezones
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    form = client.get("/staff/forums/new").data.decode()
    assert 'list="timezone-zones"' in form and '<option value="Europe/Zurich">' in form
    assert form.count("<option value=") >= len(available_timezones())
    data = {"name": "Geneva forum", "starts_on": "2025-06-02", "ends_on": "2025-06-03",
            "summary_template": "sti-side-event"}
    refused = client.post("/staff/forums/new", data={**data, "timezone": "Mars/Olympus"}).data.decode()
    hint = re.search(r"such as ([\w/]+) or ([\w/]+)\.", refused)
    assert hint and set(hint.groups()) <= available_timezones()
    assert client.post("/staff/forums/new", data={**data, "timezone": " europe/zurich "}).status_code == 302
    from eventsite.events.models import Forum
    assert db.session.scalar(db.select(Forum.timezone).where(Forum.name == "Geneva forum")) == "Europe/Zurich"


def test_the_day_a_speaker_stopped_invitations_is_written_in_the_readers_language(app, client):
    from eventsite.speakers import services as speakers
    with app.app_context():
        person, _ = speakers.create_person(speakers.PersonInput(given_name="Ana", family_name="Souza",
                                                                email="ana.souza@example.org"), user=make_user())
        speakers.set_invitations_refused(person, True)
        person.invitations_refused_at = datetime(2025, 5, 6, 14, 0, tzinfo=timezone.utc)
        db.session.commit()
        with app.test_request_context():
            url = f"/invitations/stop/{speakers.refusal_token(person)}"
    page = client.get(url, headers={"Accept-Language": "fr"}).data.decode()
    assert "mardi 6 mai 2025" in page and "May" not in re.sub(r"<[^>]*>", " ", page)


def test_a_new_calendar_address_or_none_is_asked_first_on_a_page_without_javascript(client, ctx):
    user = make_user()
    user.calendar_token = "c" * 40
    db.session.commit()
    login(client, user.email)
    page = client.get("/account/calendar").data.decode()
    for action in ("renew", "revoke"):
        url = f"/account/calendar/{action}"
        assert f'href="{url}"' in page and f'value="{action}"' not in page  # a link, not a one-click button
        confirm = client.get(url).data.decode()
        assert f'<form method="post" action="{url}"' in confirm and "<script" not in confirm.split("<main", 1)[1]
        assert "Calendars subscribed to the current address will stop updating." in confirm
    db.session.expire_all()
    assert user.calendar_token == "c" * 40  # asking changed nothing
    assert client.post("/account/calendar/renew").status_code == 302
    db.session.expire_all()
    assert user.calendar_token not in (None, "c" * 40)
    assert client.post("/account/calendar/revoke").status_code == 302
    db.session.expire_all()
    assert user.calendar_token is None
    assert client.get("/account/calendar/revoke").status_code == 302  # nothing left to turn off
