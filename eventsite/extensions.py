"""Flask extensions, created unbound and initialised by the app factory."""
import functools
import time

from flask import request
from flask.cli import AppGroup
from flask_babel import Babel, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy import MetaData, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool

# Named constraints make migrations reviewable and let errors name what failed.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the views that need them; storage comes from RATELIMIT_STORAGE_URI
# (memory:// by default: one process only; several workers must share Redis).
limiter = Limiter(key_func=get_remote_address)


class SweepingMemoryStorage(MemoryStorage):
    """memory:// that drops expired counters every SWEEP_SECONDS, inside a request.

    The library's own starts a timer thread after almost every limited request, and that
    thread walks every key (one per e-mail address seen in the last hour) and keeps the
    emptied ones. Expired entries never count anyway (each check compares their times): the
    sweep only frees memory, so doing it every few seconds changes no limit."""

    STORAGE_SCHEME = ["memory"]  # replaces the library's class for memory:// URIs
    SWEEP_SECONDS = 10.0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._next_sweep = time.monotonic() + self.SWEEP_SECONDS

    def _MemoryStorage__schedule_expiry(self) -> None:  # the base class's private hook, called on every hit
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_SECONDS
            self._sweep()

    def _sweep(self) -> None:
        now = time.time()
        for key in list(self.events):
            with self.locks[key]:
                live = [entry for entry in self.events.get(key, ()) if entry.expiry > now]
                if live:
                    self.events[key] = live
                else:
                    self.events.pop(key, None)
                    self.locks.pop(key, None)
        for key, expiry in list(self.expirations.items()):
            if expiry <= now:
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)


# A connection back from the pool is checked with a round trip to the database only when it sat
# idle for this long: one used a moment ago answered then, and under traffic every connection is
# busy, so SQLAlchemy's pool_pre_ping (a ping before every checkout: a round trip on every
# request) buys nothing there. A database restart takes longer than this, and the first error on
# a dead connection invalidates the whole pool, so the site still recovers on the first request.
PING_AFTER_IDLE_SECONDS = 1.0


@event.listens_for(Pool, "checkin")
def _note_idle_since(dbapi_connection, connection_record):
    connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection, connection_record, connection_proxy):
    """A connection fresh from connect() or just used goes out as it is; one idle a while is pinged."""
    idle_since = connection_record.info.pop("idle_since", None)
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    dialect = connection_proxy._pool._dialect
    if not dialect._do_ping_w_event(dbapi_connection):  # the pool retries with a new connection
        raise exc.InvalidatePoolError()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, let readers and a writer work side by side, wait on locks."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CommandGroup(AppGroup):
    """The app's `flask` commands; `flask db` imports Flask-Migrate and Alembic only when it is asked for."""

    def get_command(self, ctx, name):
        if name == "db" and name not in self.commands:
            from flask_migrate.cli import db as migration_commands
            self.add_command(migration_commands)
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), "db"})


class LazyMigrations:
    """Stands in app.extensions["migrate"] until a migration runs: web workers never load Alembic (~12 MiB)."""

    def __init__(self, app, database, **options):
        self._app, self._database, self._options = app, database, options

    def __getattr__(self, name):
        from flask_migrate import Migrate
        Migrate(self._app, self._database, **self._options)  # replaces this stand-in with the real config
        return getattr(self._app.extensions["migrate"], name)


@functools.lru_cache(maxsize=32)
def _wtforms_catalogue(locale: str):
    from babel.support import Translations
    from wtforms.i18n import messages_path
    return Translations.load(messages_path(), [locale], domain="wtforms")


class _FormTranslations:
    """WTForms' own messages in the request's language; each catalogue is read from disk once per process."""

    def ugettext(self, string):
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular, plural, n):
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


FORM_TRANSLATIONS = _FormTranslations()


def cache_form_translations(app):
    """Flask-WTF would load the catalogue from disk for every request with a form (~0.7 ms a POST)."""
    @app.before_request
    def _share_form_translations():
        request.wtforms_translations = FORM_TRANSLATIONS  # the attribute Flask-WTF looks for first
