"""Services for everyone: interpretation, live captioning (CART), sign language and wheelchair access.

What an event offers is shown in every list and page and filters the programme, the search and the
API alike; registrants ask for them on the registration form (registrations/reports.py counts them).
"""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from .models import LISTED_STATUSES, Event, Forum

# The order in which lists, filters and counts name them.
SERVICE_LABELS = {
    "interpretation": _l("Interpretation"),
    "captioning": _l("Live captioning (CART)"),
    "sign_language": _l("Sign language"),
    "wheelchair": _l("Wheelchair access"),
}
SERVICE_KEYS = tuple(SERVICE_LABELS)


def split_languages(text: str | None) -> list[str]:
    """"French, Spanish; Arabic" as ["French", "Spanish", "Arabic"]: organisers separate them every way."""
    return [part.strip() for part in re.split(r"[,;/،、]| and | et | y ", text or "") if part.strip()]


def service_condition(key: str):
    """The SQL condition of an event that offers the service."""
    return {
        "interpretation": Event.interpretation_languages != "",
        "captioning": Event.captioning.is_(True),
        "sign_language": Event.sign_language.is_(True),
        "wheelchair": Event.wheelchair_access.is_(True),
    }[key]


def interpretation_condition(language: str):
    """Events interpreted into language, whatever its case (names are compared as written: "French")."""
    return func.lower(Event.interpretation_languages).contains(language.strip().lower(), autoescape=True)


def interpretation_languages_of(forum: Forum | None = None) -> list[str]:
    """The interpretation languages listed events offer (in forum), for the filter's choices: one query
    of the distinct values, however many events."""
    query = (select(Event.interpretation_languages).distinct()
             .where(Event.status.in_(LISTED_STATUSES), Event.interpretation_languages != ""))
    if forum is not None:
        query = query.where(Event.forum_id == forum.id)
    seen: dict[str, str] = {}
    for text in db.session.scalars(query):
        for language in split_languages(text):
            seen.setdefault(language.casefold(), language)
    return sorted(seen.values(), key=str.casefold)


def offered(event: Event) -> list[tuple[str, str]]:
    """The services the event offers as (key, words to show), in the usual order."""
    shown = []
    if event.interpretation_languages:
        shown.append(("interpretation", str(_l("Interpretation into %(languages)s",
                                                languages=", ".join(split_languages(event.interpretation_languages))))))
    if event.captioning:
        shown.append(("captioning", str(SERVICE_LABELS["captioning"])))
    if event.sign_language:
        shown.append(("sign_language", str(_l("Sign language: %(languages)s", languages=event.sign_languages))
                      if event.sign_languages else str(SERVICE_LABELS["sign_language"])))
    if event.wheelchair_access:
        shown.append(("wheelchair", str(SERVICE_LABELS["wheelchair"])))
    return shown
