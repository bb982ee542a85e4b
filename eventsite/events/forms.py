"""Forms check shape; the services check state."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, EmailField, FieldList, FormField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField, TimeField, URLField)
# InputRequired on dates and times, so an unparsable value keeps its own message.
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, URL, ValidationError
from markupsafe import Markup, escape
from wtforms.widgets import HiddenInput, TextInput

from ..core.forms import Form, MultiCheckboxField, header_choice_fields, resolution_fields, strip_whitespace  # noqa: F401  (shared, re-exported)
from ..core.labels import country_choices, country_names  # noqa: F401  (shared, re-exported)
from ..core.sdgs import sdg_title
from ..core.time import canonical_timezone, is_valid_timezone, timezone_choices
from .access import SERVICE_LABELS
from .concept_note_io import HEADER_FIELDS
from .labels import FORMAT_LABELS, ORGANISATION_KIND_LABELS, REPEAT_LABELS, ROLE_LABELS, STATUS_LABELS  # noqa: F401
from .models import OrganisationKind

SDG_CHOICES = [(n, str(n)) for n in range(1, 18)]


class TimezoneInput(TextInput):
    """A text box with the IANA zones as suggestions: browsers filter the list as one types."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("list", f"{field.id}-zones")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("spellcheck", "false")
        options = "".join(f'<option value="{escape(zone)}">' for zone in timezone_choices())
        return Markup(f'{super().__call__(field, **kwargs)}<datalist id="{field.id}-zones">{options}</datalist>')


class TimezoneField(StringField):
    widget = TimezoneInput()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        # "europe/zurich" or " Europe/Zurich " mean the zone; keep its canonical spelling.
        self.data = canonical_timezone(self.data) or (self.data or "").strip()

    def pre_validate(self, form):
        if self.data and not is_valid_timezone(self.data):
            raise ValidationError(_l("Choose a timezone from the list, such as America/New_York or Europe/Zurich."))


class OrganiserEntryForm(Form):
    class Meta:
        csrf = False  # part of EventForm, which carries the token

    name = StringField(_l("Organisation"), validators=[Optional(), Length(max=250)])
    kind = SelectField(_l("Type"), default=OrganisationKind.MEMBER_STATE.value,
                       choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])


def _quiet_field():
    return BooleanField(_l("Don't notify participants"), description=_l(
        "For a correction nobody needs to hear about. Otherwise registrants, speakers and the team are "
        "e-mailed a new time, room, venue or format."))


class EventForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    subtitle = StringField(_l("Subtitle or theme"), validators=[Optional(), Length(max=300)])
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[Optional()])
    end = TimeField(_l("Ends at"), validators=[Optional()],
                    description=_l("An end earlier than the start is on the next day (a reception until 01:00)."))  # within 12 h
    end_day = DateField(_l("Last day"), validators=[Optional()],
                        description=_l("For an event over several days, such as a two-day workshop."))
    all_day = BooleanField(_l("All day"), description=_l("A forum day, such as a registration day: no times."))
    repeat = SelectField(_l("Repeats"), choices=[(r.value, label) for r, label in REPEAT_LABELS.items()], default="")
    repeat_until = DateField(_l("Repeats until"), validators=[Optional()],
                             description=_l("The day of the last meeting. Skip or move single meetings on the "
                                            "event's page once it is saved."))
    series = SelectField(_l("Series"), coerce=int, validate_choice=True, default=0,
                         description=_l("A thread of events across forums, with its own page and calendar."))
    timezone = TimezoneField(_l("Timezone"), validators=[DataRequired(), Length(max=64)])
    room = SelectField(_l("Room"), coerce=int, validate_choice=True)
    external_venue = StringField(_l("Venue, if not a forum room"), validators=[Optional(), Length(max=300)])
    format = SelectField(_l("Format"), choices=[(f.value, label) for f, label in FORMAT_LABELS.items()])
    webcast_url = URLField(_l("Webcast or meeting link"), validators=[Optional(), URL(), Length(max=500)],
                           description=_l("Shown only to the event's team and to confirmed participants."))
    meeting_passcode = StringField(_l("Meeting passcode"), validators=[Optional(), Length(max=100)],
                                   filters=[strip_whitespace],
                                   description=_l("Sent with the link to confirmed participants only."))
    languages = StringField(_l("Languages of the event"), validators=[Optional(), Length(max=200)])
    interpretation_languages = StringField(_l("Interpretation into"), validators=[Optional(), Length(max=200)],
                                           description=_l("Languages separated by commas, e.g. “French, Spanish”."))
    captioning = BooleanField(_l("Live captioning"))
    sign_language = BooleanField(_l("Sign language interpretation"))
    sign_languages = StringField(_l("Which sign languages"), validators=[Optional(), Length(max=200)],
                                 description=_l("e.g. “International Sign, ASL”."))
    wheelchair_access = BooleanField(_l("Wheelchair access (step-free room and platform)"))
    accessibility_notes = TextAreaField(_l("Other accessibility arrangements"), validators=[Optional(), Length(max=2000)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=320)])
    contact_email_public = BooleanField(_l("Show the contact on the public event page and in calendar feeds"),
                                        description=_l("Otherwise only the event's team and staff see it."))
    audience_size = IntegerField(_l("Expected audience"), validators=[Optional(), NumberRange(min=1, max=100000)])
    sdgs = MultiCheckboxField(_l("Sustainable Development Goals"), choices=SDG_CHOICES, coerce=int)
    organisers = FieldList(FormField(OrganiserEntryForm), min_entries=4, max_entries=12)
    quiet = _quiet_field()

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room.choices = [(0, _l("— no room —"))] + [(room.id, room.name) for room in rooms]
        from ..series.queries import all_series
        self._series = {s.id: s for s in all_series()}
        self.series.choices = [(0, _l("— none —"))] + [(s.id, s.title) for s in self._series.values()]
        countries = country_choices()
        for entry in self.organisers:
            entry.country.choices = countries


    def chosen_series(self):
        return self._series.get(self.series.data)

    def validate_start(self, field):
        if field.data is None and not self.all_day.data:
            raise ValidationError(_l("Give a start time, or mark the entry as all-day."))

    def validate_end(self, field):
        if field.data is None and not self.all_day.data:
            raise ValidationError(_l("Give an end time, or mark the entry as all-day."))
        if self.start.data and field.data and field.data <= self.start.data and not self.end_day.data \
                and not self.all_day.data and self.day.data:
            minutes = (field.data.hour * 60 + field.data.minute) - (self.start.data.hour * 60 + self.start.data.minute)
            if 0 < minutes + 24 * 60 <= 12 * 60:  # a reception until 01:00; 14:00–13:00 is more likely a slip
                self.end_day.data = self.day.data + timedelta(days=1)

    def validate_repeat_until(self, field):
        if self.repeat.data and field.data is None:
            raise ValidationError(_l("Give the day of the last meeting."))


class ConceptNoteForm(Form):
    background = TextAreaField(_l("Background"), validators=[Length(max=20000)])
    objectives = TextAreaField(_l("Objectives"), validators=[Length(max=10000)],
                               description=_l("One objective per line, in order."))
    target_audience = TextAreaField(_l("Target audience"), validators=[Length(max=5000)],
                                    description=_l("One entry per line."))
    guiding_questions = TextAreaField(_l("Guiding questions"), validators=[Length(max=10000)],
                                      description=_l("One question per line."))
    expected_outcomes = TextAreaField(_l("Expected outcomes (optional)"), validators=[Length(max=10000)],
                                      description=_l("One outcome per line."))
    base_revision = IntegerField(widget=HiddenInput(), validators=[Optional()])  # the revision the edit started from
    # An imported header that differs from the event's details: the type of each organisation new to
    # the site, in case the file's organisers are taken, and whether the people concerned are told.
    new_organisations = FieldList(FormField(OrganiserEntryForm), max_entries=12)
    quiet = _quiet_field()

    def add_new_organisations(self, names) -> None:
        """An entry for each organisation new to the site that has none yet."""
        have = {entry.form.name.data for entry in self.new_organisations}
        for name in names:
            if name not in have and len(self.new_organisations) < self.new_organisations.max_entries:
                self.new_organisations.append_entry({"name": name})
        countries = country_choices()
        for entry in self.new_organisations:
            entry.form.country.choices = countries


CONCEPT_NOTE_FIELDS = ("background", "objectives", "target_audience", "guiding_questions", "expected_outcomes")
for _name, _field in resolution_fields(CONCEPT_NOTE_FIELDS).items():  # an edit that crossed another is resolved here
    setattr(ConceptNoteForm, _name, _field)
for _name, _field in header_choice_fields(HEADER_FIELDS).items():  # the organiser chooses, field by field
    setattr(ConceptNoteForm, _name, _field)


class ConceptNoteImportForm(Form):
    file = FileField(_l("Concept note file"), validators=[
        FileRequired(_l("Choose a file to import.")),
        FileAllowed(["docx", "md", "txt"], _l("Upload a .docx, .md or .txt file."))])


class StatusForm(Form):
    to = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class MoveMeetingForm(Form):
    """One meeting of a recurring event held at another time."""
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()],
                    description=_l("An end earlier than the start is on the next day."))


class ConfirmForm(Form):
    """A confirmation step: only the CSRF token, so that a destructive action is never one click."""


class DeleteEventForm(Form):
    reason = TextAreaField(_l("Why is the event removed?"), validators=[DataRequired(), Length(max=2000)],
                           description=_l("For example: a duplicate of another event, or spam. "
                                          "The people told of the removal read this."))


class BulkReviewForm(Form):
    event_ids = SelectMultipleField(coerce=int, validate_choice=False)
    decision = SelectField(choices=[("approved", _l("Approve")), ("rejected", _l("Reject"))])
    reason = TextAreaField(_l("Reason (required to reject)"), validators=[Optional(), Length(max=2000)])


class TeamMemberForm(Form):
    email = EmailField(_l("E-mail of an existing account"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"), choices=[(key, ROLE_LABELS[key]) for key in ("co_organiser", "rapporteur",
                                                                              "organiser")])


class ForumForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    theme = TextAreaField(_l("Theme"), validators=[Optional(), Length(max=2000)])
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    timezone = TimezoneField(_l("Timezone"), validators=[DataRequired()], default="America/New_York")
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200)])
    call_opens_on = DateField(_l("Call for side events opens"), validators=[Optional()])
    call_closes_on = DateField(_l("Call for side events closes"), validators=[Optional()])
    concept_note_guidance = TextAreaField(_l("Guidance for concept notes"), validators=[Optional(), Length(max=5000)])
    concept_note_questions = TextAreaField(_l("Questions every concept note should address (one per line)"),
                                           validators=[Optional(), Length(max=5000)])
    summary_template = SelectField(_l("Template for post-event summaries"), default="sti-side-event")
    eligibility_preset = SelectField(_l("Eligibility preset"), default="", choices=[
        ("", _l("None: use the choices below")),
        ("unhq_in_person", _l("UN Headquarters, in person: only Member States, intergovernmental organisations and "
                              "UN entities lead in person; any organisation may co-organise"))])
    lead_kind_list = MultiCheckboxField(_l("Organisation types that may lead a proposal (none ticked: any)"),
                                        choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    lead_rule_in_person_only = BooleanField(_l("The lead rule applies to in-person and hybrid events only"))
    co_kind_list = MultiCheckboxField(_l("Organisation types that may co-organise (none ticked: any)"),
                                      choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    max_events_per_lead = IntegerField(_l("Most proposals one lead organisation may make (empty: no limit)"),
                                       validators=[Optional(), NumberRange(min=1, max=1000)])
    co_organisers_must_confirm = BooleanField(_l("Approve a side event only once every co-organiser has confirmed"),
                                              description=_l("Each co-organiser's focal point confirms through a "
                                                             "link sent by e-mail."))
    official_overlap_rule = SelectField(_l("A side event overlapping an official meeting is"), default="warn",
                                        choices=[("warn", _l("warned about and flagged in review")),
                                                 ("refuse", _l("refused"))],
                                        description=_l("Each official meeting may say otherwise."))
    quiet = _quiet_field()


class ExtendCallForm(Form):
    closes_on = DateField(_l("New closing day"), validators=[InputRequired()])


class RoomForm(Form):
    name = StringField(_l("Room name"), validators=[DataRequired(), Length(max=120)])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=100000)])
    accessibility_notes = TextAreaField(_l("Accessibility notes"), validators=[Optional(), Length(max=2000)])
    quiet = _quiet_field()


class EmbedSettingsForm(Form):
    origins = TextAreaField(_l("Sites that may embed the programme"), validators=[Optional(), Length(max=5000)],
                            description=_l("One address per line, such as https://sdgs.un.org. No other site may show "
                                           "the programme in a frame."))


class ProgrammeFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    day = SelectField(_l("Day"), validate_choice=False)
    room = SelectField(_l("Room"), validate_choice=False)
    sdg = SelectField(_l("SDG"), choices=[("", _l("All goals"))] + [(str(n), LazyString(sdg_title, n)) for n in range(1, 18)],
                      validate_choice=False)
    kind = SelectField(_l("Organiser type"), validate_choice=False,
                       choices=[("", _l("All types"))] + [(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    format = SelectField(_l("Format"), validate_choice=False,
                         choices=[("", _l("All formats"))] + [(f.value, label) for f, label in FORMAT_LABELS.items()])
    service = MultiCheckboxField(_l("Services"), validate_choice=False, choices=list(SERVICE_LABELS.items()))
    interpretation = SelectField(_l("Interpretation into"), validate_choice=False)


class SearchForm(Form):
    """Search every forum from the home page: words, and the services an event must offer."""
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Search every forum"), validators=[Optional(), Length(max=200)],
                    description=_l("Title, organisers, concept note or a speaker's name"))
    service = MultiCheckboxField(_l("Services"), validate_choice=False, choices=list(SERVICE_LABELS.items()))
    interpretation = SelectField(_l("Interpretation into"), validate_choice=False)
