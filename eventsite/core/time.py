"""Time is stored in UTC and shown in the event's timezone."""
from datetime import date, datetime, time, timezone
from functools import cache
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


@cache
def timezone_choices() -> tuple[str, ...]:
    return tuple(sorted(_timezones()))


@cache
def _by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in _timezones()}


def canonical_timezone(name: str | None) -> str | None:
    """The IANA zone a typed name means, whatever its case; None when there is none."""
    return _by_lower_name().get((name or "").strip().lower())
