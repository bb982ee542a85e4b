"""E-mails people can shape (issue 15, point 7): the organisers' own paragraph and the forum's texts,
per language, with a preview; and each person's choice of optional e-mails, through the e-mailed
link, honoured when the message is sent. End to end: the registration page, the outbox, the job
that sends it and the local SMTP server the other mail tests use."""
import re
from datetime import timedelta
from email.header import decode_header, make_header

from flask_babel import refresh
from sqlalchemy import func, select

from eventsite.core.mail import OutboxMessage, deliver_outbox
from eventsite.core.mail_preferences import MailOptOut, opt_outs
from eventsite.extensions import db
from eventsite.notifications.models import EventMailParagraph, ForumMailText
from eventsite.registrations.models import Registration
from eventsite.registrations.reminders import send_due_reminders
from tests.conftest import login, wait_for_mail
from tests.conftest import mail_text as _mail_text
from tests.factories import make_staff, make_user
from tests.feeds.test_change_notices import concerned  # noqa: F401  (the fixture)
from tests.registrations.helpers import form_data, open_event

PARAGRAPH_EN = "Bring your UN grounds pass.\n\nThe doors open at 11:30; the room is on the second floor."
PARAGRAPH_FR = "Apportez votre badge d'accès de l'ONU."


def mail_text(message) -> str:
    return _mail_text(message).replace("\r\n", "\n")


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def html_part(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def _organiser_saves(client, event, organiser, **boxes):
    client = client.application.test_client()
    login(client, organiser.email)
    data = {"preview_locale": "en", "save": "1", **boxes}
    response = client.post(f"/events/{event.slug}/emails", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]


def _register(client, event, email, name, lang=None):
    url = f"/events/{event.slug}/register" + (f"?lang={lang}" if lang else "")
    user = make_user(email, name=name)
    db.session.commit()
    client = client.application.test_client()  # the person's own browser
    login(client, user.email)
    if lang:
        client.get(f"/language?lang={lang}&next=/")  # the person's chosen language
    refresh()  # the test's context is shared with the requests: forget the language the last one was in
    assert client.post(url, data=form_data(event, name=name, email=email)).status_code == 302
    refresh()
    return user


def _to(messages, address):
    return [m for m in messages if m["To"] == address]


def test_each_registrant_gets_the_organisers_paragraph_in_their_language_in_both_parts(client, ctx, smtp_server):
    organiser, event = open_event()
    db.session.commit()
    _organiser_saves(client, event, organiser, confirmation__default=PARAGRAPH_EN, confirmation__fr=PARAGRAPH_FR)
    _register(client, event, "claire@example.org", "Claire Dubois", lang="fr")
    _register(client, event, "amina@example.org", "Amina Haddad")  # in English: the version for every language

    messages = wait_for_mail(smtp_server, 2)
    french, english = _to(messages, "claire@example.org")[0], _to(messages, "amina@example.org")[0]
    assert subject(french) == f"Inscription confirmée : {event.title}"
    assert french.get_content_type() == "multipart/mixed"  # text and HTML alternatives, then the .ics
    assert PARAGRAPH_FR in mail_text(french) and "Bring your UN grounds pass" not in mail_text(french)
    assert "<p>Apportez votre badge d'accès de l'ONU.</p>" in html_part(french)
    assert PARAGRAPH_EN in mail_text(english)
    assert ("<p>Bring your UN grounds pass.</p><p>The doors open at 11:30; the room is on the second floor.</p>"
            in html_part(english))
    # after the opening words, before the event's details
    text = mail_text(english)
    assert text.index("Your registration is confirmed") < text.index(PARAGRAPH_EN) < text.index("Date:")


def test_the_reminder_carries_its_own_paragraph_not_the_confirmation_s(client, ctx, smtp_server):
    organiser, event = open_event(starts_in_days=1)
    db.session.commit()
    _organiser_saves(client, event, organiser, confirmation__default="Confirmation words.",
                     reminder__default="Reminder words: the room changed to CR 4.")
    _register(client, event, "amina@example.org", "Amina Haddad")
    send_due_reminders(timedelta(days=2))
    db.session.commit()
    confirmation, reminder = wait_for_mail(smtp_server, 2)[:2]
    assert "Confirmation words." in mail_text(confirmation) and "Reminder words" not in mail_text(confirmation)
    assert reminder["Subject"] == f"Reminder: {event.title}"
    assert "Reminder words: the room changed to CR 4." in mail_text(reminder)
    assert "Confirmation words." not in mail_text(reminder)


def test_a_language_version_without_one_for_every_language_is_refused_beside_the_box(client, ctx):
    organiser, event = open_event()
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/emails",
                           data={"preview_locale": "fr", "save": "1", "confirmation__fr": PARAGRAPH_FR})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Write the paragraph for every language too" in page
    assert PARAGRAPH_FR.replace("'", "&#39;") in page  # what was typed is kept
    assert db.session.scalar(select(func.count(EventMailParagraph.id))) == 0


def test_the_preview_shows_the_typed_paragraph_as_the_recipient_gets_it_without_saving(client, ctx):
    organiser, event = open_event()
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/emails", data={
        "preview_locale": "fr", "preview": "1", "confirmation__default": PARAGRAPH_EN,
        "confirmation__fr": PARAGRAPH_FR})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Inscription confirmée : {event.title}" in page  # the subject, in the preview's language
    assert "<p>Apportez votre badge d'accès de l'ONU.</p>" in page  # the HTML part
    assert "Apportez votre badge d&#39;accès de l&#39;ONU." in page.split('class="mail-text"')[1]  # the text part
    assert db.session.scalar(select(func.count(EventMailParagraph.id))) == 0  # a preview stores nothing
    saved = client.get(f"/events/{event.slug}/emails?language=en").get_data(as_text=True)
    assert "Apportez" not in saved


def test_staff_put_the_forum_s_own_words_in_one_language_and_a_reset_brings_back_the_built_in_text(
        client, ctx, smtp_server):
    organiser, event = open_event()
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    own = "Merci de votre inscription au Forum STI. Votre place est réservée."
    preview = client.post(f"/forums/{event.forum.slug}/emails?language=fr",
                          data={"confirmed": own, "preview_kind": "confirmed", "preview": "1"})
    assert own in preview.get_data(as_text=True) and db.session.scalar(select(func.count(ForumMailText.id))) == 0
    response = client.post(f"/forums/{event.forum.slug}/emails?language=fr",
                           data={"confirmed": own, "preview_kind": "confirmed", "save": "1"})
    assert response.status_code == 302
    client = client.application.test_client()

    _register(client, event, "claire@example.org", "Claire Dubois", lang="fr")
    _register(client, event, "amina@example.org", "Amina Haddad")
    messages = wait_for_mail(smtp_server, 2)
    french, english = _to(messages, "claire@example.org")[0], _to(messages, "amina@example.org")[0]
    assert own in mail_text(french) and "Votre inscription est confirmée" not in mail_text(french)
    assert f"<p>{own}</p>" in html_part(french)
    assert "Your registration is confirmed. We look forward to seeing you." in mail_text(english)

    login(client, staff.email)
    page = client.get(f"/forums/{event.forum.slug}/emails?language=fr").get_data(as_text=True)
    assert "Reset to default" in page
    assert client.post(f"/forums/{event.forum.slug}/emails?language=fr",
                       data={"confirmed": own, "preview_kind": "confirmed", "reset": "confirmed"}).status_code == 302
    assert db.session.scalar(select(func.count(ForumMailText.id))) == 0
    assert "Votre inscription est confirmée" in client.get(
        f"/forums/{event.forum.slug}/emails?language=fr&preview=confirmed").get_data(as_text=True)


def _reminder_link(message):
    return re.search(r"http://localhost(/mail/preferences/\S+)", mail_text(message)).group(1)


def test_a_reminder_s_link_opens_the_choices_without_sign_in_and_no_reminder_comes_after(client, ctx, smtp_server,
                                                                                          app):
    organiser, event = open_event(starts_in_days=1)
    db.session.commit()
    _register(client, event, "amina@example.org", "Amina Haddad")
    send_due_reminders(timedelta(days=2))
    db.session.commit()
    reminder = wait_for_mail(smtp_server, 2)[1]
    assert reminder["Subject"] == f"Reminder: {event.title}"
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://localhost/mail/unsubscribe/\S+>", reminder["List-Unsubscribe"])
    link = _reminder_link(reminder)
    assert "/mail/preferences/" in html_part(reminder)

    visitor = app.test_client()  # no sign-in: the signed link names the address
    page = visitor.get(link).get_data(as_text=True)
    assert "amina@example.org" in page and 'name="reminders"' in page and "checked" in page
    response = visitor.post(link, data={"changes": "y", "invitations": "y"})  # reminders unticked
    assert response.status_code == 302
    assert opt_outs("amina@example.org") == {"reminders"}

    registration = db.session.scalar(select(Registration))
    registration.reminded_at = None  # the next event's reminder, say
    db.session.commit()
    assert send_due_reminders(timedelta(days=2)) == 1
    db.session.commit()
    deliver_outbox()
    assert len(smtp_server.messages) == 2  # no second reminder
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0


def test_opting_out_after_the_reminder_was_queued_still_stops_it(client, ctx, smtp_server, app):
    organiser, event = open_event(starts_in_days=1)
    db.session.commit()
    _register(client, event, "amina@example.org", "Amina Haddad")
    wait_for_mail(smtp_server, 1)
    app.config["JOBS_URL"] = "later"  # as in production: the row waits for a worker
    try:
        send_due_reminders(timedelta(days=2))
        db.session.commit()
        assert db.session.scalar(select(OutboxMessage.category).where(OutboxMessage.sent_at.is_(None))) == "reminders"
        from eventsite.core.mail_preferences import preference_token
        assert app.test_client().post(f"/mail/preferences/{preference_token('amina@example.org')}",
                                      data={"changes": "y"}).status_code == 302
    finally:
        app.config["JOBS_URL"] = "immediate"
    deliver_outbox()
    assert len(smtp_server.messages) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0


def test_the_mail_client_s_one_click_unsubscribe_turns_reminders_off_and_opening_the_link_does_not(
        client, ctx, smtp_server, app):
    organiser, event = open_event(starts_in_days=1)
    db.session.commit()
    _register(client, event, "amina@example.org", "Amina Haddad")
    send_due_reminders(timedelta(days=2))
    db.session.commit()
    reminder = wait_for_mail(smtp_server, 2)[1]
    path = reminder["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    assert opt_outs("amina@example.org") == set()  # a link scanner opening it changes nothing
    response = visitor.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF token, no cookie
    assert response.status_code == 204
    assert opt_outs("amina@example.org") == {"reminders"}


def test_confirmations_come_whatever_a_person_turned_off_and_carry_no_unsubscribe(client, ctx, smtp_server):
    organiser, event = open_event()
    user = make_user("amina@example.org", name="Amina Haddad")
    db.session.commit()
    login(client, user.email)
    assert client.post("/account/notifications", data={}).status_code == 302  # everything unticked
    assert opt_outs("amina@example.org") == {"reminders", "changes", "invitations"}
    assert client.post(f"/events/{event.slug}/register",
                       data=form_data(event, name="Amina Haddad", email="amina@example.org")).status_code == 302
    confirmation = wait_for_mail(smtp_server, 1)[0]
    assert confirmation["Subject"] == f"Registration confirmed: {event.title}"
    assert confirmation["List-Unsubscribe"] is None and "/mail/preferences/" not in mail_text(confirmation)


def test_a_signed_in_person_finds_the_choices_in_their_account_and_sees_what_they_saved(client, ctx):
    user = make_user()
    db.session.commit()
    login(client, user.email)
    assert "/account/notifications" in client.get("/account/security").get_data(as_text=True)
    assert client.post("/account/notifications", data={"reminders": "y", "invitations": "y"}).status_code == 302
    page = client.get("/account/notifications").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="reminders"|<input[^>]*name="reminders"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="changes"[^>]*checked', page)
    assert db.session.scalar(select(MailOptOut.category)) == "changes"


def test_a_link_not_made_by_the_site_finds_nothing(client, ctx):
    assert client.get("/mail/preferences/forged.token").status_code == 404
    assert client.post("/mail/unsubscribe/forged.token", data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0


def test_the_e_mails_page_costs_the_same_statements_for_one_or_three_registrants(client, ctx, count_queries):
    organiser, event = open_event()
    db.session.commit()
    counts = []
    for n in range(3):
        _register(client, event, f"p{n}@example.org", "Amina Haddad", lang=["fr", "es", "ar"][n])
        if n in (0, 2):
            login(client, organiser.email)
            client.get(f"/events/{event.slug}/emails")  # warm
            with count_queries() as counted:
                assert client.get(f"/events/{event.slug}/emails").status_code == 200
            counts.append(len(counted))
            client = client.application.test_client()
    assert counts[0] == counts[1]


def test_a_person_who_turned_change_notices_off_gets_none_and_the_others_get_a_way_out(concerned, smtp_server):
    from datetime import time

    from eventsite.core.mail_preferences import set_opt_outs
    from eventsite.core.time import utcnow
    from eventsite.events.changes import send_due_change_notices
    from tests.feeds.test_change_notices import CONCERNED, LATER, change_mails, deliver
    from tests.feeds.test_fingerprints import edit
    set_opt_outs("ines@example.org", {"changes"})
    edit(concerned, start=time(14, 0), end=time(15, 15))
    db.session.commit()
    send_due_change_notices(utcnow() + LATER)
    db.session.commit()
    deliver(smtp_server)
    mails = change_mails(smtp_server)
    assert sorted(m["To"] for m in mails) == sorted(CONCERNED - {"ines@example.org"})
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in mails)
    assert all("/mail/preferences/" in mail_text(m) for m in mails)


def test_a_person_who_turned_invitations_off_is_not_invited_and_the_organiser_is_told(client, ctx):
    from eventsite.core.mail_preferences import set_opt_outs
    from tests.factories import make_event, make_forum
    organiser = make_user(name="Organiser")
    event = make_event(make_forum(), organiser=organiser, room=None)
    set_opt_outs("kofi@example.org", {"invitations"})
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/speakers/new", data={
        "role": "keynote", "agenda_item": "0", "given_name": "Kofi", "family_name": "Mensah",
        "email": "kofi@example.org", "organisation_kind": "", "gender": "", "country": ""})
    assert "does not accept invitations through this site" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.recipient == "kofi@example.org")) == 0


def test_staff_see_how_many_turned_each_optional_kind_off_on_the_outgoing_mail_page(client, ctx):
    from eventsite.core.mail_preferences import set_opt_outs
    set_opt_outs("a@example.org", {"reminders"})
    set_opt_outs("b@example.org", {"reminders", "changes"})
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    page = client.get("/staff/mail").get_data(as_text=True)
    assert "Reminders shortly before events I registered for: 2" in page
    assert "Invitations to speak at events: 0" in page
