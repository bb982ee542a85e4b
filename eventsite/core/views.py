from flask import Blueprint, current_app, render_template, request, session
from flask_wtf import FlaskForm

from ..core.web import safe_next
from ..events import queries

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template("core/home.html", forums=queries.forums_with_counts(),
                           upcoming=queries.upcoming_public_events(limit=8))


@bp.post("/language")
def set_language():
    # An empty FlaskForm still checks the CSRF token.
    if FlaskForm().validate_on_submit() and request.form.get("lang") in current_app.config["LANGUAGES"]:
        session["lang"] = request.form["lang"]
    return safe_next()
