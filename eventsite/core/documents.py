"""Word documents, workbooks and CSV files every domain exports, built the same way.

python-docx and openpyxl are imported on first use: most requests never export, and a
web worker that does not load them stays some 15 MiB lighter.
"""
import csv
import io


# Word's language tags for the six languages; Arabic also names its complex-script ("bidi") language.
WORD_LANGUAGES = {"ar": "ar-SA", "zh_Hans": "zh-CN", "zh": "zh-CN", "en": "en-GB", "fr": "fr-FR", "ru": "ru-RU",
                  "es": "es-ES"}


def new_document(title: str, *, lang: str | None = None):
    """A Word document titled title, in lang: proofing language set, and for Arabic right-to-left
    paragraphs, runs and tables throughout (the defaults every style inherits)."""
    import docx
    from docx.shared import Pt
    document = docx.Document()
    document.core_properties.title = title
    document.styles["Normal"].font.size = Pt(11)
    if lang:
        set_language(document, lang)
    return document


def set_language(document, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    tag = WORD_LANGUAGES.get(lang, WORD_LANGUAGES.get(lang.split("_")[0], "en-GB"))
    document.core_properties.language = tag
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)
    language.set(qn("w:eastAsia"), "zh-CN" if tag == "zh-CN" else language.get(qn("w:eastAsia")) or "zh-CN")
    language.set(qn("w:bidi"), "ar-SA")
    if tag != "ar-SA":
        return
    language.addprevious(OxmlElement("w:rtl"))  # the schema's order: rtl just before lang
    paragraph_defaults = defaults.find(qn("w:pPrDefault"))
    if paragraph_defaults is None:
        paragraph_defaults = OxmlElement("w:pPrDefault")
        defaults.append(paragraph_defaults)
    paragraph_properties = paragraph_defaults.find(qn("w:pPr"))
    if paragraph_properties is None:
        paragraph_properties = OxmlElement("w:pPr")
        paragraph_defaults.append(paragraph_properties)
    paragraph_properties.insert(0, OxmlElement("w:bidi"))


def _tables_from_the_right(document) -> None:
    """Tables laid out from the right (first column on the right), as an Arabic reader expects."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    for table in document.tables:
        properties = table._tbl.tblPr
        if properties.find(qn("w:bidiVisual")) is None:
            style = properties.find(qn("w:tblStyle"))  # the schema's order: after the style
            if style is not None:
                style.addnext(OxmlElement("w:bidiVisual"))
            else:
                properties.insert(0, OxmlElement("w:bidiVisual"))


def document_bytes(document) -> bytes:
    if document.core_properties.language == WORD_LANGUAGES["ar"]:
        _tables_from_the_right(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def event_header_lines(event) -> list[str]:
    """Subtitle; "Tuesday 6 May 2025, 11:45–13:00 EDT, Conference Room 6, …"; organisers: in the current
    language (an export sets its document's with speaking())."""
    from flask_babel import gettext as _
    from .dates import day_and_times
    lines = []
    if event.subtitle:
        lines.append(event.subtitle)
    lines.append(day_and_times(event.local_start, event.local_end) + (f", {event.place}" if event.place else ""))
    if event.organisers:
        lines.append(_("Organized by:") + " " + "; ".join(o.organisation.name for o in event.organisers))
    return lines


def document_language(recorded: str | None, texts, writer: str | None = None) -> str:
    """The language a concept note or summary is in: that of its script when most of its letters are
    Arabic, Chinese or Cyrillic, else the one recorded with it, else its writer's, else English."""
    from .languages import supported
    from .pdf import script_language
    script = script_language(texts)
    if script != "en":
        return {"zh": "zh_Hans"}.get(script, script)
    return supported(recorded) or supported(writer) or "en"


def pdf_language(language: str) -> str:
    """The PDF's language tag (ISO 639, as Typst takes it): zh_Hans -> zh."""
    return language.split("_")[0]


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


# Limits for Word uploads, checked on the zip before python-docx builds anything. A real
# concept note or summary is a few hundred paragraphs and well under a megabyte unpacked;
# these leave ample room while keeping a worker's memory flat whatever arrives.
DOCX_MAX_MEMBERS = 1000
DOCX_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
DOCX_MAX_RATIO = 150          # unpacked/packed, for members big enough to matter
DOCX_RATIO_FLOOR = 1024 * 1024
DOCX_MAX_PARAGRAPHS = 10_000
DOCX_MAX_ELEMENTS = 400_000   # XML elements over all parts: what python-docx's lxml tree would hold
_CHUNK = 64 * 1024


class DocumentRefused(ValueError):
    """An uploaded document was refused before parsing; the message says why, for the user."""


_PARAGRAPH_TAGS = (b"<w:p>", b"<w:p ", b"<w:p/>")


def _scan_xml(archive, name: str, budget: int) -> tuple[int, int, int]:
    """(paragraphs, elements, bytes) of one XML part, streamed: the tree is never built.

    Stops as soon as the bytes actually inflated pass the budget, so a member whose header
    lies about its size cannot make us inflate it all."""
    paragraphs = elements = inflated = 0
    tail = b""
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            inflated += len(chunk)
            if inflated > budget:
                raise DocumentRefused(_unpacked_message())
            data = tail + chunk
            # what lies wholly in the tail was counted with the previous chunk
            paragraphs += sum(data.count(t) - tail.count(t) for t in _PARAGRAPH_TAGS)
            elements += (data.count(b"<") - data.count(b"</")) - (tail.count(b"<") - tail.count(b"</"))
            tail = data[-5:]
    return paragraphs, elements, inflated


def _unpacked_message() -> str:
    from flask_babel import gettext as _
    return _("This Word file unpacks to more than %(mb)s MB; save it without embedded files or split it.",
             mb=DOCX_MAX_UNPACKED_BYTES // (1024 * 1024))


def check_docx(data: bytes) -> None:
    """Refuse a .docx that is not a sane Word document before anything inflates it."""
    import zipfile
    from flask_babel import gettext as _
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentRefused(_("This file is not a Word document we can read (.docx).")) from None
    with archive:
        members = archive.infolist()
        if len(members) > DOCX_MAX_MEMBERS:
            raise DocumentRefused(_("This Word file holds %(count)s parts; at most %(limit)s are accepted.",
                                    count=len(members), limit=DOCX_MAX_MEMBERS))
        if sum(member.file_size for member in members) > DOCX_MAX_UNPACKED_BYTES:
            raise DocumentRefused(_unpacked_message())
        for member in members:
            if member.file_size > DOCX_RATIO_FLOOR and member.file_size > DOCX_MAX_RATIO * max(member.compress_size, 1):
                raise DocumentRefused(_("This Word file is compressed far more than any real document "
                                        "(%(ratio)s to 1); it was refused.",
                                        ratio=member.file_size // max(member.compress_size, 1)))
        if "word/document.xml" not in {member.filename for member in members}:
            raise DocumentRefused(_("This file is not a Word document we can read (.docx)."))
        paragraphs = elements = 0
        budget = DOCX_MAX_UNPACKED_BYTES
        try:
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    found, tags, inflated = _scan_xml(archive, member.filename, budget)
                    budget -= inflated
                    elements += tags
                    if member.filename == "word/document.xml":
                        paragraphs = found
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            raise DocumentRefused(_("This file is not a Word document we can read (.docx).")) from None
        if paragraphs > DOCX_MAX_PARAGRAPHS:
            raise DocumentRefused(_("This Word file has %(count)s paragraphs; at most %(limit)s are accepted. "
                                    "Split it, or paste the text.", count=paragraphs, limit=DOCX_MAX_PARAGRAPHS))
        if elements > DOCX_MAX_ELEMENTS:
            raise DocumentRefused(_("This Word file is far more complex than any real document; it was refused."))


def open_docx(data: bytes):
    """A python-docx Document from uploaded bytes, checked first (see check_docx)."""
    from flask_babel import gettext as _
    check_docx(data)
    import docx
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a broken package
        raise DocumentRefused(_("This file is not a Word document we can read (.docx).")) from None
