"""Concept notes in and out of Word, Markdown and plain text.

Import reads any file whose headings name the sections (numbered or not, bold or not,
Word heading styles or typed text) and reports what it could not place.
"""
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..core.documents import DocumentRefused, document_bytes, event_header_lines, new_document, open_docx
from .sanitise import html_to_paragraphs, paragraphs_to_html

SECTION_TITLES = {
    "background": "Background",
    "objectives": "Objectives",
    "target_audience": "Target audience",
    "guiding_questions": "Guiding questions",
    "expected_outcomes": "Expected outcomes",
}


def section_titles() -> dict:
    """The sections' names in the reader's language."""
    return {"background": _("Background"), "objectives": _("Objectives"), "target_audience": _("Target audience"),
            "guiding_questions": _("Guiding questions"), "expected_outcomes": _("Expected outcomes")}


LIST_SECTIONS = ("objectives", "target_audience", "guiding_questions", "expected_outcomes")
_ALIASES = {
    "background": "background", "context": "background", "introduction": "background",
    "background and rationale": "background", "rationale": "background",
    "objectives": "objectives", "objective": "objectives", "aims": "objectives", "goals": "objectives",
    "target audience": "target_audience", "audience": "target_audience", "participants": "target_audience",
    "target participants": "target_audience",
    "guiding questions": "guiding_questions", "key questions": "guiding_questions",
    "questions": "guiding_questions", "questions for discussion": "guiding_questions",
    "expected outcomes": "expected_outcomes", "expected outcome": "expected_outcomes",
    "outcomes": "expected_outcomes", "expected results": "expected_outcomes",
}
GUIDANCE_PREFIX = "Guidance:"
MAX_IMPORT_BYTES = 2 * 1024 * 1024

_NUMBERING = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[ivxIVX]{1,4}[.)]|[A-Ha-h][.)])\s+")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦–]|\(?[0-9]{1,2}[.)]|\(?[a-h][.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_LABEL = re.compile(r"^(?:objective|question|outcome)\s*\d+\s*[:.-]\s*", re.I)


class ImportFailed(ValueError):
    """The file could not be read at all; the message says why."""


@dataclass
class ImportResult:
    content: dict
    title: str | None = None
    unplaced: list[str] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # "heading", "item" or "text"
    text: str


def _strip_markup(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"^\*\*|\*\*$", "", text.strip()).strip()


def section_for_heading(text: str) -> str | None:
    """The section a heading names, e.g. "2. Objectives", "**Target Audience:**" or "# Background"."""
    plain = _strip_markup(_MD_HEADING.sub("", text))
    plain = _NUMBERING.sub("", plain).strip().rstrip(":").strip().lower()
    plain = re.sub(r"\s+", " ", plain)
    return _ALIASES.get(plain)


def _text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []

    def end_paragraph():
        if paragraph:
            blocks.append(Block("text", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            end_paragraph()
        elif section_for_heading(line) or _MD_HEADING.match(line):
            end_paragraph()
            blocks.append(Block("heading", line))
        elif _BULLET.match(line):
            end_paragraph()
            blocks.append(Block("item", _BULLET.sub("", line, count=1)))
        else:
            paragraph.append(line)
    end_paragraph()
    return blocks


def _docx_blocks(data: bytes) -> list[Block]:
    try:
        document = open_docx(data)  # checked for zip bombs before python-docx parses it
    except DocumentRefused as error:
        raise ImportFailed(str(error)) from None
    blocks = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        all_bold = all(run.bold for run in paragraph.runs if run.text.strip()) and len(text) < 120
        if style.startswith(("heading", "title")) or section_for_heading(text) and (all_bold or len(text) < 40):
            blocks.append(Block("heading", text))
        elif style.startswith("list") or numbered or _BULLET.match(text):
            blocks.append(Block("item", _BULLET.sub("", text, count=1)))
        else:
            blocks.append(Block("text", text))
    return blocks


def parse_concept_note(filename: str, data: bytes) -> ImportResult:
    """Read a concept note from .docx, .md or .txt bytes."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed(f"The file is {len(data) // 1024} KB; concept notes up to {MAX_IMPORT_BYTES // 1024} KB are accepted.")
    name = filename.lower()
    if name.endswith(".docx"):
        blocks = _docx_blocks(data)
    elif name.endswith((".md", ".txt", ".markdown")):
        try:
            blocks = _text_blocks(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportFailed("The file is not UTF-8 text. Save it as UTF-8, or upload the Word file.") from None
    else:
        raise ImportFailed("Upload a .docx, .md or .txt file.")
    return place_blocks(blocks)


def place_blocks(blocks: list[Block]) -> ImportResult:
    result = ImportResult(content={"background": "", **{name: [] for name in LIST_SECTIONS}})
    background: list[str] = []
    section: str | None = None
    unknown_heading: str | None = None
    for block in blocks:
        text = _strip_markup(block.text)
        if text.startswith(GUIDANCE_PREFIX):
            continue
        if block.kind == "heading":
            section = section_for_heading(block.text)
            unknown_heading = None if section else _strip_markup(_MD_HEADING.sub("", block.text))
            if section is None and result.title is None and not any(result.content.values()) and not background:
                result.title, unknown_heading = unknown_heading, None
            elif unknown_heading:
                result.unplaced.append(f"Heading “{unknown_heading}” names no concept-note section")
            continue
        if section is None:
            if result.title is None and block.kind == "text" and not unknown_heading:
                result.title = text
            else:
                result.unplaced.append(text)
        elif section == "background":
            background.append(text)
        else:
            result.content[section].append(_LABEL.sub("", text).strip())
    result.content["background"] = paragraphs_to_html("\n\n".join(background))
    return result


# ---------------------------------------------------------------- export

def concept_note_markdown(event, content: dict) -> str:
    """The concept note as Markdown, in the seed's numbered structure."""
    out = [f"# Concept note: {event.title}", ""] + [f"{line}  " for line in event_header_lines(event)] + [""]
    number = 0
    for name, title in SECTION_TITLES.items():
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


def concept_note_docx(event, content: dict) -> bytes:
    """The concept note as a Word document with real heading and list styles."""
    document = new_document(f"Concept note: {event.title}")
    document.add_heading(f"Concept note: {event.title}", level=0)
    for line in event_header_lines(event):
        document.add_paragraph(line)
    number = 0
    for name, title in SECTION_TITLES.items():
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


SECTION_GUIDANCE = {
    "background": "One to three paragraphs: the issue, why it matters now, and how the event connects with the forum's theme.",
    "objectives": "Three to five objectives, one per line, each starting with a verb (To enhance…, To promote…).",
    "target_audience": "Who should attend: delegations, UN entities, academia, civil society, private sector…",
    "guiding_questions": "Three to five questions the speakers and participants will address.",
    "expected_outcomes": "Optional: what the event should produce (recommendations, a network, a publication…).",
}


def blank_template_docx(forum) -> bytes:
    """A concept-note template to fill in Word; guidance lines are skipped when it is imported back."""
    document = new_document(f"Concept note template — {forum.name}")
    document.add_heading("Concept note: [title of the side event]", level=0)
    guidance = [line.strip() for line in (forum.concept_note_guidance or "").splitlines() if line.strip()]
    if forum.theme:
        guidance.insert(0, f"Theme of {forum.name}: {forum.theme}")
    for line in guidance:
        document.add_paragraph(f"{GUIDANCE_PREFIX} {line}").runs[0].italic = True
    for number, (name, title) in enumerate(SECTION_TITLES.items(), start=1):
        document.add_heading(f"{number}. {title}", level=1)
        document.add_paragraph(f"{GUIDANCE_PREFIX} {SECTION_GUIDANCE[name]}").runs[0].italic = True
        if name == "guiding_questions":
            for question in (forum.concept_note_questions or "").splitlines():
                if question.strip():
                    paragraph = document.add_paragraph(f"{GUIDANCE_PREFIX} the forum asks: {question.strip()}")
                    paragraph.runs[0].italic = True
    return document_bytes(document)
