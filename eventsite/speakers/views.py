from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.mail import deliver_outbox_quietly
from ..core.web import DOCX, download, form_values, show_error
from ..errors import DomainError
from ..events.forms import country_names
from ..events.models import OrganisationKind
from ..events.queries import event_by_slug, forum_by_slug
from ..extensions import db
from . import balance, exports, mail, services
from .forms import (LABELS, AssignExistingForm, InvitationAnswerForm, NewSpeakerForm, PersonForm,
                    SpeakerStatusForm)
from .models import Gender, InvitationStatus, Person, SpeakerRole

bp = Blueprint("speakers", __name__)


def _event(slug, action="event.edit"):
    event = event_by_slug(slug) or abort(404)
    authz.require("event.view", event)
    authz.require(action, event)
    return event


def _assignment_of(event, assignment_id):
    return next((s for s in event.speakers if s.id == assignment_id), None) or abort(404)


def _person_input(form: PersonForm) -> services.PersonInput:
    return services.PersonInput(
        honorific=(form.honorific.data or "").strip(), given_name=form.given_name.data.strip(),
        family_name=form.family_name.data.strip(), position=(form.position.data or "").strip(),
        organisation=(form.organisation.data or "").strip(),
        organisation_kind=OrganisationKind(form.organisation_kind.data) if form.organisation_kind.data else None,
        country=form.country.data or None, gender=Gender(form.gender.data) if form.gender.data else None,
        gender_description=(form.gender_description.data or "").strip(),
        biography=(form.biography.data or "").strip(), email=form.email.data)


def _uploaded_photo(form: PersonForm) -> bytes | None:
    upload = form.photo.data
    return upload.read() if upload and getattr(upload, "filename", "") else None


def _assign_and_invite(event, person, role, item_id):
    item = next((i for i in event.agenda_items if i.id == item_id), None) if item_id else None
    assignment = services.assign_speaker(event, person, SpeakerRole(role), user=current_user, agenda_item=item)
    invited = mail.send_invitation(assignment)
    mail.warn_of_clashes([c for c in services.clashes_for_event(event) if c.this.id == assignment.id])
    return assignment, invited


def _added_message(person, invited):
    if invited:
        return _("%(name)s added; an invitation was e-mailed.", name=person.full_name)
    return _("%(name)s added. No e-mail address is known, so record their answer yourself.", name=person.full_name)


@bp.get("/events/<slug>/speakers")
@login_required
def manage(slug):
    event = _event(slug)
    return render_template("speakers/manage.html", event=event, clashes=services.clashes_for_event(event),
                           balance=balance.event_balance(event), status_form=SpeakerStatusForm(),
                           labels=LABELS, countries=country_names())


@bp.route("/events/<slug>/speakers/add", methods=["GET"])
@login_required
def add(slug):
    event = _event(slug)
    query = request.args.get("q", "").strip()[:200]
    found = services.search_people(query) if query else []
    return render_template("speakers/add.html", event=event, query=query, found=found,
                           assign_form=AssignExistingForm(items=event.agenda_items),
                           form=NewSpeakerForm(items=event.agenda_items, formdata=None), labels=LABELS)


@bp.post("/events/<slug>/speakers/assign")
@login_required
def assign(slug):
    event = _event(slug)
    form = AssignExistingForm(items=event.agenda_items)
    person = db.session.get(Person, int(form.person_id.data)) if (form.person_id.data or "").isdigit() else None
    if not form.validate_on_submit() or person is None:
        flash(_("Choose a person from the search results."), "error")
        return redirect(url_for("speakers.add", slug=event.slug))
    try:
        invited = _assign_and_invite(event, person, form.role.data, form.agenda_item.data)[1]
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("speakers.add", slug=event.slug))
    db.session.commit()
    deliver_outbox_quietly()
    flash(_added_message(person, invited), "success")
    return redirect(url_for("speakers.manage", slug=event.slug))


@bp.post("/events/<slug>/speakers/new")
@login_required
def create(slug):
    event = _event(slug)
    form = NewSpeakerForm(items=event.agenda_items)
    if form.validate_on_submit():
        try:
            photo = _uploaded_photo(form)
            person, created = services.create_person(_person_input(form), user=current_user)
            if created and photo:
                services.set_photo(person, photo, user=current_user)
            invited = _assign_and_invite(event, person, form.role.data, form.agenda_item.data)[1]
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            deliver_outbox_quietly()
            if not created:
                flash(_("%(email)s already belongs to %(name)s in the speaker directory; that entry was used "
                        "and left unchanged.", email=person.email, name=person.full_name), "info")
            flash(_added_message(person, invited), "success")
            return redirect(url_for("speakers.manage", slug=event.slug))
    return render_template("speakers/add.html", event=event, query="", found=[], form=form,
                           assign_form=AssignExistingForm(items=event.agenda_items), labels=LABELS), 422


@bp.post("/events/<slug>/speakers/<int:assignment_id>/<any(status, remove, up, down, resend):action>")
@login_required
def change(slug, assignment_id, action):
    event = _event(slug)
    assignment = _assignment_of(event, assignment_id)
    # CSRFProtect has checked the token of every button; only "status" carries a field.
    if action == "status":
        form = SpeakerStatusForm()
        if not form.validate_on_submit():
            abort(400)
        services.set_speaker_status(assignment, InvitationStatus(form.status.data), user=current_user)
    elif action == "remove":
        services.remove_speaker(assignment, user=current_user)
        flash(_("%(name)s removed from the speakers.", name=assignment.person.full_name), "success")
    elif action == "resend":
        if mail.send_invitation(assignment):
            flash(_("Invitation sent again to %(email)s.", email=assignment.person.email), "success")
        else:
            flash(_("No e-mail address is known for %(name)s.", name=assignment.person.full_name), "error")
    else:
        services.move_speaker(assignment, -1 if action == "up" else 1, user=current_user)
    db.session.commit()
    deliver_outbox_quietly()
    return redirect(url_for("speakers.manage", slug=event.slug))


def _visible_speakers(event):
    insider = authz.can(current_user, "event.view_private", event)
    return insider, [s for s in event.speakers if insider or s.is_confirmed]


@bp.get("/events/<slug>/speaker-list")
def speaker_list(slug):
    event = _event(slug, "event.view")
    insider, speakers = _visible_speakers(event)
    return render_template("speakers/list.html", event=event, speakers=speakers, insider=insider, labels=LABELS,
                           countries=country_names())


@bp.get("/events/<slug>/speakers.<any(docx, csv):kind>")
def export(slug, kind):
    event = _event(slug, "event.view")
    insider, speakers = _visible_speakers(event)
    if kind == "csv":
        data = exports.speaker_list_csv(speakers, with_contact=insider, countries=country_names())
        mimetype = "text/csv; charset=utf-8"
    else:
        data = exports.speaker_list_docx(event, speakers, with_contact=insider, countries=country_names())
        mimetype = DOCX
    return download(data, mimetype, f"speakers-{event.slug}.{kind}", private=insider)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token):
    """A speaker answers here from the e-mailed link, without an account."""
    try:
        assignment = services.assignment_for_token(token)
    except DomainError as error:
        return render_template("speakers/invitation.html", error=error.message, assignment=None), 400
    form = InvitationAnswerForm()
    if form.validate_on_submit() and form.answer.data in ("confirmed", "declined"):
        services.set_speaker_status(assignment, InvitationStatus(form.answer.data))
        db.session.commit()
        flash(_("Thank you. Your answer is recorded.") if form.answer.data == "confirmed"
              else _("Thank you for letting the organisers know."), "success")
        return redirect(url_for("speakers.invitation", token=token))
    return render_template("speakers/invitation.html", assignment=assignment, event=assignment.event, form=form,
                           error=None, labels=LABELS)


@bp.get("/people/<int:person_id>")
def person(person_id):
    person = db.session.get(Person, person_id) or abort(404)
    contact = authz.can(current_user, "person.view_contact", person)
    engagements = services.events_of_person(person, public_only=not contact)
    if not engagements and not contact:
        abort(404)  # someone who speaks nowhere public has no public page
    return render_template("speakers/person.html", person=person, engagements=engagements, contact=contact,
                           can_edit=authz.can(current_user, "person.edit", person), labels=LABELS,
                           countries=country_names())


@bp.get("/people/<int:person_id>/photo.jpg")
def photo(person_id):
    person = db.session.get(Person, person_id)
    if person is None or person.photo is None:
        abort(404)
    response = Response(person.photo, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"  # the URL carries the version
    return response


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def edit_person(person_id):
    person = db.session.get(Person, person_id) or abort(404)
    authz.require("person.edit", person)
    form = PersonForm() if request.method == "POST" else PersonForm(**form_values(
        person, "honorific", "given_name", "family_name", "position", "organisation", "organisation_kind", "country",
        "gender", "gender_description", "biography", "email"))
    if form.validate_on_submit():
        try:
            services.update_person(person, _person_input(form), user=current_user)
            photo = _uploaded_photo(form)
            if photo:
                services.set_photo(person, photo, user=current_user)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("speakers.person", person_id=person.id))
    return render_template("speakers/person_form.html", person=person, form=form), 422 if form.errors else 200


@bp.get("/forums/<slug>/speakers")
@login_required
def forum_speakers(slug):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.speakers", forum)
    return render_template("speakers/forum.html", forum=forum, balance=balance.forum_balance(forum),
                           engagements=services.forum_speakers(forum), labels=LABELS, countries=country_names())
