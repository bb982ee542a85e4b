"""Configuration: safe defaults, environment overrides, no secrets in code."""
import os
import secrets
from pathlib import Path

from .core.languages import LANGUAGES

DEV_SECRET_FILE = "secret_key"


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _count(value: str | None, name: str) -> int:
    if not value:
        return 0
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (the count of proxies in front of the app).") from None
    if number < 0:
        raise ConfigError(f"{name} cannot be negative.")
    return number


def _instance_secret(instance_path: Path) -> str:
    """Read, or create once, the development secret kept in instance/ (never committed)."""
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / DEV_SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def build_config(instance_path: Path, environ=os.environ) -> dict:
    """Return the settings the environment asks for."""
    env = environ.get("EVENTSITE_ENV", "development")
    production = env == "production"
    secret = environ.get("SECRET_KEY")
    if production and (not secret or len(secret) < 32):
        raise ConfigError("EVENTSITE_ENV=production needs SECRET_KEY set to at least 32 random characters.")
    database_url = environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'eventsite.sqlite'}"
    return {
        "EVENTSITE_ENV": env,
        "SECRET_KEY": secret or _instance_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {},  # connections idle a while are pinged: see extensions.py
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "SERVER_NAME": environ.get("SERVER_NAME") or None,
        # How many reverse proxies stand in front of the app and set X-Forwarded-For/-Proto/-Host/-Port.
        # 0 (the default) trusts none of those headers, since anyone can send them.
        "TRUSTED_PROXIES": _count(environ.get("TRUSTED_PROXIES"), "TRUSTED_PROXIES"),
        # Strict-Transport-Security lifetime; sent in production only.
        "HSTS_MAX_AGE": int(environ.get("HSTS_MAX_AGE", 365 * 24 * 3600)),
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)),
        "WTF_CSRF_TIME_LIMIT": None,
        "PASSWORD_HASH_METHOD": environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "PASSWORD_RESET_MAX_AGE": int(environ.get("PASSWORD_RESET_MAX_AGE", 3600)),
        "EMAIL_VERIFICATION_MAX_AGE": int(environ.get("EMAIL_VERIFICATION_MAX_AGE", 3 * 24 * 3600)),
        # Rate limits (Flask-Limiter). memory:// counts inside one process; with several
        # gunicorn workers or hosts, point this at Redis (redis://localhost:6379/0).
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_SIGNIN": environ.get("RATELIMIT_SIGNIN", "10 per minute"),
        "RATELIMIT_SIGNUP": environ.get("RATELIMIT_SIGNUP", "30 per hour"),
        "RATELIMIT_MAIL_TO_ADDRESS": environ.get("RATELIMIT_MAIL_TO_ADDRESS", "3 per hour"),
        "RATELIMIT_RESET": environ.get("RATELIMIT_RESET", "5 per minute;30 per hour"),
        "RATELIMIT_SEND_LINK": environ.get("RATELIMIT_SEND_LINK", "5 per minute;30 per hour"),
        "RATELIMIT_TWO_FACTOR": environ.get("RATELIMIT_TWO_FACTOR", "5 per minute;30 per hour"),
        # Production calls only public https addresses, so a webhook cannot reach into the site's network.
        "WEBHOOK_ALLOW_PRIVATE": environ.get("WEBHOOK_ALLOW_PRIVATE", "false" if production else "true").lower()
        in ("1", "true", "yes"),
        "WEBHOOK_TIMEOUT": int(environ.get("WEBHOOK_TIMEOUT", "10")),
        "WEBHOOK_MAX_ATTEMPTS": int(environ.get("WEBHOOK_MAX_ATTEMPTS", "8")),
        "WEBHOOK_RETRY_SECONDS": int(environ.get("WEBHOOK_RETRY_SECONDS", "60")),
        "WEBHOOK_RETRY_MAX_SECONDS": int(environ.get("WEBHOOK_RETRY_MAX_SECONDS", "3600")),
        "RATELIMIT_API_TOKEN": environ.get("RATELIMIT_API_TOKEN", "120 per minute;3000 per hour"),
        # Mail: "smtp" sends through MAIL_HOST; "console" prints messages (development).
        "MAIL_BACKEND": environ.get("MAIL_BACKEND", "smtp" if production else "console"),
        "MAIL_HOST": environ.get("MAIL_HOST", "localhost"),
        "MAIL_PORT": int(environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS")),
        "MAIL_SENDER": environ.get("MAIL_SENDER", "Eventsite <no-reply@eventsite.local>"),
        # The right-hand side of every Message-ID (kept across retries, so receivers can drop a copy).
        "MAIL_MESSAGE_ID_DOMAIN": environ.get("MAIL_MESSAGE_ID_DOMAIN", "eventsite.local"),
        "MAIL_EHLO_NAME": environ.get("MAIL_EHLO_NAME") or None,
        "MAIL_TIMEOUT": float(environ.get("MAIL_TIMEOUT", 10)),
        # Retries back off from MAIL_RETRY_SECONDS, doubling up to MAIL_RETRY_MAX_SECONDS; after
        # MAIL_MAX_ATTEMPTS the message is marked failed and shown to staff.
        "MAIL_MAX_ATTEMPTS": int(environ.get("MAIL_MAX_ATTEMPTS", 12)),
        "MAIL_RETRY_SECONDS": float(environ.get("MAIL_RETRY_SECONDS", 60)),
        "MAIL_RETRY_MAX_SECONDS": float(environ.get("MAIL_RETRY_MAX_SECONDS", 3600)),
        # A worker's claim on a batch; a crashed worker's messages are sent by another after it.
        "MAIL_CLAIM_SECONDS": float(environ.get("MAIL_CLAIM_SECONDS", 300)),
        "MAIL_BATCH_SIZE": int(environ.get("MAIL_BATCH_SIZE", 10)),
        "MAIL_RUN_LIMIT": int(environ.get("MAIL_RUN_LIMIT", 500)),
        # How often each job worker looks for due mail (one indexed query); requests only INSERT.
        "MAIL_POLL_SECONDS": float(environ.get("MAIL_POLL_SECONDS", 1)),
        # Job queue: empty = the site's database (SQLite file beside it, or the same PostgreSQL);
        # redis://… for Redis; "immediate" runs jobs inside the caller (tests only).
        "JOBS_URL": environ.get("JOBS_URL") or None,
        "JOBS_WORKER_THREADS": int(environ.get("JOBS_WORKER_THREADS", 2)),
        # Periodic work: reminders before events and to rapporteurs after, and the retention purge.
        "REMINDER_HOURS": int(environ.get("REMINDER_HOURS", 24)),
        "RAPPORTEUR_REMINDER_DAYS": int(environ.get("RAPPORTEUR_REMINDER_DAYS", 2)),
        # Anonymise registrations this many days after their event ended; 0 keeps them (off).
        "PERSONAL_DATA_RETENTION_DAYS": int(environ.get("PERSONAL_DATA_RETENTION_DAYS", 0)),
        # Edits to a published event's time or place within this many minutes fold into one e-mail.
        "CHANGE_NOTICE_WINDOW_MINUTES": int(environ.get("CHANGE_NOTICE_WINDOW_MINUTES", 10)),
        # A registration without a proven address is deleted when its e-mailed link is not followed in time.
        "REGISTRATION_VERIFY_HOURS": int(environ.get("REGISTRATION_VERIFY_HOURS", 48)),
        # The right-hand side of every calendar UID; keep it fixed once feeds are subscribed.
        "CALENDAR_UID_DOMAIN": environ.get("CALENDAR_UID_DOMAIN", "eventsite"),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        # The languages offered; one without a catalogue yet shows its pages in English.
        "LANGUAGES": dict(LANGUAGES),
    }


def normalise_database_url(url: str) -> str:
    """Let operators write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
