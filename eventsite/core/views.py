from flask import Blueprint, current_app, render_template, request, session

from ..core.web import safe_next
from ..events import queries

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template("core/home.html", forums=queries.forums_with_counts(),
                           upcoming=queries.upcoming_public_events(limit=8))


@bp.get("/language")
def set_language():
    # A display preference only, so a plain link: pages that anonymous visitors share then
    # carry no per-session form token and can be cached.
    if request.args.get("lang") in current_app.config["LANGUAGES"]:
        session["lang"] = request.args["lang"]
    return safe_next()
