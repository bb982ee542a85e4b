"""The forum's and the event's dashboard, and each chart and table as SVG, PNG or CSV."""
import csv
import hashlib
import io

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import authz
from ..core.languages import catalogue_mark, is_rtl
from ..events.models import Event
from ..events.queries import forum_by_slug
from ..extensions import db
from . import queries

bp = Blueprint("dashboard", __name__)
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv"}


def _etag(mark) -> str:
    locale = str(get_locale())
    key = (request.full_path, current_user.get_id(), locale, catalogue_mark(locale), mark)
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def _not_modified(etag: str) -> Response | None:
    if request.if_none_match.contains(etag):
        response = Response(status=304, headers={"Cache-Control": "private, no-cache"})
        response.set_etag(etag)
        return response
    return None


def _finish(response, etag: str):
    response = current_app.make_response(response)
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(etag)
    return response


def _services():
    """The dashboards' services, and with them the charts module: loaded by the first dashboard, not by
    every web worker."""
    from . import services
    return services


def _chart_svg(chart, *, standalone=False, for_png=False) -> str:
    from ..core.charts import svg
    services = _services()
    return svg(chart, rtl=is_rtl(), lang=str(get_locale()), number=services.number, standalone=standalone,
               for_png=for_png)


def _download(item, fmt: str, filename: str) -> Response:
    services = _services()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(item.header)
        writer.writerows(services.table_rows(item))
        body = "\ufeff" + out.getvalue()  # a BOM, so that spreadsheets read the text as UTF-8
    elif not hasattr(item, "series"):
        abort(404)  # a table has no picture
    elif fmt == "svg":
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _chart_svg(item, standalone=True)
    else:
        from ..core.chart_png import png  # draws in a child process: Typst never enters the web worker
        body = png(_chart_svg(item, standalone=True, for_png=True))
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _forum_sections(forum, mark, *, full_tables=False):
    """The dashboard's charts and tables in the reader's language, each chart with its SVG drawn: built
    once per change and language in each worker, so an unchanged dashboard only renders its template."""
    services = _services()
    locale = str(get_locale())
    key = ("sections", forum.id, mark, locale, catalogue_mark(locale), full_tables)
    sections = services.sections_cache.get(key)
    if sections is None:
        figures = services.forum_figures(forum, summary_due_days=current_app.config["RAPPORTEUR_REMINDER_DAYS"])
        sections = services.forum_dashboard(forum, figures, full_tables=full_tables)
        for _heading, items in sections:
            for item in items:
                if hasattr(item, "series"):
                    item.markup = _chart_svg(item)
        services.sections_cache.put(key, sections)
    return sections


@bp.get("/forums/<slug>/dashboard")
@login_required
def forum(slug):
    services = _services()
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.dashboard", forum)
    mark = services.fingerprint(forum)
    etag = _etag(mark)
    if (cached := _not_modified(etag)) is not None:
        return cached
    sections = _forum_sections(forum, mark)
    return _finish(render_template("dashboards/forum.html", forum=forum, sections=sections, chart_svg=_chart_svg, format_decimal=services.number,
                                   download="dashboard.forum_download", slug=forum.slug), etag)


@bp.get("/forums/<slug>/dashboard/<key>.<fmt>")
@login_required
def forum_download(slug, key, fmt):
    services = _services()
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.dashboard", forum)
    if fmt not in FORMATS:
        abort(404)
    mark = services.fingerprint(forum)
    etag = _etag(mark)
    if (cached := _not_modified(etag)) is not None:
        return cached
    sections = _forum_sections(forum, mark, full_tables=True)
    item = services.find(sections, key) or abort(404)
    return _finish(_download(item, fmt, f"{forum.slug}-{key}"), etag)


def _event_or_404(slug):
    event = db.session.scalar(select(Event).options(joinedload(Event.forum)).where(Event.slug == slug)) or abort(404)
    authz.require("event.view", event)
    authz.require("event.dashboard", event)
    return event


@bp.get("/events/<slug>/dashboard")
@login_required
def event(slug):
    services = _services()
    event = _event_or_404(slug)
    etag = _etag(queries.event_fingerprint(event.id))
    if (cached := _not_modified(etag)) is not None:
        return cached
    return _finish(render_template("dashboards/event.html", event=event, sections=services.event_dashboard(event),
                                   chart_svg=_chart_svg, format_decimal=services.number,
                                   download="dashboard.event_download", slug=event.slug), etag)


@bp.get("/events/<slug>/dashboard/<key>.<fmt>")
@login_required
def event_download(slug, key, fmt):
    services = _services()
    event = _event_or_404(slug)
    if fmt not in FORMATS:
        abort(404)
    item = services.find(services.event_dashboard(event), key) or abort(404)
    return _download(item, fmt, f"{event.slug}-{key}")
