"""The webhooks page of an event (its editors) and of a forum (staff): add, remove, see deliveries."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import show_error
from ..errors import DomainError
from ..events import queries
from ..extensions import db
from . import services
from .forms import KIND_LABELS, WebhookForm
from .models import Webhook

bp = Blueprint("webhooks", __name__)


def _scope(kind, slug):
    if kind == "events":
        event = queries.event_for_registration(slug) or abort(404)
        authz.require("event.view", event)
        authz.require("event.edit", event)
        return {"event": event}, event.title, url_for("events.show", slug=slug)
    forum = queries.forum_by_slug(slug) or abort(404)
    authz.require("forum.manage", forum)
    return {"forum": forum}, forum.name, url_for("forums.programme", slug=slug)


@bp.route("/events/<slug>/webhooks", methods=["GET", "POST"])
@login_required
def event_webhooks(slug):
    return _manage("events", slug)


@bp.route("/forums/<slug>/webhooks", methods=["GET", "POST"])
@login_required
def forum_webhooks(slug):
    return _manage("forums", slug)


def _manage(kind, slug):
    scope, title, back = _scope(kind, slug)
    form = WebhookForm()
    created = None
    if form.validate_on_submit():
        try:
            created = services.create_webhook(form.url.data, form.kinds.data, user=current_user, **scope)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            form = WebhookForm(formdata=None)
    hooks = services.webhooks_of(**scope)
    response = current_app.make_response(render_template(
        "webhooks/manage.html", form=form, created=created, title=title, back=back, kind=kind, slug=slug,
        hooks=[(hook, services.deliveries_of(hook, limit=20)) for hook in hooks], kind_labels=KIND_LABELS,
        state=services.state, next_attempt=services.next_attempt))
    response.headers["Cache-Control"] = "no-store"  # a new secret is on it
    return response


@bp.route("/<any(events, forums):kind>/<slug>/webhooks/<int:webhook_id>/remove", methods=["GET", "POST"])
@login_required
def remove(kind, slug, webhook_id):
    scope, _title, _back = _scope(kind, slug)
    webhook = db.session.get(Webhook, webhook_id)
    target = scope.get("event") or scope.get("forum")
    if webhook is None or (webhook.event_id if kind == "events" else webhook.forum_id) != target.id:
        abort(404)
    manage = url_for("webhooks.event_webhooks" if kind == "events" else "webhooks.forum_webhooks", slug=slug)
    if request.method == "GET":  # the Remove link leads here first
        return render_template("_confirm.html", event=scope.get("event"),
                               heading=_("Remove the webhook to %(url)s?", url=webhook.url),
                               message=_("Nothing more is sent to it, and its delivery log goes with it."),
                               action=url_for("webhooks.remove", kind=kind, slug=slug, webhook_id=webhook_id),
                               button=_("Remove the webhook"), back=manage)
    services.delete_webhook(webhook, user=current_user)
    db.session.commit()
    flash(_("The webhook is removed; nothing more is sent to it."), "success")
    return redirect(manage)
