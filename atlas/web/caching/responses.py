"""A shared cache inside each worker, in front of Flask: what a caching proxy would keep.

An answer that the app marked `public` (the same for every visitor: no cookie, no session)
is kept whole, headers and body, and given again to the next visitor who asks for the same
URL the same way, without running Flask at all. It follows HTTP's rules for shared caches:
it keys an answer on the request headers the answer's `Vary` names, keeps it no longer than
its `max-age`, never serves a visitor who sends a cookie (but the language one), and leaves
conditional and range requests to the app. A new database build (the file replaced) or a new
version of an asset empties it.
"""

import os
import time

from ..assets import versions_key
from .pages import LRU

MAX_ENTRIES = 512
# The full professions list weighs about 80 kB: a limit under it sent every visit of that page
# through Flask again (half the rate of the other pages). The memory is bounded in bytes.
MAX_BODY = 256 * 1024
MAX_BYTES = 32 * 1024 * 1024  # per worker, over all kept bodies
BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE", "HTTP_AUTHORIZATION")


def anonymous(cookie_header, allowed):
    """Whether a Cookie header holds nothing but cookies that change no public answer."""
    for part in cookie_header.split(";"):
        name = part.split("=", 1)[0].strip()
        if name and name not in allowed:
            return False
    return True


def header_key(name):
    return "HTTP_" + name.strip().upper().replace("-", "_")


def max_age(cache_control):
    for part in cache_control.split(","):
        name, _, value = part.strip().partition("=")
        if name == "max-age" and value.isdigit():
            return int(value)
    return 0


class BodiesLRU(LRU):
    """An LRU of (expiry, status, headers, body) bounded in the bytes of its bodies as well as
    in entries."""

    def __init__(self, size, max_bytes):
        super().__init__(size)
        self.max_bytes, self.bytes = max_bytes, 0

    def set(self, key, value):
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.bytes -= len(old[-1])
            self.items[key] = value
            self.bytes += len(value[-1])
            while len(self.items) > self.size or self.bytes > self.max_bytes:
                _, dropped = self.items.popitem(last=False)
                self.bytes -= len(dropped[-1])


class ResponseCache:
    def __init__(self, wsgi_app, app, harmless_cookies=()):
        self.wsgi_app, self.app = wsgi_app, app
        self.harmless = set(harmless_cookies)
        self.entries = BodiesLRU(MAX_ENTRIES, MAX_BYTES)
        self.vary = LRU(MAX_ENTRIES)  # which request headers each URL's answer varies on

    def build_identity(self):
        """The database file being served and the versions of the assets pages name: a publish
        replaces the file, an edited stylesheet gets a new URL, and every kept answer goes."""
        try:
            stat = os.stat(self.app.config["DATABASE"])
        except OSError:
            return None
        extra = tuple(key() for key in self.app.extensions.get("atlas_page_keys", ()))  # a book finished, say
        return stat.st_ino, stat.st_mtime_ns, stat.st_size, versions_key(self.app.static_folder), extra

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if (method not in ("GET", "HEAD") or not self.app.config["PAGE_CACHE"]
                or any(name in environ for name in BYPASS)
                or not anonymous(environ.get("HTTP_COOKIE", ""), self.harmless)):
            return self.wsgi_app(environ, start_response)
        identity = self.build_identity()
        url = (environ.get("HTTP_HOST", ""), environ.get("wsgi.url_scheme"), environ.get("SCRIPT_NAME", ""),
               environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        varies = self.vary.get(url)
        if varies is not None:
            key = (url, identity, tuple(environ.get(header_key(name), "") for name in varies))
            hit = self.entries.get(key)
            if hit is not None and hit[0] > time.monotonic():
                _, status, headers, body = hit
                start_response(status, list(headers))
                return [b"" if method == "HEAD" else body]
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        return self.fetch(environ, start_response, url, identity)

    def fetch(self, environ, start_response, url, identity):
        """Run the app; keep the answer when it is public."""
        seen = {}

        def remembering_start_response(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, remembering_start_response)
        status, headers = seen.get("status", ""), seen.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        control = names.get("cache-control", "")
        if (not status.startswith("200") or "public" not in control or "set-cookie" in names
                or "etag" not in names or max_age(control) <= 0):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if len(body) <= MAX_BODY:
            varies = tuple(sorted({v.strip().lower() for v in names.get("vary", "").split(",") if v.strip()}))
            self.vary.set(url, varies)
            key = (url, identity, tuple(environ.get(header_key(name), "") for name in varies))
            self.entries.set(key, (time.monotonic() + max_age(control), status, tuple(headers), body))
        return [body]


def init_app(app, harmless_cookies):
    app.wsgi_app = ResponseCache(app.wsgi_app, app, harmless_cookies)
