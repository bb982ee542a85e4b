"""Two-factor sign-in: set up with a QR code and a typed code, then asked for after the password."""
import re
import time

import pyotp
from sqlalchemy import func, select

from eventsite.accounts.models import Role, RecoveryCode, User
from eventsite.accounts.services import grant
from eventsite.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD, make_forum, make_staff, make_user


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _code(secret, steps_ahead=0):
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def _set_up(client):
    """Open the set-up page, read the key, confirm with the app's code; returns (secret, recovery codes)."""
    page = _text(client.get("/account/two-factor"))
    assert "<svg" in page
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
    response = client.post("/account/two-factor", data={"code": _code(secret)})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.data.decode())
    return secret, codes


def _user(email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def test_setting_up_shows_ten_recovery_codes_once_and_keeps_only_digests(client, ctx):
    make_user("ada@example.org")
    db.session.commit()
    login(client, "ada@example.org")
    secret, codes = _set_up(client)
    assert len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    assert _user("ada@example.org").totp_secret == secret
    assert "9 unused" not in _text(client.get("/account/two-factor")) and "10 unused recovery codes" in _text(
        client.get("/account/two-factor"))


def test_a_wrong_confirmation_code_keeps_two_factor_off_with_the_error_beside_the_field(client, ctx):
    make_user("ada@example.org")
    db.session.commit()
    login(client, "ada@example.org")
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "12345x"})
    assert 'id="code-error"' in _text(response) and 'value="12345x"' in _text(response)
    assert _user("ada@example.org").totp_secret is None


def test_sign_in_asks_for_the_code_after_the_password(app):
    with app.app_context():
        make_user("ada@example.org")
        db.session.commit()
    setup = app.test_client()
    login(setup, "ada@example.org")
    secret, codes = _set_up(setup)

    client = app.test_client()
    first = client.post("/account/login?next=/account/registrations",
                        data={"email": "ada@example.org", "password": PASSWORD})
    assert first.location.startswith("/account/login/code")
    assert client.get("/account/registrations").status_code == 302  # not signed in yet
    wrong = client.post(first.location, data={"code": "000000"})
    assert "This code is not valid" in _text(wrong)
    right = client.post(first.location, data={"code": _code(secret, 1)})
    assert right.location == "/account/registrations"
    assert client.get("/account/registrations").status_code == 200


def test_a_code_works_once_and_so_does_a_recovery_code(app):
    with app.app_context():
        make_user("ada@example.org")
        db.session.commit()
    setup = app.test_client()
    login(setup, "ada@example.org")
    secret, codes = _set_up(setup)

    def attempt(code):
        client = app.test_client()
        client.post("/account/login", data={"email": "ada@example.org", "password": PASSWORD})
        return client.post("/account/login/code", data={"code": code}).status_code

    assert attempt(_code(secret)) == 200  # the code that turned it on is spent
    assert attempt(codes[0].upper()) == 302
    assert attempt(codes[0]) == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.used_at.is_(None))) == 9


def test_the_code_step_is_rate_limited(app):
    with app.app_context():
        make_user("ada@example.org")
        db.session.commit()
    setup = app.test_client()
    login(setup, "ada@example.org")
    _set_up(setup)
    client = app.test_client()
    client.post("/account/login", data={"email": "ada@example.org", "password": PASSWORD})
    statuses = [client.post("/account/login/code", data={"code": f"{n:06d}"}).status_code for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2


def test_turning_it_off_needs_the_password_and_a_code(client, ctx):
    make_user("ada@example.org")
    db.session.commit()
    login(client, "ada@example.org")
    secret, codes = _set_up(client)
    refused = client.post("/account/two-factor/disable", data={"off-password": "wrong-password",
                                                               "off-code": _code(secret, 1)})
    assert refused.status_code == 422 and "This is not your current password." in _text(refused)
    assert _user("ada@example.org").totp_secret == secret
    client.post("/account/two-factor/disable", data={"off-password": PASSWORD, "off-code": codes[3]})
    assert _user("ada@example.org").totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_new_recovery_codes_replace_the_old_ones(client, ctx):
    make_user("ada@example.org")
    db.session.commit()
    login(client, "ada@example.org")
    secret, old = _set_up(client)
    response = client.post("/account/two-factor/recovery-codes", data={"renew-code": old[0]})
    new = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.data.decode())
    assert len(new) == 10 and not set(new) & set(old)


def test_a_password_reset_does_not_skip_the_second_factor(app):
    with app.app_context():
        make_user("ada@example.org")
        db.session.commit()
    setup = app.test_client()
    login(setup, "ada@example.org")
    _set_up(setup)
    client = app.test_client()
    client.post("/account/reset", data={"email": "ada@example.org"})
    with app.test_request_context():
        from eventsite.core.mail import OutboxMessage
        body = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"http://localhost(/account/reset/\S+)", body).group(1)
    response = client.post(link, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.location.startswith("/account/login/code")
    assert client.get("/account/registrations").status_code == 302


def test_only_staff_change_the_site_rule(client, ctx):
    make_user("ada@example.org")
    db.session.commit()
    login(client, "ada@example.org")
    assert client.get("/account/site-security").status_code == 403
    assert client.post("/account/site-security", data={"two_factor_for_organisers": "y"}).status_code == 403


def test_when_required_a_forum_organiser_sets_it_up_before_anything_else(app):
    with app.app_context():
        staff = make_staff()
        organiser = make_user("forum.lead@example.org")
        participant = make_user("someone@example.org")
        grant(organiser, Role.ORGANISER, forum=make_forum(staff=staff))
        db.session.commit()
        staff_email = staff.email
    staff_client = app.test_client()
    login(staff_client, staff_email)
    staff_client.post("/account/site-security", data={"two_factor_for_organisers": "y"})
    assert staff_client.get("/").location == "/account/two-factor"  # staff are covered too

    client = app.test_client()
    login(client, "forum.lead@example.org")
    for path in ("/", "/account/registrations", "/dashboard"):
        assert client.get(path).location == "/account/two-factor", path
    _set_up(client)
    assert client.get("/account/registrations").status_code == 200

    other = app.test_client()
    login(other, "someone@example.org")
    assert other.get("/account/registrations").status_code == 200  # participants are not asked
