from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from functools import wraps

from flask import current_app

from .. import authz
from ..core.headers import allow_framing_by
from ..core.dates import day_text, short_day
from ..core.page_cache import cached_page
from ..core.forms import EARLIEST_DAY, LATEST_DAY
from ..core.web import DOCX, download, show_error, whole_number
from ..errors import DomainError
from ..extensions import db
from . import concept_note_io, embedding, queries, services
from .access import SERVICE_KEYS, interpretation_languages_of
from .forms import EmbedSettingsForm, ExtendCallForm, ForumForm, ProgrammeFilterForm, RoomForm
from .labels import FORMAT_LABELS, ORGANISATION_KIND_LABELS
from .models import Format, OrganisationKind, Room

bp = Blueprint("forums", __name__)


def _forum_or_404(slug):
    return queries.forum_by_slug(slug) or abort(404)


def a_day(value: str) -> date:
    """A day from the query string that every timezone can convert, or ValueError."""
    day = date.fromisoformat(value)
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(value)
    return day


def _filters(form: ProgrammeFilterForm, forum) -> queries.ProgrammeFilters:
    def parse(value, convert):
        try:
            return convert(value) if value else None
        except ValueError:
            return None
    return queries.ProgrammeFilters(
        day=parse(form.day.data, a_day), room_id=parse(form.room.data, whole_number),
        sdg=parse(form.sdg.data, whole_number), organiser_kind=parse(form.kind.data, OrganisationKind),
        format=parse(form.format.data, Format), text=(form.q.data or "").strip(),
        services=tuple(key for key in form.service.data or [] if key in SERVICE_KEYS)[:4],
        interpretation=(form.interpretation.data or "").strip()[:60])


# The forum's own pages, each with the permission it asks, so the forum page offers only what works.
FORUM_LINKS = (
    ("forum.dashboard", "dashboard.forum", {}, _l("Dashboard")),
    ("forum.manage", "forums.edit_forum", {}, _l("Edit forum")),
    ("forum.manage", "forums.rooms", {}, _l("Rooms")),
    ("forum.export", "exports.programme", {"kind": "xlsx"}, _l("Programme (Excel)")),
    ("forum.export", "exports.programme", {"kind": "csv"}, _l("Programme (CSV)")),
    ("forum.export", "exports.grid", {}, _l("Room-by-day grid")),
    ("forum.speakers", "speakers.forum_speakers", {}, _l("Speakers")),
    ("staff.area", "exports.forum_registrations", {"kind": "xlsx"}, _l("All registrations (Excel)")),
    ("forum.export", "summaries.forum_outcome", {}, _l("Outcome report")),  # public too once over
    ("activity.forum", "activity.forum_log", {}, _l("Activity")),
    ("forum.manage", "webhooks.forum_webhooks", {}, _l("Webhooks")),
    ("forum.manage", "forums.embed_settings", {}, _l("Embed the programme")),
    ("forum.mail_texts", "notifications.forum_emails", {}, _l("E-mail texts")),
    ("forum.official_programme", "programme.manage", {}, _l("Official programme")),
)


def forum_links(forum, user) -> list[tuple[str, str]]:
    return [(label, url_for(endpoint, slug=forum.slug, **args)) for permission, endpoint, args, label in FORUM_LINKS
            if authz.can(user, permission, forum)]


@bp.get("/forums/<slug>")
@cached_page(queries.programme_fingerprint)
def programme(slug):
    return _programme_page(slug, "forums/programme.html", manage_for=current_user)


def _filters_side_events(filters: queries.ProgrammeFilters) -> bool:
    """A filter about side events (words, goals, organisers, format, services) leaves the official programme out."""
    return any(value for name, value in vars(filters).items() if name not in ("day", "room_id"))


def _programme_page(slug, template, manage_for=None, extend_form=None):
    """The programme with its filters, on the forum's page or in the embeddable one."""
    forum = _forum_or_404(slug)
    form = ProgrammeFilterForm(request.args)
    days = queries.forum_days(forum)
    form.day.choices = [("", _("All days"))] + [(d.isoformat(), short_day(d)) for d in days]
    form.room.choices = [("", _("All rooms"))] + [(str(r.id), r.name) for r in forum.rooms]
    form.interpretation.choices = [("", _("Any or none"))] + [
        (language, language) for language in interpretation_languages_of(forum)]
    filters = _filters(form, forum)
    grouped = queries.programme(forum, filters)
    from ..programme.services import meetings_by_day
    # The official programme goes with the day and room filters, not with those about side events.
    official = {} if _filters_side_events(filters) else meetings_by_day(forum, day=filters.day,
                                                                         room_id=filters.room_id)
    from ..programme.services import programme_runs
    return render_template(template, forum=forum, form=form, grouped=grouped,
                           programme_days=programme_runs(grouped, official),
                           kind_labels=ORGANISATION_KIND_LABELS, format_labels=FORMAT_LABELS,
                           filtered=any(v for k, v in request.args.items() if k != "lang"),
                           call=services.call_summary(forum), over=services.is_over(forum),
                           extend_form=extend_form or ExtendCallForm() if manage_for is not None and forum.call_closes_on
                           and authz.can(manage_for, "forum.manage", forum) else None,
                           manage=forum_links(forum, manage_for) if manage_for is not None else [])


def _framed_by_forum_sites(view):
    """The embedded programme may be framed by this site and the forum's listed origins only."""
    @wraps(view)
    def wrapper(slug):
        response = current_app.make_response(view(slug=slug))
        return allow_framing_by(response, embedding.frame_ancestors(queries.embed_origins(slug) or ""))
    return wrapper


@bp.get("/forums/<slug>/embed")
@_framed_by_forum_sites
@cached_page(queries.programme_fingerprint)
def embed(slug):
    """The programme with its filters and nothing else, for a UN site to show in a frame."""
    return _programme_page(slug, "forums/embed.html")


@bp.route("/forums/<slug>/embed/settings", methods=["GET", "POST"])
@login_required
def embed_settings(slug):
    forum = _forum_or_404(slug)
    authz.require("forum.manage", forum)
    form = EmbedSettingsForm(origins=forum.embed_origins)
    if form.validate_on_submit():
        try:
            embedding.set_embed_origins(forum, form.origins.data or "", user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved: the programme may be embedded by the sites listed."), "success")
            return redirect(url_for("forums.embed_settings", slug=slug))
    embed_url = url_for("forums.embed", slug=slug, _external=True)
    return render_template("forums/embed_settings.html", forum=forum, form=form, embed_url=embed_url)


@bp.get("/forums/<slug>/concept-note-template.docx")
def concept_note_template(slug):
    forum = _forum_or_404(slug)
    return download(concept_note_io.blank_template_docx(forum), DOCX, f"concept-note-template-{forum.slug}.docx")


def _template_choices():
    from ..summaries.templates import all_templates
    return [(t.key, t.name) for t in all_templates()]


def _forum_input(form: ForumForm) -> services.ForumInput:
    return services.ForumInput(**{name: form[name].data for name in (
        "name", "starts_on", "ends_on", "timezone", "venue", "call_opens_on", "call_closes_on",
        "concept_note_guidance", "concept_note_questions", "summary_template", "lead_rule_in_person_only",
        "max_events_per_lead", "eligibility_preset", "co_organisers_must_confirm", "official_overlap_rule")}, theme=form.theme.data or "",
        lead_kinds=form.lead_kind_list.data or [], co_organiser_kinds=form.co_kind_list.data or [])


@bp.route("/staff/forums/new", methods=["GET", "POST"])
@login_required
def create_forum():
    authz.require("forum.manage")
    form = ForumForm()
    form.summary_template.choices = _template_choices()
    if form.validate_on_submit():
        try:
            forum = services.save_forum(_forum_input(form), user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Forum created. Now add its rooms."), "success")
            return redirect(url_for("forums.rooms", slug=forum.slug))
    return render_template("forums/form.html", form=form, forum=None)


@bp.route("/forums/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_forum(slug):
    forum = _forum_or_404(slug)
    authz.require("forum.manage", forum)
    form = ForumForm(obj=forum, lead_kind_list=forum.lead_kinds.split(",") if forum.lead_kinds else [],
                     co_kind_list=forum.co_organiser_kinds.split(",") if forum.co_organiser_kinds else [])
    form.summary_template.choices = _template_choices()
    if form.validate_on_submit():
        try:
            services.save_forum(_forum_input(form), user=current_user, forum=forum, notify=not form.quiet.data)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Forum saved."), "success")
            return redirect(url_for("forums.programme", slug=forum.slug))
    return render_template("forums/form.html", form=form, forum=forum)


@bp.route("/forums/<slug>/rooms", methods=["GET", "POST"])
@login_required
def rooms(slug):
    forum = _forum_or_404(slug)
    authz.require("forum.manage", forum)
    room = db.session.get(Room, request.args.get("room", type=whole_number) or 0)
    if room is not None and room.forum_id != forum.id:
        abort(404)
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        try:
            services.save_room(forum, user=current_user, name=form.name.data, capacity=form.capacity.data,
                               accessibility_notes=form.accessibility_notes.data or "", room=room,
                               notify=not form.quiet.data)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Room saved."), "success")
            return redirect(url_for("forums.rooms", slug=forum.slug))
    return render_template("forums/rooms.html", forum=forum, form=form, room=room)


@bp.post("/forums/<slug>/call/extend")
@login_required
def extend_call(slug):
    forum = _forum_or_404(slug)
    authz.require("forum.manage", forum)
    form = ExtendCallForm()
    if form.validate_on_submit():
        try:
            services.extend_call(forum, form.closes_on.data, user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The call for side events now closes on %(day)s.", day=day_text(forum.call_closes_on, weekday=False)),
                  "success")
            return redirect(url_for("forums.programme", slug=forum.slug))
    # The page again, with the typed day and the reason beside the field.
    return _programme_page(slug, "forums/programme.html", manage_for=current_user, extend_form=form), 422
