"""Dates and times in messages are written the way the reader's (or recipient's) language writes them."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale

from eventsite.core.dates import clock, day_and_time, day_text, short_day, time_range
from eventsite.errors import Conflict
from eventsite.events.changes import _when
from tests.factories import make_event, make_forum

NEW_YORK = ZoneInfo("America/New_York")
START, END = datetime(2025, 5, 6, 11, 45, tzinfo=NEW_YORK), datetime(2025, 5, 6, 13, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize("locale, day, times", [
    ("en", "Tuesday 6 May 2025", "11:45–13:00 EDT"),
    ("fr", "mardi 6 mai 2025", "11:45–13:00 EDT"),
    ("es", "martes, 6 de mayo de 2025", "11:45–13:00 EDT"),
    ("ru", "вторник, 6 мая 2025\u202fг.", "11:45–13:00 EDT"),
    ("zh_Hans", "2025年5月6日星期二", "11:45–13:00 EDT"),
    ("ar", "الثلاثاء، 6 مايو 2025", "11:45 ص–1:00 م EDT"),
])
def test_each_language_writes_the_day_and_times_its_own_way(locale, day, times):
    assert day_text(START, locale=locale) == day
    assert time_range(START, END, locale=locale) == times


def test_moments_and_short_days_follow_the_language():
    assert day_and_time(START, locale="en") == "6 May 2025, 11:45 EDT"
    assert day_and_time(START, locale="zh_Hans") == "2025年5月6日 11:45 EDT"
    assert day_and_time(START, locale="ar") == "6 مايو 2025، 11:45 ص EDT"
    assert short_day(date(2025, 5, 6), locale="fr") == "mar. 6 mai"
    assert short_day(date(2025, 5, 6), locale="en") == "Tue 6 May"
    assert clock(time(9, 5), locale="es") == "9:05"


def _booked_twice(forum):
    make_event(forum, title="First")
    with pytest.raises(Conflict) as raised:
        make_event(forum, title="Second")
    return str(raised.value)


def test_the_room_conflict_message_writes_the_date_in_french_and_in_arabic(ctx):
    with force_locale("fr"):
        message = _booked_twice(make_forum())
    assert "6 mai 2025" in message and "11:45–13:00 EDT" in message and "May" not in message
    with force_locale("ar"):
        message = _booked_twice(make_forum())
    assert "6 مايو 2025" in message and "11:45 ص–1:00 م EDT" in message and "May" not in message


def test_a_change_notice_gives_the_old_time_in_the_recipients_language(ctx):
    values = {"starts_at": START.isoformat(), "ends_at": END.isoformat(), "timezone": "America/New_York"}
    with force_locale("fr"):
        assert _when(values) == "mardi 6 mai 2025, 11:45–13:00 EDT"
    with force_locale("ar"):
        assert _when(values) == "الثلاثاء، 6 مايو 2025، 11:45 ص–1:00 م EDT"
