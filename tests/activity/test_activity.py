"""The activity log: who did what to an event, shown to its organisers and to staff, and forgotten with
the person when a registration is erased."""
import csv
import io
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from eventsite.accounts.models import Role
from eventsite.activity.models import ActivityEntry
from eventsite.events import services
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.registrations.models import Mode
from eventsite.summaries import services as summaries
from eventsite.summaries.models import SummaryStatus
from tests.conftest import login
from tests.factories import add_member, make_event, make_forum, make_staff, make_user, room_named
from tests.registrations.helpers import open_event, register
from tests.summaries.test_summaries import _seed_content


def _entries(event):
    return list(db.session.scalars(select(ActivityEntry).where(ActivityEntry.event_id == event.id)
                                   .order_by(ActivityEntry.id)))


def _edit(event, user, **changes):
    values = dict(title=event.title, forum=event.forum, day=event.local_start.date(), start=event.local_start.time(),
                  end=event.local_end.time(), timezone=event.timezone, room=event.room,
                  contact_email=event.contact_email, sdgs=event.sdg_numbers,
                  organisers=[services.OrganiserInput(o.organisation.name, o.organisation.kind, o.organisation.country)
                              for o in event.organisers])
    values.update(changes)
    return services.update_event(event, services.EventInput(**values), user=user)


def test_an_edit_is_logged_with_each_changed_field_before_and_after(client, ctx):
    forum = make_forum()
    organiser = make_user(name="Olga Organiser")
    event = make_event(forum, organiser=organiser, title="Data for development")
    _edit(event, organiser, title="Data for sustainable development", room=room_named(forum, "Conference Room 11"),
          start=time(12, 0))
    _edit(event, organiser)  # saving without a change records nothing
    db.session.commit()

    edits = [e for e in _entries(event) if e.kind == "event.edited"]
    assert len(edits) == 1
    assert edits[0].changes == [["title", "Data for development", "Data for sustainable development"],
                                ["start", "11:45", "12:00"], ["room", "Conference Room 6", "Conference Room 11"]]
    assert edits[0].actor_id == organiser.id
    login(client, organiser.email)
    page = client.get(f"/events/{event.slug}/activity").data.decode()
    assert "Room: Conference Room 6 → Conference Room 11" in page
    assert "Title: Data for development → Data for sustainable development" in page
    assert "Olga Organiser" in page


def test_status_team_registration_check_in_and_summary_steps_are_each_logged(ctx):
    organiser, event = open_event(mode=Mode.APPROVAL)
    staff = make_staff()
    rapporteur = make_user(name="Rita Rapporteur")
    services.add_team_member(event, rapporteur, Role.RAPPORTEUR, user=organiser)
    services.add_team_member(event, rapporteur, Role.RAPPORTEUR, user=organiser)  # already there: nothing new
    registration = register(event, make_user(name="Amina Haddad"))
    registrations.decide([registration], True, user=organiser)
    registrations.check_in(registration, user=organiser)
    membership = next(m for m in rapporteur.memberships if m.event_id == event.id)
    summary = summaries.save(event, _seed_content(), user=organiser, base_revision=0)
    for step in (SummaryStatus.SUBMITTED, SummaryStatus.APPROVED, SummaryStatus.PUBLISHED):
        summaries.change_status(summary, step, user=organiser)
    services.remove_team_member(event, membership, user=organiser)
    event.starts_at, event.ends_at = event.starts_at - timedelta(days=40), event.ends_at - timedelta(days=40)
    services.change_status(event, Status.HELD, user=staff)
    db.session.flush()

    entries = _entries(event)
    assert [e.kind for e in entries] == [
        "event.created", "team.added", "registration.approved", "registration.checked_in", "summary.status",
        "summary.status", "summary.status", "team.removed", "event.status"]
    assert entries[1].subject == f"Rita Rapporteur <{rapporteur.email}>"
    assert entries[2].subject == f"Amina Haddad <{registration.email}>"
    assert [e.changes for e in entries[4:7]] == [[["summary", "draft", "submitted"]],
                                                 [["summary", "submitted", "approved"]],
                                                 [["summary", "approved", "published"]]]
    assert entries[-1].changes == [["status", "published", "held"]] and entries[-1].actor_id == staff.id


def test_a_waitlisted_and_a_declined_registration_are_told_apart(ctx):
    organiser, event = open_event(mode=Mode.APPROVAL, capacity=1)
    first, second, third = (register(event, make_user()) for _ in range(3))
    registrations.decide([first, second], True, user=organiser)
    registrations.decide([third], False, user=organiser)
    assert [e.kind for e in _entries(event)][1:] == ["registration.approved", "registration.waitlisted",
                                                     "registration.rejected"]


def test_a_refused_change_leaves_no_entry(ctx):
    forum = make_forum()
    organiser = make_user()
    event = make_event(forum, organiser=organiser)
    other = make_event(forum, start=time(15, 0), end=time(16, 0))
    with pytest.raises(services.DomainError):
        _edit(other, other_user := make_user())  # not on the team
    with pytest.raises(services.Conflict):
        _edit(other, db.session.get(type(organiser), other.created_by_id), start=time(12, 0), end=time(12, 30))
    assert [e.kind for e in _entries(other)] == ["event.created"]
    assert other_user and [e.kind for e in _entries(event)] == ["event.created"]


@pytest.fixture
def busy_event(ctx):
    """An event with 55 logged edits by two people over three days, and a declined registration."""
    organiser, event = open_event()
    co = make_user(name="Carla Co-organiser")
    add_member(event, co, Role.CO_ORGANISER)
    for n in range(55):
        _edit(event, organiser if n % 2 else co, subtitle=f"Version {n}")
    days = [datetime(2025, 4, d, 15, 0, tzinfo=timezone.utc) for d in (1, 2, 3)]
    for n, entry in enumerate(_entries(event)):
        entry.at = days[min(n // 20, 2)] + timedelta(minutes=n)
    db.session.commit()
    return organiser, co, event


def test_the_log_filters_by_action_actor_and_dates_and_is_paginated(client, busy_event):
    organiser, co, event = busy_event
    login(client, organiser.email)
    url = f"/events/{event.slug}/activity"
    first = client.get(url).data.decode()
    assert "56 entries" in first and "Page 1 of 2" in first and first.count("<tr>") == 51
    second = client.get(url + "?page=2").data.decode()
    assert second.count("<tr>") == 7
    by_co = client.get(url + f"?actor={co.id}").data.decode()
    assert "28 entries" in by_co
    created = client.get(url + "?kind=event.created").data.decode()
    assert "1 entry" in created
    # the first 20 entries are on 1 April (UTC), i.e. 1 April in New York too
    one_day = client.get(url + "?date_from=2025-04-02&date_to=2025-04-02").data.decode()
    assert "20 entries" in one_day
    bad = client.get(url + "?date_from=not-a-date")
    assert bad.status_code == 200 and "56 entries" in bad.data.decode() and 'value="not-a-date"' in bad.data.decode()


def test_the_date_filter_reads_as_a_range_not_as_a_recipient(app, client):
    with app.app_context():  # not the ctx fixture: the requests must choose their own language
        organiser, event = open_event()
        db.session.commit()
        email, slug = organiser.email, event.slug
    login(client, email)
    client.get("/language?lang=es&next=/")
    page = client.get(f"/events/{slug}/activity").data.decode()
    assert "Desde" in page and "Hasta" in page and "Destinatario" not in page


def test_the_log_exports_as_csv_with_the_same_filters(client, busy_event):
    organiser, co, event = busy_event
    login(client, organiser.email)
    response = client.get(f"/events/{event.slug}/activity.csv?actor={co.id}&date_to=2025-04-01")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert response.headers["Cache-Control"] == "private, no-store"
    assert rows[0] == ["When (UTC)", "Event", "Action", "By", "Concerning", "Changes", "Note"]
    assert len(rows) == 1 + 10 and {r[3] for r in rows[1:]} == {"Carla Co-organiser"}
    assert rows[-1][2] == "Details edited" and rows[-1][5] == "Subtitle: — → Version 0"


def test_the_log_page_costs_the_same_queries_for_one_entry_as_for_fifty(client, ctx, count_queries):
    forum = make_forum()
    organiser = make_user()
    quiet, busy = make_event(forum, organiser=organiser), make_event(forum, organiser=organiser, start=time(15, 0),
                                                                      end=time(16, 0))
    for n in range(3):
        _edit(busy, organiser, subtitle=str(n))
    db.session.commit()
    login(client, organiser.email)
    with count_queries() as one:
        client.get(f"/events/{quiet.slug}/activity")
    with count_queries() as many:
        client.get(f"/events/{busy.slug}/activity")
    assert len(one) == len(many)


def test_erasing_a_registration_keeps_the_actions_but_not_the_person(client, ctx):
    organiser, event = open_event(mode=Mode.APPROVAL)
    registration = register(event, make_user(name="Amina Haddad", email="amina.haddad@example.org"))
    registrations.decide([registration], True, user=organiser)
    registrations.check_in(registration, user=organiser)
    db.session.commit()
    login(client, organiser.email)
    assert "Amina Haddad" in client.get(f"/events/{event.slug}/activity").data.decode()

    registrations.erase(registration)
    db.session.commit()
    entries = _entries(event)
    assert [e.kind for e in entries][-3:] == ["registration.approved", "registration.checked_in",
                                              "registration.erased"]
    assert all(e.subject == "" for e in entries)
    page = client.get(f"/events/{event.slug}/activity").data.decode()
    csv_text = client.get(f"/events/{event.slug}/activity.csv").data.decode("utf-8-sig")
    for text in (page, csv_text):
        assert "Amina" not in text and "amina.haddad@example.org" not in text
    assert "Registration approved" in page and "Checked in" in page


def test_only_the_events_organisers_and_staff_see_its_log_and_only_staff_the_forums(client, ctx):
    forum = make_forum()
    organiser, co, rapporteur, participant, staff = make_user(), make_user(), make_user(), make_user(), make_staff()
    event = make_event(forum, organiser=organiser, status=Status.PUBLISHED)
    add_member(event, co, Role.CO_ORGANISER)
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    expected = {organiser: (200, 403), co: (200, 403), rapporteur: (403, 403), participant: (403, 403),
                staff: (200, 200)}
    for user, (event_status, forum_status) in expected.items():
        login(client, user.email)
        assert client.get(f"/events/{event.slug}/activity").status_code == event_status
        assert client.get(f"/events/{event.slug}/activity.csv").status_code == event_status
        assert client.get(f"/forums/{forum.slug}/activity").status_code == forum_status
        assert client.get(f"/forums/{forum.slug}/activity.csv").status_code == forum_status
        client.post("/account/logout")
    assert client.get(f"/events/{event.slug}/activity").status_code == 302


def test_the_forum_log_gathers_every_event_of_the_forum(client, ctx):
    forum = make_forum()
    staff = make_staff()
    first = make_event(forum, title="First event")
    second = make_event(forum, title="Second event", start=time(15, 0), end=time(16, 0))
    other = make_event(make_forum(name="Another forum"), title="Elsewhere")
    db.session.commit()
    login(client, staff.email)
    page = client.get(f"/forums/{forum.slug}/activity").data.decode()
    assert "First event" in page and "Second event" in page and "Elsewhere" not in page
    assert first and second and other


def test_the_retention_purge_takes_the_person_out_of_the_log_too(ctx):
    organiser, event = open_event(mode=Mode.APPROVAL)
    registration = register(event, make_user(name="Amina Haddad", email="amina.haddad@example.org"))
    registrations.decide([registration], True, user=organiser)
    registrations.check_in(registration, user=organiser)
    db.session.commit()
    assert {e.subject for e in _entries(event) if e.kind.startswith("registration.")} == {
        "Amina Haddad <amina.haddad@example.org>"}
    assert registrations.purge_personal_data(30, now=event.ends_at + timedelta(days=31)) == 1
    db.session.commit()
    entries = [e for e in _entries(event) if e.kind.startswith("registration.")]
    assert [e.kind for e in entries] == ["registration.approved", "registration.checked_in"]
    assert {e.subject for e in entries} == {""}
