"""The public read-only API's endpoints; flask-smorest documents them in the OpenAPI 3.1 document.

The endpoints are registered on a routing-only Flask application (`router`), which never serves a
request itself: it holds the URL map and the document. eventsite.api's two URL rules send every
/api/v1 request here, in the site's own request context, so sessions, languages, the database and
the error handlers are the site's.
"""
from flask import Flask, Response, current_app, render_template, request, url_for
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import NotFound

from ..core.page_cache import cached_page
from ..errors import DomainError
from ..events.models import Format, OrganisationKind
from ..events.queries import ProgrammeFilters
from . import PREFIX, error_response
from . import queries

blp = Blueprint("api", __name__, url_prefix=PREFIX, description="The programme: forums, events, agendas, "
                "speakers and summaries, as published.")


def _json_cached(fingerprint):
    return cached_page(fingerprint, mimetype="application/json")


def _not_found(what: str):
    return error_response(404, [{"field": None, "message": f"No {what} at this address."}])


# ---------------------------------------------------------------- schemas

class RoomSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    capacity = fields.Integer(allow_none=True)
    accessibility_notes = fields.String()


class ForumSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    theme = fields.String()
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    timezone = fields.String(required=True, metadata={"description": "IANA timezone, e.g. America/New_York"})
    venue = fields.String()
    rooms = fields.List(fields.Nested(RoomSchema))
    event_count = fields.Integer(metadata={"description": "Published, held and cancelled events"})
    url = fields.Url(metadata={"description": "The forum's programme page"})


class ForumListSchema(Schema):
    data = fields.List(fields.Nested(ForumSchema), required=True)


class OrganiserSchema(Schema):
    name = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf([k.value for k in OrganisationKind]))
    country = fields.String(allow_none=True, metadata={"description": "ISO 3166-1 alpha-2"})


class AccessibilitySchema(Schema):
    captioning = fields.Boolean()
    sign_language = fields.Boolean()
    notes = fields.String()


class ContactSchema(Schema):
    name = fields.String()
    email = fields.Email()


class EventSchema(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    subtitle = fields.String()
    status = fields.String(required=True, validate=validate.OneOf(["published", "held", "cancelled"]))
    status_reason = fields.String(metadata={"description": "Why it was cancelled, if it was"})
    forum = fields.String(allow_none=True, metadata={"description": "The forum's slug"})
    starts_at = fields.String(required=True, metadata={"format": "date-time",
                                                       "description": "In the event's timezone, with its offset"})
    ends_at = fields.String(required=True, metadata={"format": "date-time"})
    timezone = fields.String(required=True)
    room = fields.Nested(RoomSchema, allow_none=True)
    place = fields.String(metadata={"description": "Room and venue, or the external venue, as one line"})
    external_venue = fields.String()
    format = fields.String(required=True, validate=validate.OneOf([f.value for f in Format]))
    languages = fields.List(fields.String())
    interpretation_languages = fields.List(fields.String())
    accessibility = fields.Nested(AccessibilitySchema)
    organisers = fields.List(fields.Nested(OrganiserSchema))
    sdgs = fields.List(fields.Integer(validate=validate.Range(1, 17)))
    contact = fields.Nested(ContactSchema, allow_none=True,
                            metadata={"description": "Only where the organiser made the contact public"})
    url = fields.Url(metadata={"description": "The event's page"})
    updated_at = fields.String(metadata={"format": "date-time"})


class EventPageSchema(Schema):
    data = fields.List(fields.Nested(EventSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True,
                                metadata={"description": "Pass as ?cursor= for the next page; null on the last"})
    next = fields.Url(allow_none=True, required=True, metadata={"description": "The next page's address"})


class SpeakerSchema(Schema):
    name = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "moderator, speaker, panellist, …"})
    position = fields.String()
    organisation = fields.String()
    agenda_item = fields.Integer(allow_none=True, metadata={"description": "The agenda item's id, if any"})


class AgendaItemSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    kind = fields.String()
    description = fields.String()
    starts_at = fields.String(required=True, metadata={"format": "date-time"})
    ends_at = fields.String(required=True, metadata={"format": "date-time"})
    parallel = fields.Boolean()
    speakers = fields.List(fields.Nested(SpeakerSchema))


class EventDetailSchema(EventSchema):
    agenda = fields.List(fields.Nested(AgendaItemSchema))
    speakers = fields.List(fields.Nested(SpeakerSchema))
    has_summary = fields.Boolean()


class AgendaSchema(Schema):
    data = fields.List(fields.Nested(AgendaItemSchema), required=True)


class SpeakerListSchema(Schema):
    data = fields.List(fields.Nested(SpeakerSchema), required=True)


class SummarySchema(Schema):
    event = fields.String(required=True)
    template = fields.String()
    header = fields.Dict(keys=fields.String(), metadata={"description": "title, when, venue, organisers"})
    sections = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                           metadata={"description": "Section key: its paragraphs or bullets"})
    published_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class EventQuerySchema(Schema):
    forum = fields.String(metadata={"description": "A forum's slug"})
    day = fields.Date(metadata={"description": "YYYY-MM-DD, in the forum's timezone (UTC without forum)"})
    sdg = fields.Integer(validate=validate.Range(1, 17))
    organiser_type = fields.Enum(OrganisationKind, by_value=True)
    format = fields.Enum(Format, by_value=True)
    room = fields.Integer(metadata={"description": "A room's id"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Words in title, organisers, "
                                                                                   "concept note"})
    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class FieldErrorSchema(Schema):
    field = fields.String(allow_none=True, metadata={"description": "The parameter or field at fault, if one is"})
    message = fields.String(required=True)


class ErrorsSchema(Schema):
    errors = fields.List(fields.Nested(FieldErrorSchema), required=True)


class _Api(Api):
    ERROR_SCHEMA = ErrorsSchema  # every documented error response has the API's one error shape


# ---------------------------------------------------------------- endpoints

@blp.route("/forums")
@_json_cached(lambda: queries.forums_fingerprint())
@blp.response(200, ForumListSchema)
def list_forums():
    """Every forum, newest first, with its rooms."""
    return {"data": queries.forums()}


@blp.route("/forums/<slug>")
@_json_cached(lambda slug: queries.forums_fingerprint() + (slug,))
@blp.response(200, ForumSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def show_forum(slug):
    """One forum with its rooms."""
    return queries.forum(slug) or _not_found("forum")


@blp.route("/events")
@_json_cached(lambda: queries.events_fingerprint(request.args.get("forum")))
@blp.arguments(EventQuerySchema, location="query", as_kwargs=True)
@blp.response(200, EventPageSchema)
@blp.alt_response(404, schema=ErrorsSchema)
@blp.alt_response(422, schema=ErrorsSchema)
def list_events(forum=None, day=None, sdg=None, organiser_type=None, format=None, room=None, q="", cursor=None,
                limit=50):
    """Published, held and cancelled events in programme order, filtered, a page at a time."""
    filters = ProgrammeFilters(day=day, room_id=room, sdg=sdg, organiser_kind=organiser_type, format=format,
                               text=(q or "").strip())
    try:
        page = queries.events_page(filters, forum_slug=forum, cursor=cursor, limit=limit)
    except DomainError as error:
        return error_response(422, [{"field": error.field, "message": str(error.message)}])
    if page is None:
        return error_response(404, [{"field": "forum", "message": "No forum has this slug."}])
    following = None
    if page.next_cursor:
        following = url_for("api.dispatch", path="events", _external=True,
                            **{**request.args.to_dict(), "cursor": page.next_cursor})
    return {"data": page.data, "next_cursor": page.next_cursor, "next": following}


@blp.route("/events/<slug>")
@_json_cached(queries.event_fingerprint)
@blp.response(200, EventDetailSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def show_event(slug):
    """One published, held or cancelled event, with its agenda and confirmed speakers."""
    return queries.event_detail(slug) or _not_found("public event")


@blp.route("/events/<slug>/agenda")
@_json_cached(queries.event_fingerprint)
@blp.response(200, AgendaSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def event_agenda(slug):
    """The event's agenda items in order, each with its confirmed speakers."""
    items = queries.agenda(slug)
    return _not_found("public event") if items is None else {"data": items}


@blp.route("/events/<slug>/speakers")
@_json_cached(queries.event_fingerprint)
@blp.response(200, SpeakerListSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def event_speakers(slug):
    """The public speaker list: confirmed speakers in the official order."""
    people = queries.speakers(slug)
    return _not_found("public event") if people is None else {"data": people}


@blp.route("/events/<slug>/summary")
@_json_cached(queries.summary_fingerprint)
@blp.response(200, SummarySchema)
@blp.alt_response(404, schema=ErrorsSchema)
def event_summary(slug):
    """The event's post-event summary, once the secretariat has published it."""
    return queries.summary(slug) or _not_found("published summary")


# ---------------------------------------------------------------- the router and its document

def _build_router() -> tuple[Flask, Api]:
    router = Flask(__name__)
    router.config.update(API_TITLE="Eventsite API", API_VERSION="v1", OPENAPI_VERSION="3.1.0")
    api = _Api(router, spec_kwargs={"info": {"description": (
        "The side-event programme as published: read-only, no key needed, CORS open to every origin. "
        "Lists are paged with an opaque cursor; every answer has an ETag, and a request with If-None-Match "
        "is answered 304 while nothing changed. Errors are {\"errors\": [{\"field\", \"message\"}]}.")}})
    api.register_blueprint(blp)
    return router, api


router, api = _build_router()
_document: dict | None = None


def openapi_document() -> dict:
    """The OpenAPI 3.1 document flask-smorest builds from the endpoints above, with this site's address."""
    global _document
    if _document is None:
        _document = api.spec.to_dict()
    return {**_document, "servers": [{"url": request.host_url.rstrip("/")}]}


def _docs_page():
    return render_template("api/docs.html", spec=openapi_document())


SPECIAL = {"/openapi.json": lambda: openapi_document(), "/docs": _docs_page,
           "/": _docs_page}


def dispatch():
    """Route one /api/v1 request through the API's own URL map."""
    path = request.path[len(PREFIX):] or "/"
    if path in SPECIAL:
        if request.method == "OPTIONS":
            return Response(status=204)
        if request.method not in ("GET", "HEAD"):
            return error_response(405, [{"field": None, "message": "This address is read-only."}],
                                  {"Allow": "GET, HEAD, OPTIONS"})
        return SPECIAL[path]()
    adapter = router.url_map.bind_to_environ(request.environ)
    if request.method == "OPTIONS":  # a CORS preflight: the headers say what is allowed
        adapter.match(method="GET")
        return Response(status=204)
    try:
        endpoint, args = adapter.match()
    except NotFound:
        return error_response(404, [{"field": None, "message": "No API endpoint at this address."}])
    return current_app.ensure_sync(router.view_functions[endpoint])(**args)
