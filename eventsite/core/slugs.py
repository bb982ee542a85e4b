"""Addresses made from titles in any script: readable ASCII, so they survive e-mail, calendars and QR codes.

A title in Russian or Chinese is transliterated by Unidecode (maintained; Russian as in passports,
Chinese as pinyin syllables). Its Arabic is letter-by-letter without vowels and unreadable ("ldhk
lSTn`y"), so Arabic letters are romanised here first, the article as "al-". Unicode slugs would be
more readable to a reader of the script, but are percent-encoded ("%D8%A7...") wherever the address is
copied as text, which is most places an event's address goes.
"""
import re
import unicodedata

ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
    "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
    "ة": "a", "و": "w", "ؤ": "", "ي": "y", "ى": "a", "ئ": "", "ء": "", "پ": "p", "گ": "g", "چ": "ch",
    "ڤ": "v", "\u0640": "",
}
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _romanise_arabic(text: str) -> str:
    text = "".join(c for c in text if not ("\u064b" <= c <= "\u065f" or c == "\u0670"))  # vowel marks
    text = re.sub(r"(?<![\u0621-\u064a])[اٱ]ل(?=[\u0621-\u064a]{2})", "al-", text)  # the article
    return "".join(ARABIC.get(c, c) for c in text.translate(ARABIC_DIGITS))


def slugify(text: str, max_length: int = 80, fallback: str = "event") -> str:
    """A title as a lower-case ASCII address part: "Égypte et l'IA" -> "egypte-et-l-ia"."""
    from unidecode import unidecode
    ascii_text = unidecode(_romanise_arabic(unicodedata.normalize("NFC", text or "")))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback
