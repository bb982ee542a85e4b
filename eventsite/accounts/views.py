from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from ..core.mail import deliver_outbox_quietly
from ..core.web import safe_next, show_error
from ..extensions import db
from . import services
from .forms import LoginForm, ResetPasswordForm, ResetRequestForm, SignupForm
from .mail import send_reset_link

bp = Blueprint("accounts", __name__, url_prefix="/account")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, name=form.name.data, password=form.password.data,
                                        hash_method=current_app.config["PASSWORD_HASH_METHOD"])
        except services.AccountError as error:
            show_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return safe_next()
    return render_template("accounts/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
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


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user:
            send_reset_link(user)
            db.session.commit()
            deliver_outbox_quietly()
        # The same answer either way, so the form does not reveal who has an account.
        flash(_("If an account uses %(email)s, a reset link is on its way. It works once, for one hour.",
                email=form.email.data), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    config = current_app.config
    try:
        user = services.user_for_reset_token(token, secret_key=config["SECRET_KEY"],
                                             max_age=config["PASSWORD_RESET_MAX_AGE"])
    except services.AccountError as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data, hash_method=config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        login_user(user)
        flash(_("Your password is changed and you are signed in."), "success")
        return redirect(url_for("core.home"))
    return render_template("accounts/reset_password.html", form=form, user=user)
