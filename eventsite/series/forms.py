from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import Form


class SeriesForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("For example “Oceans”, for the oceans events held at every HLPF."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
