"""The site's languages: which are offered, how HTML names them, which way they run, and which one a
person is written to in.

Locale codes are Babel's (``zh_Hans``, the catalogue directory's name); HTML and e-mail headers get
the BCP 47 tag (``zh-Hans``).
"""
import hashlib
import os
from contextlib import contextmanager
from functools import lru_cache, wraps
from pathlib import Path

from babel import Locale
from flask import current_app, g
from flask_babel import force_locale, get_locale, refresh
from markupsafe import Markup, escape

from .locale_data import trim

# The six official languages of the United Nations, each named in itself, in the UN's order.
LANGUAGES = {"ar": "العربية", "zh_Hans": "中文", "en": "English", "fr": "Français", "ru": "Русский",
             "es": "Español"}

CATALOGUES = Path(__file__).resolve().parents[1] / "translations"

FIRST_STRONG_ISOLATE, POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def offered() -> dict:
    return current_app.config["LANGUAGES"]


def supported(code: str | None) -> str | None:
    """The site's code for a language it offers, given as a code or a BCP 47 tag (zh_Hans, zh-Hans), else None
    (so callers can fall through to the next choice)."""
    if not code:
        return None
    code = str(code).replace("-", "_")
    return code if code in offered() else None


def language_for(*choices: str | None) -> str:
    """The first of choices the site offers, else the site's default: the language to write to someone in."""
    for code in choices:
        if supported(code):
            return trimmed(supported(code))
    return trimmed(current_app.config["BABEL_DEFAULT_LOCALE"])


def trimmed(code: str) -> str:
    """The code, once Babel's data for it holds only what the site formats (see locale_data)."""
    trim(code)
    return code


def operator_language() -> str:
    """The language of whoever runs a command: the shell's (LC_ALL, LC_MESSAGES or LANG, e.g. fr_FR.UTF-8),
    when the site offers it, else the site's default."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").split(".")[0].split("@")[0]
        if value:
            language, _, region = value.partition("_")
            chinese = "zh_Hans" if language == "zh" and region not in ("TW", "HK", "MO", "Hant") else None
            return language_for(value, chinese, language)
    return language_for(None)


def in_operator_language(command):
    """A command's output in the language of whoever runs it (e-mails it queues keep their recipients')."""
    @wraps(command)
    def run(*args, **kwargs):
        with speaking(operator_language()):
            return command(*args, **kwargs)
    return run


def page_of_person(code: str | None) -> None:
    """This page belongs to one person (their registration, opened from the link they were mailed): it is in
    the language they registered in, unless the reader picked another in the switcher or with ?lang=."""
    if supported(code):
        g.person_language = supported(code)
        refresh()  # the language may have been looked up already, while the request was read


@contextmanager
def speaking(*choices: str | None):
    """Render what follows (an e-mail, a calendar) in the first of choices the site offers."""
    with force_locale(language_for(*choices)):
        yield


@lru_cache(maxsize=None)
def catalogue_mark(code) -> str:
    """A digest of the language's compiled catalogue, for ETags: when a release ships new translations,
    pages and feeds that read differently get new ETags although no row changed."""
    compiled = CATALOGUES / str(code) / "LC_MESSAGES" / "messages.mo"
    return hashlib.sha256(compiled.read_bytes()).hexdigest()[:12] if compiled.exists() else "source"


def html_lang(code) -> str:
    """The BCP 47 tag for an HTML lang attribute or a Content-Language header: zh_Hans -> zh-Hans."""
    return str(code).replace("_", "-")


def is_rtl(code=None) -> bool:
    """True when the language (the current one by default) is written right to left."""
    locale = get_locale() if code is None else Locale.parse(code)
    return bool(locale) and locale.character_order == "right-to-left"


def arrow() -> str:
    """"→" in a left-to-right language, "←" in a right-to-left one: from what was to what is."""
    return "←" if is_rtl() else "→"


def bdi(value) -> Markup:
    """A value set inside a sentence (a name, a number, a time, a code, an address) isolated from the
    text around it, so a Latin name keeps its place in an Arabic sentence and an Arabic one in English."""
    return Markup("<bdi>%s</bdi>") % escape(value)


def isolate(value) -> str:
    """bdi() for plain text (e-mails): Unicode isolates around the value, in a right-to-left language only,
    where a Latin value's trailing digits or punctuation would otherwise join the Arabic around it."""
    text = "" if value is None else str(value)
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}" if text and is_rtl() else text
