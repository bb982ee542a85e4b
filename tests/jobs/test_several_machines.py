"""Several machines: two gunicorn masters (two "machines"), two job workers and a real SMTP sink.

200 people register across both servers while one worker is SIGKILLed in the middle of
sending and the mail server is down for part of the run; afterwards every message has
arrived exactly once, counted at the sink by Message-ID and recipient. Then the reminders
run twice at the same moment and each reminder arrives once. On PostgreSQL the job queue
is the database itself; on SQLite it is a SQLite file shared by the two workers.

Select it with `-m machines`; it runs in the normal suite too.
"""
import asyncio
import collections
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, func, select

from eventsite.core.mail import OutboxMessage
from eventsite.core.time import utcnow
from eventsite.extensions import db
from tests.conftest import free_port
from tests.factories import make_user
from tests.registrations.helpers import open_event, register

pytestmark = pytest.mark.machines

PEOPLE = 200
REMINDED = 20
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Sink:
    """An SMTP server that counts what it accepted; it can hold every reply to DATA (a slow server)
    or be stopped and started again on the same port (a server that is down for a while)."""

    def __init__(self):
        self.port = free_port()
        self.accepted = []  # (Message-ID, recipient, envelope sender)
        self.holding = False
        self.held_senders = set()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        while self.holding:  # a killed client's connection is cancelled here: the message was never accepted
            self.held_senders.add(envelope.mail_from)
            await asyncio.sleep(0.02)
        message_id = re.search(rb"^Message-ID: *(\S+)", envelope.original_content, re.M | re.I).group(1).decode()
        for recipient in envelope.rcpt_tos:
            self.accepted.append((message_id, recipient, envelope.mail_from))
        return "250 OK"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()
        self.controller = None


def _env(database_url, jobs_url, sink, **extra):
    return {**os.environ, "DATABASE_URL": database_url, "JOBS_URL": jobs_url,
            "SECRET_KEY": "several-machines-secret-key-0123456789", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "MAIL_BACKEND": "smtp", "MAIL_HOST": "127.0.0.1", "MAIL_PORT": str(sink.port),
            "MAIL_CLAIM_SECONDS": "4", "MAIL_RETRY_SECONDS": "0.5", "MAIL_RETRY_MAX_SECONDS": "2",
            "MAIL_MAX_ATTEMPTS": "100", "MAIL_BATCH_SIZE": "5", "MAIL_TIMEOUT": "20", "REMINDER_HOURS": "0",
            **{key: str(value) for key, value in extra.items()}}


def _wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what() if callable(what) else what}")
        time.sleep(0.05)


class Machines:
    def __init__(self, database_url, tmp_path, sink):
        self.tmp_path, self.sink, self.processes = tmp_path, sink, []
        jobs_url = database_url if database_url.startswith("postgresql") else f"sqlite:///{tmp_path / 'jobs.sqlite'}"
        self.web_env = _env(database_url, jobs_url, sink)
        self.worker_envs = {name: _env(database_url, jobs_url, sink, MAIL_SENDER=f"{name}@example.org",
                                       SERVER_NAME="127.0.0.1") for name in ("worker-a", "worker-b")}
        self.bases = []
        for machine in ("one", "two"):
            port = free_port()
            self._start([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                         "--chdir", ROOT, "--log-level", "warning", "eventsite:create_app()"], self.web_env,
                        f"web-{machine}")
            self.bases.append(f"http://127.0.0.1:{port}")
        self.workers = {name: self.start_worker(name) for name in self.worker_envs}
        for base in self.bases:
            _wait_until(lambda: self._answers(base), 60, f"{base} to answer")

    def _start(self, command, env, name):
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=open(self.tmp_path / f"{name}.log", "ab"))
        self.processes.append(process)
        return process

    def start_worker(self, name):
        return self._start([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker", "--threads", "1"],
                           self.worker_envs[name], name)

    @staticmethod
    def _answers(base):
        try:
            urllib.request.urlopen(base + "/", timeout=5)
            return True
        except OSError:
            return False

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def machines(app, database_url, tmp_path):
    sink = Sink()
    sink.start()
    running = Machines(database_url, tmp_path, sink)
    yield running
    running.stop()
    if sink.controller:
        sink.stop()


def _register(base, path, email):
    """One anonymous participant: open the form, send it back with its CSRF token."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(base + path, timeout=60).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "name": f"Delegate {email}", "email": email, "organisation": "ITU",
            "category": "un_system", "country": "MA"}
    try:
        return opener.open(base + path, urllib.parse.urlencode(data).encode(), timeout=60).status
    except urllib.error.HTTPError as error:
        return error.code


def _accepted_by_recipient(sink):
    return collections.Counter((message_id, recipient) for message_id, recipient, _ in sink.accepted)


def test_two_machines_two_workers_a_killed_worker_and_a_mail_outage_lose_and_double_nothing(ctx, machines):
    sink = machines.sink
    organiser, event = open_event(anonymous=True, questions=False, capacity=PEOPLE)
    db.session.execute(delete(OutboxMessage))  # set-up mail is not part of the count
    db.session.commit()
    path, people = f"/events/{event.slug}/register", [f"delegate{n:03d}@example.org" for n in range(PEOPLE)]
    statuses = []

    def wave(emails):
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses.extend(pool.map(lambda pair: _register(machines.bases[pair[0] % 2], path, pair[1]),
                                     enumerate(emails)))

    # 1. Half the people register; once mail is flowing, the server stalls, worker B is killed
    #    while it waits on the server in the middle of a message, and the server recovers.
    first_half = threading.Thread(target=wave, args=(people[:100],))
    first_half.start()
    _wait_until(lambda: len(sink.accepted) >= 20, 60, "the first messages")
    sink.holding = True
    _wait_until(lambda: "worker-b@example.org" in sink.held_senders, 30, "worker B to be in the middle of a send")
    machines.workers["worker-b"].send_signal(signal.SIGKILL)
    machines.workers["worker-b"].wait(timeout=10)
    sink.holding = False
    first_half.join(timeout=180)

    # 2. The mail server goes down while the other half registers, and comes back a few seconds
    #    later (a fixed outage: on a loaded machine the wave can take minutes, and a message that
    #    outlives MAIL_MAX_ATTEMPTS is failed by design, not lost).
    sink.stop()
    second_half = threading.Thread(target=wave, args=(people[100:],))
    second_half.start()
    time.sleep(6)
    sink.start()
    machines.workers["worker-b"] = machines.start_worker("worker-b")  # its supervisor restarts it
    second_half.join(timeout=300)

    def failed():
        db.session.expire_all()
        return db.session.execute(select(OutboxMessage.recipient, OutboxMessage.attempts, OutboxMessage.last_error)
                                  .where(OutboxMessage.failed_at.is_not(None))).all()

    _wait_until(lambda: len({r for _, r, _ in sink.accepted}) >= PEOPLE, 90,
                lambda: f"every participant's message (failed for good: {failed()})")
    time.sleep(3)  # anything sent twice would arrive now
    counts = _accepted_by_recipient(sink)
    db.session.expire_all()
    rows = db.session.execute(select(OutboxMessage.message_id, OutboxMessage.recipient)).all()
    expected = {(message_id, recipient) for message_id, recipient in rows}
    duplicated = sum(count - 1 for count in counts.values())
    lost = len(expected - set(counts))
    print(f"\nseveral machines: {len(statuses)} registrations, {len(sink.accepted)} messages accepted, "
          f"{len(counts)} distinct, {duplicated} duplicated, {lost} lost; worker B held a message when killed")
    assert statuses == [200] * PEOPLE
    assert sorted(recipient for _, recipient in expected) == people  # one message per registration, no more
    assert set(counts) == expected and duplicated == 0 and lost == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.sent_at.is_(None))) == 0

    # 3. Reminders: two machines run the reminder job at the same moment; each reminder arrives once.
    _, soon = open_event(capacity=REMINDED)
    soon.starts_at, soon.ends_at = utcnow() + timedelta(hours=5), utcnow() + timedelta(hours=6)
    reminded = [make_user(f"speaker{n:02d}@example.org") for n in range(REMINDED)]
    for user in reminded:
        register(soon, user)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.sent_at.is_(None)))
    db.session.commit()
    before = len(sink.accepted)
    runs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "send-reminders", "--hours", "24"],
                             env=machines.worker_envs[name], cwd=ROOT, stdout=subprocess.PIPE, text=True)
            for name in ("worker-a", "worker-b")]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    queued = sum(int(re.search(r"(\d+) reminder", output).group(1)) for output in outputs)
    _wait_until(lambda: len(sink.accepted) - before >= REMINDED, 60, "the reminders")
    time.sleep(2)
    reminders = collections.Counter(recipient for _, recipient, _ in sink.accepted[before:])
    print(f"reminders: queued {queued} by two simultaneous runs, {sum(reminders.values())} accepted")
    assert queued == REMINDED
    assert reminders == {user.email: 1 for user in reminded}
