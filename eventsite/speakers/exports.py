"""The speaker list in official order, as Word and CSV."""
from flask_babel import get_locale
from flask_babel import gettext as _

from ..core.documents import csv_bytes, document_bytes, event_header_lines, new_document
from .labels import INVITATION_LABELS, ROLE_LABELS


def _names(a) -> tuple[str, str, str]:
    if a.is_concealed:
        return "", a.entered_given_name, a.entered_family_name
    return a.person.honorific, a.person.given_name, a.person.family_name


def _country(a, countries) -> str:
    country = None if a.is_concealed else a.person.country
    return countries.get(country, country or "")


def speaker_rows(assignments, *, with_status: bool, emails: dict, countries: dict):
    for number, a in enumerate(assignments, start=1):
        p = a.person
        position, organisation = ("", "") if a.is_concealed else (p.position, p.organisation)
        row = [number, str(ROLE_LABELS[a.role]), a.agenda_item.title if a.agenda_item else "", *_names(a),
               position, organisation, _country(a, countries)]
        if with_status:
            row += [str(INVITATION_LABELS[a.status]), emails.get(a.person_id, "")]
        yield row


def speaker_list_csv(assignments, *, with_status: bool, emails: dict, countries: dict) -> bytes:
    """The list as CSV; emails holds only the addresses the reader may see, by person id."""
    header = ["No.", _("Role"), _("Agenda item"), _("Honorific"), _("Given name"), _("Family name"), _("Position"),
              _("Organisation"), _("Country")]
    if with_status:
        header += [_("Status"), _("E-mail")]
    return csv_bytes(header, speaker_rows(assignments, with_status=with_status, emails=emails, countries=countries))


def speaker_list_docx(event, assignments, *, with_status: bool, emails: dict, countries: dict) -> bytes:
    document = new_document(f"{_('List of speakers')}: {event.title}", lang=str(get_locale() or "en"))  # the reader's
    document.add_heading(event.title, level=0)
    for line in event_header_lines(event):
        document.add_paragraph(line)
    document.add_heading(_("List of speakers"), level=1)
    current_role = None
    for a in assignments:
        if a.role != current_role:
            current_role = a.role
            document.add_heading(str(ROLE_LABELS[a.role]), level=2)
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(a.name).bold = True
        details = [a.affiliation, _country(a, countries)]
        if a.agenda_item:
            details.append(a.agenda_item.title)
        if with_status:
            details += [str(INVITATION_LABELS[a.status]), emails.get(a.person_id, "")]
        rest = ", ".join(d for d in details if d)
        if rest:
            paragraph.add_run(f" — {rest}")
    return document_bytes(document)
