"""Who calls the API: a personal token in the Authorization header, never the session cookie, so
no other site can make a signed-in browser call it. Each token has its own rate limit."""
import time
from functools import wraps

from flask import current_app, g, request
from limits import parse_many

from ..accounts.models import ApiToken, TokenScope
from ..accounts.tokens import token_for
from ..extensions import db, limiter
from . import error_response


class Refused(Exception):
    """The request cannot go on; response is the JSON error to answer with."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def _bearer() -> str:
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


def token_caller(*, write: bool = False) -> ApiToken:
    """The live token of this request, its use recorded and counted; raises Refused with 401, 403 or 429."""
    token = token_for(_bearer())
    if token is None:
        db.session.rollback()
        raise Refused(error_response(401, [{"field": "Authorization", "message": (
            "Send a live personal API token: Authorization: Bearer <token>.")}], {"WWW-Authenticate": "Bearer"}))
    db.session.commit()  # its last use, whatever the request does next
    for limit in parse_many(current_app.config["RATELIMIT_API_TOKEN"]):
        if not limiter.limiter.hit(limit, "api-token", str(token.id)):
            reset = limiter.limiter.get_window_stats(limit, "api-token", str(token.id)).reset_time
            wait = max(int(reset - time.time()), 1)
            raise Refused(error_response(429, [{"field": None, "message": (
                f"This token made too many requests. Try again in {wait} seconds.")}], {"Retry-After": str(wait)}))
    if write and token.scope != TokenScope.READ_WRITE:
        raise Refused(error_response(403, [{"field": "Authorization", "message": (
            "This token may only read. Create a read-and-write token for this.")}]))
    return token


def token_required(*, write: bool = False):
    """Check the token before anything else, the body included: an unauthenticated call learns nothing.
    The view finds the token in g.api_token."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_token = token_caller(write=write)
            return view(*args, **kwargs)
        return wrapper
    return decorate
