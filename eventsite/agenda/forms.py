from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import Form
from .labels import ITEM_KIND_LABELS


class AgendaItemForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in ITEM_KIND_LABELS.items()])
    day = SelectField(_l("Day"), validate_choice=False, validators=[Optional()],
                      description=_l("For an event over several days: the day the item starts."))
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[Optional()],
                    description=_l("An end earlier than the start is on the next day."))
    minutes = IntegerField(_l("or duration in minutes"), validators=[Optional(), NumberRange(min=1, max=24 * 60)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    parallel = BooleanField(_l("Runs in parallel with other items"))


    def offer_days(self, event) -> None:
        """The event's days as choices, when it runs over more than one (a reception past midnight counts
        as one: its items after midnight are found from their times)."""
        from ..core.dates import short_day
        first, last = event.local_start.date(), event.local_last_day
        days = [first.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]
        self.day.choices = [(d.isoformat(), short_day(d)) for d in days]
        self.show_day = len(days) > 1


class MoveForm(Form):
    """A bare form for the small buttons (move, remove) that only need the CSRF token."""
