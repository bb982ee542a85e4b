"""Forms check shape; the services check state."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import Form

SIDE_EVENT_CHOICES = [("", _l("As the forum's setting says")), ("warn", _l("Warned about and flagged in review")),
                      ("refuse", _l("Refused: no side events during this meeting")),
                      ("allow", _l("Allowed without a warning"))]


class OfficialMeetingForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Such as “Opening plenary”, “Ministerial segment”, “VNR presentations”."))
    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    room = SelectField(_l("Room"), coerce=int, validate_choice=True)
    location = StringField(_l("Venue, if not a forum room"), validators=[Optional(), Length(max=300)],
                           description=_l("Such as “General Assembly Hall”."))
    side_events = SelectField(_l("Side events during it"), choices=SIDE_EVENT_CHOICES, default="")

    def __init__(self, *args, rooms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.room.choices = [(0, _l("— no room —"))] + [(room.id, room.name) for room in rooms]


class RemoveMeetingForm(Form):
    """Only the CSRF token."""
