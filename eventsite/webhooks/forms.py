from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..core.forms import Form, MultiCheckboxField

KIND_LABELS = {
    "event.published": _l("The event is published"),
    "event.changed": _l("A published event's details change"),
    "event.cancelled": _l("The event is cancelled"),
    "registration.created": _l("Someone registers"),
    "registration.cancelled": _l("A registration is cancelled"),
}


class WebhookForm(Form):
    url = StringField(_l("Address that receives the notifications"), validators=[DataRequired(), Length(max=500)],
                      description=_l("A full https:// address on your server."))
    kinds = MultiCheckboxField(_l("Tell it when"), choices=list(KIND_LABELS.items()),
                               default=list(KIND_LABELS))
