from flask import Blueprint, Response, abort, render_template, url_for

from .. import authz
from ..core.documents import csv_bytes
from ..events.queries import forum_by_slug
from . import programme as exports

bp = Blueprint("exports", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _forum(slug, action):
    forum = forum_by_slug(slug) or abort(404)
    authz.require(action, forum)
    return forum


def _download(data, mimetype, filename):
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"',
                                                      "Cache-Control": "private, no-store"})


@bp.get("/forums/<slug>/programme.<any(csv, xlsx):kind>")
def programme(slug, kind):
    forum = _forum(slug, "forum.export")
    events = exports.programme_events(forum)

    def page_url(event):
        return url_for("events.show", slug=event.slug, _external=True)
    if kind == "csv":
        return _download(exports.programme_csv(events, page_url), "text/csv; charset=utf-8", f"{forum.slug}.csv")
    return _download(exports.programme_xlsx(events, page_url), XLSX, f"{forum.slug}-programme.xlsx")


@bp.get("/forums/<slug>/grid")
def grid(slug):
    forum = _forum(slug, "forum.export")
    return render_template("exports/grid.html", forum=forum, grid=exports.room_grid(exports.programme_events(forum)))


@bp.get("/forums/<slug>/registrations.<any(csv, xlsx):kind>")
def forum_registrations(slug, kind):
    forum = _forum(slug, "staff.area")
    rows = list(exports.forum_registrations(forum))
    if kind == "csv":
        return _download(csv_bytes(exports.REGISTRATION_HEADER, rows), "text/csv; charset=utf-8",
                         f"{forum.slug}-registrations.csv")
    return _download(exports.registrations_xlsx(rows), XLSX, f"{forum.slug}-registrations.xlsx")
