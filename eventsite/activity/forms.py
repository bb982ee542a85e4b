"""The activity log's filters: a GET form that changes nothing."""
from flask_babel import lazy_gettext as _l, lazy_pgettext
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from ..core.forms import Form
from .services import KIND_LABELS


class ActivityFilterForm(Form):
    class Meta:
        csrf = False  # a GET search form changes nothing

    kind = SelectField(_l("Action"), validate_choice=False)
    actor = SelectField(_l("By"), validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(lazy_pgettext("date range", "To"), validators=[Optional()])

    def __init__(self, *args, actors=(), forum_wide=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("All actions"))] + [
            (key, label) for key, label in KIND_LABELS.items() if forum_wide or key != "event.deleted"]
        self.actor.choices = [("", _l("Anyone"))] + [(str(user.id), user.name) for user in actors]
