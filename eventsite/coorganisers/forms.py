"""Forms check shape; the services check state."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, StringField
from wtforms.validators import DataRequired, Email, Length

from ..core.forms import Form, strip_whitespace


class FocalPointForm(Form):
    focal_name = StringField(_l("Focal point"), validators=[DataRequired(), Length(max=200)],
                             filters=[strip_whitespace])
    focal_email = EmailField(_l("Focal point's e-mail"), validators=[DataRequired(), Email(), Length(max=320)],
                             filters=[strip_whitespace])


class ResendForm(Form):
    """Only the CSRF token: sending the link again."""


class AnswerForm(Form):
    answer = HiddenField(validators=[DataRequired()])
