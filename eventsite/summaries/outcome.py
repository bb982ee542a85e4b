"""The forum's outcome: its published side-event summaries compiled into one document, with
recommendations indexed by SDG and by organiser type."""
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.documents import document_bytes, new_document, pdf_language
from ..core.pdf import PdfDocument
from ..core.sdgs import sdg_title
from ..events.models import LISTED_STATUSES, Event, EventOrganiser, EventSdg, Organisation, OrganisationKind
from ..extensions import db
from .models import Summary, SummaryStatus

KIND_NAMES = {"member_state": _l("Member States"), "un_entity": _l("UN entities"),
              "intergovernmental": _l("Intergovernmental organisations"), "academia": _l("Academia"),
              "civil_society": _l("Civil society"), "private_sector": _l("Private sector")}


# The report's fixed texts are in the reader's language (the summaries keep their own).
def _title(forum) -> str:
    return _("%(forum)s: outcome of the side events", forum=forum.name)


def _counts(counts) -> str:
    return " · ".join((ngettext("%(num)d side event", "%(num)d side events", counts["events"]),
                       ngettext("%(num)d key issue", "%(num)d key issues", counts["key_issues"]),
                       ngettext("%(num)d recommendation", "%(num)d recommendations", counts["recommendations"])))


def _organised_by(entry) -> str:
    return _("Organized by:") + " " + "; ".join(entry.organisers)


def _language() -> str:
    return str(get_locale() or "en")


@dataclass
class Entry:
    event: Event
    summary: Summary

    @property
    def organisers(self) -> list[str]:
        return self.summary.header.get("organisers") or [o.organisation.name for o in self.event.shown_organisers]

    @property
    def key_issues(self) -> list[str]:
        return self.summary.sections.get("key_issues", [])

    @property
    def recommendations(self) -> list[str]:
        return self.summary.sections.get("recommendations", [])


@dataclass
class Outcome:
    entries: list[Entry]
    by_sdg: dict = field(default_factory=dict)      # SDG number -> [(event title, recommendation)]
    by_kind: dict = field(default_factory=dict)     # organiser type -> [(event title, recommendation)]

    @property
    def counts(self) -> dict:
        return {"events": len(self.entries), "key_issues": sum(len(e.key_issues) for e in self.entries),
                "recommendations": sum(len(e.recommendations) for e in self.entries)}


def outcome(forum, *, sdg: int | None = None, kind: OrganisationKind | None = None,
            listed_only: bool = False) -> Outcome:
    """Published summaries of the forum in programme order, in three queries whatever their number;
    listed_only keeps those of listed events, as the public archive shows them."""
    query = (select(Summary).join(Event, Event.id == Summary.event_id)
             .options(joinedload(Summary.event).selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
                      joinedload(Summary.event).selectinload(Event.sdgs))
             .where(Event.forum_id == forum.id, Summary.status == SummaryStatus.PUBLISHED)
             .order_by(Event.starts_at, Event.id))
    if listed_only:
        query = query.where(Event.status.in_(LISTED_STATUSES))
    if sdg:
        query = query.where(Event.id.in_(select(EventSdg.event_id).where(EventSdg.sdg == sdg)))
    if kind:
        query = query.where(Event.id.in_(select(EventOrganiser.event_id).join(Organisation)
                                         .where(Organisation.kind == kind)))
    entries = [Entry(s.event, s) for s in db.session.scalars(query).unique()]
    by_sdg, by_kind = defaultdict(list), defaultdict(list)
    for entry in entries:
        pairs = [(entry.event.title, r) for r in entry.recommendations]
        for number in entry.event.sdg_numbers:
            by_sdg[number] += pairs
        for organiser_kind in sorted({o.organisation.kind.value for o in entry.event.shown_organisers}):
            by_kind[organiser_kind] += pairs
    return Outcome(entries, dict(sorted(by_sdg.items())), dict(sorted(by_kind.items())))


def outcome_markdown(forum, report: Outcome) -> str:
    counts = report.counts
    out = [f"# {_title(forum)}", "", _counts(counts), ""]
    for entry in report.entries:
        out += [f"## {entry.event.title}", "", _organised_by(entry), "",
                f"### {_('Key issues discussed')}", ""] + [f"- {i}" for i in entry.key_issues] + \
               ["", f"### {_('Key recommendations for action')}", ""] + [f"- {r}" for r in entry.recommendations] + [""]
    for heading, groups in _indexes(report):
        out += [f"## {heading}", ""]
        for name, lines in groups:
            out += [f"### {name}", ""] + [f"- {line}" for line in lines] + [""]
    return "\n".join(out).rstrip() + "\n"


def outcome_docx(forum, report: Outcome) -> bytes:
    counts = report.counts
    document = new_document(_title(forum), lang=_language())
    document.add_heading(_title(forum), level=0)
    document.add_paragraph(_counts(counts))
    for entry in report.entries:
        document.add_heading(entry.event.title, level=1)
        document.add_paragraph(_organised_by(entry))
        document.add_heading(_("Key issues discussed"), level=2)
        for issue in entry.key_issues:
            document.add_paragraph(issue, style="List Bullet")
        document.add_heading(_("Key recommendations for action"), level=2)
        for recommendation in entry.recommendations:
            document.add_paragraph(recommendation, style="List Bullet")
    for heading, groups in _indexes(report):
        document.add_heading(heading, level=1)
        for name, lines in groups:
            document.add_heading(name, level=2)
            for line in lines:
                document.add_paragraph(line, style="List Bullet")
    return document_bytes(document)


def _indexes(report: Outcome):
    """The recommendations by SDG, then by organiser type: (heading, [(group, ["recommendation (event)"])])."""
    for heading, index, name in ((_("Recommendations by SDG"), report.by_sdg, sdg_title),
                                 (_("Recommendations by organiser type"), report.by_kind,
                                  lambda k: str(KIND_NAMES.get(k, k)))):
        yield heading, [(name(key), [f"{recommendation} ({title})" for title, recommendation in pairs])
                        for key, pairs in index.items()]


def outcome_pdf(forum, report: Outcome) -> bytes:
    """The outcome report as PDF, in the Word document's order."""
    counts = report.counts
    document = PdfDocument(_title(forum), lang=pdf_language(_language()))  # each block keeps its own direction
    document.title(_title(forum))
    document.paragraph(_counts(counts))
    for entry in report.entries:
        document.heading(entry.event.title, level=1)
        document.paragraph(_organised_by(entry))
        document.heading(_("Key issues discussed"), level=2)
        document.items(entry.key_issues)
        document.heading(_("Key recommendations for action"), level=2)
        document.items(entry.recommendations)
    for heading, groups in _indexes(report):
        document.heading(heading, level=1)
        for name, lines in groups:
            document.heading(name, level=2)
            document.items(lines)
    return document.render()
