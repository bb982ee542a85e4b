"""Background jobs: everything that is not the answer to a request runs in a job worker.

The runner is Huey. Its queue lives in SQLite beside the database in development, in the
site's own PostgreSQL in production (or in Redis, if JOBS_URL says so). Jobs are named
here and point at their function by dotted path, so web workers, which only enqueue,
never import what only the workers run.

To add a job or a periodic job, add one line to `eventsite/jobs/schedule.py`.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app


@dataclass(frozen=True)
class Periodic:
    name: str
    target: str
    schedule: dict = field(default_factory=dict)  # crontab fields: minute, hour, day, month, day_of_week


JOBS: dict[str, str] = {}
PERIODIC: dict[str, Periodic] = {}


def job(name: str, target: str) -> None:
    """Register a job that can be enqueued by name; target is "module:function"."""
    JOBS[name] = target


def periodic(name: str, target: str, **schedule) -> None:
    """Register work that runs once per period (crontab fields, UTC) however many workers run."""
    PERIODIC[name] = Periodic(name, target, schedule)


def enqueue(name: str, *args, eta: datetime | None = None) -> None:
    """Ask a worker to run the named job, now or at eta."""
    from .runner import runner
    runner(current_app).enqueue(name, args, eta)


from . import schedule  # noqa: E402,F401  (the registry is filled on import, like the models)
