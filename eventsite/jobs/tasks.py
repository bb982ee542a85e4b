"""The bodies of the jobs the runner schedules; only job workers import this module."""
import logging
import threading
import traceback
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from ..core.mail import any_due, deliver_outbox, next_due_at
from ..core.time import utcnow
from ..extensions import db
from . import enqueue
from .models import JobRun
from .runner import resolve

log = logging.getLogger("eventsite.jobs")


def claim_run(job: str, period: str) -> bool:
    """True for the one worker that inserts (job, period) first; the unique constraint refuses the rest."""
    db.session.commit()
    db.session.add(JobRun(job=job, period=period))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def run_periodic(entry, period: str) -> bool:
    """Run a periodic job unless another worker already ran it for this period."""
    if not claim_run(entry.name, period):
        log.debug("%s for %s already ran elsewhere", entry.name, period)
        return False
    error = None
    try:
        resolve(entry.target)()
        db.session.commit()
    except Exception:
        db.session.rollback()
        error = traceback.format_exc()[-2000:]
        log.exception("Periodic job %s failed", entry.name)
    run = db.session.scalar(db.select(JobRun).filter_by(job=entry.name, period=period))
    run.finished_at, run.error = utcnow(), error
    db.session.commit()
    db.session.remove()
    return error is None


def deliver_mail() -> None:
    """Send every due message, then book one wake-up for when the next waiting one falls due."""
    limit = current_app.config["MAIL_RUN_LIMIT"]
    delivery = deliver_outbox(limit=limit)
    if delivery.sent + delivery.failed >= limit:
        enqueue("deliver-mail")  # more to do: let another run (or worker) carry on
        return
    due = next_due_at()
    if due is None:
        return
    # A retry or an expired lease in the next minutes gets its own wake-up; the minute sweep covers
    # the rest. One wake-up per second, however many workers noticed it.
    wake = max(due, utcnow()).replace(microsecond=0) + timedelta(seconds=1)
    if wake - utcnow() <= timedelta(minutes=10) and claim_run("mail-wake", wake.isoformat()):
        enqueue("deliver-mail", eta=wake)


def forget_job_runs() -> None:
    """Periodic claims are only needed while a period can still run twice; keep a week for the record."""
    db.session.execute(delete(JobRun).where(JobRun.started_at < utcnow() - timedelta(days=7)))


def watch_outbox(context, stop: threading.Event) -> None:
    """Send mail soon after it is committed: look for due messages every MAIL_POLL_SECONDS.

    Runs in a thread of each job worker. Requests only INSERT into the outbox, so they never
    load or write the job queue; claims keep the senders on several machines apart, and a
    retry or a crashed worker's lease is picked up by the next look once it falls due.
    """
    while True:
        with context():
            interval = current_app.config["MAIL_POLL_SECONDS"]
            try:
                if any_due():
                    deliver_outbox(limit=current_app.config["MAIL_RUN_LIMIT"])
            except Exception:  # the database or the mail server is away: look again a little later
                db.session.rollback()
                log.exception("Could not send the waiting mail; trying again shortly")
                interval = max(interval, 10)
            finally:
                db.session.remove()
        if stop.wait(interval):
            return
