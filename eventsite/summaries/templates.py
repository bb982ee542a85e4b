"""Summary templates: the STI Forum side-event template built in, others defined by staff."""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from ..extensions import db
from .models import SummaryTemplate

DEFAULT_KEY = "sti-side-event"


@dataclass(frozen=True)
class Section:
    key: str
    title: str          # may name the forum: "{forum}"
    kind: str           # "paragraphs" or "bullets"
    min: int
    max: int
    word_limit: int | None = None
    guidance: str = ""
    hint: str = ""      # how the template prints the expected count, if not "(5-8 bullet points)"

    def heading(self, forum_name: str) -> str:
        return self.title.replace("{forum}", forum_name or "forum")

    @property
    def count_hint(self) -> str:
        """"(5-8 bullet points)" in the reader's language, unless the template prints it its own way."""
        if self.hint:
            return self.hint
        if self.min != self.max:
            return (_("(%(min)s-%(max)s bullet points)", min=self.min, max=self.max) if self.kind == "bullets"
                    else _("(%(min)s-%(max)s paragraphs)", min=self.min, max=self.max))
        return (ngettext("(%(num)s bullet point)", "(%(num)s bullet points)", self.min) if self.kind == "bullets"
                else ngettext("(%(num)s paragraph)", "(%(num)s paragraphs)", self.min))


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    sections: tuple[Section, ...]

    def title_of(self, section: Section, forum_name: str) -> str:
        """The section's title: the built-in template's in the reader's language, a staff template's as
        staff wrote it."""
        if self.key == DEFAULT_KEY:
            if section.key == "background":
                return _("Background of the event, including connection with the theme of the %(forum)s",
                         forum=forum_name or _("forum"))
            if section.key == "key_issues":
                return _("Key issues discussed")
            if section.key == "recommendations":
                return _("Key recommendations for action")
        return section.heading(forum_name)

    def guidance_of(self, section: Section) -> str:
        """What to write in the section: the built-in template's in the reader's language."""
        if self.key == DEFAULT_KEY:
            return {"background": _("One to two paragraphs: why the event was held, who took part, and how it "
                                    "connects with the theme of the forum."),
                    "key_issues": _("Five to eight bullet points, one issue each, as discussed at the event."),
                    "recommendations": _("Five to six bullet points, each an action someone can take."),
                    }.get(section.key, section.guidance)
        return section.guidance

    def titles(self, forum_name: str) -> dict[str, str]:
        return {section.key: self.title_of(section, forum_name) for section in self.sections}

    def heading_of(self, section: Section, forum_name: str) -> str:
        """The section's heading with its expected length, as the template prints it."""
        if self.key == DEFAULT_KEY:
            forum = forum_name or _("forum")
            if section.key == "background":
                return _("Background of the event, including connection with the theme of the %(forum)s "
                         "(one to two paragraphs)", forum=forum)
            if section.key == "key_issues":
                return _("Key issues discussed (5-8 bullet points)")
            if section.key == "recommendations":
                return _("Key recommendations for action (5 - 6 bullet points)")
        return f"{section.heading(forum_name)} {section.count_hint}"


# The STI Forum side-event summary (see demo/seeds/summary-sti-forum-2025-side-event.txt).
# The template asks for one to two background paragraphs; the Forum's own published
# summaries use up to three short ones, so three is the limit and four is refused.
STI_SIDE_EVENT = Template(DEFAULT_KEY, _l("STI Forum side-event summary"), (  # named in the reader's language
    Section("background", "Background of the event, including connection with the theme of the {forum}",
            "paragraphs", 1, 3, 450,
            "One to two paragraphs: why the event was held, who took part, and how it connects with the "
            "theme of the forum.", "(one to two paragraphs)"),
    Section("key_issues", "Key issues discussed", "bullets", 5, 8, 300,
            "Five to eight bullet points, one issue each, as discussed at the event."),
    Section("recommendations", "Key recommendations for action", "bullets", 5, 6, 300,
            "Five to six bullet points, each an action someone can take.", "(5 - 6 bullet points)"),
))
BUILT_IN = {STI_SIDE_EVENT.key: STI_SIDE_EVENT}


def _from_row(row: SummaryTemplate) -> Template:
    return Template(row.key, row.name, tuple(Section(**s) for s in row.sections))


def template_for(key: str | None) -> Template:
    """The template with this key; the built-in STI template when there is none."""
    if key and key not in BUILT_IN:
        row = db.session.scalar(select(SummaryTemplate).where(SummaryTemplate.key == key))
        if row is not None:
            return _from_row(row)
    return BUILT_IN.get(key or DEFAULT_KEY, STI_SIDE_EVENT)


def all_templates() -> list[Template]:
    rows = db.session.scalars(select(SummaryTemplate).order_by(SummaryTemplate.name))
    return [*BUILT_IN.values(), *(_from_row(r) for r in rows)]


def parse_sections(text: str) -> list[Section]:
    """Staff write a template as lines: "Title | bullets | 5-8 | 300 words | guidance".

    The kind is "bullets" or "paragraphs"; the count a range or one number; the word
    limit and guidance are optional. A malformed line raises ValueError naming it.
    """
    sections, seen = [], set()
    for number, line in enumerate((l.strip() for l in text.splitlines()), start=1):
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3:
            raise ValueError(f"Line {number}: write “Title | bullets or paragraphs | min-max”.")
        title, kind, counts = parts[:3]
        if kind not in ("bullets", "paragraphs"):
            raise ValueError(f"Line {number}: the kind must be “bullets” or “paragraphs”, not “{kind}”.")
        try:
            low, _, high = counts.partition("-")
            minimum, maximum = int(low), int(high or low)
        except ValueError:
            raise ValueError(f"Line {number}: the count must be a number or a range such as 5-8.") from None
        if not 0 < minimum <= maximum:
            raise ValueError(f"Line {number}: the range {counts} is empty.")
        word_limit = None
        if len(parts) > 3 and parts[3]:
            digits = parts[3].split()[0]
            if not digits.isdigit():
                raise ValueError(f"Line {number}: the word limit must be a number, such as “300 words”.")
            word_limit = int(digits)
        key = "".join(c if c.isalnum() else "_" for c in title.lower()).strip("_")[:40] or f"section_{number}"
        while key in seen:
            key += "_"
        seen.add(key)
        sections.append(Section(key, title, kind, minimum, maximum, word_limit, parts[4] if len(parts) > 4 else ""))
    if not sections:
        raise ValueError("Give at least one section.")
    return sections


def save_template(key: str, name: str, sections: list[Section]) -> SummaryTemplate:
    row = db.session.scalar(select(SummaryTemplate).where(SummaryTemplate.key == key)) or SummaryTemplate(key=key)
    row.name = name
    row.sections = [s.__dict__ for s in sections]
    db.session.add(row)
    db.session.flush()
    return row
