"""`flask jobs worker` runs a job worker; `flask jobs status` shows what waits."""
import logging
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from ..core.languages import in_operator_language

from . import PERIODIC


@click.group("jobs")
def jobs_group():
    """Background jobs: mail, reminders, purges, document conversions."""


@jobs_group.command("worker")
@click.option("--threads", type=click.IntRange(min=1), default=None,
              help="Jobs run at once in this process (default JOBS_WORKER_THREADS).")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also enqueue periodic jobs (safe on every worker: each period runs once).")
@click.option("--quiet", is_flag=True, help="Log only problems, not every job run.")
@with_appcontext
def worker_command(threads, periodic, quiet):
    """Run a job worker until stopped; start as many as you like, on as many machines."""
    from .runner import runner
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = current_app._get_current_object()
    if not app.config.get("SERVER_NAME"):
        click.echo("Warning: SERVER_NAME is not set; jobs that put links in e-mails will fail.", err=True)
    jobs = runner(app)
    huey = jobs.huey
    from .tasks import watch_outbox
    stop = threading.Event()
    threading.Thread(target=watch_outbox, args=(jobs.context, stop), name="mail-watcher", daemon=True).start()
    consumer = huey.create_consumer(workers=threads or app.config["JOBS_WORKER_THREADS"], worker_type="thread",
                                    periodic=periodic, initial_delay=0.1, backoff=1.15, max_delay=1.0)
    try:
        consumer.run()
    finally:
        stop.set()


@jobs_group.command("status")
@with_appcontext
@in_operator_language
def status_command():
    """Print the job backlog, the outbox counts and the last run of each periodic job."""
    from ..core.mail import outbox_counts
    from ..extensions import db
    from .models import JobRun
    from .runner import runner
    jobs = runner(current_app._get_current_object())
    click.echo(_("jobs: %(queued)d queued, %(scheduled)d scheduled", queued=jobs.pending(), scheduled=jobs.scheduled()))
    counts = outbox_counts()
    click.echo(_("mail: %(sent)d sent, %(waiting)d waiting, %(failed)d failed", **counts))
    for name in PERIODIC:
        run = db.session.scalar(db.select(JobRun).filter_by(job=name).order_by(JobRun.started_at.desc()).limit(1))
        state = _("never") if run is None else f"{run.period}: " + (
            _("failed") if run.error else _("ok") if run.finished_at else _("running"))
        click.echo(f"  {name:<22} {state}")
