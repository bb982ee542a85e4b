"""A small per-worker cache of built responses, keyed by a fingerprint of what they show."""
import time
from collections import OrderedDict
from threading import Lock


class LruCache:
    """The `size` most recently used entries, each kept at most `max_age` seconds (if given)."""

    def __init__(self, size: int, max_age: float | None = None):
        self.size, self.max_age = size, max_age
        self.items: OrderedDict = OrderedDict()
        self.lock = Lock()

    def get(self, key):
        with self.lock:
            entry = self.items.get(key)
            if entry is None or (entry[0] is not None and entry[0] < time.monotonic()):
                return None
            self.items.move_to_end(key)
            return entry[1]

    def put(self, key, value) -> None:
        expires = time.monotonic() + self.max_age if self.max_age is not None else None
        with self.lock:
            self.items[key] = (expires, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
