from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..core.forms import Form

PASSWORD_RULES = [DataRequired(), Length(min=10, max=200, message=_l("Use at least 10 characters."))]


class SignupForm(Form):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email(), Length(max=320)])
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Email()])


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class ChangePasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


CODE_FIELD = dict(validators=[DataRequired(), Length(max=40)])


class CodeForm(Form):
    """The second sign-in step, and confirming a change with a current code."""
    code = StringField(_l("Code"), description=_l("The 6-digit code your authenticator app shows, or one of your recovery codes."),
                       **CODE_FIELD)


class EnableTwoFactorForm(Form):
    code = StringField(_l("Code from the app"), description=_l("Type the 6 digits the app shows for Eventsite."),
                       **CODE_FIELD)


class DisableTwoFactorForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    code = StringField(_l("Code"), description=_l("From the authenticator app, or a recovery code."), **CODE_FIELD)


class SitePolicyForm(Form):
    two_factor_for_organisers = BooleanField(_l("Staff and forum organisers must sign in with two factors"))


class LanguageForm(Form):
    """The account's language: its pages when signed in, and every e-mail it is sent."""
    locale = SelectField(_l("Language"), description=_l("Pages when you are signed in, and every e-mail you receive."))


class ApiTokenForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Which app or script uses it, e.g. “Door check-in phone”."))
    scope = RadioField(_l("What it may do"), default="read", validators=[DataRequired()], choices=[
        ("read", _l("Read: my events and their registrations")),
        ("read_write", _l("Read and write: also check people in and edit agendas"))])
