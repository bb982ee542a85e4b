"""Dates and times as each language writes them, from CLDR through Babel: "martes, 6 de mayo de 2025",
"2025年5月6日星期二", "11:45 ص". English keeps the UN's own style ("Tuesday 6 May 2025", 24-hour times),
where CLDR's "en" is American ("Tuesday, May 6, 2025", "11:45 AM").

Values are wall-clock times already in the event's zone (to_local): nothing here converts zones.
The zone's abbreviation ("EDT") is the tz database's, the same in every language.
"""
from babel import dates
from flask_babel import get_locale

UN_ENGLISH = {"full": "EEEE d MMMM y", "long": "d MMMM y", "short-day": "EEE d MMM", "time": "HH:mm"}


def _locale(locale=None) -> str:
    return str(locale or get_locale() or "en").replace("-", "_")


def _pattern(name: str, cldr_name: str, locale: str) -> str:
    return UN_ENGLISH[name] if locale.split("_")[0] == "en" else cldr_name


def day_text(value, *, weekday: bool = True, locale=None) -> str:
    """"Tuesday 6 May 2025" (or without the weekday, "6 May 2025") in the language."""
    code = _locale(locale)
    return dates.format_date(value, _pattern("full" if weekday else "long", "full" if weekday else "long", code),
                             locale=code)


def short_day(value, locale=None) -> str:
    """"Tue 6 May", "mar. 6 mai", "5月6日周二": a day in a list of a forum's days."""
    code = _locale(locale)
    if code.split("_")[0] == "en":
        return dates.format_date(value, UN_ENGLISH["short-day"], locale=code)
    return dates.format_skeleton("MMMEd", value, locale=code)


def clock(value, locale=None) -> str:
    """"11:45" (or "11:45 ص" in Arabic): a wall-clock time, without its zone."""
    code = _locale(locale)
    return dates.format_time(value, _pattern("time", "short", code), locale=code)


def time_range(start, end, locale=None) -> str:
    """"11:45–13:00 EDT": the two times in the language, then the zone's abbreviation."""
    zone = end.strftime("%Z") if getattr(end, "tzinfo", None) else ""
    return f"{clock(start, locale)}–{clock(end, locale)}{' ' + zone if zone else ''}"


def _joined(day: str, times: str, code: str) -> str:
    """A day and a time joined as the language joins them ("6 May 2025, 11:45", "2025年5月6日 11:45")."""
    from babel import Locale
    joined = "{1}, {0}" if code.split("_")[0] == "en" else str(Locale.parse(code).datetime_formats["medium"])
    return joined.replace("{1}", day).replace("{0}", times)


def day_and_time(value, locale=None) -> str:
    """"6 May 2025, 11:45 EDT": a moment (a deadline, a log entry) in the language."""
    code = _locale(locale)
    zone = value.strftime("%Z") if value.tzinfo else ""
    return _joined(day_text(value, weekday=False, locale=code), clock(value, code) + (f" {zone}" if zone else ""), code)


def day_and_times(start, end, locale=None) -> str:
    """"Tuesday 6 May 2025, 11:45–13:00 EDT": when an event or an item takes place, in the language."""
    code = _locale(locale)
    return _joined(day_text(start, locale=code), time_range(start, end, code), code)
