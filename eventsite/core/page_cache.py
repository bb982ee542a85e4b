"""Pages anonymous visitors read most (an event, a forum's programme) are rendered once per
change, not once per request.

A view names a cheap one-query fingerprint of what the page shows; the rendered page is kept
per worker under that fingerprint, the URL and the language (and its catalogue), for a minute at most (times such
as "registration closes on…" move on their own). Browsers get the fingerprint as an ETag and
a 304 when nothing changed. Signed-in readers, whose pages differ, always get a fresh render.
"""
import hashlib
from functools import wraps

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from .cache import LruCache
from .languages import catalogue_mark

MAX_AGE_SECONDS = 60
pages = LruCache(256, max_age=MAX_AGE_SECONDS)


def _cacheable() -> bool:
    return (request.method == "GET" and current_app.config.get("PAGE_CACHE", True)
            and not current_user.is_authenticated and "_flashes" not in session)


def cached_page(fingerprint, mimetype: str = "text/html"):
    """Serve the view's page from the cache while fingerprint(**view_args) is unchanged."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _cacheable():
                return view(**kwargs)
            mark = fingerprint(**kwargs)
            if mark is None:
                return view(**kwargs)  # not found: the view answers
            key = (request.full_path, str(get_locale()), catalogue_mark(str(get_locale())), mark)
            etag = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
            headers = {"Cache-Control": "private, no-cache", "Vary": "Cookie, Accept-Language"}
            if request.if_none_match.contains(etag):
                response = Response(status=304, headers=headers)
                response.set_etag(etag)
                return response
            body = pages.get(key)
            if body is None:
                response = current_app.make_response(view(**kwargs))
                if response.status_code != 200 or session.modified:
                    return response  # a page that set something in the session is not for others
                body = response.get_data()
                pages.put(key, body)
            response = Response(body, mimetype=mimetype, headers=headers)
            response.set_etag(etag)
            return response
        return wrapper
    return decorate
