import io

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..accounts import limits
from ..core.time import local_to_utc, to_local
from ..core.web import XLSX, download, form_values, show_error
from ..errors import DomainError
from ..events.forms import country_names
from ..events.queries import event_for_registration
from ..extensions import db
from ..feeds.calendar import event_ics
from . import mail, reports, services
from ..speakers.forms import GENDER_LABELS
from .forms import (CATEGORY_LABELS, MODE_LABELS, QUESTION_KIND_LABELS, STATUS_LABELS, CheckInForm, DecisionForm,
                    QuestionForm, SettingsForm, registration_form)
from .models import Category, Mode, QuestionKind, Registration, RegistrationStatus

bp = Blueprint("registrations", __name__)
LABELS = {"categories": CATEGORY_LABELS, "status": STATUS_LABELS, "modes": MODE_LABELS, "genders": GENDER_LABELS,
          "kinds": QUESTION_KIND_LABELS}


def _event(slug, action=None):
    event = event_for_registration(slug) or abort(404)
    authz.require("event.view", event)
    if action:
        authz.require(action, event)
    return event


def _input(form) -> services.RegistrationInput:
    return services.RegistrationInput(
        name=form.name.data, email=form.email.data or "", organisation=form.organisation.data or "",
        category=Category(form.category.data) if form.category.data else None, country=form.country.data or None,
        position=form.position.data or "", gender=form.gender.data or None,
        accessibility_needs=form.accessibility_needs.data or "", answers=form.answers(),
        invitation_code=form.invitation_code.data or "")


def _after_commit_mail(*pairs):
    for registration, kind in pairs:
        mail.notify(registration, kind)
    db.session.commit()


# ---------------------------------------------------------------- participants

@bp.route("/events/<slug>/register", methods=["GET", "POST"])
def register(slug):
    event = _event(slug)
    settings = event.registration_settings
    closed = services.closed_reason(event)
    anonymous = not current_user.is_authenticated
    if anonymous and settings is not None and not settings.allow_anonymous and not closed:
        return redirect(url_for("accounts.login", next=request.path))
    if not anonymous and request.method == "GET":
        mine = services.registration_of(event, current_user)
        if mine is not None:
            flash(_("You are already registered for this event."), "info")
            return redirect(url_for("registrations.manage", token=mine.token))
    questions = services.questions_of(event)
    defaults = {} if anonymous or request.method == "POST" else {"name": current_user.name}
    form = registration_form(questions, consent_required=bool(settings and settings.consent_text), **defaults)
    if not anonymous:
        form.email.data = current_user.email  # the account's address; not editable here
    page = {"event": event, "form": form, "closed": closed, "settings": settings, "existing": None,
            "labels": LABELS}
    if request.method == "GET":
        return render_template("registrations/register.html", **page)
    if closed:  # registration closed while the form was open: say so, keep what was typed
        return render_template("registrations/register.html", **page), 409
    if not form.validate_on_submit():
        return render_template("registrations/register.html", **page), 422
    try:
        registration = services.register(event, _input(form), user=None if anonymous else current_user,
                                         questions=questions)
    except services.AlreadyRegistered as error:
        db.session.rollback()
        return render_template("registrations/register.html", **{**page, "existing": error.registration}), 409
    except DomainError as error:
        db.session.rollback()
        show_error(form, error)
        return render_template("registrations/register.html", **page), 409 if error.field is None else 422
    mail.notify_outcome(registration)
    db.session.commit()
    return redirect(url_for("registrations.manage", token=registration.token, new=1))


@bp.post("/events/<slug>/register/send-link")
@limits.mail_sending("RATELIMIT_SEND_LINK", "send-link")
def send_link(slug):
    """E-mail the manage link to an address that is registered; the answer never tells whether it is."""
    event = _event(slug)
    registration = services.existing_registration(event, request.form.get("email", "")[:320])
    if registration is not None:
        mail.notify(registration, "manage_link")
        db.session.commit()
    flash(_("If that address is registered for this event, the link to its registration is on its way."), "info")
    return redirect(url_for("events.show", slug=event.slug))


@bp.get("/registrations/verify/<token>")
def verify(token):
    try:
        registration = services.verify_email(token)
    except DomainError as error:
        db.session.rollback()
        return render_template("errors/error.html", code=400, title=_("Registration"), message=error.message), 400
    if registration.status != RegistrationStatus.UNVERIFIED:
        mail.notify_outcome(registration)
    db.session.commit()
    return redirect(url_for("registrations.manage", token=token))


def _by_token(token) -> Registration:
    try:
        return services.by_token(token)
    except DomainError:
        abort(404)


@bp.route("/r/<token>", methods=["GET"])
def manage(token):
    registration = _by_token(token)
    event = _event(registration.event.slug)
    return render_template("registrations/manage.html", registration=registration, event=event, labels=LABELS,
                           closed=services.closed_reason(event), new=request.args.get("new"),
                           form=DecisionForm(), questions=services.questions_of(event))


@bp.get("/r/<token>/qr.svg")
def qr_code(token):
    import segno  # on first use
    registration = _by_token(token)
    buffer = io.BytesIO()
    segno.make(registration.checkin_code, error="m").save(buffer, kind="svg", scale=6, border=2,
                                                          title=_("Check-in code"))
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})


@bp.get("/r/<token>/event.ics")
def calendar_file(token):
    registration = _by_token(token)
    return download(event_ics(registration.event), "text/calendar", f"{registration.event.slug}.ics")


@bp.get("/r/<token>/<any(cancel, erase):action>")
def confirm_withdraw(token, action):
    """Cancelling or erasing asks first, on a page that needs no JavaScript."""
    registration = _by_token(token)
    event = registration.event
    if action == "cancel":
        heading = _("Cancel your registration for “%(title)s”?", title=event.title)
        message = _("Your seat goes to the next person on the waiting list. You can register again while "
                    "registration is open, if seats are left.")
    else:
        heading = _("Erase your registration for “%(title)s”?", title=event.title)
        message = _("This cancels the registration and removes your name, e-mail and answers. Only anonymous "
                    "counts remain. It cannot be undone.")
    return render_template("_confirm.html", event=event, heading=heading, message=message,
                           action=url_for("registrations.withdraw", token=token, action=action),
                           button=_("Yes, cancel it") if action == "cancel" else _("Yes, erase it"),
                           back=url_for("registrations.manage", token=token), back_label=_("No, keep it"))


@bp.post("/r/<token>/<any(cancel, erase):action>")
def withdraw(token, action):
    registration = _by_token(token)  # CSRFProtect has checked the form's token
    event_slug = registration.event.slug
    was_active = registration.status in services.ACTIVE
    if action == "cancel":
        promoted = services.cancel(registration)
        pairs = [(registration, "cancelled")] if was_active else []
    else:
        promoted = services.erase(registration)
        pairs = []
    _after_commit_mail(*pairs, *[(p, "promoted") for p in promoted])
    if action == "erase":
        flash(_("Your registration and the personal data in it are erased."), "success")
        return redirect(url_for("events.show", slug=event_slug))
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("registrations.manage", token=token))


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token):
    registration = _by_token(token)
    event = registration.event
    questions = services.questions_of(event)
    if request.method == "POST":
        form = registration_form(questions)
        form.email.data = registration.email
    else:
        form = registration_form(questions, **registration.answers, **form_values(
            registration, "name", "email", "organisation", "category", "country", "position", "gender",
            "accessibility_needs"))
    if form.validate_on_submit():
        try:
            services.update_answers(registration, _input(form), questions)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("registrations.manage", token=token))
    return render_template("registrations/edit.html", event=event, registration=registration, form=form,
                           closed=services.closed_reason(event)), 422 if form.errors else 200


@bp.get("/registrations/<int:registration_id>")
@login_required
def show(registration_id):
    """A signed-in participant's own registration; anyone else's is a 404, so ids reveal nothing."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or not authz.can(current_user, "registration.view", registration):
        abort(404)
    return redirect(url_for("registrations.manage", token=registration.token))


@bp.get("/account/registrations")
@login_required
def mine():
    registrations = services.registrations_of_user(current_user)
    return render_template("registrations/mine.html", registrations=registrations, labels=LABELS)


# ---------------------------------------------------------------- organisers

@bp.get("/events/<slug>/registrations")
@login_required
def index(slug):
    event = _event(slug, "registration.manage")
    filters = reports.Filters(status=request.args.get("status", "")[:20], category=request.args.get("category", "")[:30],
                              text=request.args.get("q", "")[:200])
    if filters.status not in STATUS_LABELS:
        filters.status = ""
    if filters.category not in {c.value for c in Category}:
        filters.category = ""
    questions = services.questions_of(event)
    return render_template("registrations/index.html", event=event, registrations=reports.registrations_of(event, filters),
                           filters=filters, counts=reports.counts(event), labels=LABELS, form=DecisionForm(),
                           columns=reports.STANDARD_COLUMNS, default_columns=reports.DEFAULT_COLUMNS,
                           questions=questions, countries=country_names(), settings=event.registration_settings)


@bp.post("/events/<slug>/registrations/decide")
@login_required
def decide(slug):
    event = _event(slug, "registration.manage")
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    chosen = [r for r in reports.registrations_of(event) if r.id in ids]
    if not chosen:
        flash(_("Tick at least one registration."), "error")
        return redirect(url_for("registrations.index", slug=event.slug))
    approve = form.decision.data == "approve"
    try:
        changed = services.decide(chosen, approve, user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("registrations.index", slug=event.slug))
    for registration in changed:
        kind = "rejected" if not approve else ("approved" if registration.status == RegistrationStatus.CONFIRMED
                                               else "waitlisted")
        mail.notify(registration, kind)
    db.session.commit()
    flash(_("%(n)s registration(s) updated.", n=len(changed)), "success")
    return redirect(url_for("registrations.index", slug=event.slug))


@bp.route("/events/<slug>/registrations/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    event = _event(slug, "registration.manage")
    current = event.registration_settings
    if request.method == "GET":
        values = {"mode": current.mode.value if current else Mode.OPEN.value,
                  "waitlist": current.waitlist if current else True}
        if current:
            values.update(invitation_code=current.invitation_code, capacity=current.capacity,
                          allow_anonymous=current.allow_anonymous, consent_text=current.consent_text)
            for name in ("opens", "closes"):
                moment = getattr(current, f"{name}_at")
                if moment:
                    local = to_local(moment, event.timezone)
                    values.update({f"{name}_on": local.date(), f"{name}_time": local.time()})
        form = SettingsForm(**values)
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        def moment(day, clock):
            from datetime import time
            return local_to_utc(day, clock or time(0), event.timezone) if day else None
        try:
            services.save_settings(
                event, user=current_user, opens_at=moment(form.opens_on.data, form.opens_time.data),
                closes_at=moment(form.closes_on.data, form.closes_time.data), mode=Mode(form.mode.data),
                invitation_code=(form.invitation_code.data or "").strip(), capacity=form.capacity.data,
                waitlist=form.waitlist.data, allow_anonymous=form.allow_anonymous.data,
                consent_text=(form.consent_text.data or "").strip())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Registration settings saved."), "success")
            return redirect(url_for("registrations.index", slug=event.slug))
    return render_template("registrations/settings.html", event=event, form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/registrations/questions", methods=["GET", "POST"])
@login_required
def questions(slug):
    event = _event(slug, "registration.manage")
    existing = services.questions_of(event)
    form = QuestionForm()
    form.depends_on.choices = [(0, _("— always —"))] + [(q.id, q.label) for q in existing]
    if form.validate_on_submit():
        parent = next((q for q in existing if q.id == form.depends_on.data), None)
        try:
            services.add_question(event, user=current_user, label=form.label.data.strip(),
                                  kind=QuestionKind(form.kind.data), required=form.required.data,
                                  options=[o.strip() for o in (form.options.data or "").splitlines() if o.strip()],
                                  help_text=(form.help_text.data or "").strip(), depends_on=parent,
                                  depends_value=(form.depends_value.data or "").strip())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for("registrations.questions", slug=event.slug))
    return render_template("registrations/questions.html", event=event, form=form, questions=existing,
                           labels=LABELS, remove_form=DecisionForm()), 422 if form.errors else 200


@bp.route("/events/<slug>/registrations/questions/<int:question_id>/remove", methods=["GET", "POST"])
@login_required
def remove_question(slug, question_id):
    event = _event(slug, "registration.manage")
    question = next((q for q in services.questions_of(event) if q.id == question_id), None) or abort(404)
    if request.method == "GET":  # the Remove button leads here first
        return render_template("_confirm.html", event=event, heading=_("Remove the question “%(label)s”?",
                                                                        label=question.label),
                               message=_("Answers already given to it are kept with the registrations."),
                               action=url_for("registrations.remove_question", slug=slug, question_id=question_id),
                               button=_("Remove the question"), back=url_for("registrations.questions", slug=slug))
    services.remove_question(question, user=current_user)
    db.session.commit()
    return redirect(url_for("registrations.questions", slug=event.slug))


@bp.get("/events/<slug>/registrations.<any(csv, xlsx):kind>")
@login_required
def export(slug, kind):
    event = _event(slug, "registration.manage")
    columns = request.args.getlist("columns") or reports.DEFAULT_COLUMNS
    header, rows = reports.table(reports.registrations_of(event), services.questions_of(event), columns, country_names())
    if kind == "csv":
        data, mimetype = reports.as_csv(header, rows), "text/csv; charset=utf-8"
    else:
        data = reports.as_xlsx(header, rows, "Registrations")
        mimetype = XLSX
    return download(data, mimetype, f"registrations-{event.slug}.{kind}", private=True)


@bp.route("/events/<slug>/check-in", methods=["GET", "POST"])
@login_required
def check_in(slug):
    event = _event(slug, "registration.manage")
    form = CheckInForm()
    query = request.args.get("q", "").strip()[:200]
    if form.validate_on_submit():
        code = (form.code.data or "").strip()
        registration = None
        if form.registration_id.data:
            registration = db.session.get(Registration, form.registration_id.data)
        elif code:
            registration = services.by_checkin_code(event, code)
        if registration is None or registration.event_id != event.id:
            flash(_("No registration for this event has that code."), "error")
        else:
            try:
                fresh = services.check_in(registration, user=current_user)
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash(_("%(name)s checked in.", name=registration.name) if fresh
                      else _("%(name)s was already checked in.", name=registration.name),
                      "success" if fresh else "warning")
        return redirect(url_for("registrations.check_in", slug=event.slug, q=query or None))
    found = services.search_confirmed(event, query) if query else []
    return render_template("registrations/check_in.html", event=event, form=form, query=query, found=found,
                           counts=reports.counts(event))


@bp.get("/events/<slug>/check-in/counts.json")
@login_required
def live_counts(slug):
    event = _event(slug, "registration.manage")
    counts = reports.counts(event)
    settings = event.registration_settings
    return jsonify(confirmed=counts.by_status.get("confirmed", 0), checked_in=counts.checked_in,
                   waitlisted=counts.by_status.get("waitlisted", 0), seats=settings.seats if settings else None)

