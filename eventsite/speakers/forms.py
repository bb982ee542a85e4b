from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional

from ..core.dates import clock
from ..core.forms import Form, strip_whitespace
from ..core.labels import country_choices
from ..events.labels import ORGANISATION_KIND_LABELS
from .labels import GENDER_LABELS, INVITATION_LABELS, LABELS, ROLE_LABELS  # noqa: F401  (re-exported)


class PersonForm(Form):
    honorific = StringField(_l("Honorific"), validators=[Optional(), Length(max=40)],
                            description=_l("H.E. Mr., Dr., Prof. — as it should be printed."))
    given_name = StringField(_l("Given name"), validators=[DataRequired(), Length(max=120)])
    family_name = StringField(_l("Family name"), validators=[DataRequired(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=250)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=250)])
    organisation_kind = SelectField(_l("Stakeholder type"), choices=[("", _l("— not given —"))] + [
        (k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()])
    country = SelectField(_l("Country"), validate_choice=False, validators=[Optional()])
    gender = SelectField(_l("Gender (optional)"), choices=[("", _l("— not given —"))] + [
        (g.value, label) for g, label in GENDER_LABELS.items()],
        description=_l("Used only for anonymous balance statistics."))
    gender_description = StringField(_l("Gender, in the person's own words"), validators=[Optional(), Length(max=80)])
    biography = TextAreaField(_l("Short biography"), validators=[Optional(), Length(max=3000)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=320)], filters=[strip_whitespace],
                       description=_l("Seen only by staff, the person and you; other organisers invite through the site without seeing it."))
    photo = FileField(_l("Photo (JPEG, PNG or WebP, up to 5 MB)"),
                      validators=[FileAllowed(["jpg", "jpeg", "png", "webp"], _l("Send a JPEG, PNG or WebP."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


def _role_field():
    return SelectField(_l("Role"), choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


def _item_field():
    return SelectField(_l("Agenda item"), coerce=int, validate_choice=True)


class NewSpeakerForm(PersonForm):
    role = _role_field()
    agenda_item = _item_field()

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item.choices = _item_choices(items)


class AssignExistingForm(Form):
    person_id = HiddenField(validators=[DataRequired()])
    role = _role_field()
    agenda_item = _item_field()

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item.choices = _item_choices(items)


def _item_choices(items):
    return [(0, _l("The whole event"))] + [(i.id, f"{clock(i.local_start)} {i.title}") for i in items]


class SpeakerStatusForm(Form):
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in INVITATION_LABELS.items()])


class InvitationAnswerForm(Form):
    answer = HiddenField(validators=[DataRequired()])


class RefuseInvitationsForm(Form):
    choice = HiddenField(validators=[DataRequired(), AnyOf(["refuse", "allow"])])
