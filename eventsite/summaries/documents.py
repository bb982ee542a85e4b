"""Summaries in and out of Word, Markdown, plain text and PDF, laid out like the template.

Import reads the forum's own format (the seed's Markdown-like text, or a Word file with
headings in Word styles or typed), maps each heading to its template section, skips the
guidance the downloaded template carries, and reports whatever it could not place.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _, pgettext

from ..core.dates import day_text
from ..core.documents import DocumentRefused, document_bytes, document_language, new_document, open_docx, pdf_language
from ..core.languages import speaking
from ..core.pdf import PdfDocument
from ..core.reading import (KICKERS, NUMBERING, HeaderReader, docx_blocks, find_date, fold, format_date, is_guidance,
                            strip_markup, text_blocks)
from .templates import Template

MAX_IMPORT_BYTES = 2 * 1024 * 1024
HEADER_FIELDS = ("title", "time", "date", "venue", "organisers")
# Headings other secretariats (and the template in the UN's other languages) use, written as they are:
# folded below.
HEADING_ALIASES = {
    "background": ("background", "context", "contexte", "antecedentes", "contexto",
                   "справочная информация", "общие сведения", "контекст", "предыстория",
                   "الخلفية", "خلفية", "معلومات أساسية", "السياق", "背景", "背景介绍", "活动背景", "会议背景"),
    "key_issues": ("key issues", "main issues", "issues discussed", "questions cles", "principales questions",
                   "questions examinees", "questions debattues", "principaux themes", "temas clave",
                   "cuestiones clave", "principales cuestiones", "cuestiones debatidas", "temas debatidos",
                   "principales temas",
                   "основные обсуждавшиеся вопросы", "обсуждавшиеся вопросы", "ключевые вопросы", "основные вопросы",
                   "القضايا الرئيسية التي نوقشت", "القضايا الرئيسية", "المسائل الرئيسية", "القضايا التي نوقشت",
                   "讨论的关键问题", "讨论的主要问题", "关键问题", "主要问题"),
    "recommendations": ("key recommendations", "recommendations", "main recommendations",
                        "recommandations", "principales recommandations", "recomendaciones",
                        "principales recomendaciones",
                        "ключевые рекомендации", "основные рекомендации", "рекомендации",
                        "التوصيات الرئيسية", "التوصيات", "أهم التوصيات",
                        "关键行动建议", "关键建议", "主要建议", "建议"),
}
HEADING_ALIASES = {key: tuple(fold(alias) for alias in aliases) for key, aliases in HEADING_ALIASES.items()}
_UNSPACED = re.compile(r"[\u2e80-\u9fff]")  # Chinese headings run on without a space after the alias


def _names(plain: str, alias: str) -> bool:
    return plain == alias or plain.startswith(alias + " ") or bool(_UNSPACED.match(alias) and plain.startswith(alias))


class ImportFailed(ValueError):
    pass


@dataclass
class ImportResult:
    content: dict
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read but deserves a look (an ambiguous date)


def _heading_words(text: str) -> str:
    text = re.sub(r"\(.*?\)", "", strip_markup(text))
    return fold(NUMBERING.sub("", text))


def _section_for(text: str, template: Template):
    plain = _heading_words(text)
    if not plain or len(plain.split()) > 16 or text.rstrip().endswith((".", "?", ";")):
        return None
    words = plain.split()
    for section in template.sections:
        title = fold(section.title.replace("{forum}", "")).split()
        if words[:3] == title[:3] and len(words) >= min(3, len(title)):
            return section
        if any(_names(plain, alias) for alias in HEADING_ALIASES.get(section.key, ())):
            return section
    return None


def _messages() -> dict:
    return {"ambiguous_date": _("“%(text)s” could be read two ways; it was read as %(date)s (day first). "
                                "Check the date."),
            "unread": _("“%(label)s” could not be read as a date or time; it is listed as not placed.")}


def parse_summary(filename: str, data: bytes, template: Template, *, day_first: bool = True) -> ImportResult:
    """Read a summary from .docx, .md or .txt: its header wherever it sits, each section under its
    heading, and a list of whatever found no place."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(_("The file is larger than 2 MB."))
    suffix = Path(filename or "").suffix.lower()
    is_heading = lambda line: _section_for(line, template) is not None or fold(strip_markup(line)) in KICKERS  # noqa: E731
    if suffix == ".docx":
        try:
            document = open_docx(data)  # checked for zip bombs before python-docx parses it
        except DocumentRefused as error:
            raise ImportFailed(str(error)) from None
        blocks = docx_blocks(document, is_heading)
    elif suffix in (".md", ".txt", ".markdown"):
        try:
            blocks = text_blocks(data.decode("utf-8-sig"), is_heading)
        except UnicodeDecodeError:
            raise ImportFailed(_("The file is not UTF-8 text. Save it as UTF-8, or upload the .docx.")) from None
    else:
        raise ImportFailed(_("Upload a .docx, .md or .txt file."))
    header = HeaderReader(day_first=day_first, messages=_messages())
    sections = {s.key: [] for s in template.sections}
    unplaced, current, lost, headings_found = header.unplaced, None, False, 0  # one list, in the file's order
    for block in blocks:
        text = block.text
        if not text or is_guidance(text):
            continue
        section = _section_for(text, template) if block.kind != "item" else None
        if section is not None:
            current, lost = section, False
            headings_found += 1
        elif current is None:
            header.read(block)
        elif block.kind == "heading" and block.level < 9 and fold(text) not in KICKERS:
            lost = True  # a heading the template does not have: what follows is listed, not guessed
            unplaced.append(_("Heading “%(text)s” is not one of the template's", text=text))
        elif lost:
            unplaced.append(text)
        elif fold(text) not in KICKERS:
            sections[current.key].append(text)
    if not headings_found:
        names = ", ".join(f"“{s.title.replace('{forum}', 'forum')}”" for s in template.sections)
        raise ImportFailed(_("Nothing in this file looks like a summary: none of the template's headings (%(names)s).",
                             names=names))
    fields = header.fields
    if fields["subtitle"]:
        unplaced.insert(0, _("Subtitle “%(text)s” (the summary's header has no subtitle)", text=fields["subtitle"]))
    return ImportResult({"header": {name: fields[name] for name in HEADER_FIELDS}, "sections": sections},
                        unplaced, header.notes)


# ---------------------------------------------------------------- exports

def summary_language(content: dict, recorded: str | None = None) -> str:
    """The language the summary is written in: its exports' fixed texts are in it too."""
    from .services import summary_texts
    return document_language(recorded, summary_texts(content))


def header_date(text: str) -> str:
    """The header's date in the language spoken now ("7 مايو 2025", "2025年5月6日"): the importer and a new
    draft store it as "7 May 2025"; a date the rapporteur typed some other way stays as typed."""
    found = find_date(text or "")
    return day_text(found.value, weekday=False) if found and text.strip() == format_date(found.value) else text


def header_line(header: dict) -> str:
    """"[11:45 - 13:00, 6 May 2025, Conference Room 6]", the date in the language spoken now."""
    separator = pgettext("between the time, date and venue of a summary's header line", ", ")  # "، " "，"
    when = separator.join(p for p in (header.get("time"), header_date(header.get("date", "")), header.get("venue"))
                          if p)
    return f"[{when}]"


def _header_lines(header: dict) -> tuple[str, str]:
    return header.get("title", ""), header_line(header)


def summary_markdown(content: dict, template: Template, forum_name: str, *, language: str | None = None) -> str:
    with speaking(language or summary_language(content)):
        return _summary_markdown(content, template, forum_name)


def _summary_markdown(content: dict, template: Template, forum_name: str) -> str:
    header = content["header"]
    title, when = _header_lines(header)
    out = [f"## {title}", "", when, "", _("Organized by:"), ""]
    out += [f"{o}  " for o in header.get("organisers", [])] + ["", f"### {_('SUMMARY')}", ""]
    for section in template.sections:
        out += [f"# {template.heading_of(section, forum_name)}", ""]
        entries = content["sections"].get(section.key, [])
        out += ([f"- {e}" for e in entries] if section.kind == "bullets" else [x for e in entries for x in (e, "")])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_text(content: dict, template: Template, forum_name: str, *, language: str | None = None) -> str:
    with speaking(language or summary_language(content)):
        return _summary_text(content, template, forum_name)


def _summary_text(content: dict, template: Template, forum_name: str) -> str:
    header = content["header"]
    title, when = _header_lines(header)
    out = [title, when, "", _("Organized by:") + " " + "; ".join(header.get("organisers", [])), "", _("SUMMARY"), ""]
    for section in template.sections:
        heading = template.heading_of(section, forum_name)
        out += [heading.upper(), ""]
        entries = content["sections"].get(section.key, [])
        out += ([f"  • {e}" for e in entries] if section.kind == "bullets" else [x for e in entries for x in (e, "")])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_docx(content: dict, template: Template, forum_name: str, *, guidance: bool = False,
                 language: str | None = None) -> bytes:
    """The summary in Word, laid out like the template, in its language (right to left for Arabic); with
    guidance=True, the template to fill in."""
    language = language or summary_language(content)
    with speaking(language):
        return _summary_docx(content, template, forum_name, guidance, language)


def _summary_docx(content: dict, template: Template, forum_name: str, guidance: bool, language: str) -> bytes:
    header = content["header"]
    title, when = _header_lines(header)
    document = new_document(_("Summary: %(title)s", title=title), lang=language)
    document.add_heading(title or _("[Title of the side event]"), level=1)
    document.add_paragraph(when if when != "[]" else _("[time, date, venue]"))
    document.add_paragraph(_("Organized by:"))
    for organiser in header.get("organisers", []) or [_("[organiser]")]:
        document.add_paragraph(organiser)
    document.add_heading(_("SUMMARY"), level=2)
    for section in template.sections:
        document.add_heading(template.heading_of(section, forum_name), level=1)
        if guidance and section.guidance:
            limit = " " + _("At most %(n)s words.", n=section.word_limit) if section.word_limit else ""
            note = document.add_paragraph(f"{_('Guidance:')} {template.guidance_of(section)}{limit}")
            for run in note.runs:
                run.italic = True
        entries = content["sections"].get(section.key, [])
        if not entries and guidance:
            entries = [""] * (section.min if section.kind == "bullets" else 1)
        for entry in entries:
            document.add_paragraph(entry, style="List Bullet" if section.kind == "bullets" else None)
    return document_bytes(document)


def summary_pdf(content: dict, template: Template, forum_name: str, *, language: str | None = None) -> bytes:
    """The summary as PDF, laid out as the Word export and the page show it, tagged with its language."""
    language = language or summary_language(content)
    with speaking(language):
        return _summary_pdf(content, template, forum_name, language)


def _summary_pdf(content: dict, template: Template, forum_name: str, language: str) -> bytes:
    header = content["header"]
    title, when = _header_lines(header)
    document = PdfDocument(_("Summary: %(title)s", title=title), lang=pdf_language(language))
    document.title(title)
    if when != "[]":
        document.paragraph(when)
    document.paragraph("\n".join([_("Organized by:"), *header.get("organisers", [])]))
    document.kicker(_("SUMMARY"))
    for section in template.sections:
        document.heading(template.heading_of(section, forum_name))
        entries = content["sections"].get(section.key, [])
        if section.kind == "bullets":
            document.items(entries)
        else:
            for entry in entries:
                document.paragraph(entry)
    return document.render()
