"""The Huey instance behind eventsite.jobs, built from JOBS_URL the first time it is needed."""
import importlib
import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timezone

from flask import has_request_context
from sqlalchemy.engine import make_url


def _import_huey():
    """huey.storage imports psycopg whenever it is installed; a web worker of a SQLite site never
    uses it, and it costs 7 MiB of RSS. Hide it unless something already loaded it."""
    if "psycopg" in sys.modules or "huey.storage" in sys.modules:
        return
    sys.modules["psycopg"] = None  # makes `import psycopg` raise ImportError inside huey.storage
    try:
        import huey.storage  # noqa: F401
    finally:
        del sys.modules["psycopg"]


_import_huey()
from huey import Huey, crontab  # noqa: E402
from huey.storage import MemoryStorage, PostgresStorage, SqliteStorage  # noqa: E402

from . import JOBS, PERIODIC

log = logging.getLogger("eventsite.jobs")


def resolve(target: str):
    """Import "module:function" only when a job runs, so web workers never load job code."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


class _PostgresStorage(PostgresStorage):
    def initialize_schema(self):
        """Many processes start at once: one creates the queue tables while the others wait."""
        with self.db(commit=True, close=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7242012)")
            for statement in self.ddl:
                cursor.execute(statement)


def storage_for(config) -> tuple[type, dict]:
    """Which queue storage JOBS_URL names (default: the site's own database)."""
    url = config.get("JOBS_URL") or _default_jobs_url(config)
    if url == "immediate":
        return MemoryStorage, {}
    if url.startswith(("redis://", "rediss://", "unix://")):
        from huey.storage import RedisStorage
        return RedisStorage, {"url": url}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SqliteStorage, {"filename": parsed.database, "timeout": 10, "cache_mb": 1}
    if parsed.get_backend_name() == "postgresql":
        import huey.storage
        import psycopg
        huey.storage.psycopg = psycopg  # in case it was hidden from huey's first import
        return _PostgresStorage, {"dsn": parsed.set(drivername="postgresql").render_as_string(hide_password=False),
                                 "table_prefix": "eventsite_jobs"}
    raise ValueError(f"JOBS_URL {url!r}: use sqlite:///…, postgresql://…, redis://… or immediate")


def _default_jobs_url(config) -> str:
    database = make_url(config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "sqlite":
        # A file of its own beside the database, so queue writes never wait on the site's writer.
        path = database.database or ""
        return f"sqlite:///{path.rsplit('.', 1)[0] + '-jobs.sqlite' if path else 'eventsite-jobs.sqlite'}"
    return config["SQLALCHEMY_DATABASE_URI"]


class _Huey(Huey):
    def read_periodic(self, timestamp):
        """Each periodic run carries the minute it was due, so every worker names the period alike."""
        tasks = super().read_periodic(timestamp)
        minute = (timestamp or datetime.now(timezone.utc).replace(tzinfo=None)).replace(second=0, microsecond=0)
        for task in tasks:
            task.kwargs = {"period": minute.strftime("%Y-%m-%dT%H:%M")}
        return tasks


class Runner:
    """One Huey per app: a generic task that runs a registered job, and one task per periodic job."""

    def __init__(self, app):
        self.app = app
        storage_class, options = storage_for(app.config)
        immediate = storage_class is MemoryStorage
        self.huey = _Huey(app.import_name, results=False, utc=True, immediate=immediate,
                          storage_class=storage_class, **options)
        self._task = self.huey.task(name="eventsite_job")(self._run_job)
        for entry in PERIODIC.values():
            self.huey.periodic_task(crontab(**entry.schedule), name=f"periodic_{entry.name.replace('-', '_')}")(
                self._periodic_runner(entry))

    def enqueue(self, name: str, args: tuple = (), eta: datetime | None = None) -> None:
        if name not in JOBS:
            raise KeyError(f"No job named {name!r}; add it to eventsite/jobs/schedule.py")
        if eta is None:
            self._task(name, *args)
        else:
            self._task.schedule(args=(name, *args), eta=eta)

    @contextmanager
    def context(self):
        """A job's own app context (so its own session); links in e-mails are built from SERVER_NAME."""
        with self.app.app_context():
            if self.app.config.get("SERVER_NAME") or has_request_context():
                yield
            else:
                with self.app.test_request_context("/"):  # development without SERVER_NAME: localhost links
                    yield

    def _run_job(self, name, *args):
        with self.context():
            from ..extensions import db
            try:
                resolve(JOBS[name])(*args)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("Job %s failed", name)
                raise
            finally:
                db.session.remove()

    def _periodic_runner(self, entry):
        def run(period=None):
            with self.context():
                from .tasks import run_periodic
                run_periodic(entry, period or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M"))
        run.__name__ = f"periodic_{entry.name.replace('-', '_')}"
        return run

    def pending(self) -> int:
        """Jobs waiting in the queue (not counting ones scheduled for later)."""
        return self.huey.pending_count()

    def scheduled(self) -> int:
        return self.huey.scheduled_count()


def runner(app) -> Runner:
    """The app's runner, built on first use (web workers that never enqueue never open the queue)."""
    existing = app.extensions.get("eventsite.jobs")
    if existing is None:
        existing = app.extensions["eventsite.jobs"] = Runner(app)
    return existing
