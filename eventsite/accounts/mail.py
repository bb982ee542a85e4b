"""The e-mails the accounts domain sends."""
from flask import current_app, render_template, url_for
from flask_babel import gettext as _

from ..core.mail import queue_mail
from .services import make_reset_token


def send_reset_link(user) -> None:
    token = make_reset_token(user, secret_key=current_app.config["SECRET_KEY"])
    link = url_for("accounts.reset_password", token=token, _external=True)
    body = render_template("emails/password_reset.txt", user=user, link=link,
                           minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)
    queue_mail(user.email, _("Reset your Eventsite password"), body)
