"""Calendar feeds over HTTP: text/calendar, ETag and Last-Modified from a one-query head
(the feed's owner and the fingerprint of its events), so an unchanged feed answers 304 in
one query, and a small per-worker cache serves an unchanged feed without building it again."""
import hashlib
from functools import partial

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..accounts.services import set_calendar_address
from ..core.cache import LruCache
from ..core.languages import catalogue_mark, speaking, supported
from ..events.models import LISTED_STATUSES, Event
from ..events.queries import tombstone
from ..extensions import db
from . import queries
from .calendar import build_calendar, current_site

bp = Blueprint("feeds", __name__)

FEED_FORMAT = "4"  # bump when the calendar layout changes, so clients and caches refetch


_cache = LruCache(32)  # the last few feeds built in this worker, keyed by their ETag


def feed_language() -> str:
    """A feed's language: ?lang= (a code or a tag: zh_Hans, zh-Hans), else English, since a feed's
    address is shared by everyone who subscribes to it."""
    return supported(request.args.get("lang")) or "en"


def _feed(kind: str, head: queries.FeedHead, filename: str, condition, *, private=False, meeting_ids=None,
          name=None, official=None):
    """Answer from the feed's one-query head: a 304, the cached body, or a fresh build, in the feed's language."""
    with_agenda = request.args.get("detail") == "agenda"
    language = feed_language()
    with speaking(language):
        name = name() if name else head.name
    newest = head.mark[1]  # (count, newest updated_at, sum of ids, ...)
    base_url = url_for("events.home", _external=True)
    tag = hashlib.sha256(f"{FEED_FORMAT}|{kind}|{with_agenda}|{language}|{catalogue_mark(language)}|{base_url}|{head.mark}|{name}"
                         .encode()).hexdigest()[:32]
    headers = {"Cache-Control": ("private" if private else "public") + ", max-age=300, must-revalidate",
               "Content-Disposition": f'inline; filename="{filename}.ics"'}
    response = Response(mimetype="text/calendar", headers=headers)
    response.charset = "utf-8"
    response.set_etag(tag)
    if newest is not None:
        response.last_modified = newest
    if request.if_none_match.contains(tag) or (
            not request.if_none_match and newest is not None and request.if_modified_since
            and request.if_modified_since >= newest.replace(microsecond=0)):
        response.status_code = 304
        return response
    cache_key = (tag,)
    body = _cache.get(cache_key) if current_app.config.get("FEED_CACHE", True) else None
    if body is None:
        with speaking(language):
            body = build_calendar(queries.feed_snapshot(condition, meeting_ids() if meeting_ids else frozenset()),
                                  current_site(), name=name, with_agenda=with_agenda,
                                  official=official() if official else ())
        _cache.put(cache_key, body)
    response.set_data(body)
    return response


@bp.get("/events/<slug>.ics")
def event_feed(slug):
    head = queries.event_head(slug)
    if head is None:
        abort(410 if tombstone(slug) else 404)  # calendar clients drop a feed that is gone
    if head.detail not in LISTED_STATUSES:  # a draft: only its team may see it, so ask
        authz.require("event.view", db.session.get(Event, head.id))
    return _feed("event", head, slug, Event.id == head.id, private=head.detail not in LISTED_STATUSES)


@bp.get("/forums/<slug>.ics")
def forum_feed(slug):
    head = queries.forum_head(slug) or abort(404)
    # the forum's official meetings are in its feed, marked so (forum_head counts them in its mark)
    return _feed("forum", head, slug, queries.forum_condition(head.id),
                 official=partial(queries.official_entries, head.id))


@bp.get("/series/<slug>.ics")
def series_feed(slug):
    head = queries.series_head(slug) or abort(404)
    return _feed("series", head, f"series-{slug}", queries.series_condition(head.id))


@bp.get("/forums/<slug>/rooms/<int:room_id>.ics")
def room_feed(slug, room_id):
    head = queries.room_head(slug, room_id) or abort(404)
    return _feed("room", head, f"{slug}-room-{room_id}", queries.room_condition(room_id))


@bp.get("/organisations/<int:organisation_id>.ics")
def organisation_feed(organisation_id):
    head = queries.organisation_head(organisation_id) or abort(404)
    return _feed("organisation", head, f"organisation-{organisation_id}",
                 queries.organisation_condition(organisation_id))


@bp.get("/feeds/personal/<token>.ics")
def personal_feed(token):
    head = queries.personal_head(token) if len(token) >= 32 else None
    if head is None:
        abort(404)
    owner = head.name
    condition = queries.personal_condition(head.id, head.detail, head.detail is not None)
    # Built only with the body: the head's mark already counts the seats that decide the links.
    meeting_ids = partial(queries.meeting_event_ids, head.id, head.detail, head.detail is not None)
    return _feed(f"personal-{head.id}", head, "my-events", condition, private=True, meeting_ids=meeting_ids,
                 name=lambda: _("My events — %(name)s", name=owner))


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def personal_settings():
    """Show, create, renew or revoke the secret address of the user's personal feed."""
    if request.method == "POST":
        return _change_calendar_address(request.form.get("action"))
    token = current_user.calendar_token
    url = url_for("feeds.personal_feed", token=token, _external=True) if token else None
    return render_template("feeds/personal.html", url=url)


@bp.route("/account/calendar/<any(renew, revoke):action>", methods=["GET", "POST"])
@login_required
def confirm_calendar_change(action):
    """A new address or none breaks every subscription to the old one: asked first, without JavaScript."""
    if request.method == "POST":
        return _change_calendar_address(action)
    if current_user.calendar_token is None:
        return redirect(url_for("feeds.personal_settings"))
    heading, button = {"renew": (_("Make a new private address?"), _("Make a new address")),
                       "revoke": (_("Turn your calendar feed off?"), _("Turn the feed off"))}[action]
    return render_template("_confirm.html", heading=heading, button=button, back=url_for("feeds.personal_settings"),
                           message=_("Calendars subscribed to the current address will stop updating."),
                           action=url_for("feeds.confirm_calendar_change", action=action))


def _change_calendar_address(action):
    set_calendar_address(current_user, on=action != "revoke")
    if action == "revoke":
        flash(_("The old address no longer works. Calendars subscribed to it will stop updating."), "success")
    else:
        flash(_("Your calendar has a new private address; the previous one no longer works.")
              if action == "renew" else _("Your private calendar address is ready."), "success")
    db.session.commit()
    return redirect(url_for("feeds.personal_settings"))
