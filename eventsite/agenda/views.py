from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import form_values, show_error
from ..errors import DomainError
from ..events.queries import event_by_slug
from ..extensions import db
from ..speakers.labels import ROLE_LABELS
from . import services
from .forms import ITEM_KIND_LABELS, AgendaItemForm, MoveForm
from .models import ItemKind

bp = Blueprint("agenda", __name__)


def _editable_event(slug):
    event = event_by_slug(slug) or abort(404)
    authz.require("event.view", event)
    authz.require("event.edit", event)
    return event


def _item_of(event, item_id):
    return next((i for i in event.agenda_items if i.id == item_id), None) or abort(404)


def _item_input(form) -> services.AgendaItemInput:
    return services.AgendaItemInput(
        title=form.title.data.strip(), kind=ItemKind(form.kind.data), start=form.start.data, end=form.end.data,
        minutes=form.minutes.data, description=(form.description.data or "").strip(), parallel=form.parallel.data,
        day=_chosen_day(form))


def _chosen_day(form):
    from datetime import date
    if not getattr(form, "show_day", False) or not form.day.data:
        return None
    try:
        return date.fromisoformat(form.day.data)
    except ValueError:
        return None


def _save(event, form, item=None):
    """True when the item was saved; otherwise the error now stands beside its field."""
    try:
        services.save_agenda_item(event, _item_input(form), user=current_user, item=item)
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return False
    db.session.commit()
    return True


@bp.route("/events/<slug>/agenda", methods=["GET", "POST"])
@login_required
def manage(slug):
    event = _editable_event(slug)
    form = AgendaItemForm() if request.method == "POST" else AgendaItemForm(start=services.next_free_start(event))
    form.offer_days(event)
    if form.validate_on_submit() and _save(event, form):
        flash(_("Agenda item added."), "success")
        return redirect(url_for("agenda.manage", slug=event.slug))
    return render_template("agenda/manage.html", event=event, form=form, move_form=MoveForm(),
                           kinds=ITEM_KIND_LABELS, problems=services.agenda_problems(event)), \
        422 if form.errors else 200


@bp.route("/events/<slug>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug, item_id):
    event = _editable_event(slug)
    item = _item_of(event, item_id)
    form = AgendaItemForm() if request.method == "POST" else AgendaItemForm(
        **form_values(item, "title", "kind", "description", "parallel"),
        start=item.local_start.time(), end=item.local_end.time(), day=item.local_start.date().isoformat())
    form.offer_days(event)
    if form.validate_on_submit() and _save(event, form, item):
        flash(_("Agenda item saved."), "success")
        return redirect(url_for("agenda.manage", slug=event.slug))
    return render_template("agenda/edit.html", event=event, item=item, form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@login_required
def delete(slug, item_id):
    event = _editable_event(slug)
    if request.method == "GET":  # the Remove button leads here first: nothing goes on one click
        item = _item_of(event, item_id)
        return render_template("_confirm.html", event=event, heading=_("Remove “%(title)s”?", title=item.title),
                               message=_("The item leaves the agenda; speakers assigned to it stay on the event."),
                               action=url_for("agenda.delete", slug=slug, item_id=item_id),
                               button=_("Remove the item"), back=url_for("agenda.manage", slug=slug))
    if MoveForm().validate_on_submit():
        services.delete_agenda_item(_item_of(event, item_id), user=current_user)
        db.session.commit()
        flash(_("Agenda item removed."), "success")
    return redirect(url_for("agenda.manage", slug=event.slug))


@bp.post("/events/<slug>/agenda/<int:item_id>/move/<any(up, down):direction>")
@login_required
def move(slug, item_id, direction):
    event = _editable_event(slug)
    if MoveForm().validate_on_submit():
        try:
            services.move_agenda_item(_item_of(event, item_id), -1 if direction == "up" else 1, user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
    return redirect(url_for("agenda.manage", slug=event.slug, _anchor=f"item-{item_id}"))


@bp.get("/events/<slug>/programme")
def printable(slug):
    """The one-page programme: header, running order with speakers, speaker list."""
    event = event_by_slug(slug) or abort(404)
    authz.require("event.view", event)
    insider = authz.can(current_user, "event.view_private", event)
    speakers = [s for s in event.speakers if insider or s.is_confirmed]
    return render_template("agenda/print.html", event=event, speakers=speakers, kinds=ITEM_KIND_LABELS,
                           roles=ROLE_LABELS)
