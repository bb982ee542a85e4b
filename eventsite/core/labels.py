"""Names every domain shows, kept apart from any domain's forms so that none imports another's."""
from functools import lru_cache

from babel import Locale
from flask_babel import get_locale

from .collation import in_order


def country_choices():
    """ISO 3166 countries, named in the reader's language (from Babel's CLDR data) and in its alphabetical order."""
    return list(_countries_in(str(get_locale() or "en")))


def country_names() -> dict:
    """ISO code -> country name in the reader's language."""
    return _country_dict(str(get_locale() or "en"))


@lru_cache(maxsize=16)
def _country_dict(locale_name: str) -> dict:
    return dict(_countries_in(locale_name)[1:])


@lru_cache(maxsize=16)
def _countries_in(locale_name: str) -> tuple:
    locale = Locale.parse(locale_name)
    names = {code: name for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()
             and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}}
    return (("", "—"),) + tuple(in_order(names.items(), key=lambda item: item[1]))
