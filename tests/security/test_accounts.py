"""Accounts and sign-in, attacked over HTTP (issue 11, findings 2 and 4)."""
import re

from sqlalchemy import select

from eventsite.accounts import two_factor
from eventsite.accounts.models import User
from eventsite.core.mail import OutboxMessage, render_waiting
from eventsite.extensions import db
from eventsite.registrations import services as registrations
from tests.conftest import login
from tests.factories import PASSWORD, make_staff, make_user
from tests.registrations.helpers import answers, open_event

VICTIM = "victim@example.org"


def _text(response):
    return re.sub(r"\s+", " ", response.data.decode())


def _latest_link(to, pattern):
    render_waiting()  # what the sending worker does first
    body = db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == to)
                              .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://localhost(" + pattern + r"\S+)", body).group(1)


def _proven_registration(event, email=VICTIM):
    """Someone registers without an account and follows the link mailed to them."""
    data = registrations.RegistrationInput(name="Real Owner", email=email, organisation="Ministry of Health",
                                           accessibility_needs="Wheelchair access", answers=answers(event))
    registration = registrations.register(event, data, user=None, questions=registrations.questions_of(event))
    registrations.verify_email(_latest_link(email, "/registrations/verify/").rsplit("/", 1)[1])  # the mailed token
    db.session.commit()
    return registration


def _sign_up(client, email=VICTIM, name="Attacker"):
    return client.post("/account/signup", data={"name": name, "email": email, "password": PASSWORD,
                                                "confirm": PASSWORD})


# --- Finding 2: signing up with someone else's address took over their registrations ---------

def test_an_unverified_account_sees_nothing_registered_under_its_address(client, ctx):
    organiser, event = open_event(anonymous=True)
    victims = _proven_registration(event)
    _sign_up(client)
    login(client, VICTIM)

    mine = client.get("/account/registrations")
    register_page = client.get(f"/events/{event.slug}/register")
    event_page = client.get(f"/events/{event.slug}")

    assert mine.status_code == 200 and event.title not in _text(mine)
    assert victims.token not in _text(mine)
    assert register_page.status_code == 200  # the form, not a redirect to the victim's registration
    assert victims.token not in _text(register_page) and victims.token not in _text(event_page)
    assert client.get(f"/registrations/{victims.id}").status_code in (403, 404)


def test_once_the_account_proves_the_address_the_registration_is_linked(client, ctx):
    organiser, event = open_event(anonymous=True)
    victims = _proven_registration(event)
    _sign_up(client, name="Real Owner")
    login(client, VICTIM)

    link = _latest_link(VICTIM, "/account/verify/")
    client.get(link)

    assert db.session.scalar(select(User.email_verified_at).where(User.email == VICTIM)) is not None
    assert event.title in _text(client.get("/account/registrations"))
    response = client.get(f"/events/{event.slug}/register")
    assert response.status_code == 302 and response.location.endswith(f"/r/{victims.token}")


def test_a_registration_whose_address_was_never_proven_is_not_linked_even_to_a_verified_account(client, ctx):
    organiser, event = open_event(anonymous=True)
    data = registrations.RegistrationInput(name="Someone", email=VICTIM, organisation="X", answers=answers(event))
    planted = registrations.register(event, data, user=None, questions=registrations.questions_of(event))
    make_user(VICTIM)
    db.session.commit()
    login(client, VICTIM)

    assert event.title not in _text(client.get("/account/registrations"))
    assert planted.token not in _text(client.get(f"/events/{event.slug}/register"))


# --- Finding 4: sign-in ------------------------------------------------------------------------

def test_two_hundred_wrong_passwords_get_ten_checks_then_429_with_retry_after(client, ctx):
    make_user(VICTIM)
    db.session.commit()

    responses = [client.post("/account/login", data={"email": VICTIM, "password": f"guess-{n}"})
                 for n in range(200)]

    checked = [r for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code == 429]
    assert (len(checked), len(refused)) == (10, 190)
    assert all("Wrong e-mail address or password." in _text(r) for r in checked)
    assert all(int(r.headers["Retry-After"]) > 0 for r in refused)
    assert "Please try again in" in _text(refused[-1])
    # the right password is not even tried until the minute has passed
    assert client.post("/account/login", data={"email": VICTIM, "password": PASSWORD}).status_code == 429


def test_many_client_addresses_against_one_account_are_limited_per_account(app, ctx):
    make_user(VICTIM)
    db.session.commit()
    statuses = []
    for n in range(1, 21):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"
        statuses.append(client.post("/account/login", data={"email": VICTIM, "password": "wrong-guess"}).status_code)
    assert statuses == [200] * 10 + [429] * 10


def test_one_client_address_against_many_accounts_is_limited_per_address(client, ctx):
    statuses = [client.post("/account/login", data={"email": f"guess{n}@example.org",
                                                     "password": "wrong-guess"}).status_code for n in range(20)]
    assert statuses == [200] * 10 + [429] * 10


def _account_in_own_context(app, email=VICTIM):
    # Requests run outside the test's app context here: Flask-Login keeps the loaded user on
    # flask.g, which a shared context would carry from one client's request into the next.
    with app.app_context():
        make_user(email)
        db.session.commit()


def test_a_password_reset_signs_out_every_other_session_and_remember_me_cookie(app):
    _account_in_own_context(app)
    laptop, stolen, remembered = app.test_client(), app.test_client(), app.test_client()
    stolen.post("/account/login", data={"email": VICTIM, "password": PASSWORD, "remember": "y"})
    remembered.set_cookie("remember_token", stolen.get_cookie("remember_token").value)
    assert stolen.get("/account/registrations").status_code == 200
    assert remembered.get("/account/registrations").status_code == 200  # the cookie alone signs in

    laptop.post("/account/reset", data={"email": VICTIM})
    with app.test_request_context():
        link = _latest_link(VICTIM, "/account/reset/")
    laptop.post(link, data={"password": "a-brand-new-password", "confirm": "a-brand-new-password"})

    assert laptop.get("/account/registrations").status_code == 200
    assert stolen.get("/account/registrations").status_code == 302
    after = app.test_client()
    after.set_cookie("remember_token", stolen.get_cookie("remember_token").value)
    assert after.get("/account/registrations").status_code == 302


def test_a_password_change_signs_out_the_other_device(app):
    _account_in_own_context(app)
    here, there = app.test_client(), app.test_client()
    login(here, VICTIM)
    login(there, VICTIM)

    here.post("/account/security", data={"current": PASSWORD, "password": "a-brand-new-password",
                                         "confirm": "a-brand-new-password"})

    assert here.get("/account/registrations").status_code == 200
    assert there.get("/account/registrations").status_code == 302


def test_sign_up_with_a_taken_address_looks_the_same_and_mails_the_owner(client, ctx):
    make_user(VICTIM, name="Real Owner")
    db.session.commit()

    taken = _sign_up(client)
    fresh = _sign_up(client, email="nobody-yet@example.org")

    assert taken.status_code == fresh.status_code == 200
    assert _text(taken).replace(VICTIM, "@") == _text(fresh).replace("nobody-yet@example.org", "@")
    assert "already exists" not in _text(taken)
    assert set(taken.headers.getlist("Set-Cookie")) == set(fresh.headers.getlist("Set-Cookie"))
    owner_mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == VICTIM)).all()
    assert [m.subject for m in owner_mail] == ["Someone tried to create an Eventsite account with your address"]
    assert db.session.scalar(select(User.name).where(User.email == VICTIM)) == "Real Owner"


def test_send_me_my_link_cannot_flood_a_mailbox(client, ctx):
    organiser, event = open_event(anonymous=True)
    _proven_registration(event)
    before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    statuses = [client.post(f"/events/{event.slug}/register/send-link", data={"email": VICTIM}).status_code
                for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == before + 3


def test_where_staff_require_two_factor_a_staff_password_alone_opens_nothing(app):
    with app.app_context():
        staff = make_staff()
        staff_email = staff.email
        policy = two_factor.policy()
        policy.two_factor_for_organisers = True
        db.session.commit()
    thief = app.test_client()
    login(thief, staff_email)  # the password was phished
    for path in ("/", "/dashboard", "/review", "/account/registrations", "/account/site-security"):
        response = thief.get(path)
        assert response.status_code == 302 and response.location == "/account/two-factor", path
