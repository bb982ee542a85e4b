from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.web import safe_next, show_error
from ..extensions import db
from . import limits, services
from .forms import ChangePasswordForm, LoginForm, ResetPasswordForm, ResetRequestForm, SignupForm

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
                         verify_max_age=_config("EMAIL_VERIFICATION_MAX_AGE"))
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
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(email)s.", email=user.email), "success")
            return safe_next()
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


@bp.get("/verify/<token>")
def verify_email(token):
    try:
        user = services.verify_email(token, **_verification())
    except services.AccountError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("accounts.login" if not current_user.is_authenticated else "core.home"))
    db.session.commit()
    flash(_("Thank you: %(email)s is confirmed as your address.", email=user.email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("core.home"))
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
    return render_template("accounts/security.html", form=form)


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
        login_user(user)
        flash(_("Your password is changed and you are signed in. Every other device is signed out."), "success")
        return redirect(url_for("core.home"))
    return render_template("accounts/reset_password.html", form=form, user=user)
