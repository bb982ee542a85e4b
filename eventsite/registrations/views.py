"""Registration pages: each loads, validates, calls one service, commits, and says what happened."""
import io

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz
from ..accounts import limits
from ..core.labels import country_names
from ..core.languages import page_of_person
from ..core.web import XLSX, download, safe_next, show_error
from ..errors import DomainError
from ..events.queries import event_for_registration
from ..extensions import db, limiter
from ..feeds.calendar import event_ics
from . import reports, services
from .forms import (ActionForm, CheckInForm, DecisionForm, QuestionForm, SendLinkForm, SettingsForm,
                    form_for_editing, form_for_registering)
from .labels import LABELS, STATUS_LABELS
from .models import Registration

bp = Blueprint("registrations", __name__)
MAILED = "registration_mailed"  # session key: the address a verification link just went to, per event


def _event(slug, action=None):
    event = event_for_registration(slug) or abort(404)
    authz.require("event.view", event)
    if action:
        authz.require(action, event)
    return event


def _participant():
    return current_user if current_user.is_authenticated else None


def _proven():
    return current_user.is_authenticated and current_user.is_verified


def _recipient() -> str:
    """Per event and address, as "send me my link" counts: registering again mails a new link."""
    email = current_user.email if current_user.is_authenticated else request.form.get("email", "")
    return f"email:{request.path}:" + email.strip().lower()[:320]


def _by_token(token) -> Registration:
    try:
        registration = services.by_token(token)
    except DomainError:
        abort(404)
    page_of_person(registration.locale)
    return registration


# ---------------------------------------------------------------- participants

@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_MAIL_TO_ADDRESS"], key_func=_recipient, methods=["POST"],
               scope="register-recipient", exempt_when=_proven, deduct_when=lambda response: response.status_code == 302)
def register(slug):
    found, user = services.event_for_registering(slug), _participant()
    event = found.event or abort(404)
    authz.require("event.view", event)
    entry = services.entry_point(event, user)
    if entry.sign_in_first or (entry.mine is not None and request.method == "GET"):
        return _elsewhere(entry)
    questions = found.questions
    form = form_for_registering(questions, event.registration_settings, user, request.method, event=event)
    if request.method == "GET" or entry.closed or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 409 if entry.closed else 422
        return _register_page(event, form, entry.closed, status)
    try:
        registration = services.register(event, form.to_input(), user=user, questions=questions,
                                         locale=str(get_locale() or "en"), any_webhook=found.any_webhook)
    except DomainError as error:
        db.session.rollback()
        return _refused(event, form, error)
    landing, mailed = _landing(event, registration)  # read before the commit, which would reload both rows
    db.session.commit()
    if mailed:
        session[MAILED] = mailed
    return redirect(landing)


def _elsewhere(entry):
    """Sign in first, or see the registration already made."""
    if entry.sign_in_first:
        return redirect(url_for("accounts.login", next=request.path))
    flash(_("You are already registered for this event."), "info")
    return redirect(url_for("registrations.manage", token=entry.mine.token))


def _register_page(event, form, closed, status, existing=None):
    return render_template("registrations/register.html", event=event, form=form, closed=closed, existing=existing,
                           settings=event.registration_settings, labels=LABELS), status


def _refused(event, form, error):
    """The form again, with what was typed and the reason beside its field (or a link to the registration)."""
    if isinstance(error, services.AlreadyRegistered):
        return _register_page(event, form, None, 409, existing=error.registration)
    show_error(form, error)
    return _register_page(event, form, None, 409 if error.field is None else 422)


def _landing(event, registration) -> tuple[str, dict | None]:
    """A proven address goes to its registration; an unproven one is told to open the e-mailed
    link (and the page names the address it went to)."""
    if registration.status.value != "unverified":
        return url_for("registrations.manage", token=registration.token, new=1), None
    return (url_for("registrations.check_mailbox", slug=event.slug),
            {"event": event.id, "email": registration.email})


@bp.get("/events/<slug>/register/check-your-mailbox")
def check_mailbox(slug):
    event = _event(slug)
    mailed = session.get(MAILED) or {}
    return render_template("registrations/check_mailbox.html", event=event, form=ActionForm(),
                           email=mailed.get("email") if mailed.get("event") == event.id else None,
                           hours=services.verify_hours())


@bp.post("/events/<slug>/register/send-link")
@limits.mail_sending("RATELIMIT_SEND_LINK", "send-link")
def send_link(slug):
    """E-mail its link to an address that is registered; the answer never tells whether it is."""
    event = _event(slug)  # CSRFProtect has checked the form's token
    form = SendLinkForm()
    if not form.validate_on_submit():
        message = " ".join(str(error) for error in form.email.errors) or _("Enter an e-mail address.")
        return render_template("errors/error.html", code=422, title=_("Send me my link"), message=message), 422
    services.send_link(event, form.email.data.lower())
    db.session.commit()
    flash(_("If that address is registered for this event, the link to its registration is on its way."), "info")
    return safe_next("events.show", slug=event.slug)


@bp.route("/registrations/verify/<token>", methods=["GET", "POST"])
def verify(token):
    """The e-mailed link opens a page with a button: mail scanners that open links confirm nothing."""
    form = ActionForm()
    try:
        registration = services.verification(token)
        page_of_person(registration.locale)
        if registration.status.value == "unverified" and not form.validate_on_submit():
            return render_template("registrations/verify.html", form=form, registration=registration,
                                   event=registration.event)
        services.verify_email(token)
    except DomainError as error:
        db.session.rollback()
        return render_template("errors/error.html", code=400, title=_("Registration"), message=error.message), 400
    db.session.commit()
    session.pop(MAILED, None)
    flash(_("Your e-mail address is confirmed."), "success")
    return redirect(url_for("registrations.manage", token=registration.token))


@bp.route("/r/<token>", methods=["GET"])
def manage(token):
    registration = _by_token(token)
    event = _event(registration.event.slug)
    return render_template("registrations/manage.html", registration=registration, event=event, labels=LABELS,
                           closed=services.closed_reason(event), new=request.args.get("new"),
                           form=ActionForm(), questions=services.questions_of(event),
                           meeting=services.meeting_for(registration))


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
    return download(event_ics(registration.event, meeting=services.meeting_for(registration)), "text/calendar",
                    f"{registration.event.slug}.ics", private=True)


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
    (services.cancel if action == "cancel" else services.erase)(registration)
    db.session.commit()
    if action == "erase":
        flash(_("Your registration and the personal data in it are erased."), "success")
        return redirect(url_for("events.show", slug=event_slug))
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("registrations.manage", token=token))


@bp.route("/r/<token>/edit", methods=["GET", "POST"])
def edit(token):
    registration = _by_token(token)
    questions = services.questions_of(registration.event)
    form = form_for_editing(registration, questions, request.method)
    if form.validate_on_submit():
        try:
            services.update_answers(registration, form.to_input(), questions)
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("registrations.manage", token=token))
    return render_template("registrations/edit.html", event=registration.event, registration=registration, form=form,
                           closed=services.closed_reason(registration.event)), 422 if form.errors else 200


@bp.get("/registrations/<int:registration_id>")
@login_required
def show(registration_id):
    """A signed-in participant's own registration; anyone else's is a 404, so ids reveal nothing."""
    registration = services.registration_for(current_user, registration_id) or abort(404)
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
    filters = reports.Filters.from_args(request.args, STATUS_LABELS)
    return render_template("registrations/index.html", event=event, registrations=reports.registrations_of(event, filters),
                           filters=filters, counts=reports.counts(event), labels=LABELS, form=DecisionForm(),
                           columns=reports.STANDARD_COLUMNS, default_columns=reports.DEFAULT_COLUMNS,
                           questions=services.questions_of(event), countries=country_names(),
                           settings=event.registration_settings)


@bp.post("/events/<slug>/registrations/decide")
@login_required
def decide(slug):
    event = _event(slug, "registration.manage")
    form = DecisionForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Tick at least one registration."))
        changed = services.decide_by_ids(event, form.ids.data, form.decision.data == "approve", user=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(n)s registration(s) updated.", n=len(changed)), "success")
    return redirect(url_for("registrations.index", slug=event.slug))


@bp.route("/events/<slug>/registrations/settings", methods=["GET", "POST"])
@login_required
def settings(slug):
    event = _event(slug, "registration.manage")
    form = SettingsForm.for_event(event, request.method)
    if form.validate_on_submit():
        try:
            services.save_settings(event, user=current_user, **form.values(event.timezone))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()  # with the messages to anyone the new seats promoted
            flash(_("Registration settings saved."), "success")
            return redirect(url_for("registrations.index", slug=event.slug))
    return render_template("registrations/settings.html", event=event, form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/registrations/questions", methods=["GET", "POST"])
@login_required
def questions(slug):
    event = _event(slug, "registration.manage")
    form = QuestionForm(existing=services.questions_of(event))
    if form.validate_on_submit():
        try:
            services.add_question(event, user=current_user, **form.values())
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Question added."), "success")
            return redirect(url_for("registrations.questions", slug=event.slug))
    return render_template("registrations/questions.html", event=event, form=form, questions=form.existing,
                           labels=LABELS, remove_form=ActionForm()), 422 if form.errors else 200


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
        data, mimetype = reports.as_xlsx(header, rows, "Registrations"), XLSX
    return download(data, mimetype, f"registrations-{event.slug}.{kind}", private=True)


@bp.get("/events/<slug>/badges.pdf")
@login_required
def badges(slug):
    """Name badges of the confirmed participants: A4 label sheets, or ?layout=card for one card a page."""
    from .badges import CARD, SHEET, badges_pdf, confirmed_of
    event = _event(slug, "registration.badges")
    layout = CARD if request.args.get("layout") == CARD else SHEET
    return download(badges_pdf(event, confirmed_of(event), layout=layout), "application/pdf",
                    f"badges-{event.slug}{'-cards' if layout == CARD else ''}.pdf", private=True)


@bp.get("/events/<slug>/registrations/<int:registration_id>/badge.pdf")
@login_required
def badge(slug, registration_id):
    """One confirmed participant's badge as a single card."""
    from .badges import CARD, badges_pdf
    from .models import RegistrationStatus
    event = _event(slug, "registration.badges")
    registration = db.session.get(Registration, registration_id)
    if (registration is None or registration.event_id != event.id
            or registration.status != RegistrationStatus.CONFIRMED or not registration.name):
        abort(404)
    return download(badges_pdf(event, [registration], layout=CARD), "application/pdf",
                    f"badge-{event.slug}-{registration.id}.pdf", private=True)


@bp.route("/events/<slug>/check-in", methods=["GET", "POST"])
@login_required
def check_in(slug):
    event = _event(slug, "registration.manage")
    form = CheckInForm()
    query = request.args.get("q", "").strip()[:200]
    if form.validate_on_submit():
        try:
            registration, fresh = services.check_in_by(event, code=form.code.data or "", user=current_user,
                                                       registration_id=form.registration_id.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            # shown large on the next page, to read at arm's length: who it is and whether they were already in
            session["check_in_result"] = {"name": registration.name, "organisation": registration.organisation,
                                          "fresh": fresh}
        return redirect(url_for("registrations.check_in", slug=event.slug, q=query or None))
    return render_template("registrations/check_in.html", event=event, form=form, query=query,
                           result=session.pop("check_in_result", None),
                           found=services.search_confirmed(event, query) if query else [], counts=reports.counts(event))


@bp.get("/events/<slug>/check-in/counts.json")
@login_required
def live_counts(slug):
    event = _event(slug, "registration.manage")
    counts = reports.counts(event)
    settings = event.registration_settings
    return jsonify(confirmed=counts.by_status.get("confirmed", 0), checked_in=counts.checked_in,
                   waitlisted=counts.by_status.get("waitlisted", 0), seats=settings.seats if settings else None)
