"""Names put in order, and text folded for search, the same way in every script.

Order follows the Unicode Collation Algorithm (pyuca's table of the default Unicode order): accents
count after letters ("Égypte" among the E's in French, "Ёлка" beside "Елка" in Russian), Arabic
follows the Arabic alphabet, Cyrillic the Cyrillic one, and Chinese characters come in radical-stroke
order (the Unicode order; pinyin order would need ICU, which has no wheel to install by pip). PyICU
would add each language's own rules, but builds only against a system ICU; the default order is
right for the six languages' country, people and organisation names. The table costs about 11 MiB,
so it is loaded on the first sort, never at import: pages that sort nothing never pay for it.
"""
import re
import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"


@lru_cache(maxsize=1)
def _collator():
    from pyuca import Collator
    return Collator()


@lru_cache(maxsize=4096)
def sort_key(text: str | None) -> tuple:
    """The key that puts names in the Unicode order; ties (same letters, other case or accents) fall back
    to the text itself, so the order never depends on the database."""
    text = unicodedata.normalize("NFC", text or "")
    return (_collator().sort_key(text.replace(TATWEEL, "")), text)


def in_order(items, key=lambda item: item):
    """Items sorted by the names key() gives (a string, or a tuple of strings compared one after the other)."""
    def collated(item):
        value = key(item)
        return tuple(sort_key(v) for v in value) if isinstance(value, tuple) else sort_key(value)
    return sorted(items, key=collated)


def search_fold(text: str | None) -> str:
    """Text as search compares it: lower case, accents and Arabic vowel marks, hamza seats and tatweel
    dropped, ё read as е, so "egypte" finds "Égypte", "مصر" finds "مِصْر" and "елка" finds "ёлка"."""
    text = unicodedata.normalize("NFKD", text or "").replace(TATWEEL, "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).casefold()).strip()


def matching(items, text: str, *fields: str, words: int = 5) -> list:
    """The items whose fields contain every word typed, compared folded (case, accents, Arabic vowel marks
    and tatweel, ё/е), which neither SQLite's LIKE nor PostgreSQL's ILIKE does: for lists small enough to
    compare here, such as an event's registrations."""
    wanted = search_fold(text).split()[:words]
    if not wanted:
        return list(items)
    return [item for item in items
            if all(word in search_fold(" ".join(getattr(item, f) or "" for f in fields)) for word in wanted)]
