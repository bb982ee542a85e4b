from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import Form
from .labels import ITEM_KIND_LABELS


class AgendaItemForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in ITEM_KIND_LABELS.items()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[Optional()])
    minutes = IntegerField(_l("or duration in minutes"), validators=[Optional(), NumberRange(min=1, max=24 * 60)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    parallel = BooleanField(_l("Runs in parallel with other items"))


class MoveForm(Form):
    """A bare form for the small buttons (move, remove) that only need the CSRF token."""
