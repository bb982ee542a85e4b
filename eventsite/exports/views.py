from flask import Blueprint, abort, render_template, url_for

from .. import authz
from ..core.documents import csv_bytes
from ..core.web import XLSX, download
from ..events.queries import forum_by_slug
from . import programme as exports

bp = Blueprint("exports", __name__)


def _forum(slug, action):
    forum = forum_by_slug(slug) or abort(404)
    authz.require(action, forum)
    return forum


@bp.get("/forums/<slug>/programme.<any(csv, xlsx):kind>")
def programme(slug, kind):
    forum = _forum(slug, "forum.export")
    events = exports.programme_events(forum)

    def page_url(event):
        return url_for("events.show", slug=event.slug, _external=True)
    if kind == "csv":
        return download(exports.programme_csv(events, page_url), "text/csv; charset=utf-8", f"{forum.slug}.csv",
                        private=True)
    return download(exports.programme_xlsx(events, page_url), XLSX, f"{forum.slug}-programme.xlsx", private=True)


@bp.get("/forums/<slug>/grid")
def grid(slug):
    forum = _forum(slug, "forum.export")
    return render_template("exports/grid.html", forum=forum, grid=exports.room_grid(exports.programme_events(forum)))


@bp.get("/forums/<slug>/registrations.<any(csv, xlsx):kind>")
def forum_registrations(slug, kind):
    forum = _forum(slug, "staff.area")
    rows = list(exports.forum_registrations(forum))
    if kind == "csv":
        return download(csv_bytes(exports.registration_header(), rows), "text/csv; charset=utf-8",
                        f"{forum.slug}-registrations.csv", private=True)
    return download(exports.registrations_xlsx(rows), XLSX, f"{forum.slug}-registrations.xlsx", private=True)
