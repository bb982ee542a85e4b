"""Names every domain shows, kept apart from any domain's forms so that none imports another's."""
import json
from functools import lru_cache
from pathlib import Path

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


# The collated order of the country list in each site language, shipped so that a web worker showing
# the registration form does not load the 11 MiB collation table; tests check it against in_order().
COUNTRY_ORDER = Path(__file__).with_name("country_order.json")


def _country_names(locale_name: str) -> dict:
    locale = Locale.parse(locale_name)
    return {code: name for code, name in locale.territories.items() if len(code) == 2 and code.isalpha()
            and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}}


def collated_country_codes(locale_name: str) -> list[str]:
    """Country codes in the order of their names in this language (the Unicode Collation Algorithm)."""
    return [code for code, _name in in_order(_country_names(locale_name).items(), key=lambda item: item[1])]


@lru_cache(maxsize=1)
def _shipped_order() -> dict:
    return json.loads(COUNTRY_ORDER.read_text(encoding="utf-8")) if COUNTRY_ORDER.exists() else {}


@lru_cache(maxsize=16)
def _countries_in(locale_name: str) -> tuple:
    names = _country_names(locale_name)
    order = _shipped_order().get(locale_name)
    if order is None or set(order) != set(names):  # another language, or Babel's list changed
        order = collated_country_codes(locale_name)
    return (("", "—"),) + tuple((code, names[code]) for code in order)


def write_country_order(languages) -> None:
    """Regenerate country_order.json: `python -m eventsite.core.labels` after a Babel upgrade."""
    order = {code: collated_country_codes(code) for code in languages}
    lines = [f"{json.dumps(code)}: {json.dumps(codes)}" for code, codes in sorted(order.items())]
    COUNTRY_ORDER.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


if __name__ == "__main__":
    from .languages import LANGUAGES
    write_country_order(LANGUAGES)
