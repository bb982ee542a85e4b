"""Babel's data is trimmed to what the site formats, and everything the site formats still works in every
language once it is."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from babel import Locale, localedata
from babel.dates import format_interval
from flask_babel import format_timedelta

from eventsite.core import dates, labels
from eventsite.core.languages import LANGUAGES, is_rtl, speaking
from eventsite.core.locale_data import UNUSED


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_kind_of_date_time_and_name_the_site_writes_works_in_each_language_once_trimmed(app, code):
    with app.test_request_context(), speaking(code):
        data = localedata.load(code)
        assert not set(UNUSED) & set(data) and all(k.startswith("duration-") for k in data["unit_patterns"])
        day, moment = date(2025, 5, 6), datetime(2025, 5, 6, 11, 45, tzinfo=timezone.utc)
        written = [dates.day_text(day), dates.day_text(day, weekday=False), dates.short_day(day),
                   dates.clock(time(13, 0)), dates.time_range(time(11, 45), time(13, 0)),
                   dates.day_and_time(moment), dates.day_and_times(moment, moment + timedelta(hours=1)),
                   format_interval(day, date(2025, 5, 7), "yMMMMd", locale=code),
                   format_timedelta(timedelta(seconds=90), granularity="second", threshold=1.5),
                   format_timedelta(timedelta(hours=3), add_direction=True),
                   labels.country_names()["EG"], str(Locale.parse(code).datetime_formats["medium"]),
                   str(Locale.parse(code).plural_form(3)), str(is_rtl(code)), moment.isoformat()]
        assert all(written), written
