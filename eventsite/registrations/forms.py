"""Registration forms: the standard fields every event asks, plus each event's own questions."""
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, EmailField, IntegerField, RadioField, SelectField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..events.forms import MultiCheckboxField, country_choices, strip_whitespace
from ..speakers.forms import GENDER_LABELS
from ..speakers.models import Gender
from .models import Category, Mode, QuestionKind
from .services import is_asked

CATEGORY_LABELS = {
    Category.MEMBER_STATE: _l("Member State delegation"), Category.UN_SYSTEM: _l("UN system"),
    Category.INTERGOVERNMENTAL: _l("Intergovernmental organisation"), Category.CIVIL_SOCIETY: _l("NGO / civil society"),
    Category.ACADEMIA: _l("Academia"), Category.PRIVATE_SECTOR: _l("Private sector"), Category.MEDIA: _l("Media"),
    Category.OTHER: _l("Other"),
}
GENDER_CHOICES = [("", _l("— not given —"))] + [(g.value, label) for g, label in GENDER_LABELS.items()
                                               if g != Gender.SELF_DESCRIBED]
MODE_LABELS = {Mode.OPEN: _l("Open: first come, first served"), Mode.APPROVAL: _l("Each registration needs approval"),
               Mode.INVITATION: _l("By invitation code")}
QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: _l("Short text"), QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.SINGLE_CHOICE: _l("Single choice"), QuestionKind.MULTIPLE_CHOICE: _l("Multiple choice"),
    QuestionKind.CHECKBOX: _l("Checkbox (yes/no)"), QuestionKind.COUNTRY: _l("Country"),
    QuestionKind.CONSENT: _l("Consent"),
}
STATUS_LABELS = {"unverified": _l("e-mail not confirmed"), "pending": _l("awaiting approval"),
                 "confirmed": _l("confirmed"), "waitlisted": _l("waiting list"), "rejected": _l("not accepted"),
                 "cancelled": _l("cancelled")}


class BaseRegistrationForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)], filters=[strip_whitespace])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=320)], filters=[strip_whitespace])
    organisation = StringField(_l("Organisation"), validators=[DataRequired(), Length(max=250)], filters=[strip_whitespace])
    category = SelectField(_l("Stakeholder category"), validators=[DataRequired()],
                           choices=[("", _l("— choose —"))] + [(c.value, label) for c, label in CATEGORY_LABELS.items()])
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=250)], filters=[strip_whitespace])
    gender = SelectField(_l("Gender (optional)"), choices=GENDER_CHOICES, validators=[Optional()],
                         description=_l("Used only for anonymous statistics."))
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[Optional(), Length(max=2000)],
                                        description=_l("Anything that helps you take part: step-free access, "
                                                       "captioning, a sign-language interpreter…"))
    invitation_code = StringField(_l("Invitation code"), validators=[Optional(), Length(max=80)], filters=[strip_whitespace])
    consent = BooleanField(_l("I agree"))

    def __init__(self, *args, questions=(), consent_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.consent_required = consent_required
        self.country.choices = country_choices()

    def custom_fields(self):
        return [(q, self[q.field_name]) for q in self.questions]

    def answers(self) -> dict:
        return {q.field_name: self[q.field_name].data for q in self.questions}

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.consent_required and not self.consent.data:
            self.consent.errors = list(self.consent.errors) + [_l("Please give your consent to register.")]
            valid = False
        answers, by_id = self.answers(), {q.id: q for q in self.questions}
        for question, field in self.custom_fields():
            if question.required and is_asked(question, answers, by_id) and field.data in (None, "", [], False):
                field.errors = list(field.errors) + [
                    _l("Please give your consent to register.") if question.kind == QuestionKind.CONSENT
                    else _l("This question needs an answer.")]
                valid = False
        return valid


def _question_field(question):
    label, description = question.label, question.help_text
    optional = [Optional()]
    if question.kind == QuestionKind.SHORT_TEXT:
        return StringField(label, description=description, validators=[*optional, Length(max=500)])
    if question.kind == QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=description, validators=[*optional, Length(max=5000)])
    if question.kind == QuestionKind.SINGLE_CHOICE:
        return RadioField(label, description=description, choices=[(o, o) for o in question.options],
                          validators=optional)
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return MultiCheckboxField(label, description=description, choices=[(o, o) for o in question.options],
                                  validators=optional)
    if question.kind == QuestionKind.COUNTRY:
        return SelectField(label, description=description, choices=country_choices(), validators=optional)
    return BooleanField(label, description=description)  # checkbox and consent


def registration_form(questions, *, consent_required=False, **kwargs) -> BaseRegistrationForm:
    """A form made for this event's questions; the class is made once per set of questions."""
    signature = tuple((q.id, q.kind, q.label, q.help_text, tuple(q.options)) for q in questions)
    return _form_class(signature, str(get_locale() or "en"))(questions=questions,
                                                             consent_required=consent_required, **kwargs)


@lru_cache(maxsize=256)
def _form_class(signature: tuple, locale_name: str):
    # The locale is part of the key because country choices are named in the reader's language.
    fields = {f"q{id_}": _question_field(_Shape(id_, kind, label, help_text, list(options)))
              for id_, kind, label, help_text, options in signature}
    return type("RegistrationForm", (BaseRegistrationForm,), fields)


@dataclass
class _Shape:
    id: int
    kind: QuestionKind
    label: str
    help_text: str
    options: list


class SettingsForm(FlaskForm):
    opens_on = DateField(_l("Registration opens on"), validators=[Optional()])
    opens_time = TimeField(_l("at"), validators=[Optional()])
    closes_on = DateField(_l("Registration closes on"), validators=[Optional()],
                          description=_l("Leave empty to close when the event starts."))
    closes_time = TimeField(_l("at"), validators=[Optional()])
    mode = SelectField(_l("Who may register"), choices=[(m.value, label) for m, label in MODE_LABELS.items()])
    invitation_code = StringField(_l("Invitation code"), validators=[Optional(), Length(max=80)])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=100000)],
                            description=_l("Leave empty to use the room's capacity."))
    waitlist = BooleanField(_l("Keep a waiting list when the event is full"))
    allow_anonymous = BooleanField(_l("Allow registration without an account (the e-mail address is confirmed by a link)"))
    consent_text = TextAreaField(_l("Consent text shown to registrants"), validators=[Optional(), Length(max=5000)],
                                 description=_l("Changing it starts a new version; earlier registrations keep the "
                                                "text they agreed to."))


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"), choices=[(k.value, label) for k, label in QUESTION_KIND_LABELS.items()])
    options = TextAreaField(_l("Options, one per line (choice questions)"), validators=[Optional(), Length(max=3000)])
    required = BooleanField(_l("An answer is required"))
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=500)])
    depends_on = SelectField(_l("Ask only when"), coerce=int, validate_choice=True)
    depends_value = StringField(_l("has the answer"), validators=[Optional(), Length(max=200)],
                                description=_l("e.g. “In person”; for a checkbox, “yes”."))


class DecisionForm(FlaskForm):
    decision = SelectField(choices=[("approve", _l("Approve")), ("reject", _l("Reject"))])


class CheckInForm(FlaskForm):
    code = StringField(_l("QR code or registration code"), validators=[Optional(), Length(max=200)])
    registration_id = IntegerField(validators=[Optional()])
