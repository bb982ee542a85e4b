"""Name badges for an event's confirmed participants: A4 label sheets or single cards, as PDF.

Each badge has the person's name, organisation, country and category, and a QR code of their
check-in code, the same code the check-in page accepts. A sheet is A4 with 2 × 5 labels of
85 × 54 mm (credit-card size) without gaps, 20 mm side and 13.5 mm top and bottom margins; a card is
one 85 × 54 mm page per badge, for card printers. Every line is laid out in its own script and
direction, so an Arabic name reads right to left.
"""
import io
import json

from flask_babel import gettext as _

from ..core.labels import country_names
from ..core.pdf import run_typst, script_language, text_direction
from .labels import CATEGORY_LABELS

SHEET, CARD = "sheet", "card"
PER_SHEET = 10


def _field(text: str) -> dict:
    text = text or ""
    return {"text": text, "dir": text_direction(text), "lang": script_language([text])}


def qr_svg(code: str) -> str:
    """The check-in code as a QR code in SVG, for Typst to embed."""
    import segno  # on first use: web workers stay lean
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", border=2, xmldecl=False, svgns=True)
    return buffer.getvalue().decode()


def badge(registration, event_title: str, countries: dict) -> dict:
    name = _field(registration.name)
    return {"name": name, "dir": name["dir"], "event": _field(event_title),
            "organisation": _field(registration.organisation),
            "country": _field(countries.get(registration.country, "") if registration.country else ""),
            "category": _field(str(CATEGORY_LABELS[registration.category]) if registration.category else ""),
            "qr": qr_svg(registration.checkin_code)}


def badges_pdf(event, registrations, *, layout: str = SHEET) -> bytes:
    """The PDF of these registrations' badges, in the order given."""
    countries = country_names()
    document = {"layout": "badges", "title": _("Name badges: %(title)s", title=event.title),
                "sheet": layout == SHEET, "badges": [badge(r, event.title, countries) for r in registrations]}
    return run_typst(json.dumps(document))


def confirmed_of(event) -> list:
    """The event's confirmed registrations with a name (anonymised ones have none), by name."""
    from sqlalchemy import select

    from ..extensions import db
    from .models import Registration, RegistrationStatus
    found = db.session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                          Registration.status == RegistrationStatus.CONFIRMED))
    return sorted((r for r in found if r.name), key=lambda r: (r.name.casefold(), r.id))
