"""Summaries in and out of Word, Markdown, plain text and PDF, laid out like the template.

Import reads the forum's own format (the seed's Markdown-like text, or a Word file with
headings in Word styles or typed), maps each heading to its template section, skips the
guidance the downloaded template carries, and reports whatever it could not place.
"""
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.documents import DocumentRefused, document_bytes, new_document, open_docx
from .templates import Template

GUIDANCE_PREFIX = "Guidance:"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
WHEN_LINE = re.compile(r"^\[?\s*(\d{1,2}[:.]\d{2}\s*[-–]\s*\d{1,2}[:.]\d{2})\s*,\s*(\d{1,2}\s+\w+\s+\d{4})\s*,?\s*(.*?)\]?$")


class ImportFailed(ValueError):
    pass


class ExportUnavailable(RuntimeError):
    pass


@dataclass
class ImportResult:
    content: dict
    unplaced: list[str] = field(default_factory=list)


@dataclass
class _Line:
    text: str
    heading: bool = False
    bullet: bool = False


def _clean(text: str) -> str:
    return re.sub(r"\*\*|__", "", text).strip()


def _text_lines(text: str) -> list[_Line]:
    lines = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            lines.append(_Line(_clean(stripped.lstrip("#")), heading=True))
        elif re.match(r"^([-*•]|\d+[.)])\s+", stripped):
            lines.append(_Line(_clean(re.sub(r"^([-*•]|\d+[.)])\s+", "", stripped)), bullet=True))
        else:
            lines.append(_Line(_clean(stripped)))
    return lines


def _docx_lines(data: bytes) -> list[_Line]:
    try:
        document = open_docx(data)  # checked for zip bombs before python-docx parses it
    except DocumentRefused as error:
        raise ImportFailed(str(error)) from None
    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        runs = [r for r in paragraph.runs if r.text.strip()]
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        lines.append(_Line(_clean(text), heading=style.startswith(("heading", "title")) or (
            bool(runs) and all(r.bold for r in runs) and len(text) < 200),
            bullet="list" in style or numbered or bool(re.match(r"^[-•]\s", text))))
        if lines[-1].bullet:
            lines[-1].text = re.sub(r"^[-•]\s+", "", lines[-1].text)
    return lines


def _normal(text: str) -> str:
    text = re.sub(r"\(.*?\)", "", text.lower())
    return re.sub(r"[^a-z0-9 ]+", " ", text).split()


def _section_for(text: str, template: Template):
    words = _normal(text)
    for section in template.sections:
        title = _normal(section.title.replace("{forum}", ""))
        if words[:3] == title[:3] and len(words) >= min(3, len(title)):
            return section
    return None


def parse_summary(filename: str, data: bytes, template: Template) -> ImportResult:
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed("The file is larger than 2 MB.")
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx":
        lines = _docx_lines(data)
    elif suffix in (".md", ".txt", ".markdown"):
        try:
            lines = _text_lines(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportFailed("The file is not UTF-8 text. Save it as UTF-8, or upload the .docx.") from None
    else:
        raise ImportFailed("Upload a .docx, .md or .txt file.")
    header = {"title": "", "time": "", "date": "", "venue": "", "organisers": []}
    sections = {s.key: [] for s in template.sections}
    unplaced, current, in_organisers, headings_found = [], None, False, 0
    for line in lines:
        text = line.text
        if not text or text.startswith(GUIDANCE_PREFIX) or text.strip("[]").startswith(GUIDANCE_PREFIX):
            continue
        section = _section_for(text, template) if (line.heading or not line.bullet) else None
        if section is not None:
            current, in_organisers = section, False
            headings_found += 1
            continue
        if current is None:
            when = WHEN_LINE.match(text)
            if text.upper() == "SUMMARY":
                in_organisers = False
            elif when:
                header["time"], header["date"], header["venue"] = (when.group(1).replace("–", "-"), when.group(2),
                                                                   when.group(3).strip())
            elif re.match(r"^organi[sz]ed by\s*:?", text, re.I):
                in_organisers = True
                rest = re.sub(r"^organi[sz]ed by\s*:?\s*", "", text, flags=re.I)
                if rest:
                    header["organisers"].append(rest)
            elif in_organisers:
                header["organisers"].append(text)
            elif not header["title"]:
                header["title"] = text
            else:
                unplaced.append(text)
            continue
        sections[current.key].append(text)
    if not headings_found:
        names = ", ".join(f"“{s.title.replace('{forum}', 'forum')}”" for s in template.sections)
        raise ImportFailed(f"Nothing in this file looks like a summary: none of the template's headings ({names}).")
    return ImportResult({"header": header, "sections": sections}, unplaced)


# ---------------------------------------------------------------- exports

def _header_lines(header: dict) -> tuple[str, str]:
    when = ", ".join(p for p in (header.get("time"), header.get("date"), header.get("venue")) if p)
    return header.get("title", ""), f"[{when}]"


def summary_markdown(content: dict, template: Template, forum_name: str) -> str:
    header = content["header"]
    title, when = _header_lines(header)
    out = [f"## {title}", "", when, "", "Organized by:", ""]
    out += [f"{o}  " for o in header.get("organisers", [])] + ["", "### SUMMARY", ""]
    for section in template.sections:
        out += [f"# {section.heading(forum_name)} {section.count_hint}", ""]
        entries = content["sections"].get(section.key, [])
        out += ([f"- {e}" for e in entries] if section.kind == "bullets" else [x for e in entries for x in (e, "")])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_text(content: dict, template: Template, forum_name: str) -> str:
    header = content["header"]
    title, when = _header_lines(header)
    out = [title, when, "", "Organized by: " + "; ".join(header.get("organisers", [])), "", "SUMMARY", ""]
    for section in template.sections:
        heading = f"{section.heading(forum_name)} {section.count_hint}"
        out += [heading.upper(), ""]
        entries = content["sections"].get(section.key, [])
        out += ([f"  • {e}" for e in entries] if section.kind == "bullets" else [x for e in entries for x in (e, "")])
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def summary_docx(content: dict, template: Template, forum_name: str, *, guidance: bool = False) -> bytes:
    """The summary in Word, laid out like the template; with guidance=True, the template to fill in."""
    header = content["header"]
    title, when = _header_lines(header)
    document = new_document(f"Summary: {title}")
    document.add_heading(title or "[Title of the side event]", level=1)
    document.add_paragraph(when if when != "[]" else "[time, date, venue]")
    document.add_paragraph("Organized by:")
    for organiser in header.get("organisers", []) or ["[organiser]"]:
        document.add_paragraph(organiser)
    document.add_heading("SUMMARY", level=2)
    for section in template.sections:
        document.add_heading(f"{section.heading(forum_name)} {section.count_hint}", level=1)
        if guidance and section.guidance:
            note = document.add_paragraph(f"{GUIDANCE_PREFIX} {section.guidance}"
                                          + (f" At most {section.word_limit} words." if section.word_limit else ""))
            for run in note.runs:
                run.italic = True
        entries = content["sections"].get(section.key, [])
        if not entries and guidance:
            entries = [""] * (section.min if section.kind == "bullets" else 1)
        for entry in entries:
            document.add_paragraph(entry, style="List Bullet" if section.kind == "bullets" else None)
    return document_bytes(document)


def docx_to_pdf(data: bytes) -> bytes:
    """Convert with LibreOffice, which renders Word's styles as Word does."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise ExportUnavailable("PDF export needs LibreOffice on the server (Debian: libreoffice-writer-nogui).")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "summary.docx"
        source.write_bytes(data)
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                        "--outdir", folder, str(source)], check=True, capture_output=True, timeout=120)
        return (Path(folder) / "summary.pdf").read_bytes()
