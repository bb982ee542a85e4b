"""Capacity under real load: the app under gunicorn with several workers, 50 people
registering at the same moment for 10 seats."""
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import select

from eventsite.core.mail import OutboxMessage
from eventsite.extensions import db
from eventsite.registrations import services
from eventsite.registrations.models import Registration, RegistrationStatus
from tests.conftest import free_port
from tests.factories import PASSWORD, make_user
from tests.registrations.helpers import answers as answers_of
from tests.registrations.helpers import form_data, open_event

PEOPLE = 50
SEATS = 10


@pytest.fixture
def gunicorn_server(database_url, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "concurrency-test-secret-key-0123456789",
           "MAIL_BACKEND": "console", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "4", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
         "--chdir", str(tmp_path), "--log-level", "warning", "eventsite:create_app()"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "gunicorn.log", "wb"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:  # not listening yet, or still loading the app
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("gunicorn did not start: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
            time.sleep(0.2)
    yield base
    server.terminate()
    try:  # a loaded machine can take longer than gunicorn's graceful stop; the test's verdict is in already
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Browser:
    """One participant: a cookie jar and the CSRF token of the last form seen."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def form_token(self, path) -> str:
        page = self.opener.open(self.base + path, timeout=60).read().decode()
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def post(self, path, data) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            return self.opener.open(self.base + path, body, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code


def test_fifty_concurrent_registrations_for_ten_seats(ctx, gunicorn_server):
    organiser, event = open_event(capacity=SEATS)
    people = [(f"delegate{n:02d}@example.org", f"Delegate {n}") for n in range(PEOPLE)]
    for email, name in people:
        make_user(email, name=name)
    db.session.commit()
    answers, register_path = form_data(event), f"/events/{event.slug}/register"
    ready = threading.Barrier(PEOPLE)
    results = {}

    def participant(email, name):
        browser = Browser(gunicorn_server)
        browser.post("/account/login", {"csrf_token": browser.form_token("/account/login"), "email": email,
                                        "password": PASSWORD})
        token = browser.form_token(register_path)
        ready.wait(timeout=120)  # everyone submits at the same moment
        results[email] = browser.post(register_path, {**answers, "name": name, "csrf_token": token})

    threads = [threading.Thread(target=participant, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert sorted(results.values()) == [200] * PEOPLE  # each followed the redirect to their registration
    db.session.expire_all()
    registrations = db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                       .order_by(Registration.arrival)).all()
    assert len(registrations) == PEOPLE and len({r.email for r in registrations}) == PEOPLE  # none lost or doubled
    assert [r.arrival for r in registrations] == list(range(1, PEOPLE + 1))
    statuses = [r.status for r in registrations]
    # Exactly the first ten arrivals hold seats; the rest wait in the order they arrived.
    assert statuses == [RegistrationStatus.CONFIRMED] * SEATS + [RegistrationStatus.WAITLISTED] * (PEOPLE - SEATS)
    created = [r.created_at for r in registrations]
    assert created == sorted(created)


def test_verifications_and_signed_in_registrations_at_once_share_ten_seats(ctx, gunicorn_server):
    """Proving an address takes the seat under the same lock as registering with a proven one."""
    organiser, event = open_event(capacity=SEATS, anonymous=True)
    answers = form_data(event)
    for n in range(PEOPLE // 2):  # half registered without an account: unverified, holding nothing
        services.register(event, services.RegistrationInput(name=f"Guest {n}", email=f"guest{n:02d}@example.org",
                                                            organisation="ITU", answers=answers_of(event)),
                          questions=services.questions_of(event))
    members = [(f"member{n:02d}@example.org", f"Member {n}") for n in range(PEOPLE // 2)]
    for email, name in members:
        make_user(email, name=name)
    db.session.commit()
    links = [re.search(r"http://localhost(/registrations/verify/\S+)", m.body).group(1)
             for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert len(links) == PEOPLE // 2
    register_path = f"/events/{event.slug}/register"
    ready = threading.Barrier(PEOPLE)
    results = []

    def guest(link):
        browser = Browser(gunicorn_server)
        token = browser.form_token(link)
        ready.wait(timeout=120)
        results.append(browser.post(link, {"csrf_token": token}))

    def member(email, name):
        browser = Browser(gunicorn_server)
        browser.post("/account/login", {"csrf_token": browser.form_token("/account/login"), "email": email,
                                        "password": PASSWORD})
        token = browser.form_token(register_path)
        ready.wait(timeout=120)
        results.append(browser.post(register_path, {**answers, "name": name, "csrf_token": token}))

    threads = [threading.Thread(target=guest, args=(link,)) for link in links]
    threads += [threading.Thread(target=member, args=person) for person in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert results == [200] * PEOPLE
    db.session.expire_all()
    registrations = db.session.scalars(select(Registration).where(Registration.event_id == event.id)
                                       .order_by(Registration.arrival)).all()
    assert [r.arrival for r in registrations] == list(range(1, PEOPLE + 1))  # every one numbered once, under the lock
    assert [r.status for r in registrations] == (
        [RegistrationStatus.CONFIRMED] * SEATS + [RegistrationStatus.WAITLISTED] * (PEOPLE - SEATS))
