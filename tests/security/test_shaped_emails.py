"""Hostile words in the e-mails organisers and staff shape: escaped in the HTML part, kept as plain
words in the text part, never a header, never markup on the preview page; and the signed links."""
from sqlalchemy import func, select

from eventsite.core.mail_preferences import MailOptOut, preference_token
from eventsite.extensions import db
from eventsite.notifications.models import ForumMailText
from tests.conftest import login, wait_for_mail
from tests.factories import make_staff, make_user
from tests.notifications.test_shaped_emails import _organiser_saves, _register, html_part, mail_text
from tests.registrations.helpers import open_event

HOSTILE = ('<script>alert("x")</script> <img src=x onerror=alert(1)> <a href="javascript:alert(1)">click</a>\n'
           'Bcc: everyone@example.org\n\n--boundary\nContent-Type: text/html\n\n<b>& "quotes"</b>')


def test_a_hostile_paragraph_is_escaped_in_the_html_part_and_plain_in_the_text_part(client, ctx, smtp_server):
    organiser, event = open_event()
    db.session.commit()
    _organiser_saves(client, event, organiser, confirmation__default=HOSTILE)
    _register(client, event, "amina@example.org", "Amina Haddad")
    message = wait_for_mail(smtp_server, 1)[0]
    html = html_part(message)
    for markup in ("<script", "<img", '<a href="javascript', "<b>"):
        assert markup not in html, markup
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in html and "&lt;b&gt;&amp; \"quotes\"&lt;/b&gt;" in html
    assert 'Bcc: everyone@example.org' in mail_text(message)  # words in the body, as typed
    assert message["Bcc"] is None and message["To"] == "amina@example.org"
    parts = [part.get_content_type() for part in message.walk()]
    assert parts == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar"]


def test_the_preview_page_shows_hostile_words_as_words(client, ctx):
    organiser, event = open_event()
    db.session.commit()
    login(client, organiser.email)
    page = client.post(f"/events/{event.slug}/emails", data={
        "preview_locale": "en", "preview": "1", "confirmation__default": HOSTILE}).get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and '<a href="javascript:' not in page
    assert page.count("&lt;script&gt;alert") >= 2  # the box, the HTML part and the text part


def test_a_hostile_forum_text_is_escaped_in_the_preview_and_stored_as_typed(client, ctx):
    organiser, event = open_event()
    staff = make_staff()
    db.session.commit()
    login(client, staff.email)
    response = client.post(f"/forums/{event.forum.slug}/emails?language=ar",
                           data={"confirmed": HOSTILE, "preview_kind": "confirmed", "save": "1"})
    assert response.status_code == 302
    page = client.get(f"/forums/{event.forum.slug}/emails?language=ar&preview=confirmed").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert db.session.scalar(select(ForumMailText.text)) == HOSTILE.strip()


def test_nul_in_a_paragraph_is_refused_beside_its_box(client, ctx):
    organiser, event = open_event()
    db.session.commit()
    login(client, organiser.email)
    response = client.post(f"/events/{event.slug}/emails", data={
        "preview_locale": "en", "save": "1", "confirmation__default": "Bring\x00 a pass"})
    assert response.status_code == 422 and "control characters" in response.get_data(as_text=True)


def test_another_person_s_link_cannot_be_forged_from_one_s_own(client, ctx):
    mine = preference_token("amina@example.org")
    payload, signature = mine.rsplit(".", 1)
    forged = preference_token("claire@example.org").rsplit(".", 1)[0] + "." + signature
    assert client.get(f"/mail/preferences/{forged}").status_code == 404
    assert client.post(f"/mail/preferences/{forged}", data={}).status_code == 404
    assert db.session.scalar(select(func.count(MailOptOut.id))) == 0


def test_a_signed_in_person_changes_only_their_own_choices(client, ctx):
    user = make_user()
    db.session.commit()
    login(client, user.email)
    client.post("/account/notifications", data={"email": "claire@example.org"})  # a forged field is ignored
    assert set(db.session.scalars(select(MailOptOut.email))) == {user.email.lower()}
