"""Errors a user may see, and the pages that show them."""
import time
from datetime import timedelta

from flask import render_template
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .core.time import utcnow


class DomainError(Exception):
    """A rule was broken; the message is safe to show to the user as it is."""

    field: str | None = None

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        if field:
            self.field = field


class NotAllowed(DomainError):
    """The actor may not do this."""


class Conflict(DomainError):
    """The change clashes with something that already exists."""


def register_error_pages(app):
    from flask_babel import format_timedelta

    app.add_template_filter(lambda value: format_timedelta(value, granularity="second", threshold=1.5),
                            "timedelta_words")

    from .api import error_response, http_error_as_json, is_api_request

    def page(code, title, message):
        if is_api_request():  # API clients read JSON, never a page
            return error_response(code, [{"field": None, "message": str(message)}])
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        """Errors without a page of their own (400, 401, 405, 409, 422…): JSON under /api, else as they are."""
        return http_error_as_json(error) if is_api_request() else error

    from .core.web import AddressNotUnderstood

    @app.errorhandler(AddressNotUnderstood)
    def address_not_understood(error):
        return page(400, _l("Address not understood"), error.description)

    @app.errorhandler(403)
    def forbidden(error):
        return page(403, _l("Not allowed"), _l("You do not have permission to see this page or do this action."))

    @app.errorhandler(404)
    def not_found(error):
        return page(404, _l("Page not found"), _l("There is nothing at this address. Check the link, or start from the home page."))

    @app.errorhandler(410)
    def gone(error):
        return page(410, _l("Removed"), _l("What was at this address has been removed for good."))

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return page(413, _l("File too large"), _l("The upload is larger than %(limit)s MB. Please send a smaller file.", limit=limit))

    @app.errorhandler(429)
    def too_many_requests(error):
        from .extensions import limiter
        limit = limiter.current_limit
        wait = max(int(limit.reset_at - time.time()), 1) if limit else 60
        if is_api_request():
            return error_response(429, [{"field": None, "message": str(_l(
                "Too many requests. Try again in %(seconds)s seconds.", seconds=wait))}], {"Retry-After": str(wait)})
        return render_template("errors/429.html", wait=timedelta(seconds=wait),
                               retry_at=utcnow() + timedelta(seconds=wait)), 429

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return page(400, _l("Form expired"), _l("The form was open too long or came from another site. Go back, reload the page and send it again; what you typed is still in your browser."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        """The database went away (restart, failover, network): say so, and that nothing was saved."""
        from .extensions import db
        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool checks the next one before use
            db.session.remove()
        if not (isinstance(error, (OperationalError, InterfaceError)) or error.connection_invalidated):
            app.logger.error("Database error", exc_info=error)  # a constraint or a bug: a plain 500
            return page(500, _l("Something went wrong"), _l("The error has been logged. Please try again in a moment."))
        app.logger.warning("Database unavailable: %s", error.orig if error.orig is not None else error)
        from flask import g
        from .extensions import login_manager
        if "_login_user" not in g:  # loading the visitor would need the database
            g._login_user = login_manager.anonymous_user()
        if is_api_request():
            return error_response(503, [{"field": None, "message": str(_l(
                "The site cannot reach its database for a moment. Nothing you sent was saved."))}],
                {"Retry-After": str(app.config.get("RETRY_AFTER_SECONDS", 30))})
        body = render_template("errors/unavailable.html", code=503, title=_l("Briefly unavailable"), message=_l(
            "The site cannot reach its database for a moment. Nothing you sent was saved: "
            "go back and send the form again in a minute; what you typed is still in your browser."))
        return body, 503, {"Retry-After": str(app.config.get("RETRY_AFTER_SECONDS", 30))}

    @app.errorhandler(500)
    def server_error(error):
        return page(500, _l("Something went wrong"), _l("The error has been logged. Please try again in a moment."))
