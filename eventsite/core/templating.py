"""Jinja filters that show times in the event's zone and in the reader's language."""
from flask import current_app
from flask_babel import get_locale

from markupsafe import Markup

from flask_babel import gettext as _

from .dates import clock, day_and_time, day_text, short_day, time_range
from .languages import arrow, bdi, html_lang, is_rtl, isolate
from .sanitise import clean_html
from .sdgs import sdg_title
from .regions import REGION_LABELS
from .time import to_local


def event_day(event) -> str:
    """"Tuesday 6 May 2025" in the reader's language, in the event's timezone."""
    return day_text(event.local_start)


def _last_day(event):
    return getattr(event, "local_last_day", event.local_end.date())


def event_times(event) -> str:
    """"11:45–13:00 EDT": wall-clock times in the event's timezone with its abbreviation; "All day" for a
    forum day; with the days for an event that runs over several ("19:00 Thu 6 May – 01:00 Fri 7 May EDT")."""
    if getattr(event, "all_day", False):
        return _("All day")
    start, end = event.local_start, event.local_end
    if end.date() != start.date():
        return f"{clock(start)} {short_day(start)} – {clock(end)} {short_day(end)} {end:%Z}"
    return time_range(start, end)


def event_when(event) -> str:
    """When an event takes place, in full, for its page: its day and times, its days, or "all day"."""
    start = event.local_start
    if getattr(event, "all_day", False):
        if _last_day(event) != start.date():
            return _("%(first)s – %(last)s, all day", first=day_text(start), last=day_text(_last_day(event)))
        return _("%(day)s, all day", day=day_text(start))
    end = event.local_end
    if end.date() != start.date():
        return f"{day_text(start)}, {clock(start)} – {day_text(end)}, {clock(end)} {end:%Z}"
    return f"{day_text(start)}, {time_range(start, end)}"


def format_day(value) -> str:
    """A calendar day as "Tuesday 6 May 2025" in the reader's language."""
    return day_text(value)


def forum_dates(forum) -> str:
    """A forum's days as the reader's language writes a range: "May 6 – 7, 2025", "6–7 mai 2025"."""
    from babel.dates import format_interval
    return format_interval(forum.starts_on, forum.ends_on, "yMMMMd", locale=get_locale() or "en")


def local_datetime(value, tz_name="UTC") -> str:
    if value is None:
        return ""
    return day_and_time(to_local(value, tz_name))


def local_day(value, tz_name="UTC") -> str:
    """The day of a stored instant in tz_name, as "Thursday 18 March 2027"."""
    return day_text(to_local(value, tz_name))


def groupby_forum(events) -> list:
    """Events as (forum, its events) in the order they come, for a series' page."""
    groups: dict = {}
    for event in events:
        groups.setdefault(event.forum_id, (event.forum, []))[1].append(event)
    return list(groups.values())


def rich(value: str) -> Markup:
    """Stored rich text, sanitised again on the way out in case a rule changed since it was saved."""
    return Markup(clean_html(value or ""))


def register_template_helpers(app):
    app.add_template_filter(event_day)
    app.add_template_filter(event_times)
    app.add_template_filter(event_when)
    app.add_template_filter(local_day)
    app.add_template_filter(groupby_forum)
    app.add_template_filter(local_datetime)
    app.add_template_filter(format_day)
    app.add_template_filter(forum_dates)
    app.add_template_filter(clock)
    app.add_template_filter(rich)
    app.add_template_filter(bdi)
    app.add_template_filter(isolate)
    app.add_template_global(arrow)
    app.add_template_global(sdg_title)
    app.add_template_global(REGION_LABELS, "region_labels")

    @app.context_processor
    def inject_site():
        locale = str(get_locale() or "en")
        return {"languages": current_app.config["LANGUAGES"], "current_lang": locale, "html_lang": html_lang(locale),
                "text_direction": "rtl" if is_rtl() else "ltr", "html_lang_of": html_lang}
