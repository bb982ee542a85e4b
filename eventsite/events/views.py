from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import authz
from ..accounts.models import Role
from ..accounts.services import find_user
from ..agenda.labels import ITEM_KIND_LABELS
from ..core import merge
from ..core.page_cache import cached_page
from ..core.web import DOCX, PDF, download, show_error
from ..errors import DomainError
from ..extensions import db
from ..registrations import services as registration_services
from ..speakers.labels import LABELS as SPEAKER_LABELS
from ..coorganisers import services as co_organisers
from . import access, concept_note_io, imported_header, queries, services
from .concept_note_io import HEADER_FIELDS
from .forms import (CONCEPT_NOTE_FIELDS, ConceptNoteForm, ConceptNoteImportForm, ConfirmForm, DeleteEventForm,
                    EventForm, MoveMeetingForm, StatusForm, TeamMemberForm)
from .labels import FORMAT_LABELS, ROLE_LABELS, STATUS_LABELS
from .models import LISTED_STATUSES, Format, OrganisationKind, Repeat, Status
from ..core.dates import day_text
from ..core.templating import event_when
from ..core.time import to_local
from .structured_data import event_json_ld
from ..core.sanitise import background_for_editor, rich_text_input

bp = Blueprint("events", __name__)


@bp.app_template_filter("format_label")
def format_label(value) -> str:
    """An event's format ("in_person" or Format.IN_PERSON) in the reader's language."""
    return str(FORMAT_LABELS[Format(value)])


@bp.app_template_global("event_services")
def event_services(event) -> list[tuple[str, str]]:
    """The services an event offers (interpretation, captioning, sign language, wheelchair access), to show."""
    return access.offered(event)


def repeat_text(event) -> str:
    """"Every week from Thursday 4 March 2027 to Thursday 29 April 2027"."""
    first, last = day_text(event.local_start), day_text(event.repeat_until)
    if event.repeat == Repeat.MONTHLY:
        return _("Every month from %(first)s to %(last)s", first=first, last=last)
    return _("Every week from %(first)s to %(last)s", first=first, last=last)


def _event_or_404(slug):
    event = queries.event_by_slug(slug)
    if event is None:
        abort_if_removed(slug)
        abort(404)
    return event


def abort_if_removed(slug):
    """A removed event's address answers 410 Gone, saying when and why, so links and calendars let go."""
    tombstone = queries.tombstone(slug)
    if tombstone is not None:
        abort(make_response(render_template("events/gone.html", tombstone=tombstone), 410))


def _event_input(form: EventForm, forum) -> services.EventInput:
    room = next((r for r in forum.rooms if r.id == form.room.data), None) if forum else None
    return services.EventInput(
        title=form.title.data.strip(), subtitle=(form.subtitle.data or "").strip(), forum=forum,
        day=form.day.data, start=form.start.data, end=form.end.data, timezone=form.timezone.data, room=room,
        end_day=form.end_day.data, all_day=bool(form.all_day.data), repeat=Repeat(form.repeat.data or ""),
        repeat_until=form.repeat_until.data, series=form.chosen_series(),
        external_venue=form.external_venue.data or "", format=Format(form.format.data),
        webcast_url=form.webcast_url.data or "", meeting_passcode=form.meeting_passcode.data or "",
        languages=form.languages.data or "",
        interpretation_languages=form.interpretation_languages.data or "", captioning=form.captioning.data,
        sign_language=form.sign_language.data, sign_languages=(form.sign_languages.data or "").strip(),
        wheelchair_access=form.wheelchair_access.data, accessibility_notes=form.accessibility_notes.data or "",
        contact_name=form.contact_name.data or "", contact_email=(form.contact_email.data or "").strip().lower(),
        contact_email_public=bool(form.contact_email_public.data), contact_locale=str(get_locale()),
        audience_size=form.audience_size.data, sdgs=form.sdgs.data or [],
        organisers=[services.OrganiserInput(e.form.name.data or "", OrganisationKind(e.form.kind.data),
                                            e.form.country.data or None) for e in form.organisers])


def _warn_overlaps(event):
    for other in services.overlapping_own_events(event, current_user):
        flash(_("Note: you also organise “%(title)s”, which overlaps this event.", title=other.title), "warning")


# The Manage panel: each link with the permission its page asks, so nobody is offered a "Not allowed".
MANAGE_LINKS = (
    ("event.edit", "events.edit", _l("Edit details")),
    ("event.edit", "events.edit_concept_note", _l("Edit concept note")),
    ("event.view_private", "events.concept_note_revisions", _l("Revisions")),
    ("event.edit", "agenda.manage", _l("Agenda")),
    ("event.edit", "speakers.manage", _l("Speakers")),
    ("registration.manage", "registrations.index", _l("Registrations")),
    ("event.dashboard", "dashboard.event", _l("Dashboard")),
    ("summary.view_draft", "summaries.show", _l("Summary")),
    ("event.manage_team", "events.team", _l("Team")),
    ("event.co_organisers", "coorganisers.manage", _l("Co-organisers")),
    ("event.edit", "webhooks.event_webhooks", _l("Webhooks")),
    ("activity.event", "activity.event_log", _l("Activity")),
    ("event.delete", "events.delete", _l("Remove event")),
)


def manage_links(event, user) -> list[tuple[str, str]]:
    return [(label, url_for(endpoint, slug=event.slug)) for permission, endpoint, label in MANAGE_LINKS
            if authz.can(user, permission, event)]


@bp.get("/")
def home():
    from .search_views import search_form
    return render_template("events/home.html", forums=queries.forums_with_counts(),
                           upcoming=queries.upcoming_public_events(limit=8), form=search_form({}))


@bp.get("/events/<slug>")
@cached_page(queries.event_page_fingerprint)
def show(slug):
    event = _event_or_404(slug)
    authz.require("event.view", event)
    return _event_page(event)


def _official_clashes(event):
    from ..programme.services import clashes, event_intervals
    return clashes(event.forum, event_intervals(event))


def _event_page(event, status_form=None):
    """The event page; a refused status change comes back with its reason as typed and the error beside it."""
    insider = authz.can(current_user, "event.view_private", event)
    registration = registration_services.availability(event, current_user)
    structured = None
    if event.status in LISTED_STATUSES:  # a draft shown to its team is nobody's public data
        structured = event_json_ld(event, page_url=url_for("events.show", slug=event.slug, _external=True),
                                   register_url=url_for("registrations.register", slug=event.slug, _external=True),
                                   registration=registration, speakers=[s for s in event.speakers if s.is_confirmed])
    return render_template("events/show.html", event=event, note=event.concept_note, insider=insider,
                           show_meeting=authz.can(current_user, "event.meeting_link", event),
                           speakers=[s for s in event.speakers if insider or s.is_confirmed],
                           labels=SPEAKER_LABELS, kinds=ITEM_KIND_LABELS, structured=structured,
                           registration=registration,
                           meetings=sorted(event.occurrences, key=lambda o: o.original_start if o.skipped else o.starts_at),
                           repeat_text=repeat_text(event) if event.is_recurring else "",
                           can_edit_meetings=event.is_recurring and insider and event.status not in (
                               Status.HELD, Status.CANCELLED) and authz.can(current_user, "event.edit", event),
                           meeting_form=ConfirmForm() if event.is_recurring and insider else None,
                           transitions=services.allowed_transitions(event, current_user) if insider else [],
                           missing=services.missing_for_submission(event) if insider else [],
                           eligibility=services.eligibility_problems(event) if insider else [],
                           official_clashes=_official_clashes(event) if insider else [],
                           co_organiser_states=[co_organisers.state_text(o) for o in event.co_organisers]
                           if insider else [],
                           late_form=ConfirmForm() if insider and _late_proposal(event) else None,
                           status_form=status_form or (StatusForm() if insider else None), status_labels=STATUS_LABELS,
                           manage=manage_links(event, current_user) if insider else [])


@bp.route("/forums/<forum_slug>/events/new", methods=["GET", "POST"])
@login_required
def create(forum_slug):
    forum = queries.forum_by_slug(forum_slug) or abort(404)
    authz.require("event.propose", forum)
    form = EventForm(rooms=forum.rooms, timezone=forum.timezone, day=forum.starts_on)
    if form.validate_on_submit():
        try:
            event = services.create_event(_event_input(form, forum), user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            _warn_overlaps(event)
            flash(_("Draft saved. Next, write the concept note."), "success")
            return redirect(url_for("events.edit_concept_note", slug=event.slug))
    return render_template("events/form.html", form=form, forum=forum, event=None, call=services.call_summary(forum))


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    event = _event_or_404(slug)
    authz.require("event.edit", event)
    forum = event.forum
    form = EventForm(obj=None, rooms=forum.rooms if forum else (), **_form_defaults(event)) \
        if request.method == "GET" else EventForm(rooms=forum.rooms if forum else ())
    if form.validate_on_submit():
        try:
            services.update_event(event, _event_input(form, forum), user=current_user, notify=not form.quiet.data)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            _warn_overlaps(event)
            flash(_("Event saved."), "success")
            return redirect(url_for("events.show", slug=event.slug))
    return render_template("events/form.html", form=form, forum=forum, event=event)


def _form_defaults(event) -> dict:
    values = {name: getattr(event, name) for name in (
        "title", "subtitle", "timezone", "external_venue", "webcast_url", "meeting_passcode", "languages",
        "interpretation_languages", "captioning", "sign_language", "sign_languages", "wheelchair_access",
        "accessibility_notes", "contact_name", "contact_email",
        "contact_email_public", "audience_size")}
    values.update(services.time_input(event), repeat=event.repeat.value, series=event.series_id or 0,
                  room=event.room_id or 0, format=event.format.value, sdgs=event.sdg_numbers,
                  organisers=[{"name": o.organisation.name, "kind": o.organisation.kind.value,
                               "country": o.organisation.country or ""} for o in event.organisers])
    return values


def _note_text(name: str, value) -> str:
    """A section as its box in the editor shows it."""
    return background_for_editor(value or "") if name == "background" else "\n".join(value or [])


def _note_editor(event, form, *, import_form=None, conflict=None, imported=None, status=200):
    choices = _header_choices(form, event)
    from_file, asked = _file_header(form), {name for name, *_ in choices}
    new_names = imported_header.new_organisations(from_file["organisers"]) if "organisers" in asked else []
    form.add_new_organisations(new_names)
    return render_template("events/concept_note_form.html", event=event, form=form, merge=conflict,
                           imported=imported, header_choices=choices, new_names=new_names,
                           venue_room=imported_header.venue_room(event, from_file["venue"]) if "venue" in asked else None,
                           import_form=import_form or ConceptNoteImportForm(),
                           call=services.call_summary(event.forum) if event.forum else None,
                           titles=concept_note_io.section_titles()), status


def _header_labels() -> dict:
    return {"title": _("Title"), "subtitle": _("Subtitle"), "date": _("Date"), "time": _("Time"),
            "venue": _("Venue"), "organisers": _("Organized by")}


def _file_header(form) -> dict:
    """The imported file's header, carried through the form until the organiser has chosen."""
    header = {name: (form[f"file_{name}"].data or "").strip() for name in HEADER_FIELDS}
    header["organisers"] = [line.strip() for line in header["organisers"].splitlines() if line.strip()]
    return header


def _header_choices(form, event) -> list:
    """(field, label, the file's text, the record's text) for each header field awaiting a choice."""
    from_file = _file_header(form)
    pending = set((form.header_pending.data or "").split(",")) & set(imported_header.differences(event, from_file))
    record, labels = imported_header.record_header(event), _header_labels()
    return [(name, labels[name], _lines_text(from_file[name]), _lines_text(record[name]))
            for name in HEADER_FIELDS if name in pending]


def _lines_text(value) -> str:
    """A header value as a hidden field or a table cell carries it: organisers one per line."""
    return "\n".join(value) if isinstance(value, list) else value or ""


def _taken_from_file(form, choices) -> list[str] | None:
    """The header fields the organiser takes from the file; None, each unchosen one marked, until all are chosen."""
    missing = [name for name, *_ in choices if form[f"source_{name}"].data not in ("file", "record")]
    for name in missing:
        form[f"source_{name}"].errors = [_("The file and the event's record differ here: choose which is right.")]
    return None if missing else [name for name, *_ in choices if form[f"source_{name}"].data == "file"]


def _details_from_file(form, event, taken):
    """The event's details with what the organiser takes from the file; None when nothing."""
    if not taken:
        return None
    new_kinds = {e.form.name.data: services.OrganiserInput(e.form.name.data, OrganisationKind(e.form.kind.data),
                                                           e.form.country.data or None)
                 for e in form.new_organisations if e.form.name.data}
    return imported_header.details_with_header(event, _file_header(form), taken, new_kinds=new_kinds)


def _show_note_error(form, error, choices) -> None:
    """A refusal beside the header choice it concerns (a booked room beside the venue), else as usual."""
    name = imported_header.FIELD_OF.get(getattr(error, "field", None) or "")
    if name in {choice[0] for choice in choices}:
        form[f"source_{name}"].errors = [*form[f"source_{name}"].errors, error.message]
    else:
        show_error(form, error)


def _choice_messages() -> dict:
    return {"choose": _("You both changed this section: keep your version, take theirs, or edit the box."),
            "edited": _("You edited the text in the box but chose another option. Choose “Use the text in the "
                        "box” to keep your edit, or choose again.")}


def _resolve_note_conflicts(form, event) -> bool:
    """Apply the choices made for sections both editors changed; False when one is missing."""
    def theirs():
        content = services.concept_note_at(event.concept_note, form.base_revision.data or 0)
        return {name: _note_text(name, content[name]) for name in CONCEPT_NOTE_FIELDS}
    return merge.apply_form_choices(form, CONCEPT_NOTE_FIELDS, theirs, _choice_messages())


def _pending_note_merge(form, event):
    """The merge still being resolved, computed again to show it beside the errors."""
    base = merge.pending_base(form)
    if base is None:
        return None
    conflicts = set((form.conflicts.data or "").split(","))
    texts = {name: (form[f"mine_{name}"].data if name in conflicts else form[name].data) or ""
             for name in CONCEPT_NOTE_FIELDS}
    return services.concept_note_conflict(event, _concept_note_from_texts(texts), base_revision=base,
                                          user=current_user)


@bp.route("/events/<slug>/concept-note", methods=["GET", "POST"])
@login_required
def edit_concept_note(slug):
    event = _event_or_404(slug)
    authz.require("event.edit", event)
    note = event.concept_note
    if request.method == "GET":
        content = services.concept_note_content(note)
        return _note_editor(event, ConceptNoteForm(base_revision=note.revision if note else 0, **{
            name: _note_text(name, content[name]) for name in CONCEPT_NOTE_FIELDS}))
    form = ConceptNoteForm()
    choices = _header_choices(form, event)
    valid, taken = form.validate_on_submit(), _taken_from_file(form, choices)
    if not valid or taken is None or not _resolve_note_conflicts(form, event):
        return _note_editor(event, form, conflict=_pending_note_merge(form, event), status=422)
    try:
        details = _details_from_file(form, event, taken)
        services.save_concept_note(event, _concept_note_from_form(form), user=current_user, details=details,
                                   base_revision=form.base_revision.data or 0, notify=not form.quiet.data)
    except merge.EditConflict as conflict:
        db.session.rollback()
        merge.show_merge(form, conflict, _note_text)
        return _note_editor(event, form, conflict=conflict, status=409)
    except DomainError as error:
        db.session.rollback()
        _show_note_error(form, error, choices)
        return _note_editor(event, form, status=422)
    db.session.commit()
    if details:
        _warn_overlaps(event)
        flash(_("The event's details now follow the file for: %(fields)s.",
                fields=", ".join(label for name, label, *_ in choices if name in taken)), "success")
    flash(_("Concept note saved."), "success")
    return redirect(url_for("events.show", slug=event.slug))


def _lines(text: str | None) -> list[str]:
    return [line.strip().lstrip("-•*").strip() for line in (text or "").splitlines() if line.strip()]


def _concept_note_from_texts(texts: dict) -> dict:
    return {"background": rich_text_input(texts.get("background") or ""),
            **{name: _lines(texts.get(name)) for name in concept_note_io.LIST_SECTIONS}}


def _concept_note_from_form(form) -> dict:
    return _concept_note_from_texts({name: form[name].data for name in CONCEPT_NOTE_FIELDS})


@bp.post("/events/<slug>/concept-note/import")
@login_required
def import_concept_note(slug):
    event = _event_or_404(slug)
    authz.require("event.edit", event)
    import_form = ConceptNoteImportForm()
    note = event.concept_note
    form = ConceptNoteForm(formdata=None, base_revision=note.revision if note else 0)
    status = 200
    if import_form.validate_on_submit():
        upload = import_form.file.data
        try:
            result = concept_note_io.parse_concept_note(upload.filename, upload.read())
        except concept_note_io.ImportFailed as error:
            import_form.file.errors = [str(error)]
            status = 422
        else:
            _fill_from_import(form, event, result)
            flash(_("Imported %(file)s. Check the sections below, then save.", file=upload.filename), "success")
            return _note_editor(event, form, import_form=import_form, imported=result)
    else:
        status = 422
    return _note_editor(event, form, import_form=import_form, status=status)


def _fill_from_import(form, event, result) -> None:
    """The editor filled from the file; header fields it gives differently from the event's details
    wait for the organiser's choice."""
    form.background.data = background_for_editor(result.content["background"])
    for name in concept_note_io.LIST_SECTIONS:
        form[name].data = "\n".join(result.content[name])
    for name in HEADER_FIELDS:
        form[f"file_{name}"].data = _lines_text(result.header.get(name))
    form.header_pending.data = ",".join(imported_header.differences(event, result.header))


@bp.get("/events/<slug>/concept-note/revisions")
@login_required
def concept_note_revisions(slug):
    event = _event_or_404(slug)
    authz.require("event.view", event)
    authz.require("event.view_private", event)
    revisions = event.concept_note.revisions if event.concept_note else []
    diff = old = new = None
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    if a and b:
        by_number = {r.number: r for r in revisions}
        old, new = by_number.get(a), by_number.get(b)
        if old is None or new is None:
            abort(404)
        diff = services.diff_revisions(old, new)
    return render_template("events/concept_note_revisions.html", event=event, revisions=revisions,
                           diff=diff, old=old, new=new)


@bp.get("/events/<slug>/concept-note/print")
def print_concept_note(slug):
    event = _event_or_404(slug)
    authz.require("event.view", event)
    content = services.concept_note_content(event.concept_note)
    return render_template("events/concept_note_print.html", event=event, content=content)


@bp.get("/events/<slug>/concept-note.<any(docx, pdf, md):kind>")
def export_concept_note(slug, kind):
    event = _event_or_404(slug)
    authz.require("event.view", event)
    content = services.concept_note_content(event.concept_note)
    if kind == "docx":
        data = concept_note_io.concept_note_docx(event, content)
        mimetype = DOCX
    elif kind == "pdf":
        data, mimetype = concept_note_io.concept_note_pdf(event, content), PDF
    else:
        data = concept_note_io.concept_note_markdown(event, content).encode()
        mimetype = "text/markdown; charset=utf-8"
    return download(data, mimetype, f"concept-note-{event.slug}.{kind}")


@bp.post("/events/<slug>/status")
@login_required
def change_status(slug):
    event = _event_or_404(slug)
    authz.require("event.view", event)
    authz.require("event.view_private", event)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(event, Status(form.to.data), user=current_user, reason=form.reason.data)
        except (DomainError, ValueError) as error:
            db.session.rollback()
            flash(getattr(error, "message", _("Unknown status.")), "error")
        else:
            db.session.commit()
            flash(_("The event is now %(status)s.", status=STATUS_LABELS[event.status]), "success")
    elif form.errors:
        return _event_page(event, status_form=form), 422
    return redirect(url_for("events.show", slug=event.slug))


def _late_proposal(event) -> bool:
    """Staff may let this proposal in: its forum's call is not open and it is not yet submitted."""
    return (authz.can(current_user, "event.allow_late", event) and not event.late_allowed
            and event.status in (Status.DRAFT, Status.REJECTED)
            and services.call_state(event.forum) in ("not_open", "closed"))


def _meeting_of(event, meeting_id):
    return next((o for o in event.occurrences if o.id == meeting_id), None) or abort(404)


@bp.post("/events/<slug>/meetings/<int:meeting_id>/<any(skip, restore):action>")
@login_required
def skip_meeting(slug, meeting_id, action):
    """Take one meeting of a recurring event out, or put it back."""
    event = _event_or_404(slug)
    authz.require("event.view", event)
    authz.require("event.edit", event)
    meeting = _meeting_of(event, meeting_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.skip_meeting(meeting, user=current_user, skipped=action == "skip")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            day = day_text(to_local(meeting.original_start, event.timezone))
            flash(_("No meeting on %(day)s.", day=day) if action == "skip"
                  else _("The meeting on %(day)s is back.", day=day), "success")
    return redirect(url_for("events.show", slug=event.slug, _anchor="meetings-heading"))


@bp.route("/events/<slug>/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@login_required
def move_meeting(slug, meeting_id):
    """Hold one meeting of a recurring event at another time."""
    event = _event_or_404(slug)
    authz.require("event.view", event)
    authz.require("event.edit", event)
    meeting = _meeting_of(event, meeting_id)
    form = MoveMeetingForm() if request.method == "POST" else MoveMeetingForm(
        day=meeting.local_start.date(), start=meeting.local_start.time(), end=meeting.local_end.time())
    if form.validate_on_submit():
        try:
            services.move_meeting(meeting, form.day.data, form.start.data, form.end.data, user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("The meeting now takes place on %(when)s.", when=event_when(meeting)), "success")
            return redirect(url_for("events.show", slug=event.slug, _anchor="meetings-heading"))
    return render_template("events/move_meeting.html", event=event, meeting=meeting, form=form), \
        422 if form.errors else 200


@bp.post("/events/<slug>/allow-late")
@login_required
def allow_late(slug):
    event = _event_or_404(slug)
    authz.require("event.allow_late", event)
    if ConfirmForm().validate_on_submit():
        try:
            services.allow_late_proposal(event, user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("This proposal may now be submitted although the call is not open."), "success")
    return redirect(url_for("events.show", slug=event.slug))


@bp.route("/events/<slug>/team", methods=["GET", "POST"])
@login_required
def team(slug):
    event = _event_or_404(slug)
    authz.require("event.manage_team", event)
    form = TeamMemberForm()
    if form.validate_on_submit():
        member = find_user(form.email.data)
        if member is None:
            form.email.errors = [_("No account uses this address. Ask the person to sign up first.")]
        else:
            services.add_team_member(event, member, Role(form.role.data), user=current_user)
            db.session.commit()
            flash(_("%(name)s added to the team.", name=member.name), "success")
            return redirect(url_for("events.team", slug=event.slug))
    return render_template("events/team.html", event=event, form=form, members=queries.team_of(event),
                           role_labels=ROLE_LABELS)


@bp.route("/events/<slug>/team/<int:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove_team_member(slug, membership_id):
    event = _event_or_404(slug)
    authz.require("event.manage_team", event)
    membership = next((m for m in queries.team_of(event) if m.id == membership_id), None) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = membership.user.name
        try:
            services.remove_team_member(event, membership, user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is no longer on the team.", name=name), "success")
        return redirect(url_for("events.team", slug=event.slug))
    return render_template("events/confirm_remove_member.html", event=event, membership=membership, form=form,
                           role_labels=ROLE_LABELS)


@bp.route("/events/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug):
    event = _event_or_404(slug)
    authz.require("event.delete", event)
    form = DeleteEventForm()
    if form.validate_on_submit():
        title, forum_slug = event.title, event.forum.slug if event.forum else None
        try:
            services.delete_event(event, user=current_user, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is removed; everyone who counted on it has been told.", title=title), "success")
            return redirect(url_for("forums.programme", slug=forum_slug) if forum_slug else url_for("events.home"))
    return render_template("events/delete.html", event=event, form=form,
                           recipients=services.removal_recipients(event))
