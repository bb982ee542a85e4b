import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import authz
from ..core.languages import speaking
from ..core.web import safe_next, show_error
from ..errors import DomainError
from ..extensions import db
from .models import ApiToken, TokenScope
from . import limits, services, tokens, two_factor
from .forms import (ApiTokenForm, ChangePasswordForm, CodeForm, DisableTwoFactorForm, EnableTwoFactorForm, LanguageForm, LoginForm,
                    ResetPasswordForm, ResetRequestForm, SignupForm, SitePolicyForm)

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _config(name):
    return current_app.config[name]


def _verification():
    return {"secret_key": _config("SECRET_KEY"), "max_age": _config("EMAIL_VERIFICATION_MAX_AGE")}


@bp.route("/signup", methods=["GET", "POST"])
@limits.mail_sending("RATELIMIT_SIGNUP", "sign-up")
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        services.sign_up(email=form.email.data, name=form.name.data, password=form.password.data,
                         hash_method=_config("PASSWORD_HASH_METHOD"), secret_key=_config("SECRET_KEY"),
                         verify_max_age=_config("EMAIL_VERIFICATION_MAX_AGE"), locale=str(get_locale()))
        db.session.commit()
        # The same page whether or not the address already had an account.
        return render_template("accounts/signup_sent.html", email=services.normalise_email(form.email.data))
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data,
                                         hash_method=_config("PASSWORD_HASH_METHOD"))
        except services.AccountError as error:
            show_error(form, error)
        else:
            if user.has_two_factor:
                return _second_step(user, remember=form.remember.data)
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return safe_next()
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("events.home"))


@bp.get("/verify/<token>")
def verify_email(token):
    try:
        user = services.verify_email(token, **_verification())
    except services.AccountError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("accounts.login" if not current_user.is_authenticated else "events.home"))
    db.session.commit()
    flash(_("Thank you: %(email)s is confirmed as your address.", email=user.email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("events.home"))
    return redirect(url_for("accounts.login"))


@bp.post("/verify/resend")
@login_required
@limits.mail_sending("RATELIMIT_SEND_LINK", "resend-verification", by_user=True)
def resend_verification():
    services.send_verification(current_user, **_verification())
    db.session.commit()
    flash(_("A new confirmation link is on its way to %(email)s.", email=current_user.email), "success")
    return safe_next()


@bp.route("/security", methods=["GET", "POST"])
@login_required
def security():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.password.data,
                                     hash_method=_config("PASSWORD_HASH_METHOD"))
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # this device stays signed in; others do not
            flash(_("Your password is changed. Every other device is signed out."), "success")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/security.html", form=form, language_form=_language_form(
        locale=current_user.locale or str(get_locale())))


def _language_form(**kwargs):
    form = LanguageForm(**kwargs)
    form.locale.choices = list(_config("LANGUAGES").items())
    return form


@bp.post("/language")
@login_required
def set_language():
    form = _language_form()
    if form.validate_on_submit():
        services.set_language(current_user, form.locale.data)
        db.session.commit()
        session["lang"] = current_user.locale  # this page too, not only the next sign-in
        with speaking(current_user.locale):
            flash(_("Your pages and e-mails are now in %(language)s.", language=_config("LANGUAGES")[current_user.locale]),
                  "success")
    return redirect(url_for("accounts.security"))


@bp.post("/security/sign-out-elsewhere")
@login_required
def sign_out_elsewhere():
    services.end_other_sessions(current_user)
    db.session.commit()
    login_user(current_user._get_current_object())
    flash(_("Every other device is signed out."), "success")
    return redirect(url_for("accounts.security"))


@bp.route("/reset", methods=["GET", "POST"])
@limits.mail_sending("RATELIMIT_RESET", "password-reset")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, secret_key=_config("SECRET_KEY"),
                                        max_age=_config("PASSWORD_RESET_MAX_AGE"))
        db.session.commit()
        # The same answer either way, so the form does not reveal who has an account.
        flash(_("If an account uses %(email)s, a reset link is on its way. It works once, for one hour.",
                email=form.email.data), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        user = services.user_for_reset_token(token, secret_key=_config("SECRET_KEY"),
                                             max_age=_config("PASSWORD_RESET_MAX_AGE"))
    except services.AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data, hash_method=_config("PASSWORD_HASH_METHOD"))
        db.session.commit()
        if user.has_two_factor:  # a reset link proves the mailbox, not the second factor
            flash(_("Your password is changed. Every other device is signed out."), "success")
            return _second_step(user, remember=False)
        login_user(user)
        flash(_("Your password is changed and you are signed in. Every other device is signed out."), "success")
        return redirect(url_for("events.home"))
    return render_template("accounts/reset_password.html", form=form, user=user)


# ---------------------------------------------------------------- two-factor sign-in

PENDING = "two_factor_pending"  # the account whose password was right, waiting for its code
PENDING_MAX_AGE = 300
SETUP = "two_factor_setup"  # the secret shown while the app is being set up, not yet confirmed


def _second_step(user, *, remember):
    session[PENDING] = {"user": user.get_id(), "remember": bool(remember), "at": int(time.time())}
    return redirect(url_for("accounts.two_factor_login", next=request.args.get("next")))


def _pending_user():
    data = session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_MAX_AGE:
        return None
    return services.user_for_session(data.get("user", ""))


def _pending_key() -> str:
    data = session.get(PENDING)
    return f"pending:{data.get('user') if isinstance(data, dict) else '-'}"


@bp.route("/login/code", methods=["GET", "POST"])
@limits.two_factor(_pending_key)
def two_factor_login():
    user = _pending_user()
    if user is None:
        flash(_("Please sign in again: the code step lasts five minutes."), "info")
        return redirect(url_for("accounts.login", next=request.args.get("next")))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.check_code(user, form.code.data)
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            login_user(user, remember=session.pop(PENDING)["remember"])
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return safe_next()
    return render_template("accounts/two_factor_login.html", form=form)


def _recovery_codes_page(codes, status=200):
    response = current_app.make_response((render_template("accounts/recovery_codes.html", codes=codes), status))
    response.headers["Cache-Control"] = "no-store"  # shown once; never kept by a browser or proxy
    return response


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
@limits.two_factor(limits.signed_in_user)
def two_factor_settings():
    if current_user.has_two_factor:
        return render_template("accounts/two_factor_on.html", disable_form=DisableTwoFactorForm(prefix="off"),
                               renew_form=CodeForm(prefix="renew"), unused=two_factor.unused_recovery_codes(current_user))
    secret = session.get(SETUP) or two_factor.new_secret()
    session[SETUP] = secret
    form = EnableTwoFactorForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.enable(current_user, secret, form.code.data)
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            session.pop(SETUP, None)
            return _recovery_codes_page(codes)
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret,
                           qr=two_factor.setup_qr(current_user, secret), required=two_factor.must_set_up(current_user))


@bp.post("/two-factor/disable")
@login_required
@limits.two_factor(limits.signed_in_user)
def two_factor_disable():
    form = DisableTwoFactorForm(prefix="off")
    if form.validate_on_submit():
        try:
            two_factor.disable(current_user, form.password.data, form.code.data)
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Two-factor sign-in is off. Your password alone now signs you in."), "success")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/two_factor_on.html", disable_form=form, renew_form=CodeForm(formdata=None, prefix="renew"),
                           unused=two_factor.unused_recovery_codes(current_user)), 422


@bp.post("/two-factor/recovery-codes")
@login_required
@limits.two_factor(limits.signed_in_user)
def two_factor_renew_codes():
    form = CodeForm(prefix="renew")
    if form.validate_on_submit():
        try:
            codes = two_factor.renew_recovery_codes(current_user, form.code.data)
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            return _recovery_codes_page(codes)
    return render_template("accounts/two_factor_on.html", disable_form=DisableTwoFactorForm(formdata=None, prefix="off"),
                           renew_form=form, unused=two_factor.unused_recovery_codes(current_user)), 422


@bp.route("/site-security", methods=["GET", "POST"])
@login_required
def site_security():
    authz.require("site.security")
    policy = two_factor.policy()
    form = SitePolicyForm(obj=policy)
    if form.validate_on_submit():
        two_factor.set_required(form.two_factor_for_organisers.data, user=current_user)
        db.session.commit()
        flash(_("The sign-in rule is saved."), "success")
        return redirect(url_for("accounts.site_security"))
    return render_template("accounts/site_security.html", form=form, policy=policy)


# While the site requires two factors of an account that has none, these are all it may open.
SETUP_ENDPOINTS = {"accounts.two_factor_settings", "accounts.logout", "accounts.verify_email",
                   "accounts.resend_verification", "core.set_language", "static"}


@bp.before_app_request
def _two_factor_first():
    """Staff and forum organisers whom the site requires it of set up two factors before anything else."""
    if request.endpoint in SETUP_ENDPOINTS or not current_user.is_authenticated:
        return None
    if two_factor.must_set_up(current_user):
        flash(_("This site requires two-factor sign-in for staff and forum organisers. Set it up to continue."),
              "info")
        return redirect(url_for("accounts.two_factor_settings"))
    return None


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """Personal API tokens: a new one is shown on this answer only, never again."""
    form = ApiTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            token, plain = tokens.create_token(user=current_user, name=form.name.data,
                                               scope=TokenScope(form.scope.data))
        except DomainError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            created = (token, plain)
            form = ApiTokenForm(formdata=None)
    response = current_app.make_response(render_template(
        "accounts/tokens.html", form=form, created=created, tokens=tokens.tokens_of(current_user)))
    response.headers["Cache-Control"] = "no-store"  # the new token must not stay in a cache
    return response


@bp.route("/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@login_required
def revoke_api_token(token_id):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if request.method == "GET":  # the Revoke link leads here first
        return render_template("_confirm.html", event=None, heading=_("Revoke the token “%(name)s”?", name=token.name),
                               message=_("Apps that use it are refused from their next request. This cannot be "
                                         "undone; you can create a new token."),
                               action=url_for("accounts.revoke_api_token", token_id=token_id),
                               button=_("Revoke the token"), back=url_for("accounts.api_tokens"))
    tokens.revoke_token(token, user=current_user)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("accounts.api_tokens"))
