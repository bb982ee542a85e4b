"""Registration forms: the standard fields every event asks, plus each event's own questions."""
from dataclasses import dataclass
from datetime import time
from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateField, EmailField, IntegerField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from ..core.forms import Form, MultiCheckboxField, strip_whitespace
from ..core.labels import country_choices
from ..core.time import local_to_utc, to_local
from ..core.web import form_values
from ..speakers.labels import GENDER_LABELS
from ..speakers.models import Gender
from .labels import CATEGORY_LABELS, MODE_LABELS, QUESTION_KIND_LABELS
from .models import Category, Mode, QuestionKind
from ..events.access import split_languages
from .services import RegistrationInput, is_asked

GENDER_CHOICES = [("", _l("— not given —"))] + [(g.value, label) for g, label in GENDER_LABELS.items()
                                               if g != Gender.SELF_DESCRIBED]


class BaseRegistrationForm(Form):
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
                                        description=_l("Anything else that helps you take part, such as "
                                                       "step-free access or a seat near the front. Only the "
                                                       "organisers see it."))
    interpretation_language = SelectField(_l("Interpretation I will listen to"), validators=[Optional()],
                                          choices=[("", _l("— none —"))])
    wants_captioning = BooleanField(_l("I will follow live captioning (CART)"))
    wants_sign_language = BooleanField(_l("I need sign language interpretation"))
    sign_language_wanted = StringField(_l("Which sign language"), validators=[Optional(), Length(max=80)],
                                       filters=[strip_whitespace], description=_l("e.g. International Sign, ASL, LSF"))
    invitation_code = StringField(_l("Invitation code"), validators=[Optional(), Length(max=80)], filters=[strip_whitespace])
    consent = BooleanField(_l("I agree"))

    def __init__(self, *args, questions=(), consent_required=False, event=None, kept_interpretation="", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        languages = split_languages(event.interpretation_languages if event else "")
        if kept_interpretation and kept_interpretation not in languages:
            languages.append(kept_interpretation)  # chosen before the organisers changed the languages
        self.interpretation_language.choices = [("", _l("— none —"))] + [(lang, lang) for lang in languages]
        self.consent_required = consent_required
        self.country.choices = country_choices()

    def custom_fields(self):
        return [(q, self[q.field_name]) for q in self.questions]

    def answers(self) -> dict:
        return {q.field_name: self[q.field_name].data for q in self.questions}

    def to_input(self) -> RegistrationInput:
        """What the person typed, as the services take it."""
        return RegistrationInput(
            name=self.name.data, email=self.email.data or "", organisation=self.organisation.data or "",
            category=Category(self.category.data) if self.category.data else None, country=self.country.data or None,
            position=self.position.data or "", gender=self.gender.data or None,
            accessibility_needs=self.accessibility_needs.data or "", answers=self.answers(),
            invitation_code=self.invitation_code.data or "",
            interpretation_language=self.interpretation_language.data or "",
            wants_captioning=bool(self.wants_captioning.data), wants_sign_language=bool(self.wants_sign_language.data),
            sign_language_wanted=self.sign_language_wanted.data or "")

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


def form_for_registering(questions, settings, user, method: str, event=None) -> BaseRegistrationForm:
    """The registration form of an event; signed in, the name starts from the account and the
    address is the account's own, not editable here."""
    defaults = {"name": user.name} if user is not None and method == "GET" else {}
    form = registration_form(questions, consent_required=bool(settings and settings.consent_text), event=event,
                             **defaults)
    if user is not None:
        form.email.data = user.email
    return form


def form_for_editing(registration, questions, method: str) -> BaseRegistrationForm:
    """The form to change a registration, starting from its answers; the address stays the registration's."""
    if method == "POST":
        form = registration_form(questions, event=registration.event,
                                 kept_interpretation=registration.interpretation_language)
    else:
        form = registration_form(questions, event=registration.event,
                                 kept_interpretation=registration.interpretation_language,
                                 **registration.answers, **form_values(
            registration, "name", "email", "organisation", "category", "country", "position", "gender",
            "accessibility_needs", "interpretation_language", "wants_captioning", "wants_sign_language",
            "sign_language_wanted"))
    form.email.data = registration.email
    return form


def registration_form(questions, *, consent_required=False, event=None, **kwargs) -> BaseRegistrationForm:
    """A form made for this event's questions; the class is made once per set of questions."""
    signature = tuple((q.id, q.kind, q.label, q.help_text, tuple(q.options)) for q in questions)
    return _form_class(signature, str(get_locale() or "en"))(questions=questions, event=event,
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


class SettingsForm(Form):
    """When and how people register; dates and times are read in the event's timezone."""

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

    @classmethod
    def for_event(cls, event, method: str) -> "SettingsForm":
        """The form, starting from the saved settings on GET."""
        current = event.registration_settings
        if method != "GET":
            return cls()
        values = {"mode": current.mode.value if current else Mode.OPEN.value,
                  "waitlist": current.waitlist if current else True}
        if current:
            values.update(invitation_code=current.invitation_code, capacity=current.capacity,
                          allow_anonymous=current.allow_anonymous, consent_text=current.consent_text)
            for name in ("opens", "closes"):
                moment = getattr(current, f"{name}_at")
                if moment:
                    local = to_local(moment, event.timezone)
                    values.update({f"{name}_on": local.date(), f"{name}_time": local.time()})
        return cls(**values)

    def values(self, timezone: str) -> dict:
        """The settings as the service takes them, moments in UTC."""
        def moment(day, clock):
            return local_to_utc(day, clock or time(0), timezone) if day else None
        return {"opens_at": moment(self.opens_on.data, self.opens_time.data),
                "closes_at": moment(self.closes_on.data, self.closes_time.data), "mode": Mode(self.mode.data),
                "invitation_code": (self.invitation_code.data or "").strip(), "capacity": self.capacity.data,
                "waitlist": self.waitlist.data, "allow_anonymous": self.allow_anonymous.data,
                "consent_text": (self.consent_text.data or "").strip()}


class QuestionForm(Form):
    label = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"), choices=[(k.value, label) for k, label in QUESTION_KIND_LABELS.items()])
    options = TextAreaField(_l("Options, one per line (choice questions)"), validators=[Optional(), Length(max=3000)])
    required = BooleanField(_l("An answer is required"))
    help_text = StringField(_l("Help text"), validators=[Optional(), Length(max=500)])
    depends_on = SelectField(_l("Ask only when"), coerce=int, validate_choice=True)
    depends_value = StringField(_l("has the answer"), validators=[Optional(), Length(max=200)],
                                description=_l("e.g. “In person”; for a checkbox, “yes”."))

    def __init__(self, *args, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = list(existing)
        self.depends_on.choices = [(0, _l("— always —"))] + [(q.id, q.label) for q in self.existing]

    def values(self) -> dict:
        """The question as the service takes it."""
        return {"label": self.label.data.strip(), "kind": QuestionKind(self.kind.data), "required": self.required.data,
                "options": [o.strip() for o in (self.options.data or "").splitlines() if o.strip()],
                "help_text": (self.help_text.data or "").strip(),
                "depends_on": next((q for q in self.existing if q.id == self.depends_on.data), None),
                "depends_value": (self.depends_value.data or "").strip()}


class ActionForm(Form):
    """A form that is only a button: the CSRF token and nothing else."""


class DecisionForm(Form):
    decision = SelectField(choices=[("approve", _l("Approve")), ("reject", _l("Reject"))])
    ids = SelectMultipleField(coerce=int, validate_choice=False)  # the registrations ticked in the list


class SendLinkForm(Form):
    """"Send me my link": the address is the only field (hidden on the pages that offer it)."""
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=320)], filters=[strip_whitespace])


class CheckInForm(Form):
    code = StringField(_l("QR code or registration code"), validators=[Optional(), Length(max=200)])
    registration_id = IntegerField(validators=[Optional()])
