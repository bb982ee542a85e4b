"""An invitation and an event's contact keep the language they were made in; a speaker who answers keeps
the language they answered in; a person with an account is written to in the account's language."""
import re

from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage
from eventsite.events import services as events
from eventsite.events.models import Event, Status
from eventsite.extensions import db
from eventsite.speakers.models import SpeakerAssignment
from tests.conftest import login
from tests.factories import make_event, make_forum, make_staff, make_user
from tests.feeds.test_fingerprints import World, edit
from tests.speakers.test_speakers import _add_new_speaker


def _mails_to(app, address):
    with app.app_context():
        return db.session.execute(select(OutboxMessage.subject, OutboxMessage.locale)
                                  .where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)).all()


def _published_event(app, **organiser):
    with app.test_request_context():
        user = make_user("organiser@example.org", **organiser)
        event = make_event(make_forum(), organiser=user, status=Status.PUBLISHED)
        db.session.commit()
        return event.slug, event.title


def test_an_invitation_made_on_a_french_page_is_in_french_and_the_answer_keeps_the_speakers_language(app, client):
    slug, title = _published_event(app)
    login(client, "organiser@example.org")
    client.get("/language?lang=fr&next=/")
    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.slug == slug))
    assert _add_new_speaker(client, event).status_code == 302
    assert _mails_to(app, "amina.haddad@example.org") == [(f"Invitation à intervenir : {title}", "fr")]

    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "amina.haddad@example.org"))
    link = re.search(r"http://localhost(/invitations/\S+)", body).group(1)
    speaker = app.test_client()
    assert speaker.post(link + "?lang=es", data={"answer": "confirmed"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(SpeakerAssignment.locale)) == "es"


def test_a_speaker_with_an_account_is_invited_in_the_accounts_language(app, client):
    slug, title = _published_event(app)
    with app.app_context():
        make_user("amina.haddad@example.org", name="Amina Haddad").locale = "es"
        db.session.commit()
        event = db.session.scalar(select(Event).where(Event.slug == slug))
    login(client, "organiser@example.org")
    assert _add_new_speaker(client, event, email="amina.haddad@example.org").status_code == 302
    assert _mails_to(app, "amina.haddad@example.org") == [(f"Invitación a intervenir: {title}", "es")]


def test_the_contact_entered_on_a_spanish_page_is_told_of_decisions_in_spanish_whoever_takes_them(app):
    with app.test_request_context():
        organiser = make_user("organiser@example.org")
        organiser.locale = "fr"
        event = make_event(make_forum(), organiser=organiser, status=Status.SUBMITTED)
        event.contact_email, event.contact_locale = "oficina@example.org", "es"  # as the form records it
        staff = make_staff()
        db.session.commit()
        title, event_id, staff_id = event.title, event.id, staff.id
    with app.test_request_context("/", headers={"Accept-Language": "en"}):  # staff decide, in English
        events.change_status(db.session.get(Event, event_id), Status.APPROVED, user=db.session.get(User, staff_id))
        db.session.commit()
    assert _mails_to(app, "oficina@example.org") == [(f"«{title}» ahora está: aprobado", "es")]
    assert [language for _, language in _mails_to(app, "organiser@example.org")] == ["fr"]


def test_the_event_form_records_the_language_a_new_contact_was_entered_in(app):
    with app.test_request_context():
        organiser = make_user("organiser@example.org")
        event = make_event(make_forum(), organiser=organiser)
        world = World(None, organiser, event, None, None, None, None, None, None)
        edit(world, contact_email="desk@example.org", contact_locale="ru")
        first = event.contact_locale
        edit(world, contact_email="desk@example.org", contact_locale="fr")  # the same contact, saved in French
        assert (first, event.contact_locale) == ("ru", "ru")
