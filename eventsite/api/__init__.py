"""The programme's public API at /api/v1, and JSON errors for every address under /api.

Web workers that never answer an /api request never import the API's libraries (flask-smorest,
marshmallow, apispec, webargs): the application knows only two URL rules for the whole prefix, and
the first request under it imports eventsite.api.views, whose own URL map routes it.
"""
from flask import Flask, request
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
# Read-only CORS: any site may read the public API from a browser, without credentials.
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After",
    "Access-Control-Max-Age": "86400",
}


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _dispatch(path=""):
    from .views import dispatch
    return dispatch()


def error_response(status: int, errors: list[dict], headers: dict | None = None):
    """The one shape of every error under /api: {"errors": [{"field": ..., "message": ...}]}."""
    from flask import jsonify
    response = jsonify({"errors": errors})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def http_error_as_json(error: HTTPException):
    """A werkzeug/flask-smorest error as the API's JSON; field-level messages from validation kept."""
    errors = []
    messages = (getattr(error, "data", None) or {}).get("messages")
    if isinstance(messages, dict):
        for location in messages.values():
            items = location.items() if isinstance(location, dict) else [(None, location)]
            for field, texts in items:
                for text in texts if isinstance(texts, list) else [texts]:
                    errors.append({"field": field, "message": str(text)})
    if not errors:
        errors.append({"field": None, "message": str(getattr(error, "description", "") or error.name)})
    headers = {}
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(error.code or 500, errors, headers)


def register_api(app: Flask) -> None:
    """Route /api/v1 to the API (loaded on first use) and give /api responses CORS headers."""
    from ..extensions import csrf
    view = csrf.exempt(_dispatch)  # no cookie authenticates under /api: tokens only, sent in a header
    app.add_url_rule(f"{PREFIX}/", "api.dispatch", view, methods=METHODS)
    app.add_url_rule(f"{PREFIX}/<path:path>", "api.dispatch", view, methods=METHODS)

    @app.after_request
    def cors(response):
        if is_api_request():
            for name, value in CORS_HEADERS.items():
                response.headers.setdefault(name, value)
            # What a token reads is its owner's (registrations, answers): kept by no cache on the way.
            private = "Authorization" in request.headers
            response.headers.setdefault("Cache-Control", "private, no-store" if private else "no-cache")
        return response
