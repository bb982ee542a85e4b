"""Periodic work runs once per period, however many workers; reminders are claimed one by one."""
import subprocess
import sys
import threading
from datetime import timedelta

from sqlalchemy import func, select

from eventsite.accounts.models import Role
from eventsite.core.mail import OutboxMessage
from eventsite.core.time import utcnow
from eventsite.events.models import Status
from eventsite.extensions import db
from eventsite.jobs import PERIODIC
from eventsite.jobs.models import JobRun
from eventsite.jobs.runner import runner
from eventsite.jobs.tasks import run_periodic
from eventsite.registrations.models import Registration
from eventsite.registrations.reminders import send_due_reminders
from eventsite.summaries.reminders import remind_rapporteurs
from tests.factories import add_member, make_event, make_forum, make_user
from tests.registrations.helpers import open_event, register


def _event_in_five_hours(people=3):
    organiser, event = open_event(starts_in_days=0, capacity=50)
    event.starts_at = utcnow() + timedelta(hours=5)
    event.ends_at = event.starts_at + timedelta(hours=1)
    for _ in range(people):
        register(event, make_user())
    db.session.commit()
    return event


def _reminders_queued():
    return db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.subject.like("Reminder:%")))


def test_a_periodic_job_runs_once_per_period_however_many_workers_pick_it_up(app, ctx):
    _event_in_five_hours(people=2)
    entry = PERIODIC["send-reminders"]
    assert run_periodic(entry, "2026-12-02T10:00") is True
    assert run_periodic(entry, "2026-12-02T10:00") is False  # a second worker, same minute
    assert _reminders_queued() == 2
    assert db.session.scalars(select(JobRun.period).where(JobRun.job == "send-reminders")).all() == ["2026-12-02T10:00"]


def test_two_reminder_runs_at_the_same_moment_send_each_reminder_once(app, ctx):
    _event_in_five_hours(people=6)
    counts, barrier = [], threading.Barrier(2)

    def machine():
        with app.test_request_context():
            barrier.wait()
            counts.append(send_due_reminders(timedelta(hours=24)))
            db.session.commit()
    threads = [threading.Thread(target=machine) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert sorted(counts)[-1] + sorted(counts)[0] == 6
    assert _reminders_queued() == 6
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.reminded_at.is_(None))) == 0


def test_rapporteurs_are_reminded_once_in_their_own_language(app, ctx):
    forum = make_forum()
    event = make_event(forum, organiser=make_user(), status=Status.HELD)
    french = make_user()
    french.locale = "fr"
    add_member(event, french, Role.RAPPORTEUR)
    event.starts_at, event.ends_at = utcnow() - timedelta(days=5, hours=2), utcnow() - timedelta(days=5)
    db.session.commit()
    assert remind_rapporteurs(timedelta(days=2)) == 1
    db.session.commit()
    assert remind_rapporteurs(timedelta(days=2)) == 0
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == french.email))
    # The subject is translatable now (its French arrives with the next catalogue update); the body is French.
    assert message.locale == "fr" and message.body.startswith("Bonjour,")
    assert event.title in message.subject


def test_every_registered_periodic_job_is_scheduled_by_the_runner(app):
    scheduled = {task.name for task in runner(app).huey._registry.periodic_tasks}
    assert scheduled == {f"periodic_{name.replace('-', '_')}" for name in PERIODIC}
    assert {"deliver-mail", "send-reminders", "remind-rapporteurs", "purge-personal-data"} <= set(PERIODIC)


def test_the_retention_purge_is_off_unless_a_retention_is_configured(app, ctx):
    organiser, event = open_event(starts_in_days=2)  # registration still open whatever the hour
    register(event, make_user())
    event.starts_at, event.ends_at = utcnow() - timedelta(days=40, hours=2), utcnow() - timedelta(days=40)
    db.session.commit()
    entry = PERIODIC["purge-personal-data"]
    assert run_periodic(entry, "p1")
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.anonymised_at.is_(None))) == 1
    app.config["PERSONAL_DATA_RETENTION_DAYS"] = 30
    try:
        assert run_periodic(entry, "p2")
    finally:
        app.config["PERSONAL_DATA_RETENTION_DAYS"] = 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Registration.id)).where(Registration.anonymised_at.is_(None))) == 0


def test_a_web_worker_does_not_import_what_only_job_workers_run(tmp_path):
    script = f"""
import sys
from eventsite import create_app
app = create_app({{"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite:///{tmp_path}/web.sqlite",
                  "JOBS_URL": "sqlite:///{tmp_path}/jobs.sqlite", "MAIL_BACKEND": "console"}})
from eventsite.extensions import db
from eventsite.core.mail import queue_mail
with app.test_request_context():
    db.create_all()
    queue_mail("a@example.org", "Subject", "Body")
    db.session.commit()  # enqueues the delivery
heavy = [m for m in ("eventsite.jobs.tasks", "eventsite.registrations.reminders", "eventsite.summaries.reminders",
                     "docx", "huey.consumer_options") if m in sys.modules]
print(heavy)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr[-2000:]
