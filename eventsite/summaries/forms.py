from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from ..core.forms import Form, header_choice_fields, resolution_fields
from .templates import Template

HEADER_FIELDS = ("title", "time", "date", "venue", "organisers")


class BaseSummaryForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    time = StringField(_l("Time"), validators=[Optional(), Length(max=60)], description=_l("e.g. 11:45 - 13:00"))
    date = StringField(_l("Date"), validators=[Optional(), Length(max=60)], description=_l("e.g. 6 May 2025"))
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    organisers = TextAreaField(_l("Organized by"), validators=[Optional(), Length(max=3000)],
                               description=_l("One organisation per line."))
    base_revision = IntegerField(widget=HiddenInput(), validators=[Optional()])  # the revision the edit started from

    def section_fields(self, template: Template):
        return [(section, self[f"section_{section.key}"]) for section in template.sections]


for _name, _field in header_choice_fields(HEADER_FIELDS).items():  # an imported header that differs: the person chooses
    setattr(BaseSummaryForm, _name, _field)


@lru_cache(maxsize=64)
def summary_form_class(template: Template):
    """A form with one text box per section of the template."""
    fields = {}
    for section in template.sections:
        hint = _l("One bullet point per line.") if section.kind == "bullets" else _l(
            "Separate paragraphs with an empty line.")
        fields[f"section_{section.key}"] = TextAreaField(section.title, validators=[Optional(), Length(max=30000)],
                                                         description=hint)
    keys = ["title", "time", "date", "venue", "organisers", *(f"section_{s.key}" for s in template.sections)]
    fields.update(resolution_fields(keys))  # an edit that crossed another is resolved here
    return type("SummaryForm", (BaseSummaryForm,), fields)


class SummaryImportForm(Form):
    file = FileField(_l("Summary file"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(["docx", "md", "txt"], _l("Upload a .docx, .md or .txt file."))])


class SummaryStatusForm(Form):
    to = HiddenField(validators=[DataRequired()])


class TemplateForm(Form):
    key = StringField(_l("Key"), validators=[DataRequired(), Length(max=80)],
                      description=_l("Short name forums refer to, e.g. “hlpf-side-event”."))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    sections = TextAreaField(_l("Sections, one per line"), validators=[DataRequired(), Length(max=10000)],
                             description=_l("Title | bullets or paragraphs | min-max | word limit | guidance — "
                                            "e.g. “Key issues discussed | bullets | 5-8 | 300 words | One issue each.”"))
