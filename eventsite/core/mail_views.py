"""Staff watch the outbox: what waits, what failed for good, and a button to send a failed message again."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..extensions import db
from . import mail, mail_preferences
from .forms import Form

bp = Blueprint("mail", __name__, url_prefix="/staff/mail")


@bp.get("")
@login_required
def failed():
    authz.require("outbox.manage")
    return render_template("core/mail_failed.html", counts=mail.outbox_counts(), messages=mail.failed_messages(),
                           form=Form(), opt_outs=mail_preferences.count_opt_outs(),
                           categories=mail_preferences.CATEGORIES)


@bp.post("/<int:message_id>/retry")
@login_required
def retry(message_id):
    authz.require("outbox.manage")
    if not Form().validate_on_submit():
        abort(400)
    message = db.session.get(mail.OutboxMessage, message_id) or abort(404)
    mail.retry_failed(message, user=current_user)
    db.session.commit()
    flash(_("The message to %(recipient)s will be sent again.", recipient=message.recipient), "success")
    return redirect(url_for("mail.failed"))
