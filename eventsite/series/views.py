"""Series pages: a thread of events across forums, its list and its staff form."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import show_error
from ..errors import DomainError
from ..extensions import db
from . import queries, services
from .forms import SeriesForm

bp = Blueprint("series", __name__)


@bp.get("/series/<slug>")
def show(slug):
    series = queries.series_by_slug(slug) or abort(404)
    return render_template("series/show.html", series=series, events=queries.listed_events(series),
                           can_manage=authz.can(current_user, "series.manage"))


@bp.route("/staff/series", methods=["GET", "POST"])
@login_required
def manage():
    authz.require("series.manage")
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            series = services.save_series(form.title.data, form.description.data or "", user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Series created. Organisers can now add their events to it."), "success")
            return redirect(url_for("series.show", slug=series.slug))
    return render_template("series/manage.html", form=form, all_series=queries.all_series())


@bp.route("/series/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    series = queries.series_by_slug(slug) or abort(404)
    authz.require("series.manage")
    form = SeriesForm(obj=series)
    if form.validate_on_submit():
        try:
            services.save_series(form.title.data, form.description.data or "", user=current_user, series=series)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Series saved."), "success")
            return redirect(url_for("series.show", slug=series.slug))
    return render_template("series/form.html", form=form, series=series)
