"""Eventsite: side events and forums, from proposal to published summary."""
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import lazy_gettext
from flask_login import current_user

from .config import build_config
from .extensions import CommandGroup, LazyMigrations, babel, cache_form_translations, csrf, db, limiter, login_manager

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> Path:
    """templates/, static/ and migrations/ sit inside the installed package, or beside it in a checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def select_locale():
    """The page's language: ?lang= for this one page, then the language picked in the switcher, then that of
    the person the page belongs to (a registration's page), then the account's, then the browser's."""
    if not has_request_context():
        return "en"  # outside a request (CLI, jobs) each e-mail says whose language it is in
    from .core.languages import language_for
    account = current_user.locale if current_user and getattr(current_user, "is_authenticated", False) else None
    return language_for(request.args.get("lang"), session.get("lang"), g.get("person_language"), account,
                        request.accept_languages.best_match(list(current_app.config["LANGUAGES"]), default="en"))


def create_app(config: dict | None = None) -> Flask:
    """Build the application; config entries override the environment's."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(_resource_dir("templates")), static_folder=str(_resource_dir("static")))
    app.cli = CommandGroup(app.name)
    app.config.update(build_config(Path(app.instance_path)))
    if config:
        app.config.update(config)
        if "DATABASE_URL" in config:
            from .config import normalise_database_url
            app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["DATABASE_URL"])

    db.init_app(app)
    app.extensions["migrate"] = LazyMigrations(app, db, directory=str(_resource_dir("migrations")),
                                               render_as_batch=True)
    csrf.init_app(app)
    cache_form_translations(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(PACKAGE_DIR / "translations"))
    login_manager.init_app(app)
    limiter.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.localize_callback = str  # flashed in the reader's language, as a plain string
    login_manager.login_message_category = "info"

    from . import models  # noqa: F401  (every table registered before the first query)
    from .accounts.services import user_for_session

    @login_manager.user_loader
    def load_user(session_id):
        return user_for_session(session_id)

    from .core.web import register_input_guards
    register_input_guards(app)  # URL converters first: the blueprints' rules are built with them

    from .accounts.views import bp as accounts_bp
    from .activity.views import bp as activity_bp
    from .agenda.views import bp as agenda_bp
    from .core.mail_views import bp as mail_bp
    from .core.views import bp as core_bp
    from .dashboards.views import bp as dashboard_bp
    from .coorganisers.views import bp as coorganisers_bp
    from .programme.views import bp as programme_bp
    from .events.dashboard_views import bp as dashboards_bp
    from .events.forum_views import bp as forums_bp
    from .events.search_views import bp as search_bp
    from .events.views import bp as events_bp
    from .exports.views import bp as exports_bp
    from .feeds.views import bp as feeds_bp
    from .registrations.views import bp as registrations_bp
    from .series.views import bp as series_bp
    from .speakers.views import bp as speakers_bp
    from .summaries.views import bp as summaries_bp
    from .webhooks.views import bp as webhooks_bp
    from .notifications.views import bp as notifications_bp
    for blueprint in (core_bp, accounts_bp, forums_bp, events_bp, dashboards_bp, agenda_bp, speakers_bp,
                      registrations_bp, feeds_bp, exports_bp, summaries_bp, activity_bp, mail_bp, webhooks_bp,
                      dashboard_bp, notifications_bp, search_bp,
                      coorganisers_bp, programme_bp, series_bp):
        app.register_blueprint(blueprint)

    from .core.templating import register_template_helpers
    from .errors import register_error_pages
    register_template_helpers(app)
    from .feeds.links import register_link_helpers
    register_link_helpers(app)
    register_error_pages(app)
    from .api import register_api
    register_api(app)
    from .core.headers import register_security_headers
    register_security_headers(app)

    from .cli import register_commands
    register_commands(app)
    return app
