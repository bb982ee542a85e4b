"""The activity log of an event (its organisers and staff) and of a forum (staff)."""
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from .. import authz
from ..core.dates import day_text
from ..core.documents import csv_bytes
from ..core.languages import arrow
from ..core.web import download, whole_number
from ..events.labels import FORMAT_LABELS, ROLE_LABELS, STATUS_LABELS
from ..events.queries import forum_by_slug
from ..events.models import Event
from ..extensions import db
from . import queries
from .forms import ActivityFilterForm
from .services import FIELD_LABELS, KIND_LABELS, SUMMARY_STATUS_LABELS

bp = Blueprint("activity", __name__)


def _event_or_404(slug) -> Event:
    event = db.session.scalar(db.select(Event).where(Event.slug == slug)) or abort(404)
    authz.require("event.view", event)
    authz.require("activity.event", event)
    return event


def _forum_or_404(slug):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("activity.forum", forum)
    return forum


def _filters(form: ActivityFilterForm) -> queries.Filters:
    form.validate()  # a mistyped date is shown beside its field and ignored
    actor = form.actor.data or ""
    return queries.Filters(kind=form.kind.data if form.kind.data in KIND_LABELS else "",
                           actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
                           date_from=None if form.date_from.errors else form.date_from.data,
                           date_to=None if form.date_to.errors else form.date_to.data)


def value_text(field: str, value) -> str:
    """A logged value as the reader's language writes it."""
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    labels = {"status": {s.value: label for s, label in STATUS_LABELS.items()},
              "format": {f.value: label for f, label in FORMAT_LABELS.items()},
              "summary": SUMMARY_STATUS_LABELS, "role": ROLE_LABELS}.get(field)
    if labels is not None:
        return str(labels.get(value, value))
    if field == "day":
        return day_text(date.fromisoformat(value), weekday=False)
    return str(value)


def change_lines(entry) -> list[str]:
    """"Room: Conference Room 4 → Conference Room 6", the arrow pointing the way the reader's language runs."""
    return [f"{FIELD_LABELS.get(name, name)}: {value_text(name, before)} {arrow()} {value_text(name, after)}"
            for name, before, after in entry.changes]


def _page(template_args: dict, *, event=None, forum=None):
    tz_name = event.timezone if event is not None else forum.timezone
    form = ActivityFilterForm(request.args, actors=queries.actors(event=event, forum=forum),
                              forum_wide=forum is not None)
    filters = _filters(form)
    page = queries.page_of(filters, tz_name, request.args.get("page", 1, type=whole_number), event=event, forum=forum)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("activity/log.html", form=form, page=page, args=args, tz_name=tz_name,
                           kind_labels=KIND_LABELS, change_lines=change_lines, event=event, forum=forum,
                           **template_args)


def _csv(name: str, *, event=None, forum=None):
    tz_name = event.timezone if event is not None else forum.timezone
    form = ActivityFilterForm(request.args, actors=(), forum_wide=forum is not None)
    rows = [[entry.at.isoformat(timespec="seconds"), entry.event_title, str(KIND_LABELS[entry.kind]),
             entry.actor.name if entry.actor else "", entry.subject, "; ".join(change_lines(entry)), entry.note]
            for entry in queries.all_of(_filters(form), tz_name, event=event, forum=forum)]
    header = [_("When (UTC)"), _("Event"), _("Action"), _("By"), _("Concerning"), _("Changes"), _("Note")]
    return download(csv_bytes(header, rows), "text/csv; charset=utf-8", f"activity-{name}.csv", private=True)


@bp.get("/events/<slug>/activity")
@login_required
def event_log(slug):
    event = _event_or_404(slug)
    return _page({"title": _("Activity: %(title)s", title=event.title)}, event=event)


@bp.get("/events/<slug>/activity.csv")
@login_required
def event_log_csv(slug):
    event = _event_or_404(slug)
    return _csv(event.slug, event=event)


@bp.get("/forums/<slug>/activity")
@login_required
def forum_log(slug):
    forum = _forum_or_404(slug)
    return _page({"title": _("Activity: %(name)s", name=forum.name)}, forum=forum)


@bp.get("/forums/<slug>/activity.csv")
@login_required
def forum_log_csv(slug):
    forum = _forum_or_404(slug)
    return _csv(forum.slug, forum=forum)
