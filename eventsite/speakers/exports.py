"""The speaker list in official order, as Word and CSV."""
from flask_babel import gettext as _

from ..core.documents import csv_bytes, document_bytes, event_header_lines, new_document
from .forms import INVITATION_LABELS, ROLE_LABELS


def speaker_rows(assignments, *, with_contact: bool, countries: dict):
    for number, a in enumerate(assignments, start=1):
        p = a.person
        row = [number, str(ROLE_LABELS[a.role]), a.agenda_item.title if a.agenda_item else "", p.honorific,
               p.given_name, p.family_name, p.position, p.organisation, countries.get(p.country, p.country or "")]
        if with_contact:
            row += [str(INVITATION_LABELS[a.status]), p.email or ""]
        yield row


def speaker_list_csv(assignments, *, with_contact: bool, countries: dict) -> bytes:
    header = ["No.", _("Role"), _("Agenda item"), _("Honorific"), _("Given name"), _("Family name"), _("Position"),
              _("Organisation"), _("Country")]
    if with_contact:
        header += [_("Status"), _("E-mail")]
    return csv_bytes(header, speaker_rows(assignments, with_contact=with_contact, countries=countries))


def speaker_list_docx(event, assignments, *, with_contact: bool, countries: dict) -> bytes:
    document = new_document(f"List of speakers: {event.title}")
    document.add_heading(event.title, level=0)
    for line in event_header_lines(event):
        document.add_paragraph(line)
    document.add_heading(_("List of speakers"), level=1)
    current_role = None
    for a in assignments:
        if a.role != current_role:
            current_role = a.role
            document.add_heading(str(ROLE_LABELS[a.role]), level=2)
        p = a.person
        paragraph = document.add_paragraph(style="List Number")
        paragraph.add_run(p.full_name).bold = True
        details = [p.affiliation, countries.get(p.country, p.country or "")]
        if a.agenda_item:
            details.append(a.agenda_item.title)
        if with_contact:
            details += [str(INVITATION_LABELS[a.status]), p.email or ""]
        rest = ", ".join(d for d in details if d)
        if rest:
            paragraph.add_run(f" — {rest}")
    return document_bytes(document)
