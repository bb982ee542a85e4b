"""Writing a summary: a draft filled from the event, checked against its template, saved
without ever losing text, and taken through draft → submitted → approved → published."""
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from .. import authz
from ..activity.services import record
from ..core import reading
from ..core.documents import document_language
from ..core.merge import EditConflict, merge_sections
from ..core.time import utcnow
from ..errors import DomainError, NotAllowed
from ..events.models import Event
from ..core.sanitise import html_to_paragraphs
from ..events.services import touch
from ..extensions import db
from .models import Summary, SummaryRevision, SummaryStatus
from .templates import Template, template_for


HEADER_FIELDS = ("title", "time", "date", "venue", "organisers")


def event_header(event: Event) -> dict:
    """The header as the STI Forum prints it: title; "11:45 - 13:00, 6 May 2025"; venue; organisers."""
    start, end = event.local_start, event.local_end
    return {"title": event.title, "time": f"{start:%H:%M} - {end:%H:%M}", "date": f"{start.day} {start:%B %Y}",
            "venue": event.place or "Online", "organisers": [o.organisation.name for o in event.organisers]}


def header_differences(from_file: dict, event: Event) -> list[str]:
    """The header fields an imported file gives differently from the event's record."""
    return reading.header_differences(from_file, event_header(event), HEADER_FIELDS)


def template_of(event: Event) -> Template:
    return template_for(event.forum.summary_template if event.forum else None)


def new_draft_content(event: Event) -> dict:
    """The header from the event; the background from the concept note and the forum's theme,
    trimmed to what the template allows so that a fresh draft starts within it."""
    template = template_of(event)
    sections = {section.key: [] for section in template.sections}
    background_section = next((s for s in template.sections if s.key == "background"), None)
    if background_section is not None:
        background = html_to_paragraphs(event.concept_note.background) if event.concept_note else []
        theme = (f"The event contributed to the theme of the {event.forum.name}: {event.forum.theme}."
                 if event.forum and event.forum.theme else None)
        room = background_section.max - (1 if theme else 0)
        sections["background"] = background[:max(room, 0)] + ([theme] if theme else [])
    return {"header": event_header(event), "sections": sections}


def content_of(summary: Summary | None, event: Event) -> dict:
    if summary is None:
        return new_draft_content(event)
    return {"header": dict(summary.header), "sections": {k: list(v) for k, v in summary.sections.items()}}


def words(text: str) -> int:
    return len(re.findall(r"\S+", text))


@dataclass
class Problem:
    section: str | None
    message: str


def check(content: dict, template: Template, forum_name: str = "") -> list[Problem]:
    """Everything that keeps the summary from following its template, in words a rapporteur reads."""
    problems = []
    header = content["header"]
    for field, label in (("title", _("Title")), ("time", _("Time")), ("date", _("Date")), ("venue", _("Venue"))):
        if not (header.get(field) or "").strip():
            problems.append(Problem("header", _("The header needs the %(field)s.", field=label.lower())))
    if not [o for o in header.get("organisers", []) if o.strip()]:
        problems.append(Problem("header", _("The header needs the organisers (“Organized by”).")))
    for section in template.sections:
        entries = [e for e in content["sections"].get(section.key, []) if e.strip()]
        heading = template.title_of(section, forum_name)
        if not section.min <= len(entries) <= section.max:
            unit = _("bullet points") if section.kind == "bullets" else _("paragraphs")
            problems.append(Problem(section.key, _(
                "%(section)s: %(count)s %(unit)s, the template asks for %(min)s to %(max)s.", section=heading,
                count=len(entries), unit=unit, min=section.min, max=section.max)))
        total = sum(words(e) for e in entries)
        if section.word_limit and total > section.word_limit:
            problems.append(Problem(section.key, _(
                "%(section)s: %(count)s words, the limit is %(limit)s.", section=heading, count=total,
                limit=section.word_limit)))
    return problems


def merge_keys(template: Template) -> list[str]:
    """The parts of a summary two people can change independently: each header field, each section."""
    return [*HEADER_FIELDS, *(f"section_{s.key}" for s in template.sections)]


def _parts(content: dict, template: Template) -> dict:
    header, sections = content.get("header") or {}, content.get("sections") or {}
    parts = {name: header.get(name) or ([] if name == "organisers" else "") for name in HEADER_FIELDS}
    parts.update({f"section_{s.key}": list(sections.get(s.key) or []) for s in template.sections})
    return parts


def _part_lines(key: str, value) -> list[str]:
    return list(value or []) if isinstance(value, list) else ([value] if value else [])


def content_at(summary: Summary | None, number: int) -> dict:
    """The summary as revision `number` left it; revision 0 is the empty summary."""
    revision = next((r for r in summary.revisions if r.number == number), None) if summary and number else None
    content = revision.content if revision else {}
    return {"header": dict(content.get("header") or {}), "sections": dict(content.get("sections") or {})}


def _cleaned(content: dict) -> dict:
    header = {k: (v.strip() if isinstance(v, str) else v) for k, v in content["header"].items()}
    header["organisers"] = [o.strip() for o in content["header"].get("organisers", []) if o.strip()]
    return {"header": header,
            "sections": {k: [e.strip() for e in v if e.strip()] for k, v in content["sections"].items()}}


def edit_conflict(event: Event, content: dict, *, base_revision: int, user) -> EditConflict | None:
    """What changed since the revision an editor was loaded from, part by part; None when nobody
    saved meanwhile."""
    summary = event.summary
    current = summary.revision if summary else 0
    if base_revision == current:
        return None
    template = template_of(event)
    last = summary.revisions[-1] if summary and summary.revisions else None
    sections = merge_sections(merge_keys(template), _parts(content_at(summary, base_revision), template),
                              _parts(content_of(summary, event), template), _parts(_cleaned(content), template),
                              _part_lines)
    if last is not None and last.author_id == user.id:
        who, message = _("your other window"), _(
            "You saved this summary in another tab or window while editing here. Below, part by part, is what "
            "changed there; parts changed in only one place are merged. Nothing is saved until you save again.")
    else:
        who = last.author.name if last and last.author else _("Someone")
        message = _("%(who)s saved this summary while you were editing. Below, part by part, is what they changed; "
                    "parts only one of you changed are merged. Nothing is saved until you save again.", who=who)
    return EditConflict(message, sections=sections, revision=current, author=who)


def summary_texts(content: dict) -> list[str]:
    """The summary's own words, to tell which script it is written in."""
    header = content.get("header") or {}
    return [header.get("title") or "", *(entry for entries in (content.get("sections") or {}).values()
                                         for entry in entries)]


def save(event: Event, content: dict, *, user, base_revision: int, language: str | None = None) -> Summary:
    """Save the text as it is, valid or not; a save based on an older revision is refused with a
    merge of both versions, so that nobody overwrites a co-author's work without seeing it."""
    if not authz.can(user, "summary.edit", event):
        raise NotAllowed(_("Only the event's rapporteurs, organisers and staff write its summary."))
    summary = event.summary
    if summary is not None and summary.status == SummaryStatus.PUBLISHED:
        raise DomainError(_("A published summary is no longer edited. Ask an organiser to withdraw it first."))
    conflict = edit_conflict(event, content, base_revision=base_revision, user=user)
    if conflict is not None:
        raise conflict
    cleaned = _cleaned(content)
    if summary is None:
        summary = Summary(event=event, template_key=template_of(event).key, revision=0, status=SummaryStatus.DRAFT)
        db.session.add(summary)
    elif cleaned == content_of(summary, event):
        return summary  # nothing changed: no empty revision
    summary.header, summary.sections = cleaned["header"], cleaned["sections"]
    summary.language = language or document_language(summary.language, summary_texts(cleaned), writer=user.locale)
    summary.revision += 1
    summary.revisions.append(SummaryRevision(number=summary.revision, author_id=user.id, content=cleaned))
    if summary.status == SummaryStatus.APPROVED:
        summary.status = SummaryStatus.SUBMITTED  # a changed text needs approving again
    touch(event)
    db.session.flush()
    return summary


# from -> {to: permission}
TRANSITIONS = {
    SummaryStatus.DRAFT: {SummaryStatus.SUBMITTED: "summary.edit"},
    SummaryStatus.SUBMITTED: {SummaryStatus.APPROVED: "summary.approve", SummaryStatus.DRAFT: "summary.edit"},
    SummaryStatus.APPROVED: {SummaryStatus.PUBLISHED: "summary.approve", SummaryStatus.DRAFT: "summary.approve"},
    SummaryStatus.PUBLISHED: {SummaryStatus.DRAFT: "summary.approve"},
}


def allowed_transitions(summary: Summary | None, event: Event, user) -> list[SummaryStatus]:
    if summary is None:
        return []
    return [to for to, permission in TRANSITIONS[summary.status].items() if authz.can(user, permission, event)]


def change_status(summary: Summary, to: SummaryStatus, *, user) -> None:
    event = summary.event
    permission = TRANSITIONS[summary.status].get(to)
    if permission is None:
        raise DomainError(_("A summary cannot go from %(a)s to %(b)s.", a=_(summary.status.value), b=_(to.value)))
    if not authz.can(user, permission, event):
        raise NotAllowed(_("Only the event's organisers approve and publish its summary."))
    if to in (SummaryStatus.SUBMITTED, SummaryStatus.APPROVED, SummaryStatus.PUBLISHED):
        problems = check(content_of(summary, event), template_of(event), event.forum.name if event.forum else "")
        if problems:
            raise DomainError(_("The summary does not follow its template yet: %(problems)s",
                                problems=" ".join(p.message for p in problems)))
    record("summary.status", actor=user, event=event, changes=[["summary", summary.status.value, to.value]])
    summary.status = to
    now = utcnow()
    if to == SummaryStatus.SUBMITTED:
        summary.submitted_at = now
    elif to == SummaryStatus.APPROVED:
        summary.approved_by_id = user.id
    elif to == SummaryStatus.PUBLISHED:
        summary.published_at = now
    touch(event)
    db.session.flush()
