"""Registrations as lists, counts and files for organisers: CSV and Excel with one column per
question, and only the columns asked for, so personal data that is not needed stays out."""
from collections import Counter
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.collation import matching
from ..core.documents import csv_bytes, workbook_bytes
from ..core.regions import regional_group
from ..extensions import db
from .models import Category, Registration, RegistrationStatus

# Column key -> (heading in the reader's language, value of a registration); the personal ones are marked.
STANDARD_COLUMNS = {
    "name": (_l("Name"), lambda r, c: r.name, True),
    "email": (_l("E-mail"), lambda r, c: r.email or "", True),
    "organisation": (_l("Organisation"), lambda r, c: r.organisation, True),
    "position": (_l("Position"), lambda r, c: r.position, True),
    "category": (_l("Category"), lambda r, c: r.category.value if r.category else "", False),
    "country": (_l("Country"), lambda r, c: c.get(r.country, r.country or ""), False),
    "gender": (_l("Gender"), lambda r, c: r.gender or "", True),
    "interpretation_language": (_l("Interpretation into"), lambda r, c: r.interpretation_language, False),
    "captioning": (_l("Live captioning (CART)"), lambda r, c: "yes" if r.wants_captioning else "", False),
    "sign_language": (_l("Sign language"), lambda r, c: (r.sign_language_wanted or "yes") if r.wants_sign_language
                      else "", False),
    "accessibility_needs": (_l("Accessibility needs"), lambda r, c: r.accessibility_needs, True),
    "status": (_l("Status"), lambda r, c: r.status.value, False),
    "registered_at": (_l("Registered at (UTC)"), lambda r, c: r.created_at.strftime("%Y-%m-%d %H:%M"), False),
    "checked_in": (_l("Checked in"), lambda r, c: "yes" if r.checked_in_at else "", False),
    "consent_version": (_l("Consent version"), lambda r, c: r.consent_version or "", False),
}
DEFAULT_COLUMNS = ["name", "organisation", "category", "country", "status", "checked_in",
                   "interpretation_language", "captioning", "sign_language"]


@dataclass
class Filters:
    status: str = ""
    category: str = ""
    text: str = ""

    @classmethod
    def from_args(cls, args, statuses) -> "Filters":
        """The list's filters from the query string; an unknown status or category filters nothing."""
        status, category = args.get("status", "")[:20], args.get("category", "")[:30]
        return cls(status=status if status in statuses else "",
                   category=category if category in {c.value for c in Category} else "",
                   text=args.get("q", "")[:200])


def registrations_of(event, filters: Filters | None = None) -> list[Registration]:
    filters = filters or Filters()
    query = (select(Registration).where(Registration.event_id == event.id)
             .order_by(Registration.status, Registration.arrival, Registration.id))
    if filters.status:
        query = query.where(Registration.status == filters.status)
    if filters.category:
        query = query.where(Registration.category == filters.category)
    return matching(db.session.scalars(query), filters.text, "name", "email", "organisation")


def table(registrations, questions, columns: list[str], countries: dict) -> tuple[list[str], list[list]]:
    keys = [c for c in columns if c in STANDARD_COLUMNS]
    header = [str(STANDARD_COLUMNS[k][0]) for k in keys]
    asked = [q for q in questions if f"q{q.id}" in columns]
    header += [q.label for q in asked]
    rows = []
    for r in registrations:
        row = [STANDARD_COLUMNS[k][1](r, countries) for k in keys]
        for q in asked:
            value = r.answers.get(q.field_name, "")
            row.append("; ".join(value) if isinstance(value, list) else
                       ("yes" if value is True else countries.get(value, value) if q.kind.value == "country" else value))
        rows.append(row)
    return header, rows


def as_csv(header, rows) -> bytes:
    return csv_bytes(header, rows)


def as_xlsx(header, rows, title: str) -> bytes:
    return workbook_bytes([(title, header, [[v if isinstance(v, (int, float)) else str(v) for v in row]
                                            for row in rows])])


@dataclass
class Counts:
    by_status: Counter = field(default_factory=Counter)
    category: Counter = field(default_factory=Counter)
    country: Counter = field(default_factory=Counter)
    region: Counter = field(default_factory=Counter)
    gender: Counter = field(default_factory=Counter)
    checked_in: int = 0
    # Services asked for by the confirmed: ("interpretation", "French"), ("captioning", ""),
    # ("sign_language", "ASL" or ""), ("access_needs", "") for other needs written in.
    services: Counter = field(default_factory=Counter)

    def services_rows(self) -> list[tuple[str, str, int]]:
        """(service key, detail, count), in the usual order of services, then by count."""
        order = {key: n for n, key in enumerate(("interpretation", "captioning", "sign_language", "access_needs"))}
        return sorted(((key, detail, n) for (key, detail), n in self.services.items()),
                      key=lambda row: (order[row[0]], -row[2], row[1]))


def counts(event) -> Counts:
    """Live counts and the make-up of the confirmed participants, from one query."""
    result = Counts()
    rows = db.session.execute(select(Registration.status, Registration.category, Registration.country,
                                     Registration.gender, Registration.checked_in_at,
                                     Registration.interpretation_language, Registration.wants_captioning,
                                     Registration.wants_sign_language, Registration.sign_language_wanted,
                                     Registration.accessibility_needs != "")
                              .where(Registration.event_id == event.id))
    for (status, category, country, gender, checked_in_at, interpretation, captioning, sign_language,
         which_sign_language, other_needs) in rows:
        result.by_status[status.value] += 1
        if status != RegistrationStatus.CONFIRMED:
            continue
        result.category[category.value if category else "unknown"] += 1
        result.country[country or "unknown"] += 1
        result.region[regional_group(country) or "unknown"] += 1
        result.gender[gender or "unknown"] += 1
        result.checked_in += checked_in_at is not None
        if interpretation:
            result.services["interpretation", interpretation] += 1
        if captioning:
            result.services["captioning", ""] += 1
        if sign_language:
            result.services["sign_language", which_sign_language.strip()] += 1
        if other_needs:
            result.services["access_needs", ""] += 1
    return result
