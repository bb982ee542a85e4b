"""The public read-only API's endpoints; flask-smorest documents them in the OpenAPI 3.1 document.

The endpoints are registered on a routing-only Flask application (`router`), which never serves a
request itself: it holds the URL map and the document. eventsite.api's two URL rules send every
/api/v1 request here, in the site's own request context, so sessions, languages, the database and
the error handlers are the site's.
"""
from flask import Flask, Response, current_app, g, render_template, request, url_for
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields, validate
from werkzeug.exceptions import NotFound

from .. import authz
from ..accounts.models import Role
from ..agenda import services as agenda_services
from ..agenda.models import ItemKind
from ..agenda.services import AgendaItemInput
from ..core.forms import EARLIEST_DAY, LARGEST_NUMBER, LATEST_DAY
from ..core.page_cache import cached_page
from ..core.web import IdConverter, TextConverter
from ..errors import Conflict, DomainError, NotAllowed
from ..events import queries as event_queries
from ..events.models import Format, OrganisationKind
from ..events.access import SERVICE_KEYS
from ..events.queries import ProgrammeFilters
from ..extensions import db
from ..registrations import services as registration_services
from ..registrations.models import RegistrationStatus
from . import PREFIX, error_response
from . import queries
from .auth import Refused, token_required

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
    captioning = fields.Boolean(metadata={"description": "Live captioning (CART)"})
    sign_language = fields.Boolean()
    sign_languages = fields.List(fields.String(), metadata={"description": "Which sign languages, if said"})
    wheelchair_access = fields.Boolean()
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
    day = fields.Date(validate=validate.Range(EARLIEST_DAY, LATEST_DAY),  # every timezone converts them
                      metadata={"description": "YYYY-MM-DD, in the forum's timezone (UTC without forum)"})
    sdg = fields.Integer(validate=validate.Range(1, 17))
    organiser_type = fields.Enum(OrganisationKind, by_value=True)
    format = fields.Enum(Format, by_value=True)
    room = fields.Integer(validate=validate.Range(1, LARGEST_NUMBER), metadata={"description": "A room's id"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Words in title, organisers, "
                                                                                   "concept note"})
    service = fields.List(fields.String(validate=validate.OneOf(SERVICE_KEYS)), validate=validate.Length(max=4),
                          metadata={"description": "Services every event must offer; repeat for several: "
                                                   + ", ".join(SERVICE_KEYS)})
    interpretation = fields.String(validate=validate.Length(max=60),
                                   metadata={"description": "Interpreted into this language, e.g. French"})
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
                limit=50, service=(), interpretation=""):
    """Published, held and cancelled events in programme order, filtered, a page at a time."""
    filters = ProgrammeFilters(day=day, room_id=room, sdg=sdg, organiser_kind=organiser_type, format=format,
                               text=(q or "").strip(), services=tuple(service or ()),
                               interpretation=(interpretation or "").strip())
    try:
        page = queries.events_page(filters, forum_slug=forum, cursor=cursor, limit=limit)
    except DomainError as error:
        return error_response(422, [{"field": error.field, "message": str(error.message)}])
    if page is None:
        return error_response(404, [{"field": "forum", "message": "No forum has this slug."}])
    following = None
    if page.next_cursor:
        following = url_for("api.dispatch", path="events", _external=True,
                            **{**request.args.to_dict(flat=False), "cursor": page.next_cursor})
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


# ---------------------------------------------------------------- with a personal token

TOKEN = [{"token": []}]


class MyEventSchema(EventSchema):
    roles = fields.List(fields.String(validate=validate.OneOf([r.value for r in Role])))


class MyEventListSchema(Schema):
    data = fields.List(fields.Nested(MyEventSchema), required=True)


class RegistrationSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.String(allow_none=True)
    organisation = fields.String()
    position = fields.String()
    category = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in RegistrationStatus]))
    registered_at = fields.String(metadata={"format": "date-time"})
    checked_in_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    answers = fields.Dict(keys=fields.String(), metadata={"description": "Question label: the answer"})


class RegistrationListSchema(Schema):
    data = fields.List(fields.Nested(RegistrationSchema), required=True)


CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
NO_NUL = validate.Regexp(r"^[^\x00]*$", error="Must not contain a NUL character.")  # PostgreSQL stores no NUL


class CheckInSchema(Schema):
    code = fields.String(required=True, validate=[validate.Length(min=1, max=64), NO_NUL],
                         metadata={"description": "The code on the participant's confirmation (its QR code)"})


class CheckInResultSchema(Schema):
    registration = fields.Nested(RegistrationSchema, required=True)
    already_checked_in = fields.Boolean(required=True)




class AgendaItemInputSchema(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=300), NO_NUL])
    kind = fields.String(load_default="other", validate=validate.OneOf([k.value for k in ItemKind]))
    start = fields.Time(required=True, metadata={"description": "HH:MM, in the event's timezone",
                                                 "pattern": CLOCK})
    end = fields.Time(allow_none=True, load_default=None, metadata={"pattern": CLOCK})
    minutes = fields.Integer(allow_none=True, load_default=None, validate=validate.Range(1, 24 * 60))
    description = fields.String(load_default="", validate=[validate.Length(max=5000), NO_NUL])
    parallel = fields.Boolean(load_default=False)


def _refused(error: DomainError):
    status = 403 if isinstance(error, NotAllowed) else 409 if isinstance(error, Conflict) else 422
    return error_response(status, [{"field": error.field, "message": str(error.message)}])


def _visible_event(slug: str, user, load=event_queries.event_for_registration):
    """The event, or None when it does not exist or the caller may not know it does."""
    event = load(slug)
    return event if event is not None and authz.can(user, "event.view", event) else None


def _forbidden():
    return error_response(403, [{"field": None, "message": "Your account may not do this for this event."}])


@blp.route("/me/events")
@blp.doc(security=TOKEN)
@token_required()
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.response(200, MyEventListSchema)
def my_events():
    """The events in which the token's owner holds a role (drafts included), with the roles."""
    user = g.api_token.user
    return {"data": [{**queries.event_dict(event), "roles": sorted(r.value for r in roles)}
                     for event, roles in event_queries.events_of_user(user)]}


@blp.route("/events/<slug>/registrations")
@blp.doc(security=TOKEN)
@token_required()
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.response(200, RegistrationListSchema)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def event_registrations(slug):
    """Everyone registered for the event, for its organisers and staff (the same rule as the page)."""
    user = g.api_token.user
    event = _visible_event(slug, user)
    if event is None:
        return _not_found("event")
    if not authz.can(user, "registration.manage", event):
        return _forbidden()
    return {"data": queries.registrations(event)}


@blp.route("/events/<slug>/check-in", methods=["POST"])
@blp.doc(security=TOKEN)
@token_required(write=True)
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.arguments(CheckInSchema)
@blp.response(200, CheckInResultSchema)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def check_in(data, slug):
    """Check a participant in by the code on their confirmation; checking in twice says so."""
    user = g.api_token.user
    event = _visible_event(slug, user)
    if event is None:
        return _not_found("event")
    try:
        registration, fresh = registration_services.check_in_by(event, code=data["code"], user=user)
    except DomainError as error:
        db.session.rollback()
        if error.field is None and not isinstance(error, NotAllowed):
            error.field = "code"
        return _refused(error)
    db.session.commit()
    return {"registration": queries.registration_dict(registration, queries.answer_labels(event)), "already_checked_in": not fresh}


class OutcomeEntrySchema(Schema):
    event = fields.String(required=True, metadata={"description": "The event's slug"})
    title = fields.String(required=True)
    organisers = fields.List(fields.String())
    sdgs = fields.List(fields.Integer())
    key_issues = fields.List(fields.String())
    recommendations = fields.List(fields.String())


class OutcomeCountsSchema(Schema):
    events = fields.Integer()
    key_issues = fields.Integer()
    recommendations = fields.Integer()


class OutcomeSchema(Schema):
    forum = fields.String(required=True)
    counts = fields.Nested(OutcomeCountsSchema, required=True)
    summaries = fields.List(fields.Nested(OutcomeEntrySchema), required=True)


@blp.route("/forums/<slug>/outcome")
@blp.doc(security=TOKEN)
@token_required()
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.response(200, OutcomeSchema)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def forum_outcome(slug):
    """The forum's outcome report: its published summaries in programme order, for whoever may read it on the site."""
    from ..summaries.outcome import outcome
    user = g.api_token.user
    forum = event_queries.forum_by_slug(slug)
    if forum is None:
        return _not_found("forum")
    if not authz.can(user, "forum.outcome", forum):
        return error_response(403, [{"field": None, "message": "Your account may not read this forum's outcome report."}])
    report = outcome(forum, listed_only=not authz.can(user, "forum.export", forum))
    return {"forum": forum.slug, "counts": report.counts, "summaries": [
        {"event": e.event.slug, "title": e.summary.header.get("title") or e.event.title, "organisers": e.organisers,
         "sdgs": e.event.sdg_numbers, "key_issues": e.key_issues, "recommendations": e.recommendations}
        for e in report.entries]}


def _agenda_input(data) -> AgendaItemInput:
    return AgendaItemInput(title=data["title"].strip(), kind=ItemKind(data["kind"]), start=data["start"],
                           end=data["end"], minutes=data["minutes"], description=data["description"],
                           parallel=data["parallel"])


def _saved_item(event, item, user):
    db.session.commit()
    speakers = [s for s in event.speakers if s.status.value == "confirmed"]
    return queries.agenda_item_dict(item, event.timezone, speakers)


@blp.route("/events/<slug>/agenda", methods=["POST"])
@blp.doc(security=TOKEN)
@token_required(write=True)
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.arguments(AgendaItemInputSchema)
@blp.response(201, AgendaItemSchema)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
@blp.alt_response(409, schema=ErrorsSchema)
def add_agenda_item(data, slug):
    """Add an item to the agenda; it must fit inside the event and overlap no other unless parallel."""
    user = g.api_token.user
    event = _visible_event(slug, user, event_queries.event_by_slug)
    if event is None:
        return _not_found("event")
    try:
        item = agenda_services.save_agenda_item(event, _agenda_input(data), user=user)
    except DomainError as error:
        db.session.rollback()
        return _refused(error)
    return _saved_item(event, item, user), 201


def _item_of(event, item_id):
    return next((item for item in event.agenda_items if item.id == item_id), None)


def _token_event_item(slug, item_id):
    user = g.api_token.user
    event = _visible_event(slug, user, event_queries.event_by_slug)
    return user, event, _item_of(event, item_id) if event is not None else None


@blp.route("/events/<slug>/agenda/<int:item_id>", methods=["PUT"])
@blp.doc(security=TOKEN)
@token_required(write=True)
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.arguments(AgendaItemInputSchema)
@blp.response(200, AgendaItemSchema)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
@blp.alt_response(409, schema=ErrorsSchema)
def replace_agenda_item(data, slug, item_id):
    """Replace the agenda item with the body."""
    user, event, item = _token_event_item(slug, item_id)
    if item is None:
        return _not_found("agenda item")
    try:
        item = agenda_services.save_agenda_item(event, _agenda_input(data), user=user, item=item)
    except DomainError as error:
        db.session.rollback()
        return _refused(error)
    return _saved_item(event, item, user)


@blp.route("/events/<slug>/agenda/<int:item_id>", methods=["DELETE"])
@blp.doc(security=TOKEN)
@token_required(write=True)
@blp.alt_response(401, schema=ErrorsSchema)
@blp.alt_response(429, schema=ErrorsSchema)
@blp.response(204)
@blp.alt_response(403, schema=ErrorsSchema)
@blp.alt_response(404, schema=ErrorsSchema)
def remove_agenda_item(slug, item_id):
    """Remove the agenda item."""
    user, _, item = _token_event_item(slug, item_id)
    if item is None:
        return _not_found("agenda item")
    try:
        agenda_services.delete_agenda_item(item, user=user)
    except DomainError as error:
        db.session.rollback()
        return _refused(error)
    db.session.commit()
    return Response(status=204)


# ---------------------------------------------------------------- the router and its document

def _build_router() -> tuple[Flask, Api]:
    router = Flask(__name__)
    # The site's converters: an id beyond any row or a control character in a slug matches no address.
    router.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
    router.config.update(API_TITLE="Eventsite API", API_VERSION="v1", OPENAPI_VERSION="3.1.0")
    api = _Api(router, spec_kwargs={"info": {"description": (
        "The side-event programme as published: public endpoints need no key and are open to every origin "
        "(read-only CORS); the others need a personal API token (My account → API tokens). "
        "Lists are paged with an opaque cursor; every answer has an ETag, and a request with If-None-Match "
        "is answered 304 while nothing changed. Errors are {\"errors\": [{\"field\", \"message\"}]}.")}})
    api.spec.components.security_scheme("token", {
        "type": "http", "scheme": "bearer",
        "description": "A personal API token, created on the account page (My account → API tokens)"})
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


def _nul_refused():
    """PostgreSQL cannot store or compare text with a NUL character: no address carries one (the query
    string is refused by core.web's guard, JSON bodies by the schemas' NO_NUL)."""
    if "\x00" in request.path:
        return error_response(404, [{"field": None, "message": "No API endpoint at this address."}])
    return None


def dispatch():
    """Route one /api/v1 request through the API's own URL map."""
    path = request.path[len(PREFIX):] or "/"
    refused = _nul_refused()
    if refused is not None:
        return refused
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
    try:
        return current_app.ensure_sync(router.view_functions[endpoint])(**args)
    except Refused as refusal:
        return refusal.response
