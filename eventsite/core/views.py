from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, request, session

from .languages import supported
from .web import safe_next

bp = Blueprint("core", __name__)


@bp.get("/language")
def set_language():
    # A display preference only, so a plain link: pages that anonymous visitors share then
    # carry no per-session form token and can be cached.
    if supported(request.args.get("lang")):
        session["lang"] = supported(request.args["lang"])
    # The page came back with the chosen language, not the ?lang= it may have been opened with.
    target = urlsplit(request.args.get("next") or "")
    query = urlencode([(k, v) for k, v in parse_qsl(target.query, keep_blank_values=True) if k != "lang"])
    return safe_next(target=urlunsplit(("", "", target.path, query, target.fragment)))
