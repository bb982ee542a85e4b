import re

from sqlalchemy import select

from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _page_text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _outbox(to=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if to:
        query = query.where(OutboxMessage.recipient == to)
    return list(db.session.scalars(query))


def test_signup_creates_an_unverified_account_and_mails_the_link(client, ctx):
    response = client.post("/account/signup", data={"name": "Amina Okafor", "email": "Amina@Example.org",
                                                     "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 200
    assert "Check your mailbox" in _page_text(response)
    user = db.session.scalar(select(User))
    assert (user.email, user.is_verified) == ("amina@example.org", False)
    [message] = _outbox()
    assert message.recipient == "amina@example.org"
    assert re.search(r"http://localhost/account/verify/\S+", message.body)


def test_signup_with_taken_email_shows_the_same_page_and_tells_the_owner(client, ctx):
    make_user("taken@example.org", name="First Owner")
    db.session.commit()
    new = client.post("/account/signup", data={"name": "Someone", "email": "fresh@example.org",
                                                "password": PASSWORD, "confirm": PASSWORD})
    taken = client.post("/account/signup", data={"name": "Second Person", "email": "taken@example.org",
                                                  "password": PASSWORD, "confirm": PASSWORD})
    assert taken.status_code == new.status_code == 200
    assert _page_text(taken).replace("taken@example.org", "X") == _page_text(new).replace("fresh@example.org", "X")
    [message] = _outbox("taken@example.org")
    assert "tried to create an Eventsite account with this e-mail address" in message.body
    assert "/account/reset" in message.body
    assert db.session.scalar(select(User.name).where(User.email == "taken@example.org")) == "First Owner"


def test_signup_with_mismatched_passwords_is_refused_beside_the_field(client, ctx):
    response = client.post("/account/signup", data={"name": "Kwame", "email": "kwame@example.org",
                                                     "password": PASSWORD, "confirm": "something-else-entirely"})
    page = _page_text(response)
    assert "The two passwords differ." in page
    assert 'id="confirm-error"' in page and 'value="Kwame"' in page


def test_wrong_password_gives_one_clear_message_and_keeps_email(client, ctx):
    make_user("olga@example.org")
    db.session.commit()
    response = client.post("/account/login", data={"email": "olga@example.org", "password": "not-my-password"})
    page = _page_text(response)
    assert response.status_code == 200
    assert "Wrong e-mail address or password." in page
    assert 'value="olga@example.org"' in page


def test_sign_out_needs_a_post(client, ctx):
    make_user("lars@example.org")
    db.session.commit()
    login(client, "lars@example.org")
    assert client.get("/account/logout").status_code == 405
    client.post("/account/logout")
    assert "Sign in" in client.get("/").data.decode()


def _reset_link(client, email):
    client.post("/account/reset", data={"email": email})
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/account/reset/\S+)", body).group(1)


def test_password_reset_link_works_once(client, ctx):
    make_user("mei@example.org")
    db.session.commit()
    link = _reset_link(client, "mei@example.org")
    response = client.post(link, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.status_code == 302
    client.post("/account/logout")
    login(client, "mei@example.org", "a-brand-new-password")
    client.post("/account/logout")
    reused = client.get(link, follow_redirects=True)
    assert "This reset link has already been used." in _page_text(reused)


def test_password_reset_form_keeps_working_after_a_mismatch(client, ctx):
    make_user("ana@example.org")
    db.session.commit()
    link = _reset_link(client, "ana@example.org")
    response = client.post(link, data={"password": "a-brand-new-password", "confirm": "another-password-x"})
    assert "The two passwords differ." in _page_text(response)
    assert client.post(link, data={"password": "a-brand-new-password",
                                   "confirm": "a-brand-new-password"}).status_code == 302


def test_expired_reset_link_is_refused(client, app, ctx):
    make_user("ivan@example.org")
    db.session.commit()
    link = _reset_link(client, "ivan@example.org")
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(link, follow_redirects=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert "This reset link has expired." in _page_text(response)


def test_tampered_reset_link_is_refused(client, ctx):
    make_user("yara@example.org")
    db.session.commit()
    link = _reset_link(client, "yara@example.org")
    response = client.get(link[:-3] + "abc", follow_redirects=True)
    assert "This reset link is not valid." in _page_text(response)


def test_reset_request_does_not_reveal_unknown_addresses(client, ctx):
    response = client.post("/account/reset", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If an account uses nobody@example.org" in _page_text(response)
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 0


def test_login_redirects_only_to_this_site(client, ctx):
    make_user("tariq@example.org")
    db.session.commit()
    external = client.post("/account/login?next=https://evil.example/", data={"email": "tariq@example.org",
                                                                             "password": PASSWORD})
    assert external.location == "/"
    internal = client.post("/account/login?next=/dashboard", data={"email": "tariq@example.org",
                                                                  "password": PASSWORD})
    assert internal.location == "/dashboard"
