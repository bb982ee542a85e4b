from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..core.web import DOCX, download, form_values, show_error
from ..errors import DomainError
from ..core.labels import country_names
from ..events.models import OrganisationKind
from ..events.queries import event_by_slug, forum_by_slug
from ..extensions import db
from . import balance, exports, services
from .forms import (LABELS, AssignExistingForm, InvitationAnswerForm, NewSpeakerForm, PersonForm,
                    RefuseInvitationsForm, SpeakerStatusForm)
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


def _item(event, item_id):
    return next((i for i in event.agenda_items if i.id == item_id), None) if item_id else None


def _added_message(name, outcome):
    if outcome == services.InvitationOutcome.SENT:
        return _("%(name)s added; an invitation was e-mailed.", name=name)
    if outcome == services.InvitationOutcome.REFUSED:
        return _("%(name)s added. This person does not accept invitations through this site, so none was sent; "
                 "record their answer yourself.", name=name)
    return _("%(name)s added. No e-mail address is known, so record their answer yourself.", name=name)


@bp.get("/events/<slug>/speakers")
@login_required
def manage(slug):
    event = _event(slug)
    return render_template("speakers/manage.html", event=event, clashes=services.clashes_for_event(event),
                           balance=balance.event_balance(event), status_form=SpeakerStatusForm(),
                           emails=_emails(event.speakers), labels=LABELS, countries=country_names())


@bp.route("/events/<slug>/speakers/add", methods=["GET"])
@login_required
def add(slug):
    event = _event(slug)
    query = request.args.get("q", "").strip()[:200]
    by_address = services.is_address_query(query) and not authz.can(current_user, "staff.area")
    found = services.search_people(query, user=current_user) if query else []
    form = NewSpeakerForm(items=event.agenda_items, formdata=None, data={"email": query} if by_address else None)
    return render_template("speakers/add.html", event=event, query=query, found=found, by_address=by_address,
                           assign_form=AssignExistingForm(items=event.agenda_items), form=form, labels=LABELS)


@bp.post("/events/<slug>/speakers/assign")
@login_required
def assign(slug):
    event = _event(slug)
    form = AssignExistingForm(items=event.agenda_items)
    person_id = form.person_id.data or ""
    if not form.validate_on_submit() or not (person_id.isdigit() and len(person_id) < 19):
        flash(_("Choose a person from the search results."), "error")
        return redirect(url_for("speakers.add", slug=event.slug))
    # Only someone the user could have found: a forged id answers as if it did not exist.
    person = services.person_for_assignment(int(person_id), user=current_user) or abort(404)
    try:
        assignment = services.assign_speaker(event, person, SpeakerRole(form.role.data), user=current_user,
                                             agenda_item=_item(event, form.agenda_item.data))
        outcome = services.notify_new_speaker(assignment, user=current_user, locale=str(get_locale()))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("speakers.add", slug=event.slug))
    db.session.commit()
    flash(_added_message(person.full_name, outcome), "success")
    return redirect(url_for("speakers.manage", slug=event.slug))


@bp.post("/events/<slug>/speakers/new")
@login_required
def create(slug):
    event = _event(slug)
    form = NewSpeakerForm(items=event.agenda_items)
    if form.validate_on_submit():
        try:
            added = services.add_new_speaker(event, _person_input(form), SpeakerRole(form.role.data),
                                             user=current_user, agenda_item=_item(event, form.agenda_item.data),
                                             photo=_uploaded_photo(form))
            outcome = services.notify_new_speaker(added.assignment, user=current_user,
                                                       locale=str(get_locale()))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            if added.known:
                flash(_("%(email)s already belongs to %(name)s in the speaker directory; that entry was used "
                        "and left unchanged.", email=added.assignment.person.email,
                        name=added.assignment.person.full_name), "info")
            flash(_added_message(added.assignment.name, outcome), "success")
            return redirect(url_for("speakers.manage", slug=event.slug))
    return render_template("speakers/add.html", event=event, query="", found=[], form=form, by_address=False,
                           assign_form=AssignExistingForm(items=event.agenda_items), labels=LABELS), 422


@bp.get("/events/<slug>/speakers/<int:assignment_id>/remove")
@login_required
def confirm_remove(slug, assignment_id):
    """The Remove button leads here first: a speaker is never dropped on one click."""
    event = _event(slug)
    assignment = _assignment_of(event, assignment_id)
    return render_template("_confirm.html", event=event,
                           heading=_("Remove %(name)s from the speakers?", name=assignment.person.full_name),
                           message=_("The person stays in the speaker directory and can be added again."),
                           action=url_for("speakers.change", slug=slug, assignment_id=assignment_id, action="remove"),
                           button=_("Remove the speaker"), back=url_for("speakers.manage", slug=slug))


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
        try:
            services.set_speaker_status(assignment, InvitationStatus(form.status.data), user=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("speakers.manage", slug=event.slug))
    elif action == "remove":
        services.remove_speaker(assignment, user=current_user)
        flash(_("%(name)s removed from the speakers.", name=assignment.name), "success")
    elif action == "resend":
        try:
            outcome = services.send_invitation(assignment, user=current_user, locale=str(get_locale()))
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("speakers.manage", slug=event.slug))
        flash(*{services.InvitationOutcome.SENT: (_("Invitation sent again to %(name)s.", name=assignment.name),
                                                  "success"),
                services.InvitationOutcome.REFUSED: (_("%(name)s does not accept invitations through this site.",
                                                       name=assignment.name), "error"),
                services.InvitationOutcome.NO_ADDRESS: (_("No e-mail address is known for %(name)s.",
                                                          name=assignment.name), "error")}[outcome])
    else:
        services.move_speaker(assignment, -1 if action == "up" else 1, user=current_user)
    db.session.commit()
    return redirect(url_for("speakers.manage", slug=event.slug))


def _visible_speakers(event):
    insider = authz.can(current_user, "event.view_private", event)
    return insider, [s for s in event.speakers if insider or s.is_confirmed]


def _emails(speakers) -> dict[int, str]:
    """The addresses among these speakers' that the current user may see (staff, the person, who entered it)."""
    return {s.person_id: s.person.email for s in speakers
            if s.person.email and authz.can(current_user, "person.view_contact", s.person)}


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
    emails = _emails(speakers) if insider else {}
    if kind == "csv":
        data = exports.speaker_list_csv(speakers, with_status=insider, emails=emails, countries=country_names())
        mimetype = "text/csv; charset=utf-8"
    else:
        data = exports.speaker_list_docx(event, speakers, with_status=insider, emails=emails,
                                         countries=country_names())
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
        services.set_speaker_status(assignment, InvitationStatus(form.answer.data), locale=str(get_locale()))
        db.session.commit()
        flash(_("Thank you. Your answer is recorded.") if form.answer.data == "confirmed"
              else _("Thank you for letting the organisers know."), "success")
        return redirect(url_for("speakers.invitation", token=token))
    return render_template("speakers/invitation.html", assignment=assignment, event=assignment.event, form=form,
                           error=None, labels=LABELS, refuse_token=services.refusal_token(assignment.person))


@bp.route("/invitations/stop/<token>", methods=["GET", "POST"])
def refuse_invitations(token):
    """The person stops (or allows again) invitations, from the link in any invitation."""
    try:
        person = services.person_for_refusal_token(token)
    except DomainError as error:
        return render_template("speakers/refuse.html", error=error.message, person=None), 400
    form = RefuseInvitationsForm()
    if form.validate_on_submit():
        services.set_invitations_refused(person, form.choice.data == "refuse")
        db.session.commit()
        flash(_("You will receive no more invitations to speak through this site.") if form.choice.data == "refuse"
              else _("Organisers can invite you through this site again."), "success")
        return redirect(url_for("speakers.refuse_invitations", token=token))
    return render_template("speakers/refuse.html", person=person, form=form, error=None)


def _visible_person(person_id):
    """The person, or a 404 for anyone who may not see them (as if they did not exist)."""
    person = db.session.get(Person, person_id)
    if person is None or not authz.can(current_user, "person.view", person):
        abort(404)
    return person


@bp.get("/people/<int:person_id>")
def person(person_id):
    person = _visible_person(person_id)
    return render_template("speakers/person.html", person=person,
                           engagements=services.engagements_for(person, user=current_user),
                           contact=authz.can(current_user, "person.view_contact", person),
                           can_edit=authz.can(current_user, "person.edit", person), labels=LABELS,
                           countries=country_names())


@bp.get("/people/<int:person_id>/photo/<key>.jpg")
def photo(person_id, key):
    person = _visible_person(person_id)
    if person.photo is None or not person.photo_key or key != person.photo_key:
        abort(404)
    response = Response(person.photo, mimetype="image/jpeg")
    # The address changes with each upload; a photo only some may see stays out of shared caches.
    shared = authz.can(None, "person.view", person)
    response.headers["Cache-Control"] = ("public" if shared else "private") + ", max-age=31536000, immutable"
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
