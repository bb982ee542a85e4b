"""Time is stored in UTC and shown in the event's timezone."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo, available_timezones

UTC = timezone.utc


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime read back from SQLite as the UTC it was stored in."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_to_utc(day: date, clock: time, tz_name: str) -> datetime:
    """Combine a wall-clock date and time in tz_name into a UTC instant."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def to_local(value: datetime, tz_name: str) -> datetime:
    """Express a stored instant in tz_name."""
    return as_utc(value).astimezone(ZoneInfo(tz_name))


def is_valid_timezone(name: str) -> bool:
    return name in _timezones()


_TIMEZONES: frozenset[str] | None = None


def _timezones() -> frozenset[str]:
    global _TIMEZONES
    if _TIMEZONES is None:
        _TIMEZONES = frozenset(available_timezones())
    return _TIMEZONES


def timezone_choices() -> list[str]:
    return sorted(_timezones())
