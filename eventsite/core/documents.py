"""Word documents, workbooks and CSV files every domain exports, built the same way.

python-docx and openpyxl are imported on first use: most requests never export, and a
web worker that does not load them stays some 15 MiB lighter.
"""
import csv
import io


def new_document(title: str):
    import docx
    from docx.shared import Pt
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


def workbook_bytes(sheets: list[tuple[str, list[str], object]]) -> bytes:
    """An Excel workbook with one sheet per (title, header, rows): bold frozen header, filters on."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    workbook = Workbook()
    for number, (title, header, rows) in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, heading in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(heading)) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
