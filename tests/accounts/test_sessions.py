"""Sessions end when the password changes or the owner asks; sign-in and mail forms are rate-limited."""
import re

from sqlalchemy import func, select

from eventsite.accounts.services import user_for_session
from eventsite.core.mail import OutboxMessage
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_user


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _account(app, email="lea@example.org"):
    # Clients run outside the test's app context: Flask-Login caches the user on flask.g.
    with app.app_context():
        make_user(email)
        db.session.commit()


def test_sign_out_every_other_device_keeps_this_one(app):
    _account(app)
    here, there = app.test_client(), app.test_client()
    login(here, "lea@example.org")
    login(there, "lea@example.org")
    here.post("/account/security/sign-out-elsewhere")
    assert here.get("/account/security").status_code == 200
    assert there.get("/account/security").status_code == 302


def test_a_wrong_current_password_is_refused_beside_the_field(app):
    _account(app)
    client = app.test_client()
    login(client, "lea@example.org")
    response = client.post("/account/security", data={"current": "not-it", "password": "a-brand-new-password",
                                                      "confirm": "a-brand-new-password"})
    assert 'id="current-error"' in _text(response) and "This is not your current password." in _text(response)
    client.post("/account/logout")
    login(client, "lea@example.org", PASSWORD)


def test_a_session_from_before_versions_or_with_a_huge_id_signs_nobody_in(ctx):
    user = make_user()
    db.session.commit()
    assert user_for_session(f"{user.id}:0") == user
    assert user_for_session(str(user.id)) is None
    assert user_for_session(f"{user.id}:1") is None
    assert user_for_session("9223372036854775808:0") is None


def test_the_429_page_says_in_words_when_to_try_again(client, ctx):
    for _ in range(10):
        client.post("/account/login", data={"email": "x@example.org", "password": "wrong"})
    response = client.post("/account/login", data={"email": "x@example.org", "password": "wrong"})
    assert response.status_code == 429
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds <= 60
    assert re.search(r"Please try again in \d+ seconds \(after \d\d:\d\d:\d\d UTC\)", _text(response))


def test_password_reset_requests_are_limited_per_address(client, ctx):
    make_user("mo@example.org")
    db.session.commit()
    statuses = [client.post("/account/reset", data={"email": "mo@example.org"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 3


def test_a_successful_sign_in_does_not_count_against_the_client_address(client, ctx):
    for n in range(12):
        user = make_user(f"ok{n}@example.org")
    db.session.commit()
    statuses = [client.post("/account/login", data={"email": f"ok{n}@example.org", "password": PASSWORD}).status_code
                for n in range(12)]
    assert statuses == [302] * 12
