"""An account's address is proven by the link mailed at sign-up."""
import re

from sqlalchemy import func, select

from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _sign_up(client, email="nadia@example.org"):
    client.post("/account/signup", data={"name": "Nadia Karimi", "email": email, "password": PASSWORD,
                                         "confirm": PASSWORD})
    body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(/account/verify/\S+)", body).group(1)


def _verified(email="nadia@example.org"):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email)).is_verified


def test_the_emailed_link_verifies_the_account_without_signing_in(client, ctx):
    link = _sign_up(client)
    response = client.get(link, follow_redirects=True)
    assert "nadia@example.org is confirmed as your address" in _text(response)
    assert _verified()
    assert "Sign out" not in _text(response)


def test_a_tampered_or_expired_link_verifies_nothing(client, app, ctx):
    link = _sign_up(client)
    assert "This confirmation link is not valid" in _text(client.get(link[:-4] + "abcd", follow_redirects=True))
    app.config["EMAIL_VERIFICATION_MAX_AGE"] = -1
    try:
        expired = client.get(link, follow_redirects=True)
    finally:
        app.config["EMAIL_VERIFICATION_MAX_AGE"] = 3 * 24 * 3600
    assert "This confirmation link has expired" in _text(expired)
    assert not _verified()


def test_an_unverified_account_sees_the_banner_on_every_page_until_verified(client, ctx):
    link = _sign_up(client)
    login(client, "nadia@example.org")
    for path in ("/", "/account/registrations", "/account/security"):
        assert "Send the link again" in _text(client.get(path)), path
    client.get(link)
    assert "Send the link again" not in _text(client.get("/"))


def test_resending_the_link_mails_a_new_one_and_is_rate_limited(client, ctx):
    _sign_up(client)
    login(client, "nadia@example.org")
    statuses = [client.post("/account/verify/resend?next=/account/registrations").status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    sent = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == "nadia@example.org"))
    assert sent == 1 + 3


def test_a_verified_account_gets_no_banner_and_no_resend(client, ctx):
    make_user("olu@example.org")
    db.session.commit()
    login(client, "olu@example.org")
    assert "Send the link again" not in _text(client.get("/"))
    client.post("/account/verify/resend")
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_following_a_password_reset_link_also_proves_the_address(client, ctx):
    make_user("kofi@example.org", verified=False)
    db.session.commit()
    client.post("/account/reset", data={"email": "kofi@example.org"})
    body = db.session.scalars(select(OutboxMessage.body)).first()
    link = re.search(r"http://localhost(/account/reset/\S+)", body).group(1)
    client.post(link, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert _verified("kofi@example.org")
