"""Babel's CLDR data, kept to what the site formats.

Babel loads a language's whole CLDR record the first time it is used, about 1.3 MiB in memory per
language, and keeps it for the life of the process (`babel.localedata.load` documents that it returns
the same cached dictionary every time). Eventsite formats dates, times, intervals, durations and
numbers, names countries, and picks plural forms; most of the record (currencies, measurement units,
compact numbers, names of scripts) is never read. Dropping those parts once per language in each
process keeps the six languages within a few MiB of English alone (`bench/catalogue_memory.py`).
"""
from babel import localedata

# Sections of a CLDR record that no Babel function the site calls reads. A new use of Babel that needs
# one of them (format_currency, format_unit, format_compact_decimal...) must take it off this list:
# tests/core/test_locale_data.py calls every formatting function the site uses in every language.
UNUSED = ("unit_display_names", "compound_unit_patterns", "currency_names", "currency_names_plural",
          "currency_symbols", "currency_formats", "currency_unit_patterns", "compact_currency_formats",
          "compact_decimal_formats", "scripts", "variants", "measurement_systems", "character_labels")
# format_timedelta reads the duration patterns, the only measurement units the site writes.
KEPT_UNITS = "duration-"

_trimmed: set[str] = set()


def trim(code: str) -> None:
    """Drop the unused sections of the language's CLDR record, and of the records it inherits from."""
    if code in _trimmed:
        return
    parts = code.split("_")
    for name in ["_".join(parts[:end]) for end in range(len(parts), 0, -1)] + ["root"]:
        if not localedata.exists(name):
            continue
        data = localedata.load(name)
        for section in UNUSED:
            data.pop(section, None)
        units = data.get("unit_patterns")
        if units:
            for unit in [unit for unit in units if not unit.startswith(KEPT_UNITS)]:
                del units[unit]
    _trimmed.add(code)
