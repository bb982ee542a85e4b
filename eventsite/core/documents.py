"""Word documents and CSV files every domain exports, built the same way."""
import csv
import io

import docx
from docx.shared import Pt


def new_document(title: str):
    document = docx.Document()
    document.core_properties.title = title
    document.styles["Normal"].font.size = Pt(11)
    return document


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def event_header_lines(event) -> list[str]:
    """Subtitle; "Tuesday 6 May 2025, 11:45–13:00 EDT, Conference Room 6, …"; organisers."""
    lines = []
    if event.subtitle:
        lines.append(event.subtitle)
    lines.append(f"{event.local_start:%A %-d %B %Y}, {event.local_start:%H:%M}–{event.local_end:%H:%M %Z}"
                 + (f", {event.place}" if event.place else ""))
    if event.organisers:
        lines.append("Organized by: " + "; ".join(o.organisation.name for o in event.organisers))
    return lines


def csv_bytes(header: list[str], rows) -> bytes:
    """CSV with a byte-order mark, so Excel opens accented names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
