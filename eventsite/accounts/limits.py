"""Rate limits on the doors an attacker knocks on: sign-in, sign-up, and anything that sends mail.

Each limit counts per client address and, where a form names one, per account or per
e-mail address, so neither many addresses against one account nor one address against
many accounts gets far. The numbers come from the RATELIMIT_* settings.
"""
from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from ..extensions import limiter


def _setting(name):
    return lambda: current_app.config[name]


def _submitted_email() -> str:
    # The path is part of the key: "send me my link" counts per event, not across them.
    return f"email:{request.path}:" + request.form.get("email", "").strip().lower()[:320]


def signed_in_user() -> str:
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "user:-"


def _failed(response) -> bool:
    # A sign-in that works redirects; anything else (wrong password, bad form) counts.
    return response.status_code != 302


def sign_in(view):
    """Per account every attempt counts; per client address only the failed ones, so many
    people signing in behind one office's address are not stopped by each other."""
    view = limiter.limit(_setting("RATELIMIT_SIGNIN"), key_func=_submitted_email, methods=["POST"],
                         scope="sign-in-account")(view)
    return limiter.limit(_setting("RATELIMIT_SIGNIN"), key_func=get_remote_address, methods=["POST"],
                         deduct_when=_failed, scope="sign-in-address")(view)


def mail_sending(setting: str, scope: str, *, by_user: bool = False):
    """For a form that makes the site send mail: per client address, and per recipient so
    nobody can make the site flood one mailbox."""
    def decorate(view):
        key = signed_in_user if by_user else _submitted_email
        view = limiter.limit(_setting("RATELIMIT_MAIL_TO_ADDRESS"), key_func=key, methods=["POST"],
                             scope=f"{scope}-recipient")(view)
        return limiter.limit(_setting(setting), key_func=get_remote_address, methods=["POST"],
                             scope=f"{scope}-address")(view)
    return decorate


def two_factor(pending_user_key):
    """The second sign-in step: per pending account and per client address."""
    def decorate(view):
        view = limiter.limit(_setting("RATELIMIT_TWO_FACTOR"), key_func=pending_user_key, methods=["POST"],
                             scope="two-factor-account")(view)
        return limiter.limit(_setting("RATELIMIT_SIGNIN"), key_func=get_remote_address, methods=["POST"],
                             deduct_when=_failed, scope="two-factor-address")(view)
    return decorate
