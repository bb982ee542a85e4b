from flask import Blueprint, current_app, request, session

from .web import safe_next

bp = Blueprint("core", __name__)


@bp.get("/language")
def set_language():
    # A display preference only, so a plain link: pages that anonymous visitors share then
    # carry no per-session form token and can be cached.
    if request.args.get("lang") in current_app.config["LANGUAGES"]:
        session["lang"] = request.args["lang"]
    return safe_next()
