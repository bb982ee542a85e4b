"""Co-organisers' focal points and answers: the lead organiser's page, and the focal point's page."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import show_error
from ..errors import DomainError
from ..events.models import EventOrganiser
from ..events.queries import event_by_slug
from ..extensions import db
from . import services
from .forms import AnswerForm, FocalPointForm, ResendForm

bp = Blueprint("coorganisers", __name__)


def _event(slug):
    event = event_by_slug(slug) or abort(404)
    authz.require("event.view", event)
    authz.require("event.co_organisers", event)
    return event


def _link(event, link_id) -> EventOrganiser:
    link = db.session.get(EventOrganiser, link_id)
    if link is None or link.event_id != event.id or link.position == 0:
        abort(404)
    return link


def _page(event, forms=None, status=200):
    forms = forms or {}
    for link in event.co_organisers:
        forms.setdefault(link.id, FocalPointForm(prefix=f"o{link.id}", formdata=None, obj=link))
    return render_template("coorganisers/manage.html", event=event, forms=forms, resend_form=ResendForm(),
                           must_confirm=bool(event.forum and event.forum.co_organisers_must_confirm),
                           state_text=services.state_text), status


@bp.get("/events/<slug>/co-organisers")
@login_required
def manage(slug):
    return _page(_event(slug))


@bp.post("/events/<slug>/co-organisers/<int:link_id>/focal-point")
@login_required
def focal_point(slug, link_id):
    event = _event(slug)
    link = _link(event, link_id)
    form = FocalPointForm(prefix=f"o{link.id}")
    if form.validate_on_submit():
        try:
            sent = services.set_focal_point(link, name=form.focal_name.data, email=form.focal_email.data,
                                            user=current_user, locale=str(get_locale()))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The link to confirm was sent to %(email)s.", email=link.focal_email) if sent
                  else _("Focal point saved."), "success")
            return redirect(url_for("coorganisers.manage", slug=event.slug))
    return _page(event, {link.id: form}, 422 if form.errors else 200)


@bp.post("/events/<slug>/co-organisers/<int:link_id>/resend")
@login_required
def resend(slug, link_id):
    event = _event(slug)
    link = _link(event, link_id)
    if ResendForm().validate_on_submit():
        try:
            services.resend(link, user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The link to confirm was sent again to %(email)s.", email=link.focal_email), "success")
    return redirect(url_for("coorganisers.manage", slug=event.slug))


@bp.route("/co-organisers/confirm/<token>", methods=["GET", "POST"])
def answer(token):
    """The focal point answers here from the e-mailed link, without an account; opening it answers nothing."""
    try:
        link = services.link_for_token(token)
    except DomainError as error:
        return render_template("coorganisers/answer.html", error=error.message, link=None), 400
    form = AnswerForm()
    if form.validate_on_submit() and form.answer.data in ("confirm", "decline"):
        services.answer(link, form.answer.data == "confirm", locale=str(get_locale()))
        db.session.commit()
        flash(_("Thank you: %(organisation)s's answer is recorded and the organisers are told.",
                organisation=link.organisation.name), "success")
        return redirect(url_for("coorganisers.answer", token=token))
    return render_template("coorganisers/answer.html", link=link, event=link.event, form=form, error=None)
