"""Pages to shape e-mails: an event's own paragraph, a forum's texts, and one's choice of optional mail."""
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from .. import authz
from ..core import mail_preferences
from ..core.languages import offered, speaking, supported
from ..core.web import show_error
from ..errors import DomainError
from ..events.models import Event
from ..events.queries import event_for_registration, forum_by_slug
from ..extensions import csrf, db
from ..registrations import mail as registration_mail
from ..registrations.models import Registration
from . import queries, services
from .forms import DEFAULT, PreferencesForm, UnsubscribeForm, forum_texts_form, paragraph_field_name, paragraph_form
from .labels import FORUM_TEXT_LABELS, GROUP_LABELS, GROUP_PREVIEW_KIND
from .models import FORUM_TEXT_KINDS, PARAGRAPH_KINDS

bp = Blueprint("notifications", __name__)


def _preview(event, kind, locale, **kwargs):
    """(subject, text, HTML fragment) of a message in locale, as a participant would get it."""
    with speaking(locale):
        subject, text, html = registration_mail.preview(
            event, kind, sample_name=current_user.name or _("Participant"), sample_email=current_user.email, **kwargs)
        fragment = render_template("notifications/_html_part.html", html=html)
    return {"subject": subject, "text": text, "html": Markup(fragment), "lang": locale}


# ---------------------------------------------------------------- an event's own paragraph

def _registrant_locales(event) -> list[str]:
    found = db.session.scalars(select(Registration.locale).where(Registration.event_id == event.id,
                                                                 Registration.locale.is_not(None)).distinct())
    return sorted({supported(code) for code in found if supported(code)})


@bp.route("/events/<slug>/emails", methods=["GET", "POST"])
@login_required
def event_emails(slug):
    event = event_for_registration(slug) or abort(404)
    authz.require("event.view", event)
    authz.require("event.mail_texts", event)
    languages = offered()
    saved = {(group, locale): queries.event_paragraphs(event.id, group).get(locale, "")
             for group in PARAGRAPH_KINDS for locale in ["", *languages]}
    registrants = _registrant_locales(event)
    shown = [code for code in languages if code in registrants or any(saved[(g, code)] for g in PARAGRAPH_KINDS)]
    data = {paragraph_field_name(group, locale): text for (group, locale), text in saved.items()}
    data["preview_locale"] = shown[0] if shown else str(supported(str(request.accept_languages.best or "")) or
                                                      next(iter(languages)))
    form = paragraph_form(PARAGRAPH_KINDS, list(languages), languages,
                          formdata=request.form if request.method == "POST" else None, data=data)
    status, previews = 200, None
    if request.method == "POST" and form.validate():
        texts = {(group, locale): form[paragraph_field_name(group, locale)].data or ""
                 for group in PARAGRAPH_KINDS for locale in ["", *languages]}
        if "save" in request.form:
            try:
                services.save_event_paragraphs(event, texts, user=current_user)
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
                status = 422
            else:
                db.session.commit()
                flash(_("The e-mails' paragraph is saved; every message from now on carries it."), "success")
                return redirect(url_for("notifications.event_emails", slug=event.slug,
                                        preview=form.preview_locale.data))
        typed = {group: {locale: text for (g, locale), text in texts.items() if g == group} for group in PARAGRAPH_KINDS}
        previews = [(GROUP_LABELS[group], _preview(event, GROUP_PREVIEW_KIND[group], form.preview_locale.data,
                                                   paragraphs=typed[group])) for group in PARAGRAPH_KINDS]
    elif request.method == "POST":
        status = 422
    if previews is None:
        locale = supported(request.args.get("preview")) or form.preview_locale.data
        form.preview_locale.data = locale
        previews = [(GROUP_LABELS[group], _preview(event, GROUP_PREVIEW_KIND[group], locale))
                    for group in PARAGRAPH_KINDS]
    return render_template("notifications/event_emails.html", event=event, form=form, groups=PARAGRAPH_KINDS,
                           group_labels=GROUP_LABELS, languages=languages, shown=shown, registrants=registrants,
                           field_name=paragraph_field_name, previews=previews, default=DEFAULT,
                           registrant_names=[languages[code] for code in registrants]), status


# ---------------------------------------------------------------- a forum's texts

def _sample_event(forum):
    """The forum's first event, else one made up (never stored), to preview the forum's texts in."""
    event = db.session.scalar(select(Event).where(Event.forum_id == forum.id).order_by(Event.starts_at).limit(1))
    if event is not None:
        return event
    from datetime import datetime, time as clock
    from zoneinfo import ZoneInfo
    start = datetime.combine(forum.starts_on, clock(13, 15), ZoneInfo(forum.timezone)).astimezone(ZoneInfo("UTC"))
    return Event(title=_("Sample side event"), slug="sample", forum_id=forum.id, timezone=forum.timezone,
                 starts_at=start, ends_at=start + timedelta(minutes=75), external_venue=forum.venue or "",
                 webcast_url="", meeting_passcode="")


@bp.route("/forums/<slug>/emails", methods=["GET", "POST"])
@login_required
def forum_emails(slug):
    forum = forum_by_slug(slug) or abort(404)
    authz.require("forum.mail_texts", forum)
    languages = offered()
    # ?language= names the texts edited, not the page's own language (?lang=): staff may edit the
    # Arabic texts on a page in English.
    locale = supported(request.args.get("language")) or next(iter(languages))
    saved = queries.forum_texts(forum.id, locale)
    with speaking(locale):
        built_in = {kind: registration_mail.INTROS[kind]() for kind in FORUM_TEXT_KINDS}
    form = forum_texts_form(FORUM_TEXT_KINDS, FORUM_TEXT_LABELS,
                            formdata=request.form if request.method == "POST" else None,
                            data={**saved, "preview_kind": request.args.get("preview", FORUM_TEXT_KINDS[0])})
    if form.preview_kind.data not in FORUM_TEXT_KINDS:
        form.preview_kind.data = FORUM_TEXT_KINDS[0]
    status = 200
    if request.method == "POST" and request.form.get("reset") in FORUM_TEXT_KINDS:
        if form.validate():
            kind = request.form["reset"]
            services.reset_forum_text(forum, locale, kind, user=current_user)
            db.session.commit()
            flash(_("“%(message)s” is back to the built-in text.", message=FORUM_TEXT_LABELS[kind]), "success")
            return redirect(url_for("notifications.forum_emails", slug=forum.slug, language=locale, preview=kind))
        status = 422
    elif request.method == "POST" and form.validate():
        texts = {kind: form[kind].data or "" for kind in FORUM_TEXT_KINDS}
        if "save" in request.form:
            try:
                services.save_forum_texts(forum, locale, texts, user=current_user)
            except DomainError as error:
                db.session.rollback()
                show_error(form, error)
                status = 422
            else:
                db.session.commit()
                flash(_("The e-mail texts in %(language)s are saved.", language=languages[locale]), "success")
                return redirect(url_for("notifications.forum_emails", slug=forum.slug, language=locale,
                                        preview=form.preview_kind.data))
    elif request.method == "POST":
        status = 422
    kind = form.preview_kind.data
    typed = form[kind].data if request.method == "POST" else saved.get(kind)
    preview = _preview(_sample_event(forum), kind, locale, paragraphs={}, intro=(typed or "").strip() or None)
    return render_template("notifications/forum_emails.html", forum=forum, form=form, kinds=FORUM_TEXT_KINDS,
                           labels=FORUM_TEXT_LABELS, built_in=built_in, saved=saved, languages=languages,
                           locale=locale, preview=preview), status


# ---------------------------------------------------------------- a person's choices

def _preferences_page(email, form, *, token=None, status=200):
    return render_template("notifications/preferences.html", email=email, form=form, token=token,
                           mandatory=True), status


def _choices_form(email):
    unwanted = mail_preferences.opt_outs(email)
    return PreferencesForm(formdata=request.form if request.method == "POST" else None,
                           data={name: name not in unwanted for name in mail_preferences.CATEGORIES})


@bp.route("/mail/preferences/<token>", methods=["GET", "POST"])
def preferences(token):
    """The page an e-mail's link opens: no sign-in, the signed link names the address."""
    found = mail_preferences.read_preference_token(token) or abort(404)
    email = found[0]
    form = _choices_form(email)
    if form.validate_on_submit():
        services.save_preferences(email, form.unwanted())
        db.session.commit()
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.preferences", token=token))
    return _preferences_page(email, form, token=token, status=422 if form.errors else 200)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def account_preferences():
    authz.require("account.dashboard")
    form = _choices_form(current_user.email)
    if form.validate_on_submit():
        services.save_preferences(current_user.email, form.unwanted(), user=current_user)
        db.session.commit()
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notifications.account_preferences"))
    return _preferences_page(current_user.email, form, status=422 if form.errors else 200)


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe(token):
    """Opening the link changes nothing (mail scanners open links): it shows the button."""
    email, category = mail_preferences.read_preference_token(token) or abort(404)
    if category is None:
        abort(404)
    return render_template("notifications/unsubscribe.html", email=email, category=category,
                           label=mail_preferences.CATEGORIES[category], token=token, form=UnsubscribeForm(),
                           done=False, preferences_token=mail_preferences.preference_token(email))


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no page, so no CSRF token;
def unsubscribe_now(token):  # the signed link itself is the proof, and it only ever turns mail off
    email, category = mail_preferences.read_preference_token(token) or abort(404)
    if category is None:
        abort(404)
    services.unsubscribe(email, category)
    db.session.commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return "", 204
    return render_template("notifications/unsubscribe.html", email=email, category=category,
                           label=mail_preferences.CATEGORIES[category], token=token, form=UnsubscribeForm(),
                           done=True, preferences_token=mail_preferences.preference_token(email))
