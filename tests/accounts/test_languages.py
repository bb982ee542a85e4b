"""An account keeps its language: the one of the page it was opened from, then the one its owner picks.
Its pages and every e-mail it is sent are in that language, wherever the mail is asked for."""
from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _mails_to(app, address):
    with app.app_context():
        return db.session.execute(select(OutboxMessage.subject, OutboxMessage.locale)
                                  .where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)).all()


def _locale_of(app, address):
    with app.app_context():
        return db.session.scalar(select(User.locale).where(User.email == address))


def test_an_account_opened_from_a_french_page_keeps_french_and_is_mailed_in_it(app, client):
    response = client.post("/account/signup?lang=fr", data={"name": "Claire Dubois", "email": "claire@example.org",
                                                            "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 200
    assert _locale_of(app, "claire@example.org") == "fr"
    assert _mails_to(app, "claire@example.org") == [("Confirmez votre adresse électronique pour Eventsite", "fr")]


def test_the_account_page_changes_the_language_of_the_pages_and_of_later_mail(app, client):
    with app.app_context():
        make_user("kofi@example.org", name="Kofi Mensah")
        db.session.commit()
    login(client, "kofi@example.org")
    page = client.get("/account/security").get_data(as_text=True)
    assert '<option selected value="en">English</option>' in page

    response = client.post("/account/language", data={"locale": "es"}, follow_redirects=True)
    assert ('<html lang="es"' in response.get_data(as_text=True), _locale_of(app, "kofi@example.org")) == (True, "es")
    client.post("/account/logout")

    stranger = app.test_client()  # asks for a new password from a page in English
    stranger.post("/account/reset", data={"email": "kofi@example.org"}, headers={"Accept-Language": "en"})
    assert _mails_to(app, "kofi@example.org") == [("Restablezca su contraseña de Eventsite", "es")]


def test_a_language_the_site_does_not_offer_is_refused_and_the_account_keeps_its_own(app, client):
    with app.app_context():
        make_user("kofi@example.org").locale = "fr"
        db.session.commit()
    login(client, "kofi@example.org")
    client.post("/account/language", data={"locale": "de"})
    assert _locale_of(app, "kofi@example.org") == "fr"


def test_each_of_the_six_languages_can_be_chosen_and_chinese_pages_say_zh_hans(app, client):
    with app.app_context():
        make_user("lin@example.org")
        db.session.commit()
    login(client, "lin@example.org")
    for code, tag in (("ar", "ar"), ("zh_Hans", "zh-Hans"), ("en", "en"), ("fr", "fr"), ("ru", "ru"), ("es", "es")):
        page = client.post("/account/language", data={"locale": code}, follow_redirects=True).get_data(as_text=True)
        assert (_locale_of(app, "lin@example.org"), f'<html lang="{tag}"' in page) == (code, True)
