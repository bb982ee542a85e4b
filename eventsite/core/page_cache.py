"""Pages anonymous visitors read most (an event, a forum's programme) are rendered once per
change, not once per request.

A view names a cheap one-query fingerprint of what the page shows; the rendered page is kept
per worker under that fingerprint, the URL and the language, for a minute at most (times such
as "registration closes on…" move on their own). Browsers get the fingerprint as an ETag and
a 304 when nothing changed. Signed-in readers, whose pages differ, always get a fresh render.
"""
import hashlib
import time
from collections import OrderedDict
from functools import wraps
from threading import Lock

from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

MAX_AGE_SECONDS = 60


class PageCache:
    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), Lock()

    def get(self, key):
        with self.lock:
            entry = self.items.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            self.items.move_to_end(key)
            return entry[1]

    def put(self, key, body: bytes):
        with self.lock:
            self.items[key] = (time.monotonic() + MAX_AGE_SECONDS, body)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self):
        with self.lock:
            self.items.clear()


pages = PageCache(256)


def _cacheable() -> bool:
    return (request.method == "GET" and current_app.config.get("PAGE_CACHE", True)
            and not current_user.is_authenticated and "_flashes" not in session)


def cached_page(fingerprint):
    """Serve the view's page from the cache while fingerprint(**view_args) is unchanged."""
    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _cacheable():
                return view(**kwargs)
            mark = fingerprint(**kwargs)
            if mark is None:
                return view(**kwargs)  # not found: the view answers
            key = (request.full_path, str(get_locale()), mark)
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
            response = Response(body, mimetype="text/html", headers=headers)
            response.set_etag(etag)
            return response
        return wrapper
    return decorate
