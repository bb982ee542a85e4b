"""Concept notes in and out of Word, Markdown and plain text, and out to PDF.

Import reads any file whose headings name the sections (numbered or not, bold or not,
Word heading styles or typed text) and reports what it could not place.
"""
import re
from dataclasses import dataclass, field

from flask_babel import get_locale
from flask_babel import gettext as _

from ..core.documents import (DocumentRefused, document_bytes, document_language, event_header_lines, new_document,
                              open_docx, pdf_language)
from ..core.languages import speaking
from ..core.pdf import PdfDocument
from ..core.reading import NUMBERING, Block, HeaderReader, docx_blocks, fold, is_guidance, strip_markup, text_blocks
from ..core.sanitise import html_to_paragraphs, paragraphs_to_html

def section_titles() -> dict:
    """The sections' names in the reader's language."""
    return {"background": _("Background"), "objectives": _("Objectives"), "target_audience": _("Target audience"),
            "guiding_questions": _("Guiding questions"), "expected_outcomes": _("Expected outcomes")}


HEADER_FIELDS = ("title", "subtitle", "date", "time", "venue", "organisers")  # as the header is read
LIST_SECTIONS = ("objectives", "target_audience", "guiding_questions", "expected_outcomes")
_ALIASES = {
    "background": "background", "context": "background", "introduction": "background",
    "background and rationale": "background", "rationale": "background", "background and context": "background",
    "contexte": "background", "contexte et justification": "background", "justification": "background",
    "antecedentes": "background", "contexto": "background", "antecedentes y justificacion": "background",
    "objectives": "objectives", "objective": "objectives", "aims": "objectives", "goals": "objectives",
    "objectives of the event": "objectives", "objectifs": "objectives", "objectif": "objectives",
    "objetivos": "objectives", "objetivo": "objectives",
    "target audience": "target_audience", "audience": "target_audience", "participants": "target_audience",
    "target participants": "target_audience", "expected participants": "target_audience",
    "public cible": "target_audience", "public vise": "target_audience", "participants attendus": "target_audience",
    "publico destinatario": "target_audience", "publico objetivo": "target_audience",
    "participantes": "target_audience",
    "guiding questions": "guiding_questions", "key questions": "guiding_questions",
    "preguntas orientativas": "guiding_questions",
    "questions": "guiding_questions", "questions for discussion": "guiding_questions",
    "discussion questions": "guiding_questions", "questions directrices": "guiding_questions",
    "questions d orientation": "guiding_questions", "questions cles": "guiding_questions",
    "preguntas orientadoras": "guiding_questions", "preguntas guia": "guiding_questions",
    "preguntas clave": "guiding_questions",
    "expected outcomes": "expected_outcomes", "expected outcome": "expected_outcomes",
    "outcomes": "expected_outcomes", "expected results": "expected_outcomes",
    "resultats attendus": "expected_outcomes", "resultados esperados": "expected_outcomes",
    # Russian, Arabic and Chinese, as UN concept notes head them (written as they are: folded below)
    "Справочная информация": "background", "Общие сведения": "background", "Контекст": "background",
    "Предыстория": "background", "Обоснование": "background", "Справочная информация и обоснование": "background",
    "Цели": "objectives", "Цель": "objectives", "Цели и задачи": "objectives", "Задачи": "objectives",
    "Целевая аудитория": "target_audience", "Участники": "target_audience", "Целевые участники": "target_audience",
    "Руководящие вопросы": "guiding_questions", "Вопросы для обсуждения": "guiding_questions",
    "Ключевые вопросы": "guiding_questions", "Направляющие вопросы": "guiding_questions",
    "Ожидаемые результаты": "expected_outcomes",
    "الخلفية": "background", "خلفية": "background", "معلومات أساسية": "background", "السياق": "background",
    "الخلفية والأساس المنطقي": "background", "الأساس المنطقي": "background",
    "الأهداف": "objectives", "الهدف": "objectives", "أهداف الحدث": "objectives",
    "الجمهور المستهدف": "target_audience", "الفئة المستهدفة": "target_audience", "المشاركون": "target_audience",
    "الفئات المستهدفة": "target_audience",
    "الأسئلة التوجيهية": "guiding_questions", "أسئلة توجيهية": "guiding_questions",
    "أسئلة للمناقشة": "guiding_questions", "الأسئلة الرئيسية": "guiding_questions",
    "النتائج المتوقعة": "expected_outcomes", "النتائج المرتقبة": "expected_outcomes",
    "背景": "background", "背景介绍": "background", "背景和理由": "background", "背景与理由": "background",
    "目标": "objectives", "目的": "objectives", "活动目标": "objectives",
    "目标受众": "target_audience", "目标群体": "target_audience", "参与者": "target_audience",
    "与会者": "target_audience",
    "指导性问题": "guiding_questions", "指导问题": "guiding_questions", "引导性问题": "guiding_questions",
    "讨论问题": "guiding_questions", "关键问题": "guiding_questions",
    "预期成果": "expected_outcomes", "预期结果": "expected_outcomes",
}
_ALIASES = {fold(heading): section for heading, section in _ALIASES.items()}
MAX_IMPORT_BYTES = 2 * 1024 * 1024
_LABEL = re.compile(r"^(?:objective|question|outcome|objectif|objetivo|pregunta|цель|вопрос|الهدف|السؤال|目标|问题)"
                    r"\s*\d+\s*[:：.\-–]\s*", re.I)


class ImportFailed(ValueError):
    """The file could not be read at all; the message says why."""


@dataclass
class ImportResult:
    content: dict
    title: str | None = None
    unplaced: list[str] = field(default_factory=list)
    header: dict = field(default_factory=dict)  # title, subtitle, time, date, venue, organisers as the file has them
    notes: list[str] = field(default_factory=list)


def section_for_heading(text: str) -> str | None:
    """The section a heading names, e.g. "2. Objectives", "**Target Audience:**", "II. Contexte"."""
    plain = strip_markup(text)
    plain = NUMBERING.sub("", plain).strip().rstrip(":：").strip()
    return _ALIASES.get(fold(re.sub(r"\(.*?\)", "", plain)))


def _is_heading(line: str) -> bool:
    return section_for_heading(line) is not None


def _messages() -> dict:
    return {"ambiguous_date": _("“%(text)s” could be read two ways; it was read as %(date)s (day first). "
                                "Check the date."),
            "unread": _("“%(label)s” could not be read as a date or time; it is listed as not placed.")}


def parse_concept_note(filename: str, data: bytes, *, day_first: bool = True) -> ImportResult:
    """Read a concept note from .docx, .md or .txt bytes."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(_("The file is %(size)s KB; concept notes up to %(limit)s KB are accepted.",
                             size=len(data) // 1024, limit=MAX_IMPORT_BYTES // 1024))
    name = filename.lower()
    if name.endswith(".docx"):
        try:
            document = open_docx(data)  # checked for zip bombs before python-docx parses it
        except DocumentRefused as error:
            raise ImportFailed(str(error)) from None
        blocks = docx_blocks(document, _is_heading)
    elif name.endswith((".md", ".txt", ".markdown")):
        try:
            blocks = text_blocks(data.decode("utf-8-sig"), _is_heading)
        except UnicodeDecodeError:
            raise ImportFailed(_("The file is not UTF-8 text. Save it as UTF-8, or upload the Word file.")) from None
    else:
        raise ImportFailed(_("Upload a .docx, .md or .txt file."))
    return place_blocks(blocks, day_first=day_first)


def place_blocks(blocks: list[Block], *, day_first: bool = True) -> ImportResult:
    result = ImportResult(content={"background": "", **{name: [] for name in LIST_SECTIONS}})
    header = HeaderReader(day_first=day_first, messages=_messages())
    header.unplaced = result.unplaced  # one list, in the file's order
    background: list[str] = []
    section: str | None = None
    started = lost = False
    for block in blocks:
        text = block.text
        if not text or is_guidance(text):
            continue
        found = section_for_heading(text) if block.kind != "item" else None
        if found and (block.kind in ("heading", "title") or len(text) < 60):
            section, started, lost = found, True, False
        elif block.kind == "heading" and (1 < block.level < 9 or started and block.level < 9):
            lost = True  # a heading that names no section: what follows is listed, not guessed
            result.unplaced.append(_("Heading “%(text)s” names no concept-note section", text=text))
        elif lost or started and section is None:
            result.unplaced.append(text)
        elif not started:
            header.read(block)
        elif section == "background":
            background.append(text)
        else:
            result.content[section].append(_LABEL.sub("", text).strip())
    result.content["background"] = paragraphs_to_html("\n\n".join(background))
    if re.fullmatch(r"\[[^\[\]]*\]", header.fields["title"]):  # the blank template's "[title of the side event]"
        header.fields["title"] = ""
    result.header = header.fields
    result.title = header.fields["title"] or None
    result.notes = header.notes
    return result


# ---------------------------------------------------------------- export

def note_language(event, content: dict) -> str:
    """The language the concept note is written in: its exports' fixed texts are in it too."""
    from .services import concept_note_texts
    recorded = event.concept_note.language if event.concept_note is not None else None
    return document_language(recorded, [event.title, *concept_note_texts(content)])


def _kicked_title(event) -> str:
    return _("Concept note: %(title)s", title=event.title)


def concept_note_markdown(event, content: dict, *, language: str | None = None) -> str:
    """The concept note as Markdown, in the seed's numbered structure."""
    with speaking(language or note_language(event, content)):
        return _concept_note_markdown(event, content)


def _concept_note_markdown(event, content: dict) -> str:
    out = [f"# {_kicked_title(event)}", ""] + [f"{line}  " for line in event_header_lines(event)] + [""]
    number = 0
    for name, title in section_titles().items():
        if name == "expected_outcomes" and not content.get(name):
            continue
        number += 1
        out += [f"## {number}. {title}", ""]
        if name == "background":
            for paragraph in html_to_paragraphs(content.get("background", "")):
                out += [paragraph, ""]
        else:
            marker = "1." if name == "objectives" else "-"
            out += [f"{marker} {item}" for item in content.get(name, [])] + [""]
    return "\n".join(out).rstrip() + "\n"


def concept_note_docx(event, content: dict, *, language: str | None = None) -> bytes:
    """The concept note as a Word document with real heading and list styles, in its language (right to
    left for Arabic)."""
    language = language or note_language(event, content)
    with speaking(language):
        return _concept_note_docx(event, content, language)


def _concept_note_docx(event, content: dict, language: str) -> bytes:
    document = new_document(_kicked_title(event), lang=language)
    document.add_heading(_kicked_title(event), level=0)
    for line in event_header_lines(event):
        document.add_paragraph(line)
    number = 0
    for name, title in section_titles().items():
        if name == "expected_outcomes" and not content.get(name):
            continue
        number += 1
        document.add_heading(f"{number}. {title}", level=1)
        if name == "background":
            for paragraph in html_to_paragraphs(content.get("background", "")):
                document.add_paragraph(paragraph)
        else:
            style = "List Number" if name == "objectives" else "List Bullet"
            for item in content.get(name, []):
                document.add_paragraph(item, style=style)
    return document_bytes(document)


def concept_note_pdf(event, content: dict, *, language: str | None = None) -> bytes:
    """The concept note as PDF, with the Word document's headings, numbering and lists, tagged with its
    language."""
    language = language or note_language(event, content)
    with speaking(language):
        return _concept_note_pdf(event, content, language)


def _concept_note_pdf(event, content: dict, language: str) -> bytes:
    document = PdfDocument(_kicked_title(event), lang=pdf_language(language))
    document.title(_kicked_title(event))
    document.paragraph("\n".join(event_header_lines(event)))
    sections = [(name, title) for name, title in section_titles().items()
                if name != "expected_outcomes" or content.get(name)]
    for number, (name, title) in enumerate(sections, start=1):
        document.heading(f"{number}. {title}")
        if name == "background":
            for paragraph in html_to_paragraphs(content.get("background", "")):
                document.paragraph(paragraph)
        else:
            document.items(content.get(name, []), numbered=name == "objectives")
    return document.render()


def section_guidance() -> dict:
    """What the blank template says to write in each section, in the reader's language."""
    return {
        "background": _("One to three paragraphs: the issue, why it matters now, and how the event connects "
                        "with the forum's theme."),
        "objectives": _("Three to five objectives, one per line, each starting with a verb (To enhance…, "
                        "To promote…)."),
        "target_audience": _("Who should attend: delegations, UN entities, academia, civil society, private "
                             "sector…"),
        "guiding_questions": _("Three to five questions the speakers and participants will address."),
        "expected_outcomes": _("Optional: what the event should produce (recommendations, a network, a "
                               "publication…)."),
    }


def blank_template_docx(forum) -> bytes:
    """A concept-note template to fill in Word, in the reader's language; guidance lines are skipped when it
    is imported back, whatever the language."""
    language = str(get_locale() or "en")
    prefix = _("Guidance:")
    document = new_document(_("Concept note template — %(forum)s", forum=forum.name), lang=language)
    document.add_heading(_("Concept note: [title of the side event]"), level=0)
    guidance = [line.strip() for line in (forum.concept_note_guidance or "").splitlines() if line.strip()]
    if forum.theme:
        guidance.insert(0, _("Theme of %(forum)s: %(theme)s", forum=forum.name, theme=forum.theme))
    for line in guidance:
        document.add_paragraph(f"{prefix} {line}").runs[0].italic = True
    written = section_guidance()
    for number, (name, title) in enumerate(section_titles().items(), start=1):
        document.add_heading(f"{number}. {title}", level=1)
        document.add_paragraph(f"{prefix} {written[name]}").runs[0].italic = True
        if name == "guiding_questions":
            for question in (forum.concept_note_questions or "").splitlines():
                if question.strip():
                    asked = _("the forum asks: %(question)s", question=question.strip())
                    document.add_paragraph(f"{prefix} {asked}").runs[0].italic = True
    return document_bytes(document)
