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


# A spreadsheet reads a cell that starts with one of these as a formula (or, for tab and CR,
# as the start of one once pasted): "=HYPERLINK(...)" typed by a participant would run in the
# organiser's Excel. OWASP's advice: write such text behind an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def inert_cell(value):
    """What a participant typed, as text a spreadsheet shows and never evaluates."""
    return "'" + value if is_formula_like(value) else value


def csv_bytes(header: list[str], rows) -> bytes:
    """CSV with a byte-order mark, so Excel opens accented names correctly; no cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([inert_cell(value) for value in header])
    writer.writerows([inert_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text_safe_cell(cell, value) -> None:
    """Set a cell; strings are typed as strings, and formula-like ones keep Excel's quote prefix
    so that editing the cell later does not turn it into a formula either."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses to write
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True


def workbook_bytes(sheets: list[tuple[str, list[str], object]]) -> bytes:
    """An Excel workbook with one sheet per (title, header, rows): bold frozen header, filters on.

    Text is always a string cell: openpyxl would otherwise store "=..." as a live formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    workbook = Workbook()
    for number, (title, header, rows) in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        for number_of_row, row in enumerate([header, *rows], start=1):
            for column, value in enumerate(row, start=1):
                _text_safe_cell(sheet.cell(row=number_of_row, column=column), value)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, heading in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(heading)) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
