"""Search across every forum, and the archive of past forums by year."""
from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..core.page_cache import cached_page
from ..core.time import utcnow
from ..core.web import whole_number
from . import search
from .access import SERVICE_KEYS, interpretation_languages_of
from .forms import SearchForm
from .labels import STATUS_LABELS

bp = Blueprint("search", __name__)


def _page_number(value: str | None) -> int:
    try:
        return min(whole_number(value), search.MAX_PAGE) if value else 1
    except ValueError:
        return 1


def search_form(args) -> SearchForm:
    """The search form as the query string fills it, its languages those any listed event offers."""
    form = SearchForm(args)
    form.interpretation.choices = [("", _("Any or none"))] + [
        (language, language) for language in interpretation_languages_of()]
    return form


@bp.get("/search")
@cached_page(lambda: search.search_fingerprint())
def results():
    form = search_form(request.args)
    text = (form.q.data or "").strip()[:200]
    services = tuple(key for key in form.service.data or [] if key in SERVICE_KEYS)[:4]
    interpretation = (form.interpretation.data or "").strip()[:60]
    asked = bool(search.words_of(text) or services or interpretation)
    found = search.search_events(text, user=current_user, page=_page_number(request.args.get("page")),
                                 services=services, interpretation=interpretation) if asked else None
    args = {key: value for key, value in request.args.to_dict(flat=False).items() if key not in ("page", "lang")}
    return render_template("events/search.html", form=form, found=found, asked=asked, args=args,
                           status_labels=STATUS_LABELS)


@bp.get("/archive")
@cached_page(lambda: search.search_fingerprint())
def archive():
    return render_template("events/archive.html", years=search.archive(utcnow().date()))
