"""The e-mails the accounts domain sends, each in the account's own language; the services decide when."""
from flask import render_template, url_for
from flask_babel import gettext as _

from ..core.languages import speaking
from ..core.mail import queue_mail


def send_reset_link(user, token: str, *, max_age: int) -> None:
    link = url_for("accounts.reset_password", token=token, _external=True)
    with speaking(user.locale):
        body = render_template("emails/password_reset.txt", user=user, link=link, minutes=max_age // 60)
        queue_mail(user.email, _("Reset your Eventsite password"), body)


def send_verification_link(user, token: str, *, max_age: int) -> None:
    link = url_for("accounts.verify_email", token=token, _external=True)
    with speaking(user.locale):
        body = render_template("emails/verify_email.txt", user=user, link=link, hours=max_age // 3600)
        queue_mail(user.email, _("Confirm your e-mail address for Eventsite"), body)


def send_signup_attempt(user) -> None:
    with speaking(user.locale):
        body = render_template("emails/signup_attempt.txt", user=user,
                               login=url_for("accounts.login", _external=True),
                               reset=url_for("accounts.reset_request", _external=True))
        queue_mail(user.email, _("Someone tried to create an Eventsite account with your address"), body)
